"""The composition root of the read side: the views' database, the views, their feed.

The API's lifespan opens one `Projections` per process, starts it, and stops it
on shutdown; tests and the CLI call `catch_up()` or `rebuild()` instead. A read
that must reflect the caller's writes calls `read_your_writes()` first.

Which database the views use is the caller's choice (`infra.bootstrap.open_read_side`
makes it from the settings); how they are fed follows from the event store: the
library's LISTEN/NOTIFY subscription on PostgreSQL, polling on SQLite.

Each view declares the topics it handles (`TrackedView.topics`); the one feed reads
every topic all the same, because the audit chain takes every event, and a feed
filtered to fewer would leave the views' positions short of the log's head.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.postgres import PostgresApplicationRecorder

from projections.audit import AuditView
from projections.catalogue import CatalogueView
from projections.feed import Feed, PollingFeed, SubscriptionFeed
from projections.framework import TrackedView, ViewLayoutsOutdated
from projections.pages import PagesView
from projections.rebuild_jobs import ReadSideOpener
from projections.runner import DEFAULT_BATCH_SIZE, REBUILD_BATCH_SIZE, ProjectionService
from projections.viewstore import ViewStore

V = TypeVar("V", bound=TrackedView)

#: How long a read waits for the views to reach the store's head before it answers anyway
#: (the default of the `LOFTEN_READ_WAIT_SECONDS` setting).
READ_WAIT_SECONDS = 2.0

#: How often an idle runner looks at the log: often when polling, rarely as a safety net
#: when the subscription wakes it for every new event.
POLLING_IDLE_SECONDS = 0.2
SUBSCRIBED_IDLE_SECONDS = 5.0

CORE_VIEWS: tuple[type[TrackedView], ...] = (CatalogueView, AuditView, PagesView)


def feed_for(app: Application[UUID]) -> Feed:
    """The library's subscription where the store has one (PostgreSQL), else polling."""
    if isinstance(app.recorder, PostgresApplicationRecorder):
        return SubscriptionFeed(app)
    return PollingFeed(app)


class Projections(ProjectionService):
    """Every view of one application, in one views database (a SQLite file or a schema)."""

    def __init__(
        self,
        app: Application[UUID],
        store: ViewStore,
        *,
        extra_views: Sequence[type[TrackedView]] = (),
        batch_size: int = DEFAULT_BATCH_SIZE,
        rebuild_batch_size: int = REBUILD_BATCH_SIZE,
        idle_seconds: float | None = None,
        read_wait_seconds: float = READ_WAIT_SECONDS,
        rebuild_opener: ReadSideOpener | None = None,
    ) -> None:
        self.store: ViewStore = store
        #: How long a read waits for these views to hold every earlier write.
        self.read_wait_seconds = read_wait_seconds
        views = [cls(self.store) for cls in (*CORE_VIEWS, *extra_views)]
        for view in views:
            view.create_table()
        feed = feed_for(app)
        if idle_seconds is None:
            polling = isinstance(feed, PollingFeed)
            idle_seconds = POLLING_IDLE_SECONDS if polling else SUBSCRIBED_IDLE_SECONDS
        super().__init__(
            feed,
            views,
            batch_size=batch_size,
            rebuild_batch_size=rebuild_batch_size,
            idle_seconds=idle_seconds,
            rebuild_opener=rebuild_opener,
        )

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

    @property
    def pages(self) -> PagesView:
        return self.view(PagesView)

    def read_your_writes(self, timeout: float | None = None) -> bool:
        """Wait (bounded: `timeout`, else `read_wait_seconds`) until the views reflect
        every event stored before this call.

        False means the answer may be stale; the API says so in a header.
        """
        return self.wait_until(self.head(), self.read_wait_seconds if timeout is None else timeout)

    def outdated_layouts(self) -> dict[str, tuple[str | None, str]]:
        """Views whose tables another release's layout built: name -> (recorded, ours)."""
        found = {view.view_name: (view.recorded_layout(), view.layout()) for view in self.views}
        return {name: layouts for name, layouts in found.items() if layouts[0] != layouts[1]}

    def check_layouts(self) -> None:
        """Refuse (`ViewLayoutsOutdated`) to serve or feed views of another layout."""
        outdated = self.outdated_layouts()
        if outdated:
            raise ViewLayoutsOutdated(outdated)
