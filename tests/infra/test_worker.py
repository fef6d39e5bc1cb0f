"""The worker in-process, on both stores: it feeds the views, marks missed follow-ups, stops.

A real `loften worker` process is started in `test_leases.py`; here `Worker.run` runs
in a thread, so a fake clock can move the deadlines.
"""

from __future__ import annotations

import threading
from datetime import date
from uuid import UUID

from domain.promise import FollowUp
from infra.bootstrap import open_application, open_read_side
from infra.worker import Worker
from tests.support.builders import issued_promise
from tests.support.polling import eventually
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings


def test_the_worker_feeds_the_views_marks_overdue_follow_ups_and_stops(
    settings: Settings, clock: FakeClock
) -> None:
    app = open_application(settings, clock)
    read_side = open_read_side(app, settings)
    promise_id = issued_promise(app)
    clock.set(date(2025, 4, 5))  # the follow-up due on 31 March was missed
    stopping = threading.Event()
    status: list[int] = []
    worker = Worker(settings, clock, heartbeat_seconds=0.05)
    thread = threading.Thread(target=lambda: status.append(worker.run(stopping)))
    thread.start()
    try:
        eventually(
            lambda: any(f.overdue_marked_for for f in _follow_ups(app, promise_id)),
            "the worker's deadline watcher had marked a follow-up overdue",
        )
        head = app.recorder.max_notification_id() or 0
        eventually(
            lambda: min(read_side.positions().values()) >= head,
            f"the worker had fed the views to {head}",
        )
        assert not read_side.is_running  # this process only read the views
    finally:
        stopping.set()
        thread.join(30)
        read_side.close()
        app.close()
    assert status == [0]


def _follow_ups(app: Loftesboken, promise_id: UUID) -> list[FollowUp]:
    return list(app.get_promise(promise_id).follow_ups.values())
