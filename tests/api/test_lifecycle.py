"""One promise's whole life through HTTP: dialogue to conclusion, and every answer's shape."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.values import Actor, Role
from tests.support.api import (
    BOTH_STORES,
    MALMO,
    Api,
    activity_body,
    dialogue_body,
    issue_body,
    observation_body,
    promise_body,
    signature_body,
)
from workflow.clock import FakeClock

pytestmark = BOTH_STORES


def test_a_promise_from_dialogue_to_conclusion(api: Api, clock: FakeClock) -> None:
    response = api.post("/api/v1/dialogues", dialogue_body(), "police")
    assert response.status_code == 201
    dialogue = response.json()
    assert response.headers["Location"] == f"/api/v1/dialogues/{dialogue['id']}"
    assert response.headers["ETag"] == '"1"'
    assert dialogue["status"] == "held"
    assert dialogue["version"] == 1 and dialogue["observations"] == []

    response = api.post(
        f"/api/v1/dialogues/{dialogue['id']}/observations",
        {"observations": [observation_body(), observation_body(theme="drugs", count=1)]},
        "municipality",
    )
    assert response.status_code == 201
    dialogue = response.json()
    assert [o["theme"] for o in dialogue["observations"]] == ["public_environment", "drugs"]
    assert response.headers["ETag"] == f'"{dialogue["version"]}"' == '"3"'
    observation = dialogue["observations"][0]

    response = api.post(
        "/api/v1/issues",
        issue_body(evidence=[{"dialogue_id": dialogue["id"], "observation_id": observation["id"]}]),
        "police",
    )
    assert response.status_code == 201
    issue = response.json()
    assert issue["status"] == "identified"
    assert issue["evidence"] == [
        {"dialogue_id": dialogue["id"], "observation_id": observation["id"], "retracted": False}
    ]
    assert response.headers["Location"] == f"/api/v1/issues/{issue['id']}"

    response = api.post(
        f"/api/v1/issues/{issue['id']}/evidence",
        {"source_type": "statistics", "reference": "Anmälda brott 2024"},
        "police",
    )
    assert response.status_code == 201
    assert len(response.json()["evidence"]) == 2

    response = api.post(
        f"/api/v1/issues/{issue['id']}/prioritisation",
        {"priority": 1, "rationale": "Nämns i alla dialoger."},
        "municipality",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "prioritised" and response.json()["priority"] == 1

    response = api.post("/api/v1/promises", promise_body([MALMO], [issue["id"]]), "police")
    assert response.status_code == 201
    promise = response.json()
    assert promise["status"] == "draft" and promise["follow_up_cadence"] == "quarterly"
    assert response.headers["Location"] == f"/api/v1/promises/{promise['id']}"
    path = f"/api/v1/promises/{promise['id']}"

    response = api.post(f"{path}/activities", activity_body(responsible="municipality"), "police")
    assert response.status_code == 201
    assert [a["responsible"] for a in response.json()["activities"]] == ["police", "municipality"]

    response = api.post(f"{path}/issuance", {"issued_on": "2025-02-10"}, "police")
    assert response.status_code == 409
    assert "police signature" in response.json()["detail"]

    assert api.post(f"{path}/signatures", signature_body("police"), "police").status_code == 201
    response = api.post(f"{path}/signatures", signature_body("municipality", MALMO), "municipality")
    assert response.status_code == 201
    assert [s["party"] for s in response.json()["signatures"]] == ["police", "municipality"]

    response = api.post(f"{path}/issuance", {"issued_on": "2025-02-10"}, "municipality")
    assert response.status_code == 200
    promise = response.json()
    assert promise["status"] == "issued" and promise["issued_on"] == "2025-02-10"
    due = [f["due_on"] for f in promise["follow_ups"]]
    assert due == ["2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31", "2026-01-31"]
    assert [f["final"] for f in promise["follow_ups"]] == [False] * 4 + [True]
    assert {f["status"] for f in promise["follow_ups"]} == {"scheduled"}
    first, second, *_, final = promise["follow_ups"]

    clock.set(date(2025, 4, 3))
    activity_ids = [a["id"] for a in promise["activities"]]
    response = api.post(
        f"{path}/follow-ups/{first['id']}",
        {
            "held_on": "2025-04-02",
            "summary": "Första uppföljningen.",
            "activities": [
                {"activity_id": activity_ids[0], "status": "in_progress", "comment": "En av två."},
                {"activity_id": activity_ids[1], "status": "delayed"},
            ],
        },
        "police",
    )
    assert response.status_code == 200
    promise = response.json()
    recorded = promise["follow_ups"][0]
    assert recorded["status"] == "done" and recorded["late"] is True
    assert recorded["held_on"] == "2025-04-02"
    assert [a["status"] for a in promise["activities"]] == ["in_progress", "delayed"]

    response = api.post(
        f"{path}/follow-ups/{first['id']}",
        {"held_on": "2025-04-02", "summary": "Igen.", "activities": []},
        "police",
    )
    assert response.status_code == 409

    response = api.post(
        f"{path}/follow-ups/{second['id']}/rescheduling",
        {"due_on": "2025-07-15", "reason": "Semester."},
        "municipality",
    )
    assert response.status_code == 200
    moved = next(f for f in response.json()["follow_ups"] if f["id"] == second["id"])
    assert moved["due_on"] == "2025-07-15"
    assert moved["reschedulings"] == [
        {
            "previous_due_on": "2025-06-30",
            "due_on": "2025-07-15",
            "reason": "Semester.",
            "rescheduled_on": "2025-04-03",
        }
    ]
    assert moved["missed"] is False and moved["missed_due_on"] == []

    response = api.post(
        f"{path}/feedback",
        {"published_on": "2025-04-03", "channel": "malmo.se", "summary": "Det här har vi gjort."},
        "municipality",
    )
    assert response.status_code == 201
    assert response.json()["feedback"][0]["channel"] == "malmo.se"

    conclusion = {"outcome": "fulfilled", "summary": "Klart.", "concluded_on": "2026-02-03"}
    clock.set(date(2026, 2, 3))
    assert api.post(f"{path}/conclusion", conclusion, "police").status_code == 409
    response = api.post(
        f"{path}/follow-ups/{final['id']}",
        {"held_on": "2026-02-02", "summary": "Slutuppföljning.", "activities": []},
        "police",
    )
    assert response.status_code == 200
    response = api.post(f"{path}/conclusion", conclusion, "police")
    assert response.status_code == 200
    promise = response.json()
    assert promise["status"] == "concluded" and promise["outcome"] == "fulfilled"
    assert response.headers["ETag"] == f'"{promise["version"]}"'

    public = api.get(path)
    assert public.status_code == 200
    assert public.json() == promise
    assert public.headers["ETag"] == response.headers["ETag"]

    events = api.loftesboken.aggregate_events(UUID(promise["id"]))
    assert {e.actor for e in events} == {
        Actor("police label", Role.POLICE),
        Actor("municipality label", Role.MUNICIPALITY),
    }


def test_a_promise_is_withdrawn_with_its_reason(api: Api) -> None:
    promise = api.promise(state="issued")
    response = api.post(
        f"/api/v1/promises/{promise['id']}/withdrawal", {"reason": "Ersätts."}, "police"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert response.json()["withdrawal_reason"] == "Ersätts."
    again = api.post(f"/api/v1/promises/{promise['id']}/withdrawal", {"reason": "Igen."})
    assert again.status_code == 409


def test_an_issue_is_rejected_and_cannot_be_addressed(api: Api) -> None:
    issue = api.issue(prioritised=False)
    response = api.post(
        f"/api/v1/issues/{issue['id']}/rejection", {"reason": "Hanteras av skolan."}, "police"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["rejection_reason"] == "Hanteras av skolan."
    response = api.post("/api/v1/promises", promise_body([MALMO], [issue["id"]]))
    assert response.status_code == 409
    assert "rejected" in response.json()["detail"]


def test_a_draft_only_takes_activities_and_signatures_while_it_is_a_draft(api: Api) -> None:
    promise = api.promise(state="issued")
    path = f"/api/v1/promises/{promise['id']}"
    assert api.post(f"{path}/activities", activity_body()).status_code == 409
    assert api.post(f"{path}/signatures", signature_body("partner")).status_code == 409
    draft = api.promise()
    assert (
        api.post(
            f"/api/v1/promises/{draft['id']}/feedback",
            {"published_on": "2025-02-10", "channel": "webb", "summary": "x"},
        ).status_code
        == 409
    )
