"""One worker per projection: a second lease waits, and takes over when the first lets go.

In-process on both stores (advisory locks on PostgreSQL, `flock` on SQLite), then with
real `loften worker` processes on PostgreSQL: the second one logs that it waits, the
lock belongs to the first one's connection, and after the first stops the second
feeds the views.
"""

from __future__ import annotations

import os
import socket
import threading
from datetime import date
from pathlib import Path

import pytest

from domain.values import DialogueKind
from infra.bootstrap import open_application, open_read_side
from infra.leases import FileLease, Lease, LeaseLost, PostgresLease, open_lease
from tests.support.builders import POLICE
from tests.support.polling import eventually
from tests.support.processes import NAMES, Worker, lease_holder
from workflow.clock import FakeClock
from workflow.settings import Settings


def test_a_second_lease_waits_for_the_first_and_then_takes_over(settings: Settings) -> None:
    first, second = open_lease(settings, NAMES), open_lease(settings, NAMES)
    never = threading.Event()
    assert first.acquire(never)
    told: list[tuple[str, str]] = []
    waiting = threading.Event()

    def on_wait(name: str, holder: str) -> None:
        told.append((name, holder))
        waiting.set()

    acquired: list[bool] = []
    thread = threading.Thread(target=lambda: acquired.append(second.acquire(never, on_wait)))
    thread.start()
    try:
        assert waiting.wait(30)
        assert not acquired, "the second lease was granted while the first was held"
        assert told[0][0] == "audit"  # leases are taken in one order, so none deadlock
        assert str(os.getpid()) in told[0][1]
        first.release()
        thread.join(30)
        assert acquired == [True]
    finally:
        first.release()
        thread.join(30)
        second.release()


def test_a_waiting_lease_gives_up_when_asked_to_stop(settings: Settings) -> None:
    first, second = open_lease(settings, NAMES), open_lease(settings, NAMES)
    stopping = threading.Event()
    assert first.acquire(threading.Event())
    try:
        stopping.set()
        assert second.acquire(stopping, None) is False
        if isinstance(second, PostgresLease):  # it holds no connection any more
            with pytest.raises(LeaseLost):
                second.check()
    finally:
        first.release()
        second.release()
    third = open_lease(settings, NAMES)
    assert third.acquire(stopping)  # released leases are free again at once
    third.release()


def test_each_store_gets_its_kind_of_lease(settings: Settings) -> None:
    lease: Lease = open_lease(settings, NAMES)
    assert isinstance(lease, PostgresLease if settings.is_postgres else FileLease)
    if isinstance(lease, FileLease):
        assert lease.path("audit").name == "loften.worker.audit.lock"


@pytest.mark.e2e
@pytest.mark.postgres
def test_a_second_worker_waits_and_takes_over_when_the_first_stops(
    postgres_url: str, tmp_path: Path
) -> None:
    settings = Settings(database_url=postgres_url)
    first = Worker(postgres_url, tmp_path / "first.log")
    try:
        first.wait_until_active()
        second = Worker(postgres_url, tmp_path / "second.log")
        try:
            second.wait_until_waiting()
            assert "active" not in second.output()
            assert f"held by loften worker {_host()}:{first.pid}" in second.output()
            for name in NAMES:
                assert lease_holder(postgres_url, name) == f"loften worker {_host()}:{first.pid}"

            _hold_a_dialogue(settings)
            assert first.stop() == 0
            second.wait_until_active()
            for name in NAMES:
                assert lease_holder(postgres_url, name) == f"loften worker {_host()}:{second.pid}"
            head = _hold_a_dialogue(settings)
            _wait_for_views(settings, head)
        finally:
            assert second.stop() == 0
    finally:
        first.stop()


def _host() -> str:
    return socket.gethostname()


def _hold_a_dialogue(settings: Settings) -> int:
    app = open_application(settings, FakeClock(date(2025, 2, 10)))
    try:
        app.hold_dialogue(
            municipality="1280",
            kind=DialogueKind.CITIZEN_DIALOGUE,
            held_on=date(2025, 2, 1),
            title="Medborgardialog",
            actor=POLICE,
        )
        return app.recorder.max_notification_id() or 0
    finally:
        app.close()


def _wait_for_views(settings: Settings, head: int) -> None:
    """The second worker feeds the views: they reach the head (read, never fed, here)."""
    app = open_application(settings, FakeClock(date(2025, 2, 10)))
    read_side = open_read_side(app, settings)
    try:
        eventually(
            lambda: min(read_side.positions().values()) >= head,
            f"the second worker had fed the views to {head} (they hold {read_side.positions()})",
        )
    finally:
        read_side.close()
        app.close()
