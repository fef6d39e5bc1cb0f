"""The hook for work that runs beside the API in the same process (projections, deadlines).

Each factory in `DEFAULT_SERVICES` (or in `create_app(services=...)`) is called in
the app's lifespan once the application object exists; the services it returns are
started in order and stopped in reverse order on shutdown. By default the server
keeps the views current and watches the deadlines itself; with
`LOFTEN_RUN_BACKGROUND_WORK=false` it starts none of them and only reads the views
that another process (a later `loften worker`) keeps current.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from infra.mail import reminder_sender
from projections.readside import Projections
from workflow.application import Loftesboken
from workflow.clock import Clock
from workflow.deadlines import DeadlineWatcher, DeadlineWatcherService
from workflow.reminders import ReminderService
from workflow.settings import Settings


class BackgroundService(Protocol):
    """Something the server runs beside the API, e.g. in a thread of its own."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class Runtime:
    """What a background service may need: the application, its views, watcher, settings."""

    loftesboken: Loftesboken
    settings: Settings
    clock: Clock
    projections: Projections
    deadline_watcher: DeadlineWatcher


ServiceFactory = Callable[[Runtime], BackgroundService]


def run_projections(runtime: Runtime) -> BackgroundService:
    """The projections' feeding loop: keeps every view current in a thread."""
    return runtime.projections


def watch_deadlines(runtime: Runtime) -> BackgroundService:
    """The deadline watcher: checks at start, then every `deadline_check_seconds`."""
    return DeadlineWatcherService(runtime.deadline_watcher, runtime.settings.deadline_check_seconds)


def send_reminders(runtime: Runtime) -> BackgroundService:
    """The deadline reminders: sent (or recorded, with no mail server) at start, then each
    `deadline_check_seconds`."""
    return ReminderService(
        reminder_sender(runtime.loftesboken, runtime.settings),
        runtime.settings.deadline_check_seconds,
    )


DEFAULT_SERVICES: tuple[ServiceFactory, ...] = (run_projections, watch_deadlines, send_reminders)
