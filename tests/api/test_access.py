"""Who may do what: the role x municipality x write-endpoint matrix, signatures and reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import pytest

from tests.support.api import (
    CALLERS,
    LUND,
    MALMO,
    STOCKHOLM,
    Api,
    activity_body,
    dialogue_body,
    follow_up_body,
    issue_body,
    observation_body,
    promise_body,
    signature_body,
)

Target = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Write:
    """A write endpoint with a fresh target in Malmö (built as admin) and its success status."""

    name: str
    target: Callable[[Api], Target]
    success: int
    hidden_from_others: bool = False  # a draft: other municipalities get 404, not 403


def _promise_path(api: Api, state: str) -> str:
    return f"/api/v1/promises/{api.promise(state=state)['id']}"


def _follow_up(api: Api, suffix: str, body: Callable[[dict[str, Any]], dict[str, Any]]) -> Target:
    promise = api.promise(state="issued")
    follow_up = promise["follow_ups"][0]["id"]
    return f"/api/v1/promises/{promise['id']}/follow-ups/{follow_up}{suffix}", body(promise)


WRITES = [
    Write("hold dialogue", lambda api: ("/api/v1/dialogues", dialogue_body()), 201),
    Write(
        "record observations",
        lambda api: (
            f"/api/v1/dialogues/{api.dialogue(observations=0)['id']}/observations",
            {"observations": [observation_body()]},
        ),
        201,
    ),
    Write("identify issue", lambda api: ("/api/v1/issues", issue_body()), 201),
    Write(
        "add evidence",
        lambda api: (
            f"/api/v1/issues/{api.issue()['id']}/evidence",
            {"source_type": "report", "reference": "Lägesbild 2025"},
        ),
        201,
    ),
    Write(
        "prioritise issue",
        lambda api: (
            f"/api/v1/issues/{api.issue(prioritised=False)['id']}/prioritisation",
            {"priority": 2, "rationale": "Viktigt."},
        ),
        200,
    ),
    Write(
        "reject issue",
        lambda api: (f"/api/v1/issues/{api.issue()['id']}/rejection", {"reason": "Nej."}),
        200,
    ),
    Write(
        "draft promise",
        lambda api: ("/api/v1/promises", promise_body([MALMO], [api.issue()["id"]])),
        201,
    ),
    Write(
        "plan activity",
        lambda api: (f"{_promise_path(api, 'draft')}/activities", activity_body()),
        201,
        hidden_from_others=True,
    ),
    Write(
        "sign for a partner",
        lambda api: (f"{_promise_path(api, 'draft')}/signatures", signature_body("partner")),
        201,
        hidden_from_others=True,
    ),
    Write(
        "issue promise",
        lambda api: (f"{_promise_path(api, 'signed')}/issuance", {"issued_on": "2025-02-10"}),
        200,
        hidden_from_others=True,
    ),
    Write("record follow-up", lambda api: _follow_up(api, "", follow_up_body), 200),
    Write(
        "reschedule follow-up",
        lambda api: _follow_up(
            api, "/rescheduling", lambda p: {"due_on": "2025-04-15", "reason": "Påsk."}
        ),
        200,
    ),
    Write(
        "publish feedback",
        lambda api: (
            f"{_promise_path(api, 'issued')}/feedback",
            {"published_on": "2025-02-10", "channel": "webb", "summary": "Så här går det."},
        ),
        201,
    ),
    Write(
        "conclude promise",
        lambda api: (
            f"{_promise_path(api, 'final_done')}/conclusion",
            {"outcome": "fulfilled", "summary": "Klart.", "concluded_on": "2025-02-10"},
        ),
        200,
    ),
    Write(
        "withdraw issued promise",
        lambda api: (f"{_promise_path(api, 'issued')}/withdrawal", {"reason": "Ersätts."}),
        200,
    ),
    Write(
        "withdraw draft promise",
        lambda api: (f"{_promise_path(api, 'draft')}/withdrawal", {"reason": "Ersätts."}),
        200,
        hidden_from_others=True,
    ),
]


def expected(write: Write, caller: str) -> int:
    if caller == "public":
        return 401
    if caller == "auditor":
        return 403
    if caller.endswith("_other"):
        return 404 if write.hidden_from_others else 403
    return write.success


@pytest.mark.parametrize("caller", [*CALLERS, "admin"])
@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.name)
def test_write_matrix(shared_api: Api, write: Write, caller: str) -> None:
    api = shared_api
    path, body = write.target(api)
    before = api.event_count()
    response = api.post(path, body, caller)
    assert response.status_code == expected(write, caller), response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        assert api.event_count() == before
    else:
        assert api.event_count() > before


@pytest.mark.parametrize(
    ("caller", "status"),
    [("public", 401), ("auditor", 403), ("police", 403), ("municipality", 403), ("admin", 201)],
)
def test_only_an_admin_issues_tokens(shared_api: Api, caller: str, status: int) -> None:
    body = {"role": "auditor", "label": "Revisor"}
    assert shared_api.post("/api/v1/tokens", body, caller).status_code == status


def test_a_bad_token_is_401_even_on_a_public_read(shared_api: Api) -> None:
    for header in ("Bearer nonsense", "Basic dXNlcjpwdw==", "Bearer "):
        response = shared_api.client.get(
            f"/api/v1/dialogues/{uuid4()}", headers={"Authorization": header}
        )
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    response = shared_api.client.post(
        "/api/v1/dialogues", json=dialogue_body(), headers={"Authorization": "Bearer nonsense"}
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("caller", "party", "municipality", "status"),
    [
        ("police", "police", None, 201),
        ("municipality", "police", None, 403),
        ("police", "municipality", MALMO, 403),
        ("municipality", "municipality", MALMO, 201),
        ("municipality", "municipality", LUND, 403),
        ("admin", "municipality", LUND, 201),
        ("admin", "police", None, 201),
        ("police", "partner", None, 201),
        ("municipality", "partner", None, 201),
    ],
)
def test_who_signs_for_whom(
    shared_api: Api, caller: str, party: str, municipality: str | None, status: int
) -> None:
    api = shared_api
    promise = api.promise(MALMO, LUND)
    path = f"/api/v1/promises/{promise['id']}/signatures"
    events = api.event_count()
    response = api.post(path, signature_body(party, municipality), caller)
    assert response.status_code == status, response.text
    stored = api.get(f"/api/v1/promises/{promise['id']}", "admin").json()
    if status == 201:
        signed = [(s["party"], s.get("municipality"), s["name"]) for s in stored["signatures"]]
        assert signed == [(party, municipality, "Anna Andersson")]
        assert response.json()["signatures"] == stored["signatures"]
        assert stored["version"] == promise["version"] + 1
        assert api.event_count() == events + 1
    else:  # refused: nothing was recorded
        assert stored["signatures"] == [] and stored["version"] == promise["version"]
        assert api.event_count() == events


def test_a_municipality_signature_needs_its_municipality(shared_api: Api) -> None:
    path = f"/api/v1/promises/{shared_api.promise()['id']}/signatures"
    assert shared_api.post(path, signature_body("municipality")).status_code == 422
    assert shared_api.post(path, signature_body("police", MALMO)).status_code == 422
    assert shared_api.post(path, signature_body("municipality", STOCKHOLM)).status_code == 422
    assert shared_api.post(path, signature_body("police")).status_code == 201
    assert shared_api.post(path, signature_body("police")).status_code == 409


def test_creating_a_promise_needs_every_municipality(shared_api: Api) -> None:
    api = shared_api
    issues = [api.issue(MALMO)["id"], api.issue(LUND)["id"]]
    body = promise_body([MALMO, LUND], issues)
    assert api.post("/api/v1/promises", body, "police").status_code == 403
    assert api.post("/api/v1/promises", body, "admin").status_code == 201


def test_a_joint_promise_is_written_by_any_of_its_municipalities(shared_api: Api) -> None:
    api = shared_api
    promise = api.promise(MALMO, LUND)
    response = api.post(f"/api/v1/promises/{promise['id']}/activities", activity_body(), "police")
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("caller", "sees_note"),
    [
        ("public", False),
        ("police_other", False),
        ("municipality_other", False),
        ("police", True),
        ("municipality", True),
        ("auditor", True),
        ("admin", True),
    ],
)
def test_notes_are_internal(shared_api: Api, caller: str, sees_note: bool) -> None:
    dialogue = shared_api.dialogue()
    response = shared_api.get(f"/api/v1/dialogues/{dialogue['id']}", caller)
    assert response.status_code == 200
    observation = response.json()["observations"][0]
    assert ("note" in observation) is sees_note
    assert "namngiven" not in response.text or sees_note
    assert observation["summary"] == "Mörk gångtunnel vid skolan."


@pytest.mark.parametrize(
    ("caller", "draft_status"),
    [
        ("public", 404),
        ("police_other", 404),
        ("municipality_other", 404),
        ("police", 200),
        ("municipality", 200),
        ("auditor", 200),
        ("admin", 200),
    ],
)
def test_drafts_are_hidden_from_the_public_and_others(
    shared_api: Api, caller: str, draft_status: int
) -> None:
    draft = shared_api.promise()
    issued = shared_api.promise(state="issued")
    assert shared_api.get(f"/api/v1/promises/{draft['id']}", caller).status_code == draft_status
    assert shared_api.get(f"/api/v1/promises/{issued['id']}", caller).status_code == 200


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("public", 401),
        ("police_other", 403),
        ("municipality_other", 403),
        ("police", 200),
        ("municipality", 200),
        ("auditor", 200),
        ("admin", 200),
    ],
)
def test_issues_are_read_by_their_municipality_auditors_and_admins(
    shared_api: Api, caller: str, status: int
) -> None:
    issue = shared_api.issue()
    response = shared_api.get(f"/api/v1/issues/{issue['id']}", caller)
    assert response.status_code == status
    if status == 200:
        assert response.json() == issue
        assert response.headers["ETag"] == f'"{issue["version"]}"'
