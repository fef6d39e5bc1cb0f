"""What happens when a part fails: readiness says so, and the background work carries on.

- `/readyz` answers 503 (never a 500) when the event store or the views do not answer;
- the projections' loop retries a batch that failed and then catches up;
- the deadline watcher outlives a check that failed and marks at the next one;
- `loften serve --workers N`'s supervisor starts a worker again when it dies.
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest

from domain.values import (
    ActivityInput,
    DialogueKind,
    FollowUpStatus,
    Party,
    Responsible,
    SourceEvidence,
    SourceType,
    Theme,
)
from infra.bootstrap import open_read_side
from infra.supervise import WorkerProcess
from tests.support.api import Api, api_settings, start_api
from tests.support.builders import POLICE
from tests.support.polling import eventually
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.deadlines import DeadlineWatcher, DeadlineWatcherService
from workflow.settings import Settings


def hold(app: Loftesboken, title: str = "Medborgardialog") -> None:
    app.hold_dialogue(
        municipality="1280",
        kind=DialogueKind.CITIZEN_DIALOGUE,
        held_on=app.today,
        title=title,
        actor=POLICE,
    )


@pytest.fixture
def api(tmp_path: Path, clock: FakeClock):
    yield from start_api(api_settings(tmp_path), clock)


class StoreDown(sqlite3.OperationalError):
    """What the store's driver raises when it cannot be reached."""


def _fails(*_: object) -> int:
    raise StoreDown("unable to open database file")


def test_readyz_is_503_unavailable_when_the_event_store_does_not_answer(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert api.get("/readyz").status_code == 200
    monkeypatch.setattr(api.app.state.projections.feed, "head", _fails)
    response = api.get("/readyz")
    assert response.status_code == 503, response.text
    assert response.json()["status"] == "unavailable"
    assert response.json()["head"] is None


def test_readyz_is_503_unavailable_when_the_views_do_not_answer(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.app.state.projections, "positions", _fails)
    response = api.get("/readyz")
    assert response.status_code == 503, response.text
    assert response.json()["status"] == "unavailable"


def test_the_projection_loop_retries_a_failed_batch_and_catches_up(
    app: Loftesboken, settings: Settings
) -> None:
    projections = open_read_side(app, settings, idle_seconds=0.05)
    catalogue = projections.catalogue
    real = catalogue.process_batch
    failures: list[int] = []

    def fails_once(items, after=None):  # the first batch after the write: a broken views database
        if not failures:
            failures.append(len(items))
            raise StoreDown("database is locked")
        return real(items, after)

    catalogue.process_batch = fails_once  # type: ignore[method-assign]
    projections.start()
    try:
        hold(app)
        head = int(app.recorder.max_notification_id() or 0)
        eventually(lambda: bool(failures), "the first batch had failed")
        eventually(lambda: projections.position >= head, "the views had caught up after it")
        assert projections.is_running
        assert projections.last_error is None
    finally:
        projections.close()


def issued_promise(app: Loftesboken) -> UUID:
    """A promise of Malmö for 2025, signed and issued on 10 February."""
    issue = app.identify_issue(
        municipality="1280",
        title="Otrygg gångtunnel",
        theme=Theme.PUBLIC_ENVIRONMENT,
        description="Många undviker tunneln.",
        evidence=[SourceEvidence(SourceType.STATISTICS, "BRÅ 2024")],
        actor=POLICE,
    )
    app.prioritise_issue(issue.id, priority=1, rationale="Viktigt.", actor=POLICE)
    promise = app.draft_promise(
        municipalities=["1280"],
        police_district="LPO Malmö Söder",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        title="Medborgarlöfte 2025",
        text="Polisen och kommunen lovar att ...",
        addresses=[issue.id],
        activities=[
            ActivityInput(
                description="Trygghetsvandringar.",
                responsible=Responsible.POLICE,
                due_on=date(2025, 6, 30),
            )
        ],
        actor=POLICE,
    )
    for party, code in ((Party.POLICE, None), (Party.MUNICIPALITY, "1280")):
        app.sign_promise(
            promise.id,
            party=party,
            municipality=code,
            name="Anna",
            title="Chef",
            signed_on=app.today,
            actor=POLICE,
        )
    app.issue_promise(promise.id, issued_on=app.today, actor=POLICE)
    return promise.id


def overdue(app: Loftesboken, promise_id: UUID) -> int:
    follow_ups = app.get_promise(promise_id).follow_ups.values()
    return sum(1 for f in follow_ups if f.status is FollowUpStatus.OVERDUE)


def test_the_deadline_watcher_outlives_a_failed_check(app: Loftesboken, clock: FakeClock) -> None:
    promise_id = issued_promise(app)
    clock.set(date(2025, 10, 15))  # the follow-ups of 31 March, 30 June and 30 September
    watcher = DeadlineWatcher(app)
    real = watcher.check
    calls: list[str] = []

    def fails_first() -> int:
        calls.append("check")
        if len(calls) == 1:
            raise StoreDown("server closed the connection unexpectedly")
        return real()

    watcher.check = fails_first  # type: ignore[method-assign]
    service = DeadlineWatcherService(watcher, interval=0.05)
    service.start()
    try:
        eventually(lambda: len(calls) >= 2, "the watcher had checked again after a failure")
        eventually(lambda: overdue(app, promise_id) == 3, "the next check had marked 3 overdue")
    finally:
        service.stop()


def test_the_supervisor_starts_a_dead_worker_again(tmp_path: Path) -> None:
    started = tmp_path / "started"
    child = (
        "import os, pathlib, time\n"
        f"path = pathlib.Path({str(started)!r})\n"
        "with path.open('a') as file: file.write(f'{os.getpid()}\\n')\n"
        "time.sleep(600)\n"
    )
    worker = WorkerProcess([sys.executable, "-c", child])
    worker.start()
    try:
        eventually(lambda: started.exists() and started.read_text().count("\n") == 1, "it ran")
        first = worker.process
        assert first is not None
        first.kill()
        eventually(lambda: started.read_text().count("\n") == 2, "the dead worker was restarted")
        second = worker.process
        assert second is not None and second.pid != first.pid and second.poll() is None
    finally:
        worker.stop()
    assert worker.process is not None and worker.process.poll() is not None, "stop() stopped it"
