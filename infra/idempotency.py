"""Idempotency-Key on POST: a repeated request gets the first response back, nothing new recorded.

A key lives in the namespace of the `Authorization` header that sent it (its hash),
so two clients never collide. The first request with a key *claims* it (a row
inserted in one transaction), runs, and stores its response; a repeat with the
same method, path, If-Match and JSON body replays that response byte for byte
(plus `Idempotent-Replayed: true`); a repeat with anything else is `422`; a repeat
while the first is still running is `409` with `Retry-After`, so the two can never
both run. Responses of 5xx are not stored (the claim is released, a retry runs
again). Records are kept 24 hours where the event store is (a SQLite file beside
it, or the table `loften_idempotency` of its PostgreSQL database), so they survive a
restart and, on PostgreSQL, hold across API processes.

`POST /api/v1/tokens` is not replayed: its response holds a secret that is never
stored anywhere.

Cost per request: one transaction to claim, one statement to complete. On SQLite
both run on a connection kept per thread with `synchronous=NORMAL`: the event
store is the truth and a record here is a cache of its answer, so a commit here
is not synced at once. What that risks: if the machine itself stops (not just the
process) within moments of an answer, the record of it may be lost, and a retry
with the same key then runs the command again. Expired records are swept at most
once a minute per process; a claim ignores an expired record of its own key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

from eventsourcing.postgres import PostgresDatastore
from psycopg.sql import SQL, Identifier

from infra.sqlite import ThreadConnections, prepare

RETENTION = timedelta(hours=24)
ABANDONED_AFTER = timedelta(minutes=10)
SWEEP_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class StoredResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class Outcome(Enum):
    CLAIMED = "claimed"
    REPLAY = "replay"
    MISMATCH = "mismatch"
    IN_PROGRESS = "in_progress"


@dataclass(frozen=True)
class Claim:
    outcome: Outcome
    response: StoredResponse | None = None


class IdempotencyStore(Protocol):
    """Where keys and their responses are kept (a SQLite file or a PostgreSQL table)."""

    def claim(self, scope: str, key: str, fingerprint: str, now: datetime) -> Claim: ...

    def complete(self, scope: str, key: str, response: StoredResponse) -> None: ...

    def release(self, scope: str, key: str) -> None: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS idempotency (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    claimed_at REAL NOT NULL,
    status INTEGER,
    headers TEXT,
    body BLOB,
    PRIMARY KEY (scope, key)
);
CREATE INDEX IF NOT EXISTS idempotency_claimed_at ON idempotency (claimed_at);
"""


class _Sweeps:
    """When a process last deleted every expired record: it does so at most once a minute."""

    def __init__(self) -> None:
        self.last: float | None = None

    def due(self, moment: float) -> bool:
        if self.last is not None and 0 <= moment - self.last < SWEEP_EVERY.total_seconds():
            return False
        self.last = moment
        return True


class SQLiteIdempotencyStore:
    """Keys in the API's SQLite file; a claim is one `BEGIN IMMEDIATE` transaction."""

    def __init__(self, path: Path, retention: timedelta = RETENTION) -> None:
        self.path = path
        self.retention = retention
        prepare(path, _SCHEMA)
        self._connections = ThreadConnections(path, synchronous="NORMAL")
        self._sweeps = _Sweeps()

    def close(self) -> None:
        self._connections.close()

    def claim(self, scope: str, key: str, fingerprint: str, now: datetime) -> Claim:
        moment = now.timestamp()
        expired = moment - self.retention.total_seconds()
        abandoned = moment - ABANDONED_AFTER.total_seconds()
        with self._connections.transaction() as conn:
            if self._sweeps.due(moment):
                conn.execute(
                    "DELETE FROM idempotency WHERE claimed_at < ? "
                    "OR (status IS NULL AND claimed_at < ?)",
                    (expired, abandoned),
                )
            conn.execute(
                "DELETE FROM idempotency WHERE scope = ? AND key = ? "
                "AND (claimed_at < ? OR (status IS NULL AND claimed_at < ?))",
                (scope, key, expired, abandoned),
            )
            row = conn.execute(
                "SELECT fingerprint, status, headers, body FROM idempotency "
                "WHERE scope = ? AND key = ?",
                (scope, key),
            ).fetchone()
            if row is None:
                conn.execute(
                    "INSERT INTO idempotency (scope, key, fingerprint, claimed_at) "
                    "VALUES (?, ?, ?, ?)",
                    (scope, key, fingerprint, moment),
                )
        if row is None:
            return Claim(Outcome.CLAIMED)
        return _claim_of(fingerprint, row[0], row[1], row[2], row[3])

    def complete(self, scope: str, key: str, response: StoredResponse) -> None:
        self._connections.get().execute(
            "UPDATE idempotency SET status = ?, headers = ?, body = ? WHERE scope = ? AND key = ?",
            (response.status, json.dumps(response.headers), response.body, scope, key),
        )

    def release(self, scope: str, key: str) -> None:
        self._connections.get().execute(
            "DELETE FROM idempotency WHERE scope = ? AND key = ? AND status IS NULL",
            (scope, key),
        )


def _claim_of(
    fingerprint: str, stored_print: str, status: int | None, headers: str | None, body: Any
) -> Claim:
    """What a key already recorded means for a request with `fingerprint`."""
    if stored_print != fingerprint:
        return Claim(Outcome.MISMATCH)
    if status is None or headers is None:
        return Claim(Outcome.IN_PROGRESS)
    pairs = [(name, value) for name, value in json.loads(headers)]
    return Claim(Outcome.REPLAY, StoredResponse(status, pairs, bytes(body)))


POSTGRES_IDEMPOTENCY_TABLE = "loften_idempotency"


class PostgresIdempotencyStore:
    """Keys in the table `loften_idempotency` of the event store's PostgreSQL database.

    A claim is one `INSERT ... ON CONFLICT DO NOTHING`: of two processes claiming the
    same key at once, PostgreSQL lets exactly one insert the row; the other waits for
    that transaction and then finds the row (in progress, or answered).
    """

    def __init__(self, datastore: PostgresDatastore, retention: timedelta = RETENTION) -> None:
        self.datastore = datastore
        self.retention = retention
        self.table = SQL("{}.{}").format(
            Identifier(datastore.schema), Identifier(POSTGRES_IDEMPOTENCY_TABLE)
        )
        self._sweeps = _Sweeps()

    def create_table(self) -> None:
        """Create the table if it is missing (the caller holds the creation lock)."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {} ("
                    "scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, "
                    "claimed_at DOUBLE PRECISION NOT NULL, status INTEGER, headers TEXT, "
                    "body BYTEA, PRIMARY KEY (scope, key))"
                ).format(self.table)
            )
            cursor.execute(
                SQL("CREATE INDEX IF NOT EXISTS {} ON {} (claimed_at)").format(
                    Identifier(f"{POSTGRES_IDEMPOTENCY_TABLE}_claimed_at"), self.table
                )
            )

    def claim(self, scope: str, key: str, fingerprint: str, now: datetime) -> Claim:
        moment = now.timestamp()
        expired = moment - self.retention.total_seconds()
        abandoned = moment - ABANDONED_AFTER.total_seconds()
        if self._sweeps.due(moment):
            with self.datastore.transaction(commit=True) as cursor:
                cursor.execute(
                    SQL("DELETE FROM {} WHERE claimed_at < %s").format(self.table), (expired,)
                )
        while True:
            with self.datastore.transaction(commit=True) as cursor:
                cursor.execute(
                    SQL(
                        "DELETE FROM {} WHERE scope = %s AND key = %s "
                        "AND (claimed_at < %s OR (status IS NULL AND claimed_at < %s))"
                    ).format(self.table),
                    (scope, key, expired, abandoned),
                )
                cursor.execute(
                    SQL(
                        "INSERT INTO {} (scope, key, fingerprint, claimed_at) "
                        "VALUES (%s, %s, %s, %s) ON CONFLICT (scope, key) DO NOTHING "
                        "RETURNING scope"
                    ).format(self.table),
                    (scope, key, fingerprint, moment),
                )
                if cursor.fetchone() is not None:
                    return Claim(Outcome.CLAIMED)
                cursor.execute(
                    SQL(
                        "SELECT fingerprint, status, headers, body FROM {} "
                        "WHERE scope = %s AND key = %s"
                    ).format(self.table),
                    (scope, key),
                )
                row: dict[str, Any] | None = cursor.fetchone()
            if row is not None:
                return _claim_of(
                    fingerprint, row["fingerprint"], row["status"], row["headers"], row["body"]
                )
            # Released (or expired) between our insert and our read: claim it again.

    def complete(self, scope: str, key: str, response: StoredResponse) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL(
                    "UPDATE {} SET status = %s, headers = %s, body = %s "
                    "WHERE scope = %s AND key = %s"
                ).format(self.table),
                (response.status, json.dumps(response.headers), response.body, scope, key),
            )

    def release(self, scope: str, key: str) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL("DELETE FROM {} WHERE scope = %s AND key = %s AND status IS NULL").format(
                    self.table
                ),
                (scope, key),
            )
