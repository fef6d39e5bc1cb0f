"""Eight writers adding to one promise through two API processes, the machine kept busy.

API.md: commands that only add something never fail because of concurrent writers.
Writers to one aggregate take turns (a lock per aggregate in a process, an advisory
lock on the aggregate across processes), so none of them may get a `409`, however
the scheduler interleaves them; the retry of a lost race is only a backstop.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from infra.bootstrap import open_application
from tests.support.builders import issued_promise
from tests.support.pg_cluster import DatabaseFactory, with_database
from tests.support.processes import ADMIN, Api
from workflow.clock import FakeClock
from workflow.settings import Settings

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

WRITERS = 8
EACH = 12
BUSY = 3  # processes that only burn CPU while the writers run
AUTH = {"Authorization": f"Bearer {ADMIN}"}


@pytest.fixture
def postgres_url(postgres_databases: DatabaseFactory) -> Iterator[str]:
    name = postgres_databases.acquire()
    yield with_database(postgres_databases.admin_url, name)
    postgres_databases.release(name)


def _publish(client: httpx.Client, promise_id: UUID, writer: int) -> list[int]:
    statuses = []
    for n in range(EACH):
        response = client.post(
            f"/api/v1/promises/{promise_id}/feedback",
            json={
                "published_on": "2025-02-10",
                "channel": "malmo.se",
                "summary": f"Återkoppling {writer}-{n}",
            },
            headers=AUTH,
        )
        statuses.append(response.status_code)
    return statuses


def test_eight_writers_to_one_promise_through_two_processes_never_get_409(
    postgres_url: str, tmp_path: Path
) -> None:
    app = open_application(Settings(database_url=postgres_url), FakeClock(date(2025, 2, 10)))
    try:
        promise_id = issued_promise(app)
    finally:
        app.close()
    apis = [Api(postgres_url, tmp_path / f"api-{n}.log") for n in range(2)]
    busy: list[subprocess.Popen[bytes]] = []
    try:
        for api in apis:
            api.wait_until_up()
        busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(BUSY)]
        clients = [httpx.Client(base_url=api.url, timeout=60) for api in apis]
        with ThreadPoolExecutor(WRITERS) as pool:
            results = list(
                pool.map(lambda w: _publish(clients[w % 2], promise_id, w), range(WRITERS))
            )
        for client in clients:
            client.close()
    finally:
        for process in busy:
            process.kill()
            process.wait()
        for api in apis:
            api.stop()
    statuses = Counter(status for result in results for status in result)
    assert statuses == Counter({201: WRITERS * EACH})
    app = open_application(Settings(database_url=postgres_url), FakeClock(date(2025, 2, 10)))
    try:
        summaries = Counter(f.summary for f in app.get_promise(promise_id).feedback)
    finally:
        app.close()
    assert len(summaries) == WRITERS * EACH and set(summaries.values()) == {1}
