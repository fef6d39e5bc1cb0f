"""Two API processes and one worker on one PostgreSQL database, written to concurrently.

The scale-out of ARCHITECTURE.md as real processes: both APIs only write events and
read views (`LOFTEN_RUN_BACKGROUND_WORK=false`), the worker feeds the views. Every
write either API acknowledged must be in the store exactly once and in the views
exactly once, and each API must read the other's writes through the worker's views.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any
from uuid import UUID

import httpx
import pytest

from infra.bootstrap import open_application
from tests.support.builders import issued_promise
from tests.support.pg_cluster import DatabaseFactory, with_database
from tests.support.processes import ADMIN, Api, Worker
from workflow.clock import FakeClock
from workflow.settings import Settings

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

DIALOGUES = 120
FEEDBACK = 40
THREADS = 8
AUTH = {"Authorization": f"Bearer {ADMIN}"}


@pytest.fixture(scope="module")
def postgres_url(postgres_databases: DatabaseFactory) -> Iterator[str]:
    """One database for the module: both tests use the same processes (they start slowly)."""
    name = postgres_databases.acquire()
    yield with_database(postgres_databases.admin_url, name)
    postgres_databases.release(name)


@pytest.fixture(scope="module")
def cluster(
    postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Api, Api, Worker, UUID]]:
    """A shared issued promise in the store, then two APIs and a worker started together."""
    tmp_path = tmp_path_factory.mktemp("scaleout")
    app = open_application(Settings(database_url=postgres_url), FakeClock(date(2025, 2, 10)))
    try:
        promise_id = issued_promise(app)
    finally:
        app.close()
    worker = Worker(postgres_url, tmp_path / "worker.log")
    apis = (Api(postgres_url, tmp_path / "api-a.log"), Api(postgres_url, tmp_path / "api-b.log"))
    try:
        for api in apis:
            api.wait_until_up()
        worker.wait_until_active()
        yield apis[0], apis[1], worker, promise_id
    finally:
        for process in (*apis, worker):
            process.stop()


def _dialogue(
    client: httpx.Client, n: int, kind: str = "citizen_dialogue"
) -> tuple[str, list[str]]:
    created = client.post(
        "/api/v1/dialogues",
        json={
            "municipality": "1280",
            "kind": kind,
            "held_on": "2025-01-15",
            "title": f"Medborgardialog {n}",
        },
        headers=AUTH,
    )
    assert created.status_code == 201, created.text
    dialogue_id: str = created.json()["id"]
    observed = client.post(
        f"/api/v1/dialogues/{dialogue_id}/observations",
        json={
            "observations": [
                {"theme": "drugs", "summary": f"Handel vid torget ({n})"},
                {"theme": "traffic", "summary": f"Fortkörning på Amiralsgatan ({n})"},
            ]
        },
        headers=AUTH,
    )
    assert observed.status_code == 201, observed.text
    return dialogue_id, [o["id"] for o in observed.json()["observations"]]


def _feedback(client: httpx.Client, promise_id: UUID, n: int) -> str:
    summary = f"Återkoppling nummer {n}"
    published = client.post(
        f"/api/v1/promises/{promise_id}/feedback",
        json={"published_on": "2025-02-10", "channel": "malmo.se", "summary": summary},
        headers=AUTH,
    )
    assert published.status_code == 201, published.text
    return summary


def _all_pages(client: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page = client.get(
            path, params={**params, "cursor": cursor} if cursor else params, headers=AUTH
        )
        assert page.status_code == 200, page.text
        assert "x-loften-stale" not in page.headers
        items.extend(page.json()["items"])
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


def test_every_acknowledged_write_is_stored_and_projected_exactly_once(
    cluster: tuple[Api, Api, Worker, UUID], postgres_url: str
) -> None:
    api_a, api_b, _worker, promise_id = cluster
    clients = [httpx.Client(base_url=api.url, timeout=30) for api in (api_a, api_b)]
    try:
        with ThreadPoolExecutor(THREADS) as pool:
            dialogue_futures = [pool.submit(_dialogue, clients[n % 2], n) for n in range(DIALOGUES)]
            feedback_futures = [
                pool.submit(_feedback, clients[n % 2], promise_id, n) for n in range(FEEDBACK)
            ]
            dialogues = dict(f.result() for f in dialogue_futures)
            feedback = [f.result() for f in feedback_futures]

        # The store: each dialogue once, with its two observations once; each feedback once.
        app = open_application(Settings(database_url=postgres_url), FakeClock(date(2025, 2, 10)))
        try:
            notifications = app.recorder.select_notifications(start=1, limit=100_000)
            held = Counter(
                str(n.originator_id) for n in notifications if n.topic.endswith("DialogueHeld")
            )
            for dialogue_id, observation_ids in dialogues.items():
                assert held[dialogue_id] == 1
                stored = app.get_dialogue(UUID(dialogue_id))
                assert sorted(str(o) for o in stored.observations) == sorted(observation_ids)
            assert sum(held.values()) == DIALOGUES + 1  # and the promise's own dialogue
            promise = app.get_promise(promise_id)
            assert Counter(f.summary for f in promise.feedback) == Counter(feedback)
            assert len(set(feedback)) == FEEDBACK
            events = len(notifications)
        finally:
            app.close()

        # The views, read through each API: every dialogue once, every event in the chain once.
        for client in clients:
            rows = _all_pages(client, "/api/v1/dialogues", municipality="1280", limit=100)
            counted = Counter(row["id"] for row in rows)
            assert set(counted) >= set(dialogues)
            assert all(counted[d] == 1 for d in dialogues)
            assert all(row["observations"] == 2 for row in rows if row["id"] in dialogues)
            summary = client.get("/api/v1/municipalities/1280", headers=AUTH).json()["summary"]
            assert summary["dialogues"] == DIALOGUES + 1
            assert summary["observations"] == 2 * DIALOGUES + 1
            chain = _all_pages(client, "/api/v1/municipalities/1280/audit", limit=500)
            assert [entry["position"] for entry in chain] == list(range(1, events + 1))
            published = Counter(
                e["fields"]["summary"].get("value")
                for e in chain
                if e["event_type"] == "FeedbackPublished"
            )
            assert published == Counter(feedback)
            verified = client.get("/api/v1/municipalities/1280/audit/verification", headers=AUTH)
            assert verified.json()["ok"] is True and verified.json()["entries"] == events
    finally:
        for client in clients:
            client.close()


def test_each_api_reads_the_others_writes_through_the_workers_views(
    cluster: tuple[Api, Api, Worker, UUID],
) -> None:
    api_a, api_b, _worker, _promise = cluster
    with (
        httpx.Client(base_url=api_a.url, timeout=30) as a,
        httpx.Client(base_url=api_b.url, timeout=30) as b,
    ):
        for writer, reader, n in ((a, b, 1), (b, a, 2), (a, b, 3), (b, a, 4)):
            dialogue_id, _ = _dialogue(writer, 1000 + n, kind="safety_walk")
            listed = reader.get(
                "/api/v1/dialogues", params={"kind": "safety_walk", "limit": 100}, headers=AUTH
            )
            assert listed.status_code == 200
            assert "x-loften-stale" not in listed.headers
            assert dialogue_id in [row["id"] for row in listed.json()["items"]]
            outcomes = reader.get(f"/api/v1/dialogues/{dialogue_id}/outcomes", headers=AUTH)
            assert outcomes.status_code == 200, outcomes.text
