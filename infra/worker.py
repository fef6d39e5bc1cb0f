"""`loften worker`: the projections and the deadline watcher as a process of their own.

With several API processes (`loften serve --workers N`, or several machines) the
API only writes events and reads views, and one worker keeps the views current and
marks missed follow-ups. The worker first takes a lease on every projection it runs
(`infra.leases`); a second worker waits for them and takes over when the first stops
or dies. The deadline watcher has a lease too: its marks are exactly-once anyway
(the Promise aggregate records each at most once), but one watcher is enough.
"""

from __future__ import annotations

import logging
import threading

from infra.bootstrap import open_application, open_read_side
from infra.leases import Lease, LeaseLost, holder_name, open_lease
from infra.mail import reminder_sender
from projections.framework import ViewLayoutsOutdated
from workflow.clock import Clock, SystemClock
from workflow.deadlines import DeadlineWatcher, DeadlineWatcherService
from workflow.reminders import ReminderService
from workflow.settings import Settings

log = logging.getLogger("loften.worker")

#: The deadline watcher's lease name, beside the projections' view names.
DEADLINES = "deadlines"
#: The reminder sender's lease: one sender, so a reminder is not mailed by two at once.
REMINDERS = "reminders"

#: How often an active worker makes sure it still holds its leases.
HEARTBEAT_SECONDS = 2.0


class Worker:
    """One worker process's work: wait for the leases, then feed and watch until stopped."""

    def __init__(
        self,
        settings: Settings | None = None,
        clock: Clock | None = None,
        *,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
    ) -> None:
        self.settings = settings or Settings()
        self.clock = clock or SystemClock()
        self.heartbeat_seconds = heartbeat_seconds

    def run(self, stopping: threading.Event) -> int:
        """Run until `stopping` is set (0) or the leases are lost (1); the exit status."""
        app = open_application(self.settings, self.clock)
        projections = open_read_side(app, self.settings)
        try:
            projections.check_layouts()
        except ViewLayoutsOutdated as exc:
            log.error("worker %s cannot start: %s.", holder_name(), exc)
            projections.close()
            app.close()
            return 1
        watcher = DeadlineWatcherService(DeadlineWatcher(app), self.settings.deadline_check_seconds)
        reminders = ReminderService(
            reminder_sender(app, self.settings), self.settings.deadline_check_seconds
        )
        names = [*projections.positions(), DEADLINES, REMINDERS]
        lease = open_lease(self.settings, names)
        try:
            log.info("worker %s: taking the leases on %s", holder_name(), ", ".join(lease.names))
            if not lease.acquire(stopping, _waiting):
                log.info("worker %s: stopped while waiting; it never ran", holder_name())
                return 0
            log.info("worker %s: active, feeding %s", holder_name(), ", ".join(lease.names))
            projections.start()
            watcher.start()
            reminders.start()
            try:
                return self._hold(lease, stopping)
            finally:
                reminders.stop()
                watcher.stop()
                projections.stop()
                log.info("worker %s: stopped at position %d", holder_name(), projections.position)
        finally:
            lease.release()
            projections.close()
            app.close()

    def _hold(self, lease: Lease, stopping: threading.Event) -> int:
        while not stopping.wait(self.heartbeat_seconds):
            try:
                lease.check()
            except LeaseLost as exc:
                log.error("worker %s: %s; stopping, so only one runs", holder_name(), exc)
                return 1
        return 0


def _waiting(name: str, holder: str) -> None:
    log.info("worker %s: waiting, %s is held by %s", holder_name(), name, holder)
