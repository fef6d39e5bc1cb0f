"""Every error is a problem document with the right status: FastAPI's own, ours, the domain's."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.support.api import (
    ADMIN_SECRET,
    MALMO,
    STOCKHOLM,
    TODAY,
    Api,
    api_settings,
    dialogue_body,
    issue_body,
    observation_body,
    promise_body,
    sqlite_url,
)
from workflow.clock import FakeClock

ADMIN = {"Authorization": f"Bearer {ADMIN_SECRET}"}


def assert_problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert {"type", "title", "detail"} <= problem.keys()
    if status == 422:
        assert problem["errors"] and all({"loc", "msg"} == e.keys() for e in problem["errors"])
    return problem


def test_framework_errors_are_problems(shared_api: Api) -> None:
    client = shared_api.client
    assert_problem(client.get("/api/v1/nowhere"), 404)
    problem = assert_problem(client.delete("/api/v1/dialogues"), 405)
    assert problem["type"] == "about:blank"
    response = client.post(
        "/api/v1/dialogues",
        content=b'{"municipality": ',
        headers={**ADMIN, "Content-Type": "application/json"},
    )
    assert_problem(response, 422)
    deep = b"[" * 100_000 + b"]" * 100_000
    response = client.post(
        "/api/v1/dialogues", content=deep, headers={**ADMIN, "Content-Type": "application/json"}
    )
    assert_problem(response, 422)  # too deep to parse is malformed JSON, like any other


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/dialogues/{id}",
        "/api/v1/issues/{id}",
        "/api/v1/promises/{id}",
    ],
)
def test_unknown_and_malformed_ids_in_the_path_are_404(shared_api: Api, path: str) -> None:
    for aggregate_id in (str(uuid4()), "not-a-uuid"):
        assert_problem(shared_api.get(path.format(id=aggregate_id), "admin"), 404)
    assert_problem(shared_api.get("/api/v1/municipalities/9999"), 404)


def test_writes_to_unknown_ids_are_404(shared_api: Api) -> None:
    api = shared_api
    missing = uuid4()
    body = {"observations": [observation_body()]}
    assert_problem(api.post(f"/api/v1/dialogues/{missing}/observations", body), 404)
    assert_problem(api.post(f"/api/v1/issues/{missing}/rejection", {"reason": "x"}, "police"), 404)
    assert_problem(api.post(f"/api/v1/promises/{missing}/withdrawal", {"reason": "x"}), 404)
    promise = api.promise(state="issued")
    unknown_follow_up = f"/api/v1/promises/{promise['id']}/follow-ups/{missing}"
    body = {"held_on": "2025-02-10", "summary": "x", "activities": []}
    assert_problem(api.post(unknown_follow_up, body), 404)
    assert_problem(
        api.post(f"{unknown_follow_up}/rescheduling", {"due_on": "2025-05-01", "reason": "x"}), 404
    )


def test_unknown_or_unfit_ids_in_a_body_are_422(shared_api: Api) -> None:
    api = shared_api
    stockholm_dialogue = api.dialogue(STOCKHOLM)
    for evidence in (
        {"dialogue_id": str(uuid4())},
        {"dialogue_id": stockholm_dialogue["id"]},
        {"dialogue_id": api.dialogue()["id"], "observation_id": str(uuid4())},
    ):
        assert_problem(api.post("/api/v1/issues", issue_body(evidence=[evidence])), 422)
    issue = api.issue()
    assert_problem(
        api.post(f"/api/v1/issues/{issue['id']}/evidence", {"dialogue_id": str(uuid4())}), 422
    )
    assert_problem(api.post("/api/v1/promises", promise_body([MALMO], [str(uuid4())])), 422)
    stockholm_issue = api.issue(STOCKHOLM)
    assert_problem(
        api.post("/api/v1/promises", promise_body([MALMO], [stockholm_issue["id"]])), 422
    )
    promise = api.promise(state="issued")
    follow_up = promise["follow_ups"][0]["id"]
    body = {
        "held_on": "2025-02-10",
        "summary": "x",
        "activities": [{"activity_id": str(uuid4()), "status": "done"}],
    }
    assert_problem(api.post(f"/api/v1/promises/{promise['id']}/follow-ups/{follow_up}", body), 422)


def test_rules_of_the_process_are_409_with_a_detail(shared_api: Api) -> None:
    api = shared_api
    problem = assert_problem(
        api.post("/api/v1/dialogues", dialogue_body(held_on="2025-02-11")), 409
    )
    assert "2025-02-11" in problem["detail"]
    unprioritised = api.issue(prioritised=False)
    problem = assert_problem(
        api.post("/api/v1/promises", promise_body([MALMO], [unprioritised["id"]])), 409
    )
    assert "not prioritised" in problem["detail"]
    problem = assert_problem(
        api.post(
            "/api/v1/promises",
            promise_body([MALMO], [api.issue()["id"]], ends_on="2028-01-02"),
        ),
        409,
    )
    assert "three years" in problem["detail"] or "3 years" in problem["detail"]
    draft = api.promise()
    problem = assert_problem(
        api.post(f"/api/v1/promises/{draft['id']}/issuance", {"issued_on": "2025-02-10"}), 409
    )
    assert "police signature" in problem["detail"] and MALMO in problem["detail"]


LONG = "x" * 10_001
SHORT = "x" * 201


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"title": "x" * 200}, 201),
        ({"title": SHORT}, 422),
        ({"place": SHORT}, 422),
        ({"organisers": [SHORT]}, 422),
        ({"title": "Rad ett\nRad två\tmed tabb\r"}, 201),
        ({"title": "noll\x00byte"}, 422),
        ({"title": "klocka\x07"}, 422),
        ({"title": "C1 control \x85"}, 422),
        ({"title": "ensamt surrogat \ud800"}, 422),
        ({"title": "   "}, 422),
        ({"title": "Örebro 🚓 ‮ rtl ﻿ bom"}, 201),
        ({"participants": 1_000_000_000}, 201),
        ({"participants": 1_000_000_001}, 422),
        ({"participants": -1}, 422),
        ({"participants": "5"}, 422),
        ({"participants": 5.5}, 422),
        ({"participants": True}, 422),
        ({"municipality": "9999"}, 422),
        ({"municipality": 1280}, 422),
        ({"kind": "party"}, 422),
        ({"held_on": "2025-2-4"}, 422),
        ({"held_on": "2025-02-04T00:00:00"}, 422),
        ({"held_on": 1738627200}, 422),
        ({"held_on": "2025-02-30"}, 422),
        ({"unknown_field": 1}, 422),
    ],
)
def test_input_limits(shared_api: Api, change: dict, status: int) -> None:  # type: ignore[type-arg]
    body = json.dumps(dialogue_body(**change)).encode()
    response = shared_api.client.post(
        "/api/v1/dialogues", content=body, headers={**ADMIN, "Content-Type": "application/json"}
    )
    assert response.status_code == status, response.text
    if status == 422:
        assert_problem(response, 422)


@pytest.mark.parametrize(
    "period",
    [
        {"starts_on": "9999-01-01", "ends_on": "9999-12-31"},
        {"starts_on": "1899-12-31", "ends_on": "1900-06-30"},
        {"starts_on": "2998-01-01", "ends_on": "3000-01-01"},
    ],
)
def test_dates_outside_any_promise_life_are_422(shared_api: Api, period: dict) -> None:  # type: ignore[type-arg]
    body = promise_body([MALMO], [shared_api.issue()["id"]], **period)
    assert_problem(shared_api.post("/api/v1/promises", body), 422)


def test_long_texts_stop_at_ten_thousand_characters(shared_api: Api) -> None:
    dialogue = shared_api.dialogue()
    path = f"/api/v1/dialogues/{dialogue['id']}/observations"
    ok = {"observations": [observation_body(summary="y" * 10_000, note="z" * 10_000)]}
    assert shared_api.post(path, ok).status_code == 201
    for field in ("summary", "note"):
        too_long = {"observations": [observation_body(**{field: LONG})]}
        assert_problem(shared_api.post(path, too_long), 422)
    assert_problem(shared_api.post(path, {"observations": []}), 422)
    assert_problem(shared_api.post(path, {"observations": [observation_body(count=0)]}), 422)
    many = {"observations": [observation_body()] * 1_001}
    assert_problem(shared_api.post(path, many), 422)


def test_a_body_over_one_mebibyte_is_413(shared_api: Api) -> None:
    before = shared_api.event_count()
    big = json.dumps(dialogue_body(title="x" * (1024 * 1024))).encode()
    response = shared_api.client.post(
        "/api/v1/dialogues", content=big, headers={**ADMIN, "Content-Type": "application/json"}
    )
    assert_problem(response, 413)

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(17):
            yield b" " * 65_536

    response = shared_api.client.post(
        "/api/v1/dialogues", content=chunks(), headers={**ADMIN, "Content-Type": "application/json"}
    )
    assert_problem(response, 413)
    assert shared_api.event_count() == before


def test_an_unexpected_error_is_a_500_problem(tmp_path: Path, clock: FakeClock) -> None:
    app = create_app(api_settings(sqlite_url(tmp_path)), clock)

    def explode() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/test/explode", explode)
    with TestClient(app, raise_server_exceptions=False) as client:
        problem = assert_problem(client.get("/test/explode"), 500)
    assert "boom" not in problem["detail"]


def test_dates_in_the_future_are_judged_by_the_clock(api: Api, clock: FakeClock) -> None:
    assert api.post("/api/v1/dialogues", dialogue_body(held_on="2025-02-11")).status_code == 409
    clock.set(TODAY.replace(day=11))
    assert api.post("/api/v1/dialogues", dialogue_body(held_on="2025-02-11")).status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe\x00",  # not UTF-8
        b"[" * 100_000 + b"]" * 100_000,  # nested past the parser's depth
        b'{"participants": 1' + b"0" * 5000 + b"}",  # an integer too long to convert
    ],
    ids=["not-utf8", "too-deep", "huge-number"],
)
def test_a_body_the_json_parser_gives_up_on_is_422_like_any_malformed_json(
    shared_api: Api, body: bytes
) -> None:
    response = shared_api.client.post(
        "/api/v1/dialogues", content=body, headers={**ADMIN, "Content-Type": "application/json"}
    )
    problem = assert_problem(response, 422)
    assert problem["type"] == "urn:loften:problem:validation"
    assert problem["errors"][0]["loc"] == ["body"]


def test_the_openapi_document_describes_errors_as_problem_documents(shared_api: Api) -> None:
    document = shared_api.get("/openapi.json").json()
    assert "HTTPValidationError" not in json.dumps(document)
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for item in document["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert response["content"] == problem
    assert "errors" in document["components"]["schemas"]["Problem"]["properties"]
