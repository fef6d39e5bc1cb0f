"""The projection framework: tracked views that apply batches of events exactly once.

A view is an `eventsourcing` tracking recorder: its rows and the notification
position it has reached are written in one transaction, so a replayed position
changes nothing. Events come in batches (one transaction and one tracking record
per batch) because a commit costs far more than applying an event.

A view is written once, in SQL that both stores accept (`projections.dialect`), and
runs on whichever `ViewStore` it is given: the store supplies the library's tracking
recorder for it (SQLite's or PostgreSQL's, with a tracking table of the view's own,
`<name>_tracking`) and the cursor its statements run on.

Each view records the layout of its tables (`TrackedView.layout()`, a digest of its
`CREATE` statements and its `revision`) in `view_layouts`, so a process of another
release finds out that the tables it would read and write are not the ones it knows
(`ViewLayoutsOutdated`); `reset()`, what a rebuild does, makes them anew and records
the layout of the release that rebuilt them.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from eventsourcing.domain import AggregateEvent
from eventsourcing.persistence import IntegrityError, Tracking, TrackingRecorder

from domain.events import RECORDED_EVENTS, EventClass, topic_of
from projections.batch_writer import BatchWriter
from projections.dialect import ViewCursor
from projections.viewstore import ViewRecorder, ViewStore

if TYPE_CHECKING:
    from projections.stored_page import StoredPage

log = logging.getLogger(__name__)

#: One event with the position it has in the application's notification log.
Item = tuple[Any, Tracking]

E = TypeVar("E", bound=AggregateEvent)
V = TypeVar("V", bound="TrackedView")

#: How often a rebuild empties the views again when PostgreSQL resolved a deadlock
#: against it (a process feeding the views meanwhile took the tables in another order).
RESET_ATTEMPTS = 5
Handler = Callable[[V, ViewCursor, E, int], None]

#: Which layout of its tables each view was built with, one row per view.
LAYOUTS_DDL = (
    "CREATE TABLE IF NOT EXISTS view_layouts (view_name TEXT PRIMARY KEY, layout TEXT NOT NULL)"
)


def handles(*event_classes: type[E]) -> Callable[[Handler[V, E]], Handler[V, E]]:
    """Register the decorated method as the view's handler of `event_classes`.

    The method is called as `handler(cursor, event, position)`; mypy checks that the
    event parameter's type covers the classes named here.
    """

    def register(method: Handler[V, E]) -> Handler[V, E]:
        method.__handles__ = event_classes  # type: ignore[attr-defined]
        return method

    return register


StoredHandler = Callable[[V, ViewCursor, "StoredPage", int], bool]


def handles_stored(
    *event_classes: type[AggregateEvent],
) -> Callable[[StoredHandler[V]], StoredHandler[V]]:
    """Register the decorated method as the view's rebuild handler of `event_classes`
    straight from the stored state, no domain event built.

    The method is called as `handler(cursor, page, index)` and writes what the event's
    `@handles` method would; it answers False, writing nothing, for a stored state it does
    not know (an upcast, another encoding), and that event is then decoded and handled
    as live. `tests/projections/test_rebuild.py` checks the two agree.
    """

    def register(method: StoredHandler[V]) -> StoredHandler[V]:
        method.__handles_stored__ = event_classes  # type: ignore[attr-defined]
        return method

    return register


class HandlerError(TypeError):
    """A view that does not say, for some recorded event, whether it handles or ignores it."""


class TrackedView(TrackingRecorder):
    """A materialised view: its tables, and how each kind of event changes them.

    Subclasses name the view, list their `CREATE` statements and tables, register a
    handler per event class with `@handles(Promise.PromiseIssued, ...)`, and list the
    event classes they leave alone in `ignores` (those only move the view's position
    on). Every event the aggregates record must be in exactly one of the two: a view
    that says nothing about one fails when its class is defined, so a new or renamed
    event never stops feeding a view in silence. `topics` are the topics it handles.
    """

    view_name: ClassVar[str]
    ddl: ClassVar[tuple[str, ...]]
    tables: ClassVar[tuple[str, ...]]
    #: Recorded event classes that do not change this view.
    ignores: ClassVar[tuple[EventClass, ...]] = ()
    #: Event class -> the name of the method that handles it (from `@handles`).
    handlers: ClassVar[dict[EventClass, str]] = {}
    #: Event class -> the name of the method that handles it in a rebuild straight from
    #: its stored state (from `@handles_stored`; the others are decoded).
    stored_handlers: ClassVar[dict[type, str]] = {}
    #: The classes of the events this view handles (those of `handlers`).
    handled_classes: ClassVar[frozenset[type]] = frozenset()
    #: The topics of the events this view handles.
    topics: ClassVar[tuple[str, ...]] = ()
    #: A view that takes every recorded event in its own `apply_batch` (the audit chain).
    takes_every_event: ClassVar[bool] = False
    #: Rebuilt by a worker process of its own when a rebuild has one (`rebuild_jobs`).
    rebuilt_apart: ClassVar[bool] = False
    #: Raise by one when what a handler writes changes but the `CREATE` statements do not
    #: (a column filled differently): the views must then be rebuilt all the same.
    revision: ClassVar[int] = 1

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        handlers: dict[EventClass, str] = {}
        stored: dict[type, str] = {}
        for klass in reversed(cls.__mro__):
            for name, member in vars(klass).items():
                for event_class in getattr(member, "__handles__", ()):
                    handlers[event_class] = name
                for event_class in getattr(member, "__handles_stored__", ()):
                    stored[event_class] = name
        cls.handlers = handlers
        cls.stored_handlers = stored
        cls.handled_classes = frozenset(handlers)
        taken = RECORDED_EVENTS if cls.takes_every_event else tuple(handlers)
        cls.topics = tuple(topic_of(event_class) for event_class in taken)
        if "view_name" in vars(cls) and not cls.takes_every_event:
            check_handlers(cls)

    def __init__(self, store: ViewStore) -> None:
        #: The views' database; reads run `with view.datastore.transaction(commit=False)`.
        self.datastore = store
        self.tracking_table = f"{self.view_name}_tracking"
        self.recorder: ViewRecorder = store.recorder(self.tracking_table, (*self.ddl, LAYOUTS_DDL))

    @classmethod
    def layout(cls) -> str:
        """The version of this view's table layout: a digest of its DDL and revision."""
        text = "\n".join((str(cls.revision), *cls.ddl))
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    # -- the library's tracking recorder interface ------------------------------------

    def create_table(self) -> None:
        """Create the view's tables and its tracking table if they are missing.

        A view with no layout recorded yet is taken to be of this one: new tables are,
        and views built before layouts were recorded had the layout of the first release
        that records it (none changed then).
        """
        self.recorder.create_table()
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                "INSERT INTO view_layouts (view_name, layout) VALUES (?, ?) "
                "ON CONFLICT (view_name) DO NOTHING",
                (self.view_name, self.layout()),
            )

    def recorded_layout(self) -> str | None:
        """The layout the view's tables were built with, as recorded beside them."""
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute("SELECT layout FROM view_layouts WHERE view_name = ?", (self.view_name,))
            row = cursor.fetchone()
        return None if row is None else str(row[0])

    def _record_layout(self, cursor: ViewCursor) -> None:
        cursor.execute(
            "INSERT INTO view_layouts (view_name, layout) VALUES (?, ?) "
            "ON CONFLICT (view_name) DO UPDATE SET layout = excluded.layout",
            (self.view_name, self.layout()),
        )

    def insert_tracking(self, tracking: Tracking) -> None:
        self.recorder.insert_tracking(tracking)

    def max_tracking_id(self, application_name: str) -> int | None:
        return self.recorder.max_tracking_id(application_name)

    # -- writing ----------------------------------------------------------------

    def process_batch(self, items: Sequence[Item], after: int | None = None) -> int:
        """Apply the events this view has not seen yet, with one tracking record; how many.

        Events at or before the view's position are skipped inside the transaction,
        so feeding a batch again (after a crash between processing and the next
        poll) changes nothing. A concurrent writer that got there first makes the
        tracking insert fail; that is a replay too, and is skipped. `after` is the
        position the batch was read after: a view found behind it was reset since (a
        rebuild in another process), and the batch, which lacks the events between,
        is not applied; the next batch is read from the view's new position.
        """
        if not items:
            return 0

        def apply(cursor: ViewCursor, reached: int) -> int:
            fresh = [item for item in items if item[1].notification_id > reached]
            if fresh:
                self.recorder.record_tracking(cursor, fresh[-1][1])
                self.apply_batch(cursor, fresh)
            return len(fresh)

        return self._process(items[-1][1], after, apply)

    def process_page(self, page: StoredPage, after: int | None = None) -> int:
        """As `process_batch`, for a page of stored events (a rebuild's): the same
        transaction, position and replay rules; the view takes the rows it has not seen
        yet with `apply_page`."""
        if not len(page):
            return 0

        def apply(cursor: ViewCursor, reached: int) -> int:
            start = page.first_after(reached)
            if start < len(page):
                bulk = getattr(self.datastore, "for_bulk", None)
                if bulk is not None:  # a store that tunes a connection for large writes
                    bulk(cursor)
                self.recorder.record_tracking(cursor, page.last)
                self.apply_page(cursor, page, start)
            return len(page) - start

        return self._process(page.last, after, apply)

    def _process(
        self, last: Tracking, after: int | None, apply: Callable[[ViewCursor, int], int]
    ) -> int:
        """Run `apply(cursor, position reached)` in one transaction, in turn with every
        other writer of the view (see `process_batch`); how many events it applied."""
        application_name = last.application_name
        try:
            with self.datastore.transaction(commit=True) as cursor:
                self.recorder.take_turn(cursor)
                reached = self.recorder.tracking_position(cursor, application_name)
                if after is not None and reached < after:
                    log.info("view %s: reset to %d meanwhile; reading again", self.view_name,
                             reached)  # fmt: skip
                    return 0
                return apply(cursor, reached)
        except IntegrityError:
            reached = self.max_tracking_id(application_name) or 0
            if reached < last.notification_id:
                raise  # not a replay: a real conflict in the view's own rows
            log.info("view %s: positions up to %s already processed", self.view_name, reached)
            return 0

    def apply_page(self, cursor: ViewCursor, page: StoredPage, start: int) -> None:
        """Change the view's rows for a page's events from row `start`, in order.

        An event with a `@handles_stored` method is taken straight from its stored
        state; any other this view handles is decoded (once for every view) and handled
        as live, after `settle`; the rest change nothing and are not decoded. The writes
        go through one `BatchWriter`, as a live batch's do.
        """
        if not self.stored_handlers:
            taken = None if self.takes_every_event else self.handled_classes
            self.apply_batch(cursor, page.items(start, taken))
            return
        writer = BatchWriter(cursor)
        rows, classes = page.rows, page.classes
        stored, handlers = self.stored_handlers, self.handlers
        self.settle(None)
        for index in range(start, len(rows)):
            cls = classes[index]
            name = stored.get(cls)
            if name is not None and getattr(self, name)(writer, page, index):
                continue
            name = handlers.get(cls)
            if name is not None:
                self.settle(writer)
                getattr(self, name)(writer, page.event(index), rows[index][0])
        self.settle(writer)
        writer.flush()

    def settle(self, cursor: ViewCursor | None) -> None:
        """Write what this view's `@handles_stored` methods hold back (a count added up
        over a run of events), so that what comes next sees it; forget it if `cursor` is
        None (a new page: what a failed one held is not written)."""

    def apply_batch(self, cursor: ViewCursor, items: Sequence[Item]) -> None:
        """Change the view's rows for a batch of new events, in order.

        The handlers write through a `BatchWriter`, which sends their statements to
        the database as few `executemany` calls, with the same result.
        """
        writer = BatchWriter(cursor)
        for event, tracking in items:
            self.apply(writer, event, tracking.notification_id)
        writer.flush()

    def apply(self, cursor: ViewCursor, event: Any, position: int) -> None:
        """Change the view's rows for one event (inside the batch's transaction)."""
        name = self.handlers.get(type(event))
        if name is not None:
            getattr(self, name)(cursor, event, position)

    # -- maintenance --------------------------------------------------------------

    def reset(self) -> None:
        """Empty every table of the view and its position, in one transaction.

        The tables stay, so a server reading them meanwhile (`loften rebuild` on a running
        deployment) sees the old rows until the commit and then rows being rebuilt, answered
        as stale, never a missing table. Only if a table is gone is everything dropped and
        created again.
        """
        # The library keeps its own mark of the tracking table's layout in a row of it.
        mark = getattr(self.recorder, "table_migration_identifier", "")
        # Tables of another layout are dropped and made anew, whatever reads them meanwhile.
        attempts = RESET_ATTEMPTS if self.recorded_layout() in (None, self.layout()) else 0
        for _ in range(attempts):
            try:
                with self.datastore.transaction(commit=True) as cursor:
                    self.recorder.take_turn(cursor)
                    for table in self.tables:
                        cursor.execute(f"DELETE FROM {table}")
                    cursor.execute(
                        f"DELETE FROM {self.tracking_table} WHERE application_name <> ?", (mark,)
                    )
                    self._record_layout(cursor)
                return
            except Exception as exc:  # a table is missing: make them all anew, below
                if "deadlock" not in str(exc):
                    break
                # a feeding process took the tables in another order: try again
        with self.datastore.transaction(commit=True) as cursor:
            self.recorder.take_turn(cursor)
            for table in (*self.tables, self.tracking_table):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
        self.recorder = self.datastore.recorder(self.tracking_table, (*self.ddl, LAYOUTS_DDL))
        self.create_table()
        with self.datastore.transaction(commit=True) as cursor:
            self._record_layout(cursor)

    def position(self, application_name: str) -> int:
        """The last notification this view has processed (0 before the first)."""
        return self.max_tracking_id(application_name) or 0


class ViewLayoutsOutdated(RuntimeError):
    """Views built with tables of another layout than this release's: rebuild them."""

    def __init__(self, outdated: dict[str, tuple[str | None, str]]) -> None:
        self.outdated = outdated
        names = ", ".join(sorted(outdated))
        found = ", ".join(f"{name} {old} (this release: {new})" for name, (old, new) in
                          sorted(outdated.items()))  # fmt: skip
        super().__init__(
            f"the views {names} were built by another release's table layout ({found}); "
            "run `loften rebuild` (with the servers stopped), then start them again"
        )


def check_handlers(view: type[TrackedView]) -> None:
    """Every recorded event is handled or ignored by `view`, once; else a `HandlerError`."""
    handled, ignored = set(view.handlers), set(view.ignores)
    problems = [
        f"{view.__name__} neither handles nor ignores {topic_of(cls)}: add "
        f"@handles({cls.__qualname__}) to a method or list it in `ignores`"
        for cls in RECORDED_EVENTS
        if cls not in handled | ignored
    ]
    problems += [
        f"{view.__name__} both handles and ignores {topic_of(cls)}" for cls in handled & ignored
    ]
    problems += [
        f"{view.__name__} names {cls.__qualname__}, which no aggregate records"
        for cls in (handled | ignored) - set(RECORDED_EVENTS)
    ]
    if problems:
        raise HandlerError("; ".join(problems))
