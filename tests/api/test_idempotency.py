"""Idempotency-Key: the first answer again with nothing new recorded, across restarts too."""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from fastapi.testclient import TestClient

from api.app import create_app
from api.idempotency_middleware import fingerprint
from api.schemas.dialogues import HoldDialogue
from domain.values import Actor, Role
from infra.bootstrap import open_api_stores
from infra.idempotency import Outcome, StoredResponse
from infra.tokens import BOOTSTRAP_ADMIN_LABEL as ADMIN_LABEL
from tests.support.api import (
    ADMIN_SECRET,
    BOTH_STORES,
    Api,
    api_settings,
    dialogue_body,
    observation_body,
    start_api,
)
from workflow.clock import FakeClock
from workflow.keys import Answering, RequestKey, answering

pytestmark = BOTH_STORES

KEY = {"Idempotency-Key": "7f9c2ba4-e88f-11e4-9c5d-0800200c9a66"}
REPLAYED = ("content-type", "location", "etag")


def same_answer(first: httpx.Response, again: httpx.Response) -> None:
    assert again.status_code == first.status_code
    assert again.content == first.content
    for header in REPLAYED:
        assert again.headers.get(header) == first.headers.get(header)
    assert again.headers["Idempotent-Replayed"] == "true"


def test_a_repeated_key_replays_the_first_answer_and_records_nothing(api: Api) -> None:
    first = api.post("/api/v1/dialogues", dialogue_body(), "police", **KEY)
    assert first.status_code == 201
    before = api.event_count()
    again = api.post("/api/v1/dialogues", dialogue_body(), "police", **KEY)
    same_answer(first, again)
    assert api.event_count() == before


def test_the_same_json_in_another_layout_is_the_same_body(api: Api) -> None:
    first = api.post("/api/v1/dialogues", dialogue_body(), **KEY)
    reordered = dict(reversed(list(dialogue_body().items())))
    again = api.client.post(
        "/api/v1/dialogues",
        content=httpx.Request("POST", "/", json=reordered).content.replace(b",", b" ,  "),
        headers=api.headers("admin", **KEY, **{"Content-Type": "application/json"}),
    )
    same_answer(first, again)


def test_the_same_key_with_another_body_is_422(api: Api) -> None:
    assert api.post("/api/v1/dialogues", dialogue_body(), **KEY).status_code == 201
    before = api.event_count()
    other = api.post("/api/v1/dialogues", dialogue_body(title="Ett annat möte"), **KEY)
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    assert api.event_count() == before


def test_the_same_key_on_another_path_is_422(api: Api) -> None:
    dialogue = api.dialogue(observations=0)
    assert api.post("/api/v1/dialogues", dialogue_body(), **KEY).status_code == 201
    path = f"/api/v1/dialogues/{dialogue['id']}/observations"
    assert api.post(path, {"observations": [observation_body()]}, **KEY).status_code == 422


def test_keys_belong_to_the_token_that_sent_them(api: Api) -> None:
    first = api.post("/api/v1/dialogues", dialogue_body(), "police", **KEY)
    second = api.post("/api/v1/dialogues", dialogue_body(), "municipality", **KEY)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert "Idempotent-Replayed" not in second.headers


def test_a_409_leaves_the_key_free_for_the_corrected_request(api: Api) -> None:
    future = dialogue_body(held_on="2025-03-01")
    refused = api.post("/api/v1/dialogues", future, **KEY)
    assert refused.status_code == 409
    assert "Idempotent-Replayed" not in api.post("/api/v1/dialogues", future, **KEY).headers
    before = api.event_count()
    fixed = api.post("/api/v1/dialogues", dialogue_body(), **KEY)
    assert fixed.status_code == 201
    assert "Idempotent-Replayed" not in fixed.headers
    assert api.event_count() == before + 1
    same_answer(fixed, api.post("/api/v1/dialogues", dialogue_body(), **KEY))


def test_a_422_leaves_the_key_free_for_the_corrected_request(api: Api) -> None:
    invalid = api.post("/api/v1/dialogues", dialogue_body(title="x" * 201), **KEY)
    assert invalid.status_code == 422
    fixed = api.post("/api/v1/dialogues", dialogue_body(), **KEY)
    assert fixed.status_code == 201
    same_answer(fixed, api.post("/api/v1/dialogues", dialogue_body(), **KEY))


def test_a_412_leaves_the_key_free_for_the_request_read_again(api: Api) -> None:
    """The 412's own advice, "read it again and retry", with the same key and body."""
    dialogue = api.dialogue(observations=0)
    path = f"/api/v1/dialogues/{dialogue['id']}/observations"
    body = {"observations": [observation_body()]}
    assert api.post(path, body).status_code == 201  # someone else moved it on
    stale = api.post(path, body, **KEY, **{"If-Match": f'"{dialogue["version"]}"'})
    assert stale.status_code == 412
    current = api.get(f"/api/v1/dialogues/{dialogue['id']}", "admin").headers["ETag"]
    retried = api.post(path, body, **KEY, **{"If-Match": current})
    assert retried.status_code == 201
    assert len(retried.json()["observations"]) == 2
    same_answer(retried, api.post(path, body, **KEY, **{"If-Match": current}))


def test_a_claim_of_a_dead_process_is_taken_over_at_once(api: Api) -> None:
    store = api.app.state.idempotency
    namespace = hashlib.sha256(f"Bearer {ADMIN_SECRET}".encode()).hexdigest()
    body = dialogue_body()
    request_print = fingerprint("POST", "/api/v1/dialogues", "", "", json.dumps(body).encode())
    now = api.app.state.clock.now()
    assert store.claim(namespace, KEY["Idempotency-Key"], request_print, now).outcome is (
        Outcome.CLAIMED
    )
    store.abandon(namespace, KEY["Idempotency-Key"])  # its owner is gone, nothing recorded
    before = api.event_count()
    answer = api.post("/api/v1/dialogues", body, **KEY)
    assert answer.status_code == 201
    assert "Idempotent-Replayed" not in answer.headers
    assert api.event_count() == before + 1


def _recorded_by_a_dead_process(api: Api, body: dict[str, Any], *, claimed: bool) -> UUID:
    """What a process killed between its commit and its answer leaves: the events with the
    key, and (if `claimed`) a claim whose owner no longer runs, with no answer."""
    namespace = hashlib.sha256(f"Bearer {ADMIN_SECRET}".encode()).hexdigest()
    request_print = fingerprint("POST", "/api/v1/dialogues", "", "", json.dumps(body).encode())
    if claimed:
        store = api.app.state.idempotency
        now = api.app.state.clock.now()
        store.claim(namespace, KEY["Idempotency-Key"], request_print, now)
        store.abandon(namespace, KEY["Idempotency-Key"])
    context = Answering(RequestKey(namespace, KEY["Idempotency-Key"], request_print))
    token = answering.set(context)
    try:
        dialogue = api.loftesboken.hold_dialogue(
            **HoldDialogue.model_validate(body).model_dump(),
            actor=Actor(label=ADMIN_LABEL, role=Role.ADMIN),
        )
    finally:
        answering.reset(token)
    assert context.recorded is not None
    return dialogue.id


def test_a_retry_of_a_command_recorded_by_a_dead_process_replays_it(api: Api) -> None:
    body = dialogue_body()
    dialogue_id = _recorded_by_a_dead_process(api, body, claimed=True)
    before = api.event_count()
    answer = api.post("/api/v1/dialogues", body, **KEY)
    assert answer.status_code == 201
    assert answer.headers["Idempotent-Replayed"] == "true"
    assert answer.json()["id"] == str(dialogue_id)
    assert answer.headers["Location"] == f"/api/v1/dialogues/{dialogue_id}"
    assert answer.headers["ETag"] == '"1"'
    assert answer.json() == api.get(f"/api/v1/dialogues/{dialogue_id}", "admin").json()
    assert api.event_count() == before
    same_answer(answer, api.post("/api/v1/dialogues", body, **KEY))
    assert api.post("/api/v1/dialogues", dialogue_body(title="Annat"), **KEY).status_code == 422


def test_a_command_whose_key_the_events_already_spent_is_not_recorded_again(api: Api) -> None:
    """Even with its claim lost, the event store refuses a second command under the key."""
    body = dialogue_body()
    dialogue_id = _recorded_by_a_dead_process(api, body, claimed=False)
    before = api.event_count()
    answer = api.post("/api/v1/dialogues", body, **KEY)
    assert answer.status_code == 201
    assert answer.json()["id"] == str(dialogue_id)
    assert answer.headers["Idempotent-Replayed"] == "true"
    assert api.event_count() == before


def test_keys_and_answers_survive_a_restart(store: str, clock: FakeClock) -> None:
    settings = api_settings(store)
    runs = start_api(settings, clock)
    api = next(runs)
    first = api.post("/api/v1/dialogues", dialogue_body(), **KEY)
    assert first.status_code == 201
    runs.close()  # shuts the app down: its lifespan closes the application

    with TestClient(create_app(settings, clock)) as client:
        headers = {"Authorization": f"Bearer {ADMIN_SECRET}", **KEY}
        application = client.app.state.loftesboken  # type: ignore[attr-defined]
        before = application.recorder.max_notification_id()
        again = client.post("/api/v1/dialogues", json=dialogue_body(), headers=headers)
        same_answer(first, again)
        other = client.post("/api/v1/dialogues", json=dialogue_body(title="Annat"), headers=headers)
        assert other.status_code == 422
        assert application.recorder.max_notification_id() == before


def test_keys_are_kept_a_day(api: Api, clock: FakeClock) -> None:
    first = api.post("/api/v1/dialogues", dialogue_body(), **KEY)
    clock.advance(timedelta(hours=23, minutes=59))
    assert api.post("/api/v1/dialogues", dialogue_body(), **KEY).content == first.content
    clock.advance(timedelta(hours=1))
    later = api.post("/api/v1/dialogues", dialogue_body(), **KEY)
    assert later.status_code == 201 and later.json()["id"] != first.json()["id"]


def test_a_key_still_being_answered_is_409_and_not_run_again(api: Api) -> None:
    store = api.app.state.idempotency
    namespace = hashlib.sha256(f"Bearer {ADMIN_SECRET}".encode()).hexdigest()
    body = dialogue_body()
    request_print = fingerprint("POST", "/api/v1/dialogues", "", "", json.dumps(body).encode())
    # The first request with this key has claimed it and is still running.
    claim = store.claim(namespace, KEY["Idempotency-Key"], request_print, api.app.state.clock.now())
    assert claim.outcome is Outcome.CLAIMED
    before = api.event_count()
    response = api.post("/api/v1/dialogues", body, **KEY)
    assert response.status_code == 409
    assert response.headers["Retry-After"] == "1"
    assert response.headers["content-type"] == "application/problem+json"
    assert api.event_count() == before


def test_concurrent_repeats_record_once(api: Api) -> None:
    before = api.event_count()
    answers: list[httpx.Response] = []

    def send() -> None:
        answers.append(api.post("/api/v1/dialogues", dialogue_body(), **KEY))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert api.event_count() == before + 1
    assert {a.status_code for a in answers} <= {201, 409}
    assert len({a.json()["id"] for a in answers if a.status_code == 201}) == 1


def test_a_claim_is_exclusive_and_released_on_failure(store: str) -> None:
    stores = open_api_stores(api_settings(store))
    keys = stores.idempotency
    try:
        now = datetime(2025, 2, 10, tzinfo=UTC)
        assert keys.claim("s", "k", "f", now).outcome is Outcome.CLAIMED
        assert keys.claim("s", "k", "f", now).outcome is Outcome.IN_PROGRESS
        # A live owner is never timed out, however long it takes.
        assert keys.claim("s", "k", "f", now + timedelta(hours=1)).outcome is Outcome.IN_PROGRESS
        assert keys.claim("s", "k", "g", now).outcome is Outcome.MISMATCH
        keys.release("s", "k")
        assert keys.claim("s", "k", "g", now).outcome is Outcome.CLAIMED
        keys.abandon("s", "k")
        assert keys.claim("s", "k", "g", now).outcome is Outcome.TAKEN_OVER
        assert keys.claim("s", "k", "g", now).outcome is Outcome.IN_PROGRESS
        keys.complete("s", "k", StoredResponse(201, [("etag", '"1"')], b"{}"))
        replay = keys.claim("s", "k", "g", now)
        assert replay.outcome is Outcome.REPLAY
        assert replay.response == StoredResponse(201, [("etag", '"1"')], b"{}")
        assert keys.claim("s", "k", "f", now + timedelta(hours=25)).outcome is Outcome.CLAIMED
    finally:
        stores.close()


def test_a_claim_dies_with_the_stores_of_its_process(store: str) -> None:
    """Closing the stores is what a dying process does to its owner lock (SIGKILL too:
    the kernel or the server drops it); a claim of a closed owner is taken over."""
    first = open_api_stores(api_settings(store))
    second = open_api_stores(api_settings(store))
    try:
        now = datetime(2025, 2, 10, tzinfo=UTC)
        assert first.idempotency.claim("s", "k", "f", now).outcome is Outcome.CLAIMED
        assert second.idempotency.claim("s", "k", "f", now).outcome is Outcome.IN_PROGRESS
        first.close()
        assert second.idempotency.claim("s", "k", "f", now).outcome is Outcome.TAKEN_OVER
    finally:
        second.close()


def test_one_of_many_simultaneous_claims_wins(store: str) -> None:
    stores = [open_api_stores(api_settings(store)) for _ in range(2)]
    now = datetime(2025, 2, 10, tzinfo=UTC)
    outcomes: list[Outcome] = []
    start = threading.Barrier(8)

    def claim(n: int) -> None:
        start.wait()
        outcomes.append(stores[n % 2].idempotency.claim("s", "k", "f", now).outcome)

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for opened in stores:
        opened.close()
    assert sorted(o.value for o in outcomes) == ["claimed"] + ["in_progress"] * 7


def test_a_malformed_key_is_400(api: Api) -> None:
    for key in ("", "x" * 256, "med mellanslag", "å"):
        response = api.client.post(
            "/api/v1/dialogues",
            json=dialogue_body(),
            headers={**api.headers(), "Idempotency-Key": key.encode("utf-8")},  # type: ignore[dict-item]
        )
        assert response.status_code == 400, key
        assert response.headers["content-type"] == "application/problem+json"


def test_a_server_error_is_not_kept(store: str, clock: FakeClock) -> None:
    app = create_app(api_settings(store), clock)
    calls: list[int] = []

    def explode() -> None:
        calls.append(1)
        raise RuntimeError("boom")

    app.add_api_route("/test/explode", explode, methods=["POST"])
    with TestClient(app, raise_server_exceptions=False) as client:
        for _ in range(2):
            assert client.post("/test/explode", json={}, headers=KEY).status_code == 500
    assert len(calls) == 2
