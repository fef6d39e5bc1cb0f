"""The composition root of the read side: the views' database, the views, their feed.

The API's lifespan opens one `Projections` per process, starts it, and stops it
on shutdown; tests and the CLI call `catch_up()` or `rebuild()` instead. A read
that must reflect the caller's writes calls `read_your_writes()` first.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.sqlite import SQLiteDatastore

from projections.audit import AuditView
from projections.catalogue import CatalogueView
from projections.feed import PollingFeed
from projections.framework import TrackedView
from projections.runner import DEFAULT_BATCH_SIZE, ProjectionService

V = TypeVar("V", bound=TrackedView)

#: How long a read waits for the views to reach the store's head before it answers anyway.
READ_WAIT_SECONDS = 2.0

CORE_VIEWS: tuple[type[TrackedView], ...] = (CatalogueView, AuditView)


class Projections(ProjectionService):
    """Every view of one application, in one SQLite file beside its event store."""

    def __init__(
        self,
        app: Application[UUID],
        path: Path,
        *,
        extra_views: Sequence[type[TrackedView]] = (),
        batch_size: int = DEFAULT_BATCH_SIZE,
        idle_seconds: float = 0.2,
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.datastore = SQLiteDatastore(db_name=str(path), lock_timeout=10)
        views = [cls(self.datastore) for cls in (*CORE_VIEWS, *extra_views)]
        for view in views:
            view.create_table()
        super().__init__(PollingFeed(app), views, batch_size=batch_size, idle_seconds=idle_seconds)

    def view(self, cls: type[V]) -> V:
        """The running view of that class."""
        for view in self.views:
            if isinstance(view, cls):
                return view
        raise LookupError(f"no view {cls.__name__} in this read side")

    @property
    def catalogue(self) -> CatalogueView:
        return self.view(CatalogueView)

    @property
    def audit(self) -> AuditView:
        return self.view(AuditView)

    def read_your_writes(self, timeout: float = READ_WAIT_SECONDS) -> bool:
        """Wait (bounded) until the views reflect every event stored before this call.

        False means the answer may be stale; the API says so in a header.
        """
        return self.wait_until(self.head(), timeout)
