"""Group commit across a crash: `loften serve` killed with SIGKILL while a batch is open.

Concurrent keyed POSTs make the server commit their saves in batches
(`infra.group_commit`). The test hook `LOFTEN_TEST_HOLD_BATCH=n` makes the committer
of the n-th batch of several saves stop inside its open transaction, after writing
them, and say so; the test then kills the server, so the kill falls inside a batch
every run, after `n - 1` batches of several saves committed. After a restart:

- every request answered 2xx before the kill is in the store exactly once, and sent
  again with its key it gets the same answer, replayed;
- every request left unanswered, sent again with its key, is answered 2xx at once and
  recorded exactly once; at least the held batch's saves had to run anew (their
  transaction never committed), and a third try gives the answer of the second.

SQLite only: PostgreSQL saves are not grouped. No timing is asserted; the timeouts
only guard a machine kept busy by others.
"""

from __future__ import annotations

import os
import re
import signal
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from infra.bootstrap import open_application
from infra.sqlite_store import HOLD_BATCH
from tests.support.postgres_plugin import store_url
from tests.support.processes import ADMIN, Api
from workflow.clock import FakeClock
from workflow.settings import Settings

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

WRITERS = 16
#: The batch held open: the ones before it, of several saves each, commit.
HELD_BATCH = 4
HOLD_SECONDS = 300.0
AUTH = {"Authorization": f"Bearer {ADMIN}"}
MALMO = "1280"


@dataclass(frozen=True)
class Write:
    key: str
    title: str

    def send(self, client: httpx.Client) -> httpx.Response:
        body = {
            "municipality": MALMO,
            "kind": "citizen_dialogue",
            "held_on": "2025-01-15",
            "title": self.title,
        }
        return client.post(
            "/api/v1/dialogues", json=body, headers={**AUTH, "Idempotency-Key": self.key}
        )


@dataclass
class Tally:
    answered: dict[Write, dict[str, Any]] = field(default_factory=dict)
    unanswered: list[Write] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture(params=["sqlite"])  # PostgreSQL saves are not grouped
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with store_url(request, lambda: tmp_path) as url:
        yield url


def _write(url: str, writer: int, tally: Tally, stop: threading.Event) -> None:
    """Keyed writes one after another until the server is gone (or `stop`)."""
    with httpx.Client(base_url=url, timeout=None) as client:
        n = 0
        while not stop.is_set():
            n += 1
            write = Write(str(uuid4()), f"Medborgardialog, skrivning {writer}-{n}")
            try:
                response = write.send(client)
            except httpx.TransportError:
                with tally.lock:
                    tally.unanswered.append(write)
                return
            assert response.status_code == 201, response.text
            with tally.lock:
                tally.answered[write] = response.json()


def _all_at_once(url: str, writes: list[Write]) -> list[httpx.Response]:
    with httpx.Client(base_url=url, timeout=60) as client, ThreadPoolExecutor(16) as pool:
        return list(pool.map(lambda w: w.send(client), writes))


def test_a_kill_inside_an_open_batch_loses_no_acknowledged_write(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(HOLD_BATCH, str(HELD_BATCH))
    first = Api(database_url, tmp_path / "serve-held.log", background=None)
    monkeypatch.delenv(HOLD_BATCH)
    second: Api | None = None
    tally, stop = Tally(), threading.Event()
    writers = [
        threading.Thread(target=_write, args=(first.url, n, tally, stop)) for n in range(WRITERS)
    ]
    try:
        first.wait_until_up()
        for writer in writers:
            writer.start()
        first.wait_for_output(f"holding batch {HELD_BATCH} of", timeout=HOLD_SECONDS)
        os.kill(first.pid, signal.SIGKILL)
        first.process.wait()
        stop.set()
        for writer in writers:
            writer.join()
        held = re.search(rf"holding batch {HELD_BATCH} of (\d+) saves open", first.output())
        assert held is not None
        held_saves = int(held.group(1))
        assert held_saves >= 2 and len(tally.unanswered) >= held_saves

        second = Api(database_url, tmp_path / "serve-after.log", background=None)
        second.wait_until_up()
        unanswered = tally.unanswered
        retried = _all_at_once(second.url, unanswered)
        assert all(r.status_code == 201 for r in retried), [r.text for r in retried]
        run_anew = [r for r in retried if r.headers.get("Idempotent-Replayed") != "true"]
        assert len(run_anew) >= held_saves  # the held batch never committed

        again = _all_at_once(second.url, unanswered)
        assert [r.json() for r in again] == [r.json() for r in retried]
        assert all(r.headers.get("Idempotent-Replayed") == "true" for r in again)

        answered = list(tally.answered)
        replays = _all_at_once(second.url, answered)
        assert all(r.status_code == 201 for r in replays), [r.text for r in replays]
        assert [r.json() for r in replays] == [tally.answered[w] for w in answered]
        assert all(r.headers.get("Idempotent-Replayed") == "true" for r in replays)
    finally:
        stop.set()
        first.stop()
        if second is not None:
            second.stop()

    held_titles = _recorded_titles(database_url)
    assert all(count == 1 for count in held_titles.values()), held_titles.most_common(3)
    assert {w.title for w in answered} | {w.title for w in unanswered} == set(held_titles)
    print(
        f"\nkill inside batch {HELD_BATCH} ({held_saves} saves open): "
        f"{len(answered)} answered before the kill, {len(unanswered)} unanswered, "
        f"{len(run_anew)} of them run anew after the restart"
    )


def _recorded_titles(database_url: str) -> Counter[str]:
    """How often each title was recorded (read from the store by the library)."""
    app = open_application(Settings(database_url=database_url), FakeClock(date(2025, 2, 10)))
    try:
        notifications = app.recorder.select_notifications(start=1, limit=1_000_000)
        return Counter(
            app.mapper.to_domain_event(n).title  # type: ignore[attr-defined]
            for n in notifications
            if n.topic.endswith("DialogueHeld")
        )
    finally:
        app.close()
