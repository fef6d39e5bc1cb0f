"""The library's SQLite persistence, with writing transactions that take the lock first.

The library opens every transaction with a plain (deferred) `BEGIN`: the transaction
reads as a reader and asks for the write lock only at its first write. In WAL mode a
reader whose snapshot another connection has written past cannot become a writer, and
SQLite answers "database is locked" at once, whatever the busy timeout. A view's batch
(read its position, then write rows) and a command's save (look up the recorded key,
then insert events) both read before they write, so two writers on one file (a
`loften rebuild` beside a serving process, two API processes, the worker) failed now
and then instead of waiting their turn. `BEGIN IMMEDIATE` takes the write lock before
the first read, waiting up to the busy timeout for it, so a writing transaction never
has a stale snapshot to upgrade. Reading transactions keep the deferred `BEGIN`, so
readers still never wait for writers.

The pool's first connection switches the file to WAL with `infra.sqlite.use_wal`, which
tries again while another process holds the file (the library tries once).

The factory also turns on group commit for the application's recorder
(`infra.group_commit`; `GROUP_COMMIT=n`, from `LOFTEN_GROUP_COMMIT=false`, turns it off).

Use: `PERSISTENCE_MODULE=infra.sqlite_store` (what `Settings.event_store_environment`
gives a `sqlite:///` URL); the views' file uses `WritersFirstDatastore` directly.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import eventsourcing.sqlite as library_sqlite
from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.sqlite import (
    SQLITE3_DEFAULT_LOCK_TIMEOUT,
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteCursor,
    SQLiteDatastore,
    SQLiteTransaction,
)
from eventsourcing.utils import Environment, EnvType, strtobool

from infra.group_commit import HoldBatch, persistence_error
from infra.sqlite import use_wal

#: The library variable that turns group commit on (`y`, the default) or off (`n`).
GROUP_COMMIT = "GROUP_COMMIT"
#: Tests only: hold the n-th batch of several saves open (`infra.group_commit.HoldBatch`).
HOLD_BATCH = "LOFTEN_TEST_HOLD_BATCH"


class ImmediateTransaction(SQLiteTransaction):
    """The library's transaction, begun `IMMEDIATE` when it is going to commit."""

    def __enter__(self) -> SQLiteCursor:
        cursor = self.connection.cursor()
        cursor.execute("BEGIN IMMEDIATE" if self.commit else "BEGIN")
        return cursor


class WalFirstPool(SQLiteConnectionPool):
    """The library's pool, whose first connection to a file waits until it is in WAL."""

    def _create_connection(self) -> SQLiteConnection:
        if self.db_name and not self.is_sqlite_memory_mode and not self.is_journal_mode_wal:
            try:
                use_wal(self.db_name, self.lock_timeout or SQLITE3_DEFAULT_LOCK_TIMEOUT, uri=True)
            except sqlite3.Error as exc:
                raise persistence_error(exc) from exc
            self.is_journal_mode_wal = True  # so the library does not try again
        return super()._create_connection()


class WritersFirstDatastore(SQLiteDatastore):
    """A SQLite datastore whose writing transactions hold the write lock from the start."""

    def __init__(self, db_name: str, **options: Any) -> None:
        super().__init__(db_name, **options)
        pool = self.pool  # the library's, which has opened no connection yet
        self.pool = WalFirstPool(
            db_name=pool.db_name,
            lock_timeout=pool.lock_timeout,
            pool_size=pool.pool_size,
            max_overflow=pool.max_overflow,
            pool_timeout=pool.pool_timeout,
            max_age=pool.max_age,
            pre_ping=pool.pre_ping,
        )
        pool.close()

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[SQLiteCursor]:
        with (
            self.get_connection(commit=commit) as connection,
            ImmediateTransaction(connection, commit=commit) as cursor,
            cursor,
        ):
            yield cursor


class Factory(library_sqlite.SQLiteFactory):  # the module must hold one factory class
    """`eventsourcing.sqlite`'s factory, with `WritersFirstDatastore` as its datastore."""

    def __init__(self, env: Environment | EnvType | None):
        super().__init__(env)
        library = self.datastore
        self.datastore = WritersFirstDatastore(
            db_name=library.pool.db_name,
            lock_timeout=library.pool.lock_timeout,
            single_row_tracking=library.single_row_tracking,
            originator_id_type=library.originator_id_type,
        )
        library.close()  # it opened no connection yet

    def application_recorder(self) -> ApplicationRecorder:
        """The recorder, committing concurrent saves together unless `GROUP_COMMIT=n`."""
        recorder = super().application_recorder()
        group_commits = getattr(recorder, "group_commits", None)
        if group_commits is not None and strtobool(self.env.get(GROUP_COMMIT, "y")):
            hold = self.env.get(HOLD_BATCH)
            group_commits(HoldBatch(int(hold)) if hold else None)
        return recorder
