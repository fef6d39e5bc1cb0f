"""Follow-ups that cannot be hidden, through HTTP and the views: conclusion marks what is
overdue itself, a miss stays counted after the follow-up is moved, and a backfilled
promise held on time has no miss whatever the deadline watcher marked in between."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.support.api import (
    BOTH_STORES,
    MALMO,
    Api,
    activity_body,
    promise_body,
    signature_body,
)
from workflow.clock import FakeClock

pytestmark = BOTH_STORES

REPORT = "/api/v1/reports/annual/1280/{year}?format=json"


def follow_ups_in_report(api: Api, year: int) -> dict[str, int]:
    response = api.get(REPORT.format(year=year))
    assert response.status_code == 200, response.text
    counts: dict[str, int] = response.json()["follow_ups"]
    return counts


def check_deadlines(api: Api) -> int:
    response = api.post("/api/v1/admin/deadline-checks", None)
    assert response.status_code == 200, response.text
    marked: int = response.json()["marked"]
    return marked


def hold(api: Api, promise: dict[str, Any], follow_up_id: str, held_on: str) -> dict[str, Any]:
    return api.ok(
        f"/api/v1/promises/{promise['id']}/follow-ups/{follow_up_id}",
        {"held_on": held_on, "summary": "Uppföljning i samverkansgruppen.", "activities": []},
        "police",
    )


def test_concluding_right_after_the_final_follow_up_marks_the_missed_ones_overdue(
    api: Api, clock: FakeClock
) -> None:
    promise = api.promise(MALMO, state="issued")
    final = next(f for f in promise["follow_ups"] if f["final"])
    clock.set(date(2026, 2, 3))  # no deadline check runs between these commands
    hold(api, promise, final["id"], "2026-02-02")
    concluded = api.ok(
        f"/api/v1/promises/{promise['id']}/conclusion",
        {"outcome": "fulfilled", "summary": "Tunneln är upplyst.", "concluded_on": "2026-02-03"},
        "police",
    )
    regular = [f for f in concluded["follow_ups"] if not f["final"]]
    assert [(f["status"], f["missed"], f["missed_due_on"]) for f in regular] == [
        ("overdue", True, [due]) for due in ("2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31")
    ]
    history = api.get(f"/api/v1/promises/{promise['id']}/history", "admin").json()["items"]
    tail = [(item["event_type"], item["actor"]["role"]) for item in history[-5:]]
    assert tail == [("FollowUpOverdue", "police")] * 4 + [("PromiseConcluded", "police")]
    assert follow_ups_in_report(api, 2025) == {
        "on_time": 0,
        "late": 0,
        "overdue": 4,
        "scheduled": 0,
        "missed": 4,
    }
    assert check_deadlines(api) == 0  # a concluded promise is never marked again


def test_a_rescheduled_overdue_follow_up_stays_counted_as_missed_in_that_year(
    api: Api, clock: FakeClock
) -> None:
    promise = api.promise(MALMO, state="issued")
    march = promise["follow_ups"][0]
    assert march["due_on"] == "2025-03-31"
    clock.set(date(2025, 4, 2))
    assert check_deadlines(api) == 1
    assert follow_ups_in_report(api, 2025)["overdue"] == 1

    moved = api.ok(
        f"/api/v1/promises/{promise['id']}/follow-ups/{march['id']}/rescheduling",
        {"due_on": "2025-05-15", "reason": "Samverkansgruppen möts först i maj."},
        "police",
    )
    moved_march = moved["follow_ups"][0]
    assert moved_march["status"] == "scheduled"
    assert moved_march["missed"] is True and moved_march["missed_due_on"] == ["2025-03-31"]
    assert moved_march["reschedulings"][0]["rescheduled_on"] == "2025-04-02"
    counts = follow_ups_in_report(api, 2025)
    assert counts["overdue"] == 0 and counts["missed"] == 1

    clock.set(date(2025, 5, 14))
    hold(api, promise, march["id"], "2025-05-14")
    counts = follow_ups_in_report(api, 2025)
    assert counts["on_time"] == 1 and counts["missed"] == 1
    [row] = [
        d
        for d in api.get(f"/api/v1/deadlines?municipality={MALMO}", "admin").json()["items"]
        if d["follow_up_id"] == march["id"]
    ]
    assert row["missed"] is True and row["missed_due_on"] == ["2025-03-31"]


def test_a_backfilled_promise_held_on_time_has_no_miss_though_the_watcher_ran_first(
    api: Api, clock: FakeClock
) -> None:
    clock.set(date(2026, 12, 2))
    issue = api.issue(MALMO)
    promise = api.ok(
        "/api/v1/promises",
        promise_body(
            [MALMO],
            [issue["id"]],
            starts_on="2023-01-01",
            ends_on="2023-11-30",
            title="Medborgarlöfte Lindängen 2023",
            activities=[activity_body(due_on="2023-06-30")],
        ),
        "police",
    )
    path = f"/api/v1/promises/{promise['id']}"
    for caller, body in (
        ("police", signature_body("police")),
        ("municipality", signature_body("municipality", MALMO)),
    ):
        api.ok(f"{path}/signatures", {**body, "signed_on": "2023-02-06"}, caller)
    promise = api.ok(f"{path}/issuance", {"issued_on": "2023-02-10"}, "police")
    assert [f["due_on"] for f in promise["follow_ups"]] == [
        "2023-03-31",
        "2023-06-30",
        "2023-09-30",
        "2023-12-31",
    ]
    assert check_deadlines(api) == 4  # every date has passed before anything is entered

    for follow_up in promise["follow_ups"]:
        promise = hold(api, promise, follow_up["id"], follow_up["due_on"])
    promise = api.ok(
        f"{path}/conclusion",
        {"outcome": "fulfilled", "summary": "Tunneln är upplyst.", "concluded_on": "2023-12-31"},
        "police",
    )
    assert [(f["status"], f["late"], f["missed"]) for f in promise["follow_ups"]] == [
        ("done", False, False)
    ] * 4
    assert follow_ups_in_report(api, 2023) == {
        "on_time": 4,
        "late": 0,
        "overdue": 0,
        "scheduled": 0,
        "missed": 0,
    }
    page = api.get(f"/lofte/{promise['id']}")
    assert page.status_code == 200
