"""The deadlines feed parses back with the same library, one VEVENT per follow-up."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

from icalendar import Calendar

from projections.calendar import CalendarEntry, deadlines_calendar, follow_up_uid


def test_feed_round_trips_with_stable_uids_and_all_day_dates():
    promise_id = uuid4()
    entries = [
        CalendarEntry(promise_id, "Tryggare Rosengård 2025", uuid4(), date(2025, 3, 31), "done"),
        CalendarEntry(promise_id, "Tryggare Rosengård 2025", uuid4(), date(2025, 6, 30), "overdue"),
        CalendarEntry(
            promise_id, "Tryggare Rosengård 2025", uuid4(), date(2026, 1, 31), "scheduled", True
        ),
    ]
    raw = deadlines_calendar("Malmö", entries, generated_at=datetime(2025, 7, 2, tzinfo=UTC))

    calendar = Calendar.from_ical(raw)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 3
    assert [e.decoded("dtstart") for e in events] == [e.due_on for e in entries]
    assert [str(e["uid"]) for e in events] == [follow_up_uid(e.follow_up_id) for e in entries]
    assert "försenad" in str(events[1]["summary"])
    assert str(events[2]["summary"]).startswith("Slutuppföljning")
    assert str(calendar["x-wr-calname"]) == "Medborgarlöften Malmö: uppföljningar"

    moved = [
        CalendarEntry(
            promise_id,
            "Tryggare Rosengård 2025",
            entries[1].follow_up_id,
            date(2025, 8, 15),
            "scheduled",
        )
    ]
    again = Calendar.from_ical(
        deadlines_calendar("Malmö", moved, generated_at=datetime(2025, 7, 3, tzinfo=UTC))
    )
    (event,) = again.walk("VEVENT")
    assert str(event["uid"]) == str(events[1]["uid"])
    assert event.decoded("dtstart") == date(2025, 8, 15)
