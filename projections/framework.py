"""The projection framework: tracked views that apply batches of events exactly once.

A view is an `eventsourcing` tracking recorder: its rows and the notification
position it has reached are written in one transaction, so a replayed position
changes nothing. Events come in batches (one transaction and one tracking record
per batch) because a commit costs far more than applying an event.

SQLite keeps every view in one file beside the event store. Its tracking table
would be shared by all views there, so each view tracks in a table of its own,
`<name>_tracking`, as PostgreSQL's tracking recorder does with its prefix. The
view logic only writes plain SQL through the cursor it is given; moving a view to
PostgreSQL means a `PostgresTrackingRecorder` base and `%s` placeholders, not a
new projection.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, ClassVar

from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.projection import Projection
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteTrackingRecorder

log = logging.getLogger(__name__)

#: One event with the position it has in the application's notification log.
Item = tuple[Any, Tracking]


class TrackedView(SQLiteTrackingRecorder):
    """A materialised view: its tables, and how each kind of event changes them.

    Subclasses name the view, list their `CREATE` statements and tables, and define
    `on_<EventName>(cursor, event, position)` for the events they care about;
    every other event only moves the view's position on.
    """

    view_name: ClassVar[str]
    ddl: ClassVar[tuple[str, ...]]
    tables: ClassVar[tuple[str, ...]]

    def __init__(self, datastore: SQLiteDatastore) -> None:
        if not datastore.single_row_tracking:
            raise ValueError("views need single-row tracking (SQLITE_SINGLE_ROW_TRACKING)")
        self.tracking_table = f"{self.view_name}_tracking"
        super().__init__(datastore)
        self.insert_tracking_statement = (
            f"INSERT INTO {self.tracking_table} "
            "VALUES (:application_name, :notification_id) "
            "ON CONFLICT (application_name) DO UPDATE "
            "SET notification_id = :notification_id "
            f"WHERE {self.tracking_table}.notification_id < :notification_id "
            "RETURNING notification_id"
        )
        self.select_max_tracking_id_statement = (
            f"SELECT MAX(notification_id) FROM {self.tracking_table} WHERE application_name=?"
        )

    def construct_create_table_statements(self) -> list[str]:
        return [
            *self.ddl,
            f"CREATE TABLE IF NOT EXISTS {self.tracking_table} ("
            "application_name TEXT, notification_id INTEGER, "
            "PRIMARY KEY (application_name)) WITHOUT ROWID",
        ]

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
                reached = self._max_tracking_id(application_name, cursor) or 0
                fresh = [item for item in items if item[1].notification_id > reached]
                if not fresh:
                    return 0
                self._insert_tracking(cursor, fresh[-1][1])
                self.apply_batch(cursor, fresh)
                applied = len(fresh)
        except IntegrityError:
            reached = self.max_tracking_id(application_name) or 0
            if reached < items[-1][1].notification_id:
                raise  # not a replay: a real conflict in the view's own rows
            log.info("view %s: positions up to %s already processed", self.view_name, reached)
            return 0
        return applied

    def apply_batch(self, cursor: SQLiteCursor, items: Sequence[Item]) -> None:
        """Change the view's rows for a batch of new events, in order."""
        for event, tracking in items:
            self.apply(cursor, event, tracking.notification_id)

    def apply(self, cursor: SQLiteCursor, event: Any, position: int) -> None:
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
        self.tracking_table_exists = False
        self.tracking_migration_previous = None
        self.tracking_migration_current = None
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
