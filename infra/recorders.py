"""The event store's recorders: keys and erasable values recorded with the events, writers' turns.

Four jobs the library's recorders leave to us (the fourth, group commit on SQLite, is
`infra.group_commit`'s: `SQLiteRecorder.group_commits`):

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
- **Erasable values kept apart ("forgettable payload").** An event's erasable values
  and their salts (`infra.codec.PersonalStoredEvent.personal`) go to a table of their
  own (`personal_values` / `loften_personal_values`), in the events' transaction, and
  come back with the event on every read (`select_events`, `select_notifications`).
  An erasure (`insert_events(..., erase_values=[...])`, with the `PersonalDataErased`
  event, in one transaction) deletes them from that table; the event and its digests
  stay. SQLite deletes with `secure_delete` (freed bytes overwritten with zeros) and
  `forget_erased()` checkpoints the write-ahead log into the file and truncates it, so
  the values are gone from the files; PostgreSQL's dead rows go at the next vacuum.

One piece on purpose: the SQLite and PostgreSQL recorders each subclass the library's
recorder and override the same few methods for the same three jobs in the same
transaction (events, key, erasable values, the turn's connection); the row helpers at
the top serve both. Apart, a reader would have to follow one transaction across files.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore
from psycopg.rows import DictRow, tuple_row
from psycopg.sql import SQL, Composable, Identifier

from domain.events import RECORDED_EVENTS, topic_of
from domain.personal_data import ERASABLE
from infra.codec import PersonalNotification, PersonalStoredEvent
from infra.group_commit import GroupCommit, HoldBatch, Pending, persistence_error
from infra.postgres import ApplicationRecorder
from projections.stored_reader import dashed
from workflow.keys import ERASE_VALUES, RECORDED_KEY, KeyAlreadyRecorded, RecordedKey

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


SQLITE_PERSONAL_TABLE = "personal_values"
POSTGRES_PERSONAL_TABLE = "loften_personal_values"
#: The topics of the events that keep erasable values apart.
ERASABLE_TOPICS = frozenset(topic_of(cls) for cls in RECORDED_EVENTS if cls.__name__ in ERASABLE)
#: How many (id, version) pairs one look-up of kept values names.
_CHUNK = 400

Erasure = tuple[UUID, int, Sequence[str]]
"""One event's erasable fields to erase: (aggregate id, version, field names)."""

Saving = tuple[Sequence[StoredEvent], dict[str, Any]]
"""One save's events and the keywords of its `insert_events` (its recorded key)."""


def _personal_rows(stored_events: Sequence[StoredEvent]) -> list[tuple[UUID, int, bytes]]:
    rows = []
    for stored in stored_events:
        personal = getattr(stored, "personal", None)
        if personal:
            rows.append((UUID(str(stored.originator_id)), stored.originator_version, personal))
    return rows


def _wanted(stored_events: Sequence[StoredEvent]) -> list[tuple[UUID, int]]:
    return [
        (UUID(str(e.originator_id)), e.originator_version)
        for e in stored_events
        if e.topic in ERASABLE_TOPICS
    ]


def _with_personal(stored_events: Sequence[Any], kept: dict[tuple[str, int], bytes]) -> list[Any]:
    """The events with their kept values attached (the others as they were: nothing kept,
    or all erased). Copied by their `__dict__`: a frozen dataclass's `__init__` is slow,
    and a page of the log holds a thousand of these."""
    if not kept:
        return list(stored_events)
    found: list[Any] = []
    for e in stored_events:
        personal = kept.get((e.originator_id.hex, e.originator_version))
        if personal is None:
            found.append(e)
            continue
        kind = PersonalNotification if isinstance(e, Notification) else PersonalStoredEvent
        copied = object.__new__(kind)
        copied.__dict__.update(e.__dict__, personal=personal)
        found.append(copied)
    return found


def _without(payload: bytes, names: Sequence[str]) -> bytes | None:
    """A kept payload without `names` (None when nothing is left to keep)."""
    import orjson

    kept = {k: v for k, v in orjson.loads(payload).items() if k not in names}
    return orjson.dumps(kept) if kept else None


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
        self.group: GroupCommit[Saving, Sequence[int] | None] | None = None
        self._hold: HoldBatch | None = None

    def group_commits(self, hold: HoldBatch | None = None) -> None:
        """From now on, concurrent saves commit together (`infra.group_commit`).

        `hold`: a test's hook that keeps one batch's transaction open (`HoldBatch`).
        """
        self.group = GroupCommit(self._insert_batch, self._insert_alone)
        self._hold = hold

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        # An erasure sets a pragma and rewrites rows: it keeps a transaction of its own.
        if self.group is None or kwargs.get(ERASE_VALUES):
            return super().insert_events(stored_events, **kwargs)
        return self.group.submit((stored_events, kwargs))

    def _insert_alone(self, saving: Saving) -> Sequence[int] | None:
        return super().insert_events(saving[0], **saving[1])

    def _insert_batch(self, batch: list[Pending[Saving, Sequence[int] | None]]) -> None:
        """Every save of `batch` in one transaction, each under its own savepoint."""
        with self.datastore.transaction(commit=True) as c:
            for pending in batch:
                c.execute("SAVEPOINT saving")
                try:
                    pending.result = self._insert_events(c, pending.item[0], **pending.item[1])
                except Exception as exc:
                    c.execute("ROLLBACK TO saving")
                    pending.error = persistence_error(exc)
                c.execute("RELEASE saving")
            if self._hold is not None:
                self._hold(len(batch))

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {SQLITE_RECORDED_TABLE} ("
            "scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, "
            "aggregate_id TEXT NOT NULL, version INTEGER NOT NULL, created INTEGER NOT NULL, "
            "recorded_at REAL NOT NULL, PRIMARY KEY (scope, key))",
            f"CREATE INDEX IF NOT EXISTS {SQLITE_RECORDED_TABLE}_recorded_at "
            f"ON {SQLITE_RECORDED_TABLE} (recorded_at)",
            # The notification id too: a page of the log finds its events' values by one
            # range of an index, not by a look-up per event.
            f"CREATE TABLE IF NOT EXISTS {SQLITE_PERSONAL_TABLE} ("
            "originator_id TEXT NOT NULL, originator_version INTEGER NOT NULL, "
            "notification_id INTEGER NOT NULL, payload BLOB NOT NULL, "
            "PRIMARY KEY (originator_id, originator_version))",
            f"CREATE INDEX IF NOT EXISTS {SQLITE_PERSONAL_TABLE}_by_notification "
            f"ON {SQLITE_PERSONAL_TABLE} (notification_id)",
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        notification_ids = super()._insert_events(c, stored_events, **kwargs)
        personal = [
            (UUID(str(e.originator_id)).hex, e.originator_version, notification_id, kept)
            for e, notification_id in zip(stored_events, notification_ids or (), strict=False)
            if (kept := getattr(e, "personal", None))
        ]
        if personal:
            c.executemany(f"INSERT INTO {SQLITE_PERSONAL_TABLE} VALUES (?, ?, ?, ?)", personal)
        erasures: Sequence[Erasure] | None = kwargs.get(ERASE_VALUES)
        if erasures:
            self._erase(c, erasures)
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

    def _erase(self, c: SQLiteCursor, erasures: Sequence[Erasure]) -> None:
        """Delete the named values and their salts, freed bytes overwritten with zeros."""
        c.execute("PRAGMA secure_delete = ON")
        for aggregate_id, version, names in erasures:
            key = (aggregate_id.hex, version)
            c.execute(
                f"SELECT notification_id, payload FROM {SQLITE_PERSONAL_TABLE} "
                "WHERE originator_id = ? AND originator_version = ?",
                key,
            )
            row = c.fetchone()
            if row is None:
                continue
            left = _without(bytes(row[1]), names)
            c.execute(
                f"DELETE FROM {SQLITE_PERSONAL_TABLE} "
                "WHERE originator_id = ? AND originator_version = ?",
                key,
            )
            if left is not None:
                c.execute(
                    f"INSERT INTO {SQLITE_PERSONAL_TABLE} VALUES (?, ?, ?, ?)",
                    (*key, row[0], left),
                )

    def forget_erased(self) -> None:
        """Write the log into the file and truncate it, so no erased byte stays in either."""
        pool = self.datastore.pool
        if pool.is_sqlite_memory_mode:
            return
        conn = sqlite3.connect(pool.db_name, timeout=30)
        try:
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()

    def _kept(self, sql: str, params: Sequence[Any]) -> dict[tuple[str, int], bytes]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT originator_id, originator_version, payload FROM "
                f"{SQLITE_PERSONAL_TABLE} WHERE {sql}",
                params,
            )
            return {(row[0], row[1]): row[2] for row in c.fetchall()}

    def select_events(self, originator_id: UUID | str, **kwargs: Any) -> Sequence[StoredEvent]:
        events = super().select_events(originator_id, **kwargs)
        if not _wanted(events):
            return events
        kept = self._kept("originator_id = ?", (UUID(str(originator_id)).hex,))
        return _with_personal(events, kept)

    def select_notifications(self, *args: Any, **kwargs: Any) -> Sequence[Notification]:
        notifications = super().select_notifications(*args, **kwargs)
        wanted = [n.id for n in notifications if n.topic in ERASABLE_TOPICS]
        if not wanted:
            return notifications
        kept = self._kept("notification_id BETWEEN ? AND ?", (min(wanted), max(wanted)))
        return _with_personal(notifications, kept)

    def select_log_rows(
        self,
        after: int,
        upto: int,
        limit: int,
        *,
        topics: Sequence[str] | None = None,
        aggregates: Sequence[str] | None = None,
    ) -> list[tuple[Any, ...]]:
        """One page of the log as plain rows, each event with its kept values (one joined read).

        Rows: notification id, aggregate id (the UUID's text), version, topic, state, the
        kept values' payload or None. Verification reads every event this way: no
        `StoredEvent` or `UUID` is built for any, and no second look-up finds the values.
        `topics` and `aggregates` (UUID texts) narrow the page to those events, skipped in
        the database rather than read (a verification worker reads only its share).
        """
        where, params = "", list[Any]([after, upto])
        if topics is not None:
            where += " AND e.topic IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(list(topics)))
        if aggregates is not None:  # `+`: the scan stays in log order, no index and sort
            where += " AND +e.originator_id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(_stored_ids(aggregates)))
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT e.rowid, e.originator_id, e.originator_version, e.topic, e.state, "
                f"p.payload FROM {self.events_table_name} e LEFT JOIN {SQLITE_PERSONAL_TABLE} p "
                "ON p.originator_id = e.originator_id "
                "AND p.originator_version = e.originator_version "
                f"WHERE e.rowid > ? AND e.rowid <= ?{where} ORDER BY e.rowid LIMIT ?",
                (*params, limit),
            )
            rows = c.sqlite_cursor.fetchall()
        return [(n, _uuid_text(i), v, t, s, p) for n, i, v, t, s, p in rows]

    def select_log_topics(self, upto: int) -> list[str]:
        """Every topic of the log up to `upto` (one scan in the database)."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT DISTINCT topic FROM {self.events_table_name} WHERE rowid <= ?", (upto,)
            )
            return [row[0] for row in c.sqlite_cursor.fetchall()]

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

    def restore_states(
        self,
        states: Sequence[tuple[int, bytes]],
        personal: Sequence[tuple[int, StoredEvent]] = (),
    ) -> None:
        """Write events' states anew in their storage form, by notification id, with the
        values they keep apart, in one transaction (`infra.upgrade` only: what each event
        says stays as it was). Freed bytes are overwritten: moved values leave no copy."""
        with self.datastore.transaction(commit=True) as c:
            c.execute("PRAGMA secure_delete = ON")
            c.executemany(
                f"UPDATE {self.events_table_name} SET state = ? WHERE rowid = ?",
                [(state, notification_id) for notification_id, state in states],
            )
            c.executemany(
                f"INSERT OR REPLACE INTO {SQLITE_PERSONAL_TABLE} VALUES (?, ?, ?, ?)",
                [
                    (UUID(str(e.originator_id)).hex, e.originator_version, n, kept)
                    for n, e in personal
                    if (kept := getattr(e, "personal", None))
                ],
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
        self.personal_table = SQL("{}.{}").format(
            Identifier(datastore.schema), Identifier(POSTGRES_PERSONAL_TABLE)
        )
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {} (originator_id UUID NOT NULL, "
                "originator_version BIGINT NOT NULL, payload BYTEA NOT NULL, "
                "PRIMARY KEY (originator_id, originator_version))"
            ).format(self.personal_table)
        )
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
        erasures: Sequence[Erasure] | None = kwargs.get(ERASE_VALUES)
        personal = _personal_rows(stored_events)
        notification_ids: Sequence[int] | None
        if record is None and not erasures and not personal:
            notification_ids = super().insert_events(stored_events, **kwargs)
            return notification_ids
        with self.unit() as conn:
            notification_ids = super().insert_events(stored_events, **kwargs)
            if personal:
                with conn.cursor() as cursor:
                    cursor.executemany(
                        SQL("INSERT INTO {} VALUES (%s, %s, %s)").format(self.personal_table),
                        personal,
                    )
            for aggregate_id, version, names in erasures or ():
                self._erase(conn, aggregate_id, version, names)
            if record is None:
                return notification_ids
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

    def _erase(
        self,
        conn: psycopg.Connection[DictRow],
        aggregate_id: UUID,
        version: int,
        names: Sequence[str],
    ) -> None:
        row = conn.execute(
            SQL(
                "SELECT payload FROM {} WHERE originator_id = %s AND originator_version = %s"
            ).format(self.personal_table),
            (aggregate_id, version),
        ).fetchone()
        if row is None:
            return
        left = _without(bytes(row["payload"]), names)
        if left is None:
            conn.execute(
                SQL("DELETE FROM {} WHERE originator_id = %s AND originator_version = %s").format(
                    self.personal_table
                ),
                (aggregate_id, version),
            )
        else:
            conn.execute(
                SQL(
                    "UPDATE {} SET payload = %s "
                    "WHERE originator_id = %s AND originator_version = %s"
                ).format(self.personal_table),
                (left, aggregate_id, version),
            )

    def forget_erased(self) -> None:
        """Nothing to do at once: PostgreSQL's dead rows (the erased values' old versions)
        are removed by the next vacuum of the table (autovacuum, or `VACUUM` by hand)."""

    def _kept(self, wanted: list[tuple[UUID, int]]) -> dict[tuple[str, int], bytes]:
        kept: dict[tuple[str, int], bytes] = {}
        if not wanted:
            return kept
        with self.datastore.get_connection() as conn:
            rows = conn.execute(
                SQL(
                    "SELECT t.originator_id, t.originator_version, t.payload FROM {} t "
                    "JOIN unnest(%s::uuid[], %s::bigint[]) AS k(id, v) "
                    "ON t.originator_id = k.id AND t.originator_version = k.v"
                ).format(self.personal_table),
                ([i for i, _ in wanted], [v for _, v in wanted]),
            ).fetchall()
        for row in rows:
            kept[(row["originator_id"].hex, int(row["originator_version"]))] = bytes(row["payload"])
        return kept

    def select_events(self, originator_id: UUID | str, **kwargs: Any) -> Sequence[StoredEvent]:
        events = super().select_events(originator_id, **kwargs)
        wanted = _wanted(events)
        return _with_personal(events, self._kept(wanted)) if wanted else events

    def select_notifications(self, *args: Any, **kwargs: Any) -> Sequence[Notification]:
        notifications = super().select_notifications(*args, **kwargs)
        wanted = _wanted(notifications)
        return _with_personal(notifications, self._kept(wanted)) if wanted else notifications

    def select_log_rows(
        self,
        after: int,
        upto: int,
        limit: int,
        *,
        topics: Sequence[str] | None = None,
        aggregates: Sequence[str] | None = None,
    ) -> list[tuple[Any, ...]]:
        """One page of the log as plain rows with the kept values (see `SQLiteRecorder`'s)."""
        where: Composable = SQL("")
        params = list[Any]([after, upto])
        if topics is not None:
            where += SQL(" AND e.topic = ANY(%s)")
            params.append(list(topics))
        if aggregates is not None:
            where += SQL(" AND e.originator_id = ANY(%s::uuid[])")
            params.append([UUID(text) for text in aggregates if _is_uuid(text)])
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
            cur.execute(
                SQL(
                    "SELECT e.notification_id, e.originator_id::text, e.originator_version, "
                    "e.topic, e.state, p.payload FROM {} e LEFT JOIN {} p "
                    "ON p.originator_id = e.originator_id "
                    "AND p.originator_version = e.originator_version "
                    "WHERE e.notification_id > %s AND e.notification_id <= %s{} "
                    "ORDER BY e.notification_id LIMIT %s"
                ).format(self._events(), self.personal_table, where),
                (*params, limit),
                prepare=False,  # a plan for these very ids (a generic one would not hash them)
            )
            return cur.fetchall()

    def select_log_topics(self, upto: int) -> list[str]:
        """Every topic of the log up to `upto` (one scan in the database)."""
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
            cur.execute(
                SQL("SELECT DISTINCT topic FROM {} WHERE notification_id <= %s").format(
                    self._events()
                ),
                (upto,),
            )
            return [row[0] for row in cur.fetchall()]

    def _events(self) -> Any:
        return SQL("{}.{}").format(
            Identifier(self.datastore.schema), Identifier(self.events_table_name)
        )

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

    def restore_states(
        self,
        states: Sequence[tuple[int, bytes]],
        personal: Sequence[tuple[int, StoredEvent]] = (),
    ) -> None:
        """Write events' states anew in their storage form, by notification id, with the
        values they keep apart, in one transaction (`infra.upgrade` only: what each event
        says stays as it was)."""
        table = SQL("{}.{}").format(
            Identifier(self.datastore.schema), Identifier(self.events_table_name)
        )
        with self.datastore.transaction(commit=True) as cursor:
            cursor.executemany(
                SQL("UPDATE {} SET state = %s WHERE notification_id = %s").format(table),
                [(state, notification_id) for notification_id, state in states],
            )
            rows = _personal_rows([e for _, e in personal])
            if rows:
                cursor.executemany(
                    SQL(
                        "INSERT INTO {} VALUES (%s, %s, %s) ON CONFLICT "
                        "(originator_id, originator_version) "
                        "DO UPDATE SET payload = excluded.payload"
                    ).format(self.personal_table),
                    rows,
                )


def _stored_ids(aggregates: Sequence[str]) -> list[str]:
    """The ids as SQLite may store them: each text itself, and a UUID's text as its hex (the
    library's form, which `_uuid_text` dashes)."""
    found = set(aggregates)
    for text in aggregates:
        if len(text) == 36 and text[8] == text[13] == text[18] == text[23] == "-":
            found.add(text[:8] + text[9:13] + text[14:18] + text[19:23] + text[24:])
    return sorted(found)


def _is_uuid(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
    return True


def _uuid_text(aggregate_id: str) -> str:
    """An aggregate id as SQLite stores it (`UUID.hex`) in the UUID's text form."""
    return dashed(aggregate_id) if len(aggregate_id) == 32 else aggregate_id


def _lock_half(aggregate_id: UUID) -> int:
    """The aggregate's half of its lock: a signed 32-bit number from its id."""
    value = zlib.crc32(aggregate_id.bytes)
    return value - (1 << 32) if value >= 1 << 31 else value
