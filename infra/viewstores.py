"""Where the views live: a SQLite file beside the event store, or a schema in PostgreSQL.

A `ViewStore` gives the views their database in two forms: `transaction()`, a cursor
that speaks the views' SQL (see `projections.dialect`), and `recorder()`, the
library's tracking recorder for one view, which creates the view's tables with its
own tracking table and records the view's position in the same transaction as its
rows. The projection logic never asks which store it is on.

On PostgreSQL the views share the event store's database but live in a schema of their
own (`loften_views` beside the store's `public`), so their short table names
(`dialogues`, `issues`, ...) can never meet the library's `loften_events`, and a
rebuild drops nothing of the store. Each view tracks its position in
`<schema>.<view>_tracking`. Creating them runs under the same advisory lock as the
event store's tables (`infra/postgres.py` says why), because several API
processes and the worker start at once.
"""

from __future__ import annotations

import fcntl
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import psycopg
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteTrackingRecorder
from psycopg.sql import SQL, Identifier

from infra.postgres import creation_lock
from infra.sqlite_store import WritersFirstDatastore
from projections.dialect import PostgresViewCursor, ViewCursor, postgres_ddl, row_factory

#: The schema the views get when the event store is in `public`.
DEFAULT_VIEWS_SCHEMA = "loften_views"


# -- SQLite -------------------------------------------------------------------------------


class SQLiteViewRecorder(SQLiteTrackingRecorder):
    """A view's tables and its own tracking table in the views' SQLite file.

    The library's SQLite tracking table is one table named `tracking`, which every view
    in the file would share; each view tracks in `<name>_tracking` instead, as the
    PostgreSQL recorder does with its table name.
    """

    def __init__(self, datastore: SQLiteDatastore, tracking_table: str, ddl: Sequence[str]):
        if not datastore.single_row_tracking:
            raise ValueError("views need single-row tracking (SQLITE_SINGLE_ROW_TRACKING)")
        self.tracking_table = tracking_table
        self.ddl = tuple(ddl)
        super().__init__(datastore)
        self.insert_tracking_statement = (
            f"INSERT INTO {tracking_table} "
            "VALUES (:application_name, :notification_id) "
            "ON CONFLICT (application_name) DO UPDATE "
            "SET notification_id = :notification_id "
            f"WHERE {tracking_table}.notification_id < :notification_id "
            "RETURNING notification_id"
        )
        self.select_max_tracking_id_statement = (
            f"SELECT MAX(notification_id) FROM {tracking_table} WHERE application_name=?"
        )

    def construct_create_table_statements(self) -> list[str]:
        return [
            *self.ddl,
            f"CREATE TABLE IF NOT EXISTS {self.tracking_table} ("
            "application_name TEXT, notification_id INTEGER, "
            "PRIMARY KEY (application_name)) WITHOUT ROWID",
        ]

    def create_table(self) -> None:
        """Create the tables; a second process racing on an empty file tries once more.

        The library records a migration mark when it creates a tracking table; of two
        processes creating the same one at once, the second fails to record it. By then
        the tables exist, and a second attempt finds them and records nothing.
        """
        with _creation_lock(self.datastore):
            try:
                super().create_table()
            except IntegrityError:
                self.tracking_table_exists = False
                self.tracking_migration_previous = self.tracking_migration_current = None
                super().create_table()

    def take_turn(self, cursor: SQLiteCursor) -> None:
        """Nothing to do: a writing transaction on the views' file began IMMEDIATE, so it
        already holds the file's one write lock."""

    def tracking_position(self, cursor: SQLiteCursor, application_name: str) -> int:
        return self._max_tracking_id(application_name, cursor) or 0

    def record_tracking(self, cursor: SQLiteCursor, tracking: Tracking) -> None:
        self._insert_tracking(cursor, tracking)


@contextmanager
def _creation_lock(datastore: SQLiteDatastore) -> Iterator[None]:
    """Serialise table creation in one views file across threads and processes.

    SQLite answers a schema change racing another with "database is locked" at once in
    some paths (the busy timeout does not cover them), so creators take turns on a
    lock file beside the views file (named like SQLite's own -wal and -shm files).
    """
    if datastore.pool.is_sqlite_memory_mode:
        yield
        return
    lock_path = f"{datastore.pool.db_name}-createlock"
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


#: The page cache (KiB) of a connection that writes a rebuild (`SQLiteViewStore.for_bulk`).
BULK_CACHE_KIB = 65_536


class SQLiteViewStore:
    """Every view in one SQLite file beside the event store.

    WAL, so reads run beside writes; writing transactions begin `IMMEDIATE`, so two
    writers (a rebuild beside a serving process) wait their turn (`infra.sqlite_store`).
    """

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.datastore = WritersFirstDatastore(db_name=str(path), lock_timeout=10)

    def transaction(self, *, commit: bool) -> AbstractContextManager[ViewCursor]:
        return self._secure(commit) if commit else self.datastore.transaction(commit=False)

    @contextmanager
    def _secure(self, commit: bool) -> Iterator[ViewCursor]:
        """A writing transaction whose freed bytes are overwritten with zeros, so a value
        a view drops (an erased summary) leaves no copy in the file's free space."""
        with self.datastore.transaction(commit=commit) as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
            yield cursor

    def for_bulk(self, cursor: ViewCursor) -> None:
        """Give the connection of this (rebuild's) transaction a page cache of
        `BULK_CACHE_KIB`: a rebuild inserts all over large indexes (an observation's id is
        random), and with SQLite's default 2 MB it reads and writes the same pages again
        and again (1.4 M rows: 8.6 against 11.1 µs of CPU a row)."""
        cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")

    def forget_freed(self) -> None:
        """Write the log into the file and truncate it: no dropped value stays in either."""
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()

    def recorder(self, tracking_table: str, ddl: Sequence[str]) -> SQLiteViewRecorder:
        return SQLiteViewRecorder(self.datastore, tracking_table, ddl)

    def close(self) -> None:
        self.datastore.close()


# -- PostgreSQL ---------------------------------------------------------------------------


class PostgresViewDatastore(PostgresDatastore):
    """The library's datastore, its connections looking in the views' schema first.

    With the schema first on `search_path`, the views' SQL names their tables bare,
    exactly as on SQLite, and `CREATE TABLE` puts them in that schema.
    """

    def after_connect_func(self) -> Callable[[psycopg.Connection[Any]], None]:
        configure = super().after_connect_func()
        search_path = SQL("SET search_path TO {}").format(Identifier(self.schema))

        def after_connect(connection: psycopg.Connection[Any]) -> None:
            configure(connection)
            connection.execute(search_path)

        return after_connect


class PostgresViewRecorder(PostgresTrackingRecorder):
    """A view's tables and its tracking table `<schema>.<view>_tracking` on PostgreSQL."""

    datastore: PostgresViewDatastore

    def __init__(
        self, datastore: PostgresViewDatastore, tracking_table: str, ddl: Sequence[str]
    ) -> None:
        if not datastore.single_row_tracking:
            raise ValueError("views need single-row tracking")
        super().__init__(datastore, tracking_table_name=tracking_table)
        self.tracking_table = tracking_table
        self.sql_create_statements = [
            SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(datastore.schema)),
            *self.sql_create_statements,
            # `.format()` with nothing to fill in: the library expects `Composed` objects.
            *(SQL(postgres_ddl(statement)).format() for statement in ddl),
        ]

    def create_table(self) -> None:
        with creation_lock(self.datastore):
            super().create_table()

    def take_turn(self, cursor: PostgresViewCursor) -> None:
        """A transaction-level advisory lock on this view (its schema and tracking table),
        so a batch and a rebuild's reset of the same view never interleave: each
        statement after it sees what the other committed."""
        cursor.cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
            (VIEW_WRITERS_LOCK_CLASS, f"{self.datastore.schema}.{self.tracking_table}"),
        )

    def tracking_position(self, cursor: PostgresViewCursor, application_name: str) -> int:
        return self._max_tracking_id(application_name, cursor.cursor) or 0

    def record_tracking(self, cursor: PostgresViewCursor, tracking: Tracking) -> None:
        self._insert_tracking(cursor.cursor, tracking)


#: The advisory locks' first key for views' writers: "lfvw", apart from the workers'
#: leases ("lftw", held for a worker's life), which must never be waited for here.
VIEW_WRITERS_LOCK_CLASS = 0x6C667677


class PostgresViewStore:
    """Every view in one schema of the PostgreSQL database, through a pool of its own."""

    dialect = "postgres"

    def __init__(self, datastore: PostgresViewDatastore) -> None:
        self.datastore = datastore
        self.schema = datastore.schema

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[ViewCursor]:
        with self.datastore.transaction(commit=commit) as cursor:
            cursor.row_factory = row_factory  # type: ignore[assignment]
            yield PostgresViewCursor(cursor)

    def recorder(self, tracking_table: str, ddl: Sequence[str]) -> PostgresViewRecorder:
        return PostgresViewRecorder(self.datastore, tracking_table, ddl)

    def close(self) -> None:
        self.datastore.close()


def views_schema(event_store_schema: str) -> str:
    """The views' schema: `loften_views` beside `public`, else `<store schema>_views`."""
    schema = event_store_schema.strip() or "public"
    return DEFAULT_VIEWS_SCHEMA if schema == "public" else f"{schema}_views"
