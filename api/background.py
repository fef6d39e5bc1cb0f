"""The hook for work that runs beside the API in the same process (projections, deadlines).

Each factory in `DEFAULT_SERVICES` (or in `create_app(services=...)`) is called in
the app's lifespan once the application object exists; the services it returns are
started in order and stopped in reverse order on shutdown. A later change adds the
projection runner and the deadline watcher here; the API itself needs none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from workflow.application import Loftesboken
from workflow.clock import Clock
from workflow.settings import Settings


class BackgroundService(Protocol):
    """Something the server runs beside the API, e.g. in a thread of its own."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class Runtime:
    """What a background service may need: the one application object, settings, clock."""

    loftesboken: Loftesboken
    settings: Settings
    clock: Clock


ServiceFactory = Callable[[Runtime], BackgroundService]

DEFAULT_SERVICES: tuple[ServiceFactory, ...] = ()
