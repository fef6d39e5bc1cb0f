"""The iCalendar feed of a municipality's follow-up deadlines, made with `icalendar`.

One VEVENT per follow-up on its current due date (an all-day event), whatever its
status. The UID is made from the follow-up's id alone, so when a follow-up is
rescheduled or done, calendars that subscribe update the same event in place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from icalendar import Calendar, Event

PRODID = "-//Löftesboken//Medborgarlöften//SV"
UID_DOMAIN = "loftesboken.se"

STATUS_LABELS = {
    "scheduled": "planerad",
    "overdue": "försenad",
    "done": "genomförd",
}


@dataclass(frozen=True)
class CalendarEntry:
    """One follow-up as the feed needs it."""

    promise_id: UUID
    promise_title: str
    follow_up_id: UUID
    due_on: date
    status: str
    final: bool = False


def follow_up_uid(follow_up_id: UUID) -> str:
    return f"follow-up-{follow_up_id}@{UID_DOMAIN}"


def deadlines_calendar(
    municipality_name: str,
    entries: Iterable[CalendarEntry],
    *,
    generated_at: datetime,
    base_url: str = "",
) -> bytes:
    """The feed as iCalendar bytes (RFC 5545)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Medborgarlöften {municipality_name}: uppföljningar")
    for entry in entries:
        kind = "Slutuppföljning" if entry.final else "Uppföljning"
        status = STATUS_LABELS.get(entry.status, entry.status)
        event = Event()
        event.add("uid", follow_up_uid(entry.follow_up_id))
        event.add("dtstamp", generated_at)
        event.add("dtstart", entry.due_on)
        event.add("dtend", entry.due_on + timedelta(days=1))
        event.add("summary", f"{kind}: {entry.promise_title} ({status})")
        event.add(
            "description",
            f"{kind} av medborgarlöftet ”{entry.promise_title}”. Status: {status}.",
        )
        if base_url:
            event.add("url", f"{base_url}/api/v1/promises/{entry.promise_id}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
