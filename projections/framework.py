"""The projection framework: tracked views that apply batches of events exactly once.

A view is an `eventsourcing` tracking recorder: its rows and the notification
position it has reached are written in one transaction, so a replayed position
changes nothing. Events come in batches (one transaction and one tracking record
per batch) because a commit costs far more than applying an event.

A view is written once, in SQL that both stores accept (`projections.dialect`), and
runs on whichever `ViewStore` it is given: the store supplies the library's tracking
recorder for it (SQLite's or PostgreSQL's, with a tracking table of the view's own,
`<name>_tracking`) and the cursor its statements run on.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, ClassVar

from eventsourcing.persistence import IntegrityError, Tracking, TrackingRecorder
from eventsourcing.projection import Projection

from projections.dialect import ViewCursor
from projections.stores import ViewRecorder, ViewStore

log = logging.getLogger(__name__)

#: One event with the position it has in the application's notification log.
Item = tuple[Any, Tracking]


class TrackedView(TrackingRecorder):
    """A materialised view: its tables, and how each kind of event changes them.

    Subclasses name the view, list their `CREATE` statements and tables, and define
    `on_<EventName>(cursor, event, position)` for the events they care about;
    every other event only moves the view's position on.
    """

    view_name: ClassVar[str]
    ddl: ClassVar[tuple[str, ...]]
    tables: ClassVar[tuple[str, ...]]

    def __init__(self, store: ViewStore) -> None:
        #: The views' database; reads run `with view.datastore.transaction(commit=False)`.
        self.datastore = store
        self.tracking_table = f"{self.view_name}_tracking"
        self.recorder: ViewRecorder = store.recorder(self.tracking_table, self.ddl)

    # -- the library's tracking recorder interface ------------------------------------

    def create_table(self) -> None:
        """Create the view's tables and its tracking table if they are missing."""
        self.recorder.create_table()

    def insert_tracking(self, tracking: Tracking) -> None:
        self.recorder.insert_tracking(tracking)

    def max_tracking_id(self, application_name: str) -> int | None:
        return self.recorder.max_tracking_id(application_name)

    # -- writing ----------------------------------------------------------------

    def process_batch(self, items: Sequence[Item]) -> int:
        """Apply the events this view has not seen yet, with one tracking record; how many.

        Events at or before the view's position are skipped inside the transaction,
        so feeding a batch again (after a crash between processing and the next
        poll) changes nothing. A concurrent writer that got there first makes the
        tracking insert fail; that is a replay too, and is skipped.
        """
        if not items:
            return 0
        application_name = items[-1][1].application_name
        applied = 0
        try:
            with self.datastore.transaction(commit=True) as cursor:
                reached = self.recorder.tracking_position(cursor, application_name)
                fresh = [item for item in items if item[1].notification_id > reached]
                if not fresh:
                    return 0
                self.recorder.record_tracking(cursor, fresh[-1][1])
                self.apply_batch(cursor, fresh)
                applied = len(fresh)
        except IntegrityError:
            reached = self.max_tracking_id(application_name) or 0
            if reached < items[-1][1].notification_id:
                raise  # not a replay: a real conflict in the view's own rows
            log.info("view %s: positions up to %s already processed", self.view_name, reached)
            return 0
        return applied

    def apply_batch(self, cursor: ViewCursor, items: Sequence[Item]) -> None:
        """Change the view's rows for a batch of new events, in order."""
        for event, tracking in items:
            self.apply(cursor, event, tracking.notification_id)

    def apply(self, cursor: ViewCursor, event: Any, position: int) -> None:
        """Change the view's rows for one event (inside the batch's transaction)."""
        handler = getattr(self, f"on_{type(event).__name__}", None)
        if handler is not None:
            handler(cursor, event, position)

    # -- maintenance --------------------------------------------------------------

    def reset(self) -> None:
        """Drop every table of the view (and its position) and create them empty again."""
        with self.datastore.transaction(commit=True) as cursor:
            for table in (*self.tables, self.tracking_table):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
        self.recorder = self.datastore.recorder(self.tracking_table, self.ddl)
        self.create_table()

    def position(self, application_name: str) -> int:
        """The last notification this view has processed (0 before the first)."""
        return self.max_tracking_id(application_name) or 0


class ViewProjection(Projection[TrackedView]):
    """The library's `Projection` over one tracked view, for feeds that give one event at a time.

    A subscription-driven runner (PostgreSQL's `ProjectionRunner`) calls
    `process_event`; our pollers call the view's `process_batch` directly.
    """

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.process_batch([(domain_event, tracking)])
