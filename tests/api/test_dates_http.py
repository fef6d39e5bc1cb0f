"""Dates that must agree, over HTTP: each broken rule is a 409 problem whose detail names
both values, and nothing is recorded."""

from __future__ import annotations

from tests.support.api import (
    MALMO,
    Api,
    activity_body,
    dialogue_body,
    issue_body,
    observation_body,
    promise_body,
)


def conflict(api: Api, path: str, body: dict[str, object], detail: str) -> None:
    before = api.event_count()
    response = api.post(path, body, "police")
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == detail
    assert api.event_count() == before


def test_a_dialogue_held_in_1901_is_a_409(api: Api) -> None:
    conflict(
        api,
        "/api/v1/dialogues",
        dialogue_body(held_on="1901-02-04"),
        "The dialogue was held on 1901-02-04, before 2000-01-01, the earliest date the record "
        "accepts.",
    )


def test_an_observation_raised_by_5000_on_a_walk_with_23_participants_is_a_409(api: Api) -> None:
    walk = api.dialogue(observations=0)
    conflict(
        api,
        f"/api/v1/dialogues/{walk['id']}/observations",
        {"observations": [observation_body(count=5000)]},
        "The observation's count 5000 is more than the dialogue's 23 participants.",
    )


def test_an_issue_identified_before_the_dialogue_it_cites_is_a_409(api: Api) -> None:
    walk = api.dialogue(observations=0)
    conflict(
        api,
        "/api/v1/issues",
        issue_body(identified_on="2024-01-01", evidence=[{"dialogue_id": walk["id"]}]),
        "The issue was identified on 2024-01-01, before the dialogue 'Trygghetsvandring i "
        "Lindängen' it cites was held on 2025-02-04.",
    )


def test_an_activity_due_after_the_promise_ends_is_a_409(api: Api) -> None:
    issue = api.issue(MALMO)
    conflict(
        api,
        "/api/v1/promises",
        promise_body(
            [MALMO],
            [issue["id"]],
            ends_on="2025-12-31",
            activities=[activity_body(due_on="2026-06-30")],
        ),
        "The activity is due on 2026-06-30, after the promise ends on 2025-12-31.",
    )


def test_a_follow_up_held_before_issuance_is_a_409(api: Api) -> None:
    promise = api.promise(MALMO, state="issued")
    first = promise["follow_ups"][0]["id"]
    conflict(
        api,
        f"/api/v1/promises/{promise['id']}/follow-ups/{first}",
        {"held_on": "2025-02-09", "summary": "Beställd.", "activities": []},
        "The follow-up was held on 2025-02-09, before the promise was issued on 2025-02-10.",
    )
