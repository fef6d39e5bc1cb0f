"""The event store's recorders: idempotency keys recorded with the events, writers taking turns.

Two jobs the library's recorders leave to us, both on the write path:

- **A key recorded with its events.** `insert_events(..., recorded_key=RecordedKey)`
  writes the key's row (table `idempotency_recorded` on SQLite, `loften_idempotency_
  recorded` on PostgreSQL, beside the events) in the same transaction as the events,
  exactly as the library's process recorders write a `tracking=` record. The row's
  primary key is the key in its namespace, so a command can never be recorded twice
  under one key, whatever happened to the process that ran it first: the second
  transaction fails whole and `KeyAlreadyRecorded` says why.
- **Turns per aggregate across processes (PostgreSQL).** `turn(aggregate_id)` opens a
  transaction on one connection and takes `pg_advisory_xact_lock` on the aggregate's
  id; everything the recorder does on that thread until the turn ends (reading the
  aggregate, inserting its events and key) runs on that connection, in that
  transaction, and the commit at the end releases the lock. Two processes writing to
  one promise thus take turns instead of racing to the same version and retrying.
  SQLite has no such lock; there, one process writes and the in-process turns of
  `workflow.turns` do the job.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from infra.postgres import ApplicationRecorder
from workflow.keys import RECORDED_KEY, KeyAlreadyRecorded, RecordedKey

#: The first half of every turn's advisory lock (two-int form, so it never meets the
#: one-bigint locks of table creation or leases): "lo" + "ft".
TURN_LOCK_SPACE = 0x6C6F6674
SQLITE_RECORDED_TABLE = "idempotency_recorded"
POSTGRES_RECORDED_TABLE = "loften_idempotency_recorded"
_COLUMNS = "scope, key, fingerprint, aggregate_id, version, created, recorded_at"
_REPLACE = ", ".join(
    f"{column} = excluded.{column}"
    for column in ("fingerprint", "aggregate_id", "version", "created", "recorded_at")
)


def _row(record: RecordedKey) -> tuple[str, str, str, str, int, bool, float]:
    return (
        record.scope,
        record.key,
        record.fingerprint,
        str(record.aggregate_id),
        record.version,
        record.created,
        record.recorded_at,
    )


def _record(row: Sequence[Any]) -> RecordedKey:
    scope, key, fingerprint, aggregate_id, version, created, recorded_at = row
    return RecordedKey(
        scope=scope,
        key=key,
        fingerprint=fingerprint,
        aggregate_id=UUID(str(aggregate_id)),
        version=int(version),
        created=bool(created),
        recorded_at=float(recorded_at),
    )


class SQLiteRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, writing a `RecordedKey` in the events' transaction."""

    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {SQLITE_RECORDED_TABLE} ("
            "scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, "
            "aggregate_id TEXT NOT NULL, version INTEGER NOT NULL, created INTEGER NOT NULL, "
            "recorded_at REAL NOT NULL, PRIMARY KEY (scope, key))",
            f"CREATE INDEX IF NOT EXISTS {SQLITE_RECORDED_TABLE}_recorded_at "
            f"ON {SQLITE_RECORDED_TABLE} (recorded_at)",
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        notification_ids = super()._insert_events(c, stored_events, **kwargs)
        record: RecordedKey | None = kwargs.get(RECORDED_KEY)
        if record is not None:
            c.execute(
                f"INSERT INTO {SQLITE_RECORDED_TABLE} ({_COLUMNS}) VALUES (?,?,?,?,?,?,?) "
                f"ON CONFLICT (scope, key) DO UPDATE SET {_REPLACE} WHERE recorded_at < ?",
                (*_row(record), record.replaces_before),
            )
            if c.sqlite_cursor.rowcount != 1:
                raise KeyAlreadyRecorded(record.scope, record.key)
        return notification_ids

    def recorded_key(self, scope: str, key: str, since: float) -> RecordedKey | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT {_COLUMNS} FROM {SQLITE_RECORDED_TABLE} "
                "WHERE scope = ? AND key = ? AND recorded_at >= ?",
                (scope, key, since),
            )
            row = c.fetchone()
        return None if row is None else _record(tuple(row))

    def forget_recorded_keys(self, before: float) -> int:
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"DELETE FROM {SQLITE_RECORDED_TABLE} WHERE recorded_at < ?", (before,))
            return int(c.sqlite_cursor.rowcount)

    def restore_states(self, states: Sequence[tuple[int, bytes]]) -> None:
        """Write events' states anew in their storage form, by notification id, in one
        transaction (`infra.upgrade` only: what each event says stays as it was)."""
        with self.datastore.transaction(commit=True) as c:
            c.executemany(
                f"UPDATE {self.events_table_name} SET state = ? WHERE rowid = ?",
                [(state, notification_id) for notification_id, state in states],
            )


class PostgresRecorder(ApplicationRecorder):
    """The PostgreSQL recorder with recorded keys and per-aggregate turns (see the module)."""

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.recorded_table = SQL("{}.{}").format(
            Identifier(datastore.schema), Identifier(POSTGRES_RECORDED_TABLE)
        )
        self.sql_create_statements.extend([
            SQL(
                "CREATE TABLE IF NOT EXISTS {} ("
                "scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, "
                "aggregate_id UUID NOT NULL, version BIGINT NOT NULL, created BOOLEAN NOT NULL, "
                "recorded_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (scope, key))"
            ).format(self.recorded_table),
            SQL("CREATE INDEX IF NOT EXISTS {} ON {} (recorded_at)").format(
                Identifier(f"{POSTGRES_RECORDED_TABLE}_recorded_at"), self.recorded_table
            ),
        ])  # fmt: skip
        self._units = threading.local()
        self._pool_connection = datastore.get_connection
        # Every statement the recorder runs on a thread inside a turn goes to the turn's
        # connection: the datastore is this recorder's own (the library makes one per
        # application), so its connections are the recorder's to hand out.
        datastore.get_connection = self._connection  # type: ignore[method-assign]

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[DictRow]]:
        unit: psycopg.Connection[DictRow] | None = getattr(self._units, "connection", None)
        if unit is not None:
            yield unit
            return
        with self._pool_connection() as conn:
            yield conn

    @contextmanager
    def unit(self) -> Iterator[psycopg.Connection[DictRow]]:
        """One transaction for everything this thread records until the end (nested: joined)."""
        unit: psycopg.Connection[DictRow] | None = getattr(self._units, "connection", None)
        if unit is not None:
            yield unit
            return
        with self._pool_connection() as conn, conn.transaction():
            self._units.connection = conn
            try:
                yield conn
            finally:
                self._units.connection = None

    @contextmanager
    def turn(self, aggregate_id: UUID) -> Iterator[None]:
        """This aggregate's turn: no other process writes it until the turn's commit."""
        with self.unit() as conn:
            conn.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                (TURN_LOCK_SPACE, _lock_half(aggregate_id)),
                prepare=True,
            )
            yield

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        record: RecordedKey | None = kwargs.get(RECORDED_KEY)
        notification_ids: Sequence[int] | None
        if record is None:
            notification_ids = super().insert_events(stored_events, **kwargs)
            return notification_ids
        with self.unit() as conn:
            notification_ids = super().insert_events(stored_events, **kwargs)
            inserted = conn.execute(
                SQL(
                    "INSERT INTO {0} AS t (" + _COLUMNS + ") VALUES (%s,%s,%s,%s,%s,%s,%s) "
                    "ON CONFLICT (scope, key) DO UPDATE SET " + _REPLACE + " "
                    "WHERE t.recorded_at < %s RETURNING 1"
                ).format(self.recorded_table),
                (*_row(record), record.replaces_before),
                prepare=True,
            ).fetchone()
            if inserted is None:
                raise KeyAlreadyRecorded(record.scope, record.key)
        return notification_ids

    def recorded_key(self, scope: str, key: str, since: float) -> RecordedKey | None:
        with self.datastore.get_connection() as conn:
            row = conn.execute(
                SQL(
                    "SELECT " + _COLUMNS + " FROM {} "
                    "WHERE scope = %s AND key = %s AND recorded_at >= %s"
                ).format(self.recorded_table),
                (scope, key, since),
            ).fetchone()
        return None if row is None else _record(tuple(row.values()))

    def forget_recorded_keys(self, before: float) -> int:
        with self.datastore.get_connection() as conn:
            cursor = conn.execute(
                SQL("DELETE FROM {} WHERE recorded_at < %s").format(self.recorded_table),
                (before,),
            )
            return cursor.rowcount

    def restore_states(self, states: Sequence[tuple[int, bytes]]) -> None:
        """Write events' states anew in their storage form, by notification id, in one
        transaction (`infra.upgrade` only: what each event says stays as it was)."""
        table = SQL("{}.{}").format(
            Identifier(self.datastore.schema), Identifier(self.events_table_name)
        )
        with self.datastore.transaction(commit=True) as cursor:
            cursor.executemany(
                SQL("UPDATE {} SET state = %s WHERE notification_id = %s").format(table),
                [(state, notification_id) for notification_id, state in states],
            )


def _lock_half(aggregate_id: UUID) -> int:
    """The aggregate's half of its lock: a signed 32-bit number from its id."""
    value = zlib.crc32(aggregate_id.bytes)
    return value - (1 << 32) if value >= 1 << 31 else value
