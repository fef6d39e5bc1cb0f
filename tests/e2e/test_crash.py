"""Exactly once across crashes: `loften serve` killed with SIGKILL under keyed writes.

Each cycle starts the server, lets writer threads send POSTs with an `Idempotency-Key`
each (new dialogues, and observations added to a few shared dialogues, so writers
also meet on one aggregate), kills the server with SIGKILL mid-load, starts it again
and retries every request that got no answer, with its own key and body, all at once.
Every retry must be answered 2xx at once (a claim of the killed process never
blocks), and in the end every acknowledged write must be in the store and in the
views exactly once, nothing recorded twice, and the audit chain must verify.

Bounded: `CYCLES` kills, each after `WRITES_PER_CYCLE` answered writes and a random
moment (at most `MAX_LOAD_SECONDS` of load); loopback only. The figures of a run
are printed (`-s` shows them).
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from infra.bootstrap import open_application
from tests.support.postgres_plugin import STORES, store_url
from tests.support.processes import ADMIN, Api
from workflow.clock import FakeClock
from workflow.settings import Settings

# Bounded in count; the timeout only guards a machine kept very busy by others.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

CYCLES = 6
WRITERS = 6
#: A cycle kills the server once this many writes of it were answered (or after
#: `MAX_LOAD_SECONDS` on a machine too busy for that), plus a random moment.
WRITES_PER_CYCLE = 30
MAX_LOAD_SECONDS = 20.0
START_SECONDS = 240.0
KILL_JITTER_SECONDS = 0.3
SHARED_DIALOGUES = 3
AUTH = {"Authorization": f"Bearer {ADMIN}"}
MALMO = "1280"


@dataclass(frozen=True)
class Write:
    """One keyed POST: what it adds is named by `mark`, unique to it."""

    key: str
    path: str
    body: dict[str, Any]
    mark: str


@dataclass
class Tally:
    acknowledged: dict[str, Write] = field(default_factory=dict)  # by mark
    unanswered: list[Write] = field(default_factory=list)
    retried: int = 0
    retry_statuses: Counter[int] = field(default_factory=Counter)
    replayed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture(params=STORES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with store_url(request, lambda: tmp_path) as url:
        yield url


def _new_write(n: str, shared: list[str], rng: random.Random) -> Write:
    mark = f"skrivning {n}"
    body: dict[str, Any]
    if rng.random() < 0.5:
        body = {
            "municipality": MALMO,
            "kind": "citizen_dialogue",
            "held_on": "2025-01-15",
            "title": f"Medborgardialog, {mark}",
        }
        return Write(str(uuid4()), "/api/v1/dialogues", body, mark)
    dialogue = rng.choice(shared)
    body = {"observations": [{"theme": "drugs", "summary": f"Langning vid torget, {mark}"}]}
    return Write(str(uuid4()), f"/api/v1/dialogues/{dialogue}/observations", body, mark)


def _send(client: httpx.Client, write: Write) -> httpx.Response:
    return client.post(write.path, json=write.body, headers={**AUTH, "Idempotency-Key": write.key})


def _load(url: str, shared: list[str], tally: Tally, stop: threading.Event, seed: int) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=url, timeout=10) as client:
        n = 0
        while not stop.is_set():
            n += 1
            write = _new_write(f"{seed}-{n}", shared, rng)
            try:
                response = _send(client, write)
            except httpx.TransportError:
                with tally.lock:
                    tally.unanswered.append(write)
                return  # the server is gone
            assert response.status_code in (200, 201), response.text
            with tally.lock:
                tally.acknowledged[write.mark] = write


def _retry_all(url: str, tally: Tally) -> None:
    """Every unanswered request again, all at once: each must be 2xx at the first try."""
    pending, tally.unanswered = tally.unanswered, []
    if not pending:
        return
    with (
        httpx.Client(base_url=url, timeout=30) as client,
        ThreadPoolExecutor(len(pending)) as pool,
    ):
        answers = list(pool.map(lambda w: _send(client, w), pending))
    for write, answer in zip(pending, answers, strict=True):
        tally.retried += 1
        tally.retry_statuses[answer.status_code] += 1
        assert answer.status_code in (200, 201), (write, answer.status_code, answer.text)
        if answer.headers.get("Idempotent-Replayed") == "true":
            tally.replayed += 1
        tally.acknowledged[write.mark] = write


def _shared_dialogues(url: str) -> list[str]:
    ids = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for n in range(SHARED_DIALOGUES):
            created = client.post(
                "/api/v1/dialogues",
                json={
                    "municipality": MALMO,
                    "kind": "safety_walk",
                    "held_on": "2025-01-10",
                    "title": f"Gemensam trygghetsvandring {n}",
                },
                headers=AUTH,
            )
            assert created.status_code == 201, created.text
            ids.append(created.json()["id"])
    return ids


def _all_pages(client: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page = client.get(path, params={**params, **({"cursor": cursor} if cursor else {})},
                          headers=AUTH)  # fmt: skip
        assert page.status_code == 200, page.text
        items.extend(page.json()["items"])
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


def test_every_acknowledged_write_is_recorded_exactly_once_across_kills(
    database_url: str, tmp_path: Path
) -> None:
    started = time.monotonic()
    tally = Tally()
    rng = random.Random(14)
    servers = [Api(database_url, tmp_path / "serve-0.log", background=None)]
    try:
        _up(servers[-1])
        shared = _shared_dialogues(servers[-1].url)
        kills = 0
        for cycle in range(1, CYCLES + 1):
            kills += _kill_under_load(servers[-1], shared, tally, rng, cycle)
            servers.append(Api(database_url, tmp_path / f"serve-{cycle}.log", background=None))
            _up(servers[-1])
            _retry_all(servers[-1].url, tally)
        _check(servers[-1].url, database_url, shared, tally)
    finally:
        for server in servers:
            server.stop()
    seconds = time.monotonic() - started
    print(
        f"\ncrash test ({database_url.split(':')[0]}): {kills} SIGKILLs, "
        f"{len(tally.acknowledged)} writes acknowledged, {tally.retried} retried "
        f"({dict(tally.retry_statuses)}; {tally.replayed} replayed from the first attempt, "
        f"{tally.retried - tally.replayed} run now), {seconds:.1f} s"
    )
    assert kills >= 5
    assert tally.retried > 0  # the kills did cut requests off


def _up(server: Api) -> None:
    """Wait for the server; a machine kept busy by others may make that slow."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"loften serve exited early:\n{server.output()}")
        try:
            if httpx.get(f"{server.url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"loften serve did not answer /healthz:\n{server.output()}")


def _kill_under_load(
    server: Api, shared: list[str], tally: Tally, rng: random.Random, cycle: int
) -> int:
    """Writers on `server` until enough writes were answered, then SIGKILL mid-load."""
    stop = threading.Event()
    writers = [
        threading.Thread(target=_load, args=(server.url, shared, tally, stop, cycle * 100 + n))
        for n in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    deadline = time.monotonic() + MAX_LOAD_SECONDS
    goal = len(tally.acknowledged) + WRITES_PER_CYCLE
    while len(tally.acknowledged) < goal and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(rng.uniform(0, KILL_JITTER_SECONDS))
    os.kill(server.pid, signal.SIGKILL)
    server.process.wait()
    stop.set()
    for writer in writers:
        writer.join()
    return 1


def _check(url: str, database_url: str, shared: list[str], tally: Tally) -> None:
    dialogues = {w.mark for w in tally.acknowledged.values() if w.path == "/api/v1/dialogues"}
    observations = set(tally.acknowledged) - dialogues

    # The store: every acknowledged write once, and nothing else recorded twice.
    app = open_application(Settings(database_url=database_url), FakeClock(date(2025, 2, 10)))
    try:
        notifications = app.recorder.select_notifications(start=1, limit=1_000_000)
        held = Counter(
            app.mapper.to_domain_event(n).title.partition(", ")[2]  # type: ignore[attr-defined]
            for n in notifications
            if n.topic.endswith("DialogueHeld")
        )
        observed: Counter[str] = Counter()
        for dialogue_id in shared:
            dialogue = app.get_dialogue(UUID(dialogue_id))
            for observation in dialogue.observations.values():
                observed[observation.summary.partition(", ")[2]] += 1
        events = len(notifications)
    finally:
        app.close()
    held.pop("", None)  # the shared dialogues
    assert all(count == 1 for count in held.values()), held.most_common(3)
    assert all(count == 1 for count in observed.values()), observed.most_common(3)
    assert dialogues <= set(held)
    assert observations <= set(observed)

    # The views: each acknowledged dialogue listed once, the counts agree; the chain holds.
    with httpx.Client(base_url=url, timeout=30) as client:
        rows = _all_pages(client, "/api/v1/dialogues", municipality=MALMO, limit=500)
        listed = Counter(row["title"].partition(", ")[2] for row in rows)
        listed.pop("", None)
        assert listed == held
        counts = {row["id"]: row["observations"] for row in rows if row["id"] in shared}
        assert sum(counts.values()) == sum(observed.values())
        summary = client.get(f"/api/v1/municipalities/{MALMO}", headers=AUTH).json()["summary"]
        assert summary["dialogues"] == len(held) + SHARED_DIALOGUES
        verified = client.get(f"/api/v1/municipalities/{MALMO}/audit/verification", headers=AUTH)
        assert verified.status_code == 200
        assert verified.json()["ok"] is True and verified.json()["entries"] == events
