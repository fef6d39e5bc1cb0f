"""Deadlines over HTTP: the watcher moved by a fake clock, the deadline list, the ICS feed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from icalendar import Calendar

from api.routers import deadlines as deadline_routes
from projections.calendar import follow_up_uid
from tests.support.api import (
    LUND,
    MALMO,
    STOCKHOLM,
    TODAY,
    Api,
    api_settings,
    follow_up_body,
    start_api,
)
from tests.support.polling import eventually
from workflow.clock import FakeClock
from workflow.deadlines import DeadlineWatcherService
from workflow.settings import Settings

# Issued on 2025-02-10 for 2025, quarterly: these follow-ups, the last one final.
DUE = ["2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31", "2026-01-31"]


def quiet_settings(directory: Path) -> Settings:
    """The background watcher checks at start only, so each check in a test is the test's."""
    return api_settings(directory).model_copy(update={"deadline_check_seconds": 3600.0})


@pytest.fixture
def watched(tmp_path: Path, clock: FakeClock) -> Iterator[Api]:
    yield from start_api(quiet_settings(tmp_path), clock)


def check(api: Api) -> int:
    response = api.post("/api/v1/admin/deadline-checks", None)
    assert response.status_code == 200, response.text
    marked: int = response.json()["marked"]
    return marked


def deadlines(api: Api, query: str = "", caller: str = "public") -> list[dict[str, Any]]:
    response = api.get(f"/api/v1/deadlines?limit=500{query}", caller)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def follow_ups(api: Api, promise_id: str) -> dict[str, dict[str, Any]]:
    """The aggregate's own follow-ups, by id."""
    promise = api.get(f"/api/v1/promises/{promise_id}").json()
    return {f["id"]: f for f in promise["follow_ups"]}


def assert_view_agrees_with_aggregate(api: Api, promise_id: str) -> None:
    listed = {
        d["follow_up_id"]: (d["due_on"], d["status"])
        for d in deadlines(api)
        if d["promise_id"] == promise_id
    }
    own = {i: (f["due_on"], f["status"]) for i, f in follow_ups(api, promise_id).items()}
    assert listed == own


def test_a_quarter_passes_the_due_follow_up_is_marked_rescheduled_and_recorded_late(
    watched: Api, clock: FakeClock
) -> None:
    api = watched
    promise = api.promise(MALMO, state="issued")
    pid = promise["id"]
    first = promise["follow_ups"][0]
    assert [f["due_on"] for f in promise["follow_ups"]] == DUE
    assert check(api) == 0
    assert deadlines(api, "&status=overdue") == []

    clock.set(date(2025, 4, 1))  # a quarter passes: only 31 March is missed
    assert api.post("/api/v1/admin/deadline-checks", None, "police").status_code == 403
    assert api.post("/api/v1/admin/deadline-checks", None, "public").status_code == 401
    assert check(api) == 1
    assert check(api) == 0  # nothing is marked twice
    overdue = deadlines(api, "&status=overdue")
    assert [(d["follow_up_id"], d["due_on"]) for d in overdue] == [(first["id"], "2025-03-31")]
    assert overdue[0]["promise_title"] == promise["title"]
    summary = api.get(f"/api/v1/municipalities/{MALMO}").json()["summary"]
    assert summary["overdue_follow_ups"] == 1 and summary["next_deadline"] == "2025-06-30"
    assert_view_agrees_with_aggregate(api, pid)

    path = f"/api/v1/promises/{pid}/follow-ups/{first['id']}"
    moved = api.ok(f"{path}/rescheduling", {"due_on": "2025-04-15", "reason": "Sjukdom"}, "police")
    assert (
        follow_ups(api, pid)[first["id"]]["status"]
        == "scheduled"
        == moved["follow_ups"][0]["status"]
    )
    assert deadlines(api, "&status=overdue") == []
    assert_view_agrees_with_aggregate(api, pid)

    clock.set(date(2025, 4, 16))  # missed again: marked again, for the new date
    assert check(api) == 1
    assert [d["due_on"] for d in deadlines(api, "&status=overdue")] == ["2025-04-15"]
    assert_view_agrees_with_aggregate(api, pid)

    # Moved back to the date already missed and marked: it stays overdue, in both.
    api.ok(f"{path}/rescheduling", {"due_on": "2025-03-31", "reason": "Fel datum"}, "police")
    assert follow_ups(api, pid)[first["id"]]["status"] == "overdue"
    assert [d["due_on"] for d in deadlines(api, "&status=overdue")] == ["2025-03-31"]
    assert_view_agrees_with_aggregate(api, pid)
    assert check(api) == 0

    # Moved to a date missed but never marked: the next check marks it.
    api.ok(f"{path}/rescheduling", {"due_on": "2025-04-10", "reason": "Rätt datum"}, "police")
    assert_view_agrees_with_aggregate(api, pid)
    assert check(api) == 1
    assert_view_agrees_with_aggregate(api, pid)

    body = follow_up_body(promise) | {"held_on": "2025-04-16"}
    api.ok(path, body, "police")
    done = deadlines(api, "&status=done")
    assert [(d["follow_up_id"], d["late"], d["held_on"]) for d in done] == [
        (first["id"], True, "2025-04-16")
    ]
    assert deadlines(api, "&status=overdue") == []
    assert_view_agrees_with_aggregate(api, pid)
    assert check(api) == 0


def test_deadlines_are_listed_soonest_first_with_filters_and_cursors(watched: Api) -> None:
    api = watched
    malmo_lund = api.promise(MALMO, LUND, state="issued")
    stockholm = api.promise(STOCKHOLM, state="issued")
    draft = api.promise(MALMO)
    withdrawn = api.promise(MALMO, state="issued")
    api.ok(f"/api/v1/promises/{withdrawn['id']}/withdrawal", {"reason": "Omorganisation"})

    everything = deadlines(api)
    assert len(everything) == 10
    assert [d["due_on"] for d in everything] == sorted(d["due_on"] for d in everything)
    promises = {d["promise_id"] for d in everything}
    assert promises == {malmo_lund["id"], stockholm["id"]}
    assert draft["id"] not in promises and withdrawn["id"] not in promises

    lund = deadlines(api, f"&municipality={LUND}")
    assert {d["promise_id"] for d in lund} == {malmo_lund["id"]}
    assert lund[0]["municipalities"] == [MALMO, LUND]
    assert deadlines(api, f"&municipality={MALMO}") == lund
    before = deadlines(api, "&due_before=2025-06-30")
    assert [d["due_on"] for d in before] == ["2025-03-31", "2025-03-31"]
    assert deadlines(api, "&status=scheduled&due_before=2026-01-31") == [
        d for d in everything if d["due_on"] < "2026-01-31"
    ]

    paged: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = "/api/v1/deadlines?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(query).json()
        paged += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert paged == everything
    assert api.get("/api/v1/deadlines?cursor=abc").status_code == 422


def test_the_ics_feed_has_one_event_per_follow_up_with_stable_uids(watched: Api) -> None:
    api = watched
    promise = api.promise(MALMO, LUND, state="issued")
    api.promise(STOCKHOLM, state="issued")
    api.promise(MALMO)  # a draft: no follow-ups in the feed

    response = api.get(f"/api/v1/municipalities/{LUND}/deadlines.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    by_uid = {str(e["UID"]): e for e in events}
    expected = {follow_up_uid(UUID(f["id"])): f for f in promise["follow_ups"]}
    assert len(events) == 5 and by_uid.keys() == expected.keys()
    for uid, event in by_uid.items():
        assert event.decoded("DTSTART") == date.fromisoformat(expected[uid]["due_on"])
        assert promise["title"] in str(event["SUMMARY"])

    first = promise["follow_ups"][0]
    api.ok(
        f"/api/v1/promises/{promise['id']}/follow-ups/{first['id']}/rescheduling",
        {"due_on": "2025-04-30", "reason": "Valet"},
        "police",
    )
    again = Calendar.from_ical(api.get(f"/api/v1/municipalities/{LUND}/deadlines.ics").content)
    moved = {str(e["UID"]): e for e in again.walk("VEVENT")}
    assert moved.keys() == by_uid.keys()  # the same events, updated in place
    uid = next(u for u, f in expected.items() if f["id"] == first["id"])
    assert moved[uid].decoded("DTSTART") == date(2025, 4, 30)

    stockholm = Calendar.from_ical(
        api.get(f"/api/v1/municipalities/{STOCKHOLM}/deadlines.ics").content
    )
    assert len(stockholm.walk("VEVENT")) == 5
    nothing = Calendar.from_ical(api.get("/api/v1/municipalities/2584/deadlines.ics").content)
    assert nothing.walk("VEVENT") == []
    assert api.get("/api/v1/municipalities/9999/deadlines.ics").status_code == 404


def test_the_ics_feed_pages_through_the_view(watched: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    api = watched
    monkeypatch.setattr(deadline_routes, "MAX_LIMIT", 2)  # pages of two instead of 500
    for _ in range(3):
        api.promise(MALMO, state="issued")
    feed = Calendar.from_ical(api.get(f"/api/v1/municipalities/{MALMO}/deadlines.ics").content)
    assert len({str(e["UID"]) for e in feed.walk("VEVENT")}) == 15


def test_the_server_checks_the_deadlines_at_start(tmp_path: Path) -> None:
    clock = FakeClock(TODAY)
    settings = quiet_settings(tmp_path)
    for api in start_api(settings, clock):
        services = api.app.state.background_services
        assert any(isinstance(s, DeadlineWatcherService) for s in services)
        assert api.app.state.projections in services
        api.promise(MALMO, state="issued")
    clock.set(date(2025, 7, 1))  # two follow-ups missed while the server was down
    for api in start_api(settings, clock):
        # The check at start runs in its own thread.
        eventually(
            lambda api=api: len(deadlines(api, "&status=overdue")) >= 2,
            "the check at start had marked two follow-ups overdue",
        )
        overdue = deadlines(api, "&status=overdue")
        assert [d["due_on"] for d in overdue] == ["2025-03-31", "2025-06-30"]
        assert check(api) == 0
