"""Idempotency keys: who is answering a key now, and the answer once given.

A key lives in the namespace of the `Authorization` header that sent it (its hash),
so two clients never collide. Two records keep a key's story, in two places:

- **Here, the claim and the answer** (a SQLite file beside the event store, or the
  table `loften_idempotency` of its PostgreSQL database). The first request with a
  key *claims* it: a row naming its owner, the process answering it (`infra.owners`).
  A repeat while the owner still runs is `IN_PROGRESS` (`409`); a claim whose owner
  died is *taken over* by the repeat at once (`TAKEN_OVER`), never after a timer. A
  `2xx` answer is stored on the row and replayed to every repeat with the same
  request (`REPLAY`); another request with the key is `MISMATCH` (`422`). An error
  answer deletes the row: the key is free again for the corrected request.
- **In the event store, the key spent** (`infra.recorders`): written in the same
  transaction as the command's events. That one is the truth about whether the key
  took effect; the answer here is its cache. A taken-over claim first asks the event
  store, and answers from the recorded events if the dead owner's command had been
  recorded.

Cost per keyed request: one transaction to claim, one statement to store the answer,
and one small insert inside the events' own transaction. On SQLite the claim and the
answer run on a connection kept per thread with `synchronous=NORMAL`: a commit here
survives the process, and if the machine itself stops, the event store's record of
the key still decides. Records are kept `KEY_RETENTION` (24 hours); expired ones are
swept at most once a minute per process, and a claim ignores an expired record of
its own key.
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

from infra.owners import FileOwners, Owners, SessionOwners
from infra.sqlite import ThreadConnections, connection, prepare
from workflow.keys import KEY_RETENTION

RETENTION = KEY_RETENTION
SWEEP_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class StoredResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class Outcome(Enum):
    CLAIMED = "claimed"
    TAKEN_OVER = "taken_over"
    REPLAY = "replay"
    MISMATCH = "mismatch"
    IN_PROGRESS = "in_progress"


@dataclass(frozen=True)
class Claim:
    outcome: Outcome
    response: StoredResponse | None = None


class IdempotencyStore(Protocol):
    """Where claims and answers are kept (a SQLite file or a PostgreSQL table)."""

    owners: Owners
    #: True: `claim` and `complete` are short statements on a local file, run on the
    #: event loop itself rather than handed to a thread (see the middleware).
    inline: bool

    def claim(self, scope: str, key: str, fingerprint: str, now: datetime) -> Claim: ...

    def complete(self, scope: str, key: str, response: StoredResponse) -> None: ...

    def release(self, scope: str, key: str) -> None: ...

    def abandon(self, scope: str, key: str) -> None: ...

    def forget_answers_about(self, text: str) -> int:
        """Delete the kept answers that mention `text` (an erased dialogue's id): they
        may hold values erased since. A repeat of one of those requests runs anew."""
        ...

    def close(self) -> None: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS idempotency (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    claimed_at REAL NOT NULL,
    status INTEGER,
    headers TEXT,
    body BLOB,
    owner TEXT,
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


def _claim_of(
    fingerprint: str,
    stored_print: str,
    status: int | None,
    headers: str | None,
    body: Any,
    owner_alive: bool,
) -> Claim | None:
    """What a key's row means for a request with `fingerprint` (None: take it over)."""
    if stored_print != fingerprint:
        return Claim(Outcome.MISMATCH)
    if status is not None and headers is not None:
        pairs = [(name, value) for name, value in json.loads(headers)]
        return Claim(Outcome.REPLAY, StoredResponse(status, pairs, bytes(body)))
    if owner_alive:
        return Claim(Outcome.IN_PROGRESS)
    return None


class SQLiteIdempotencyStore:
    """Keys in the API's SQLite file; a claim is one `BEGIN IMMEDIATE` transaction."""

    def __init__(self, path: Path, retention: timedelta = RETENTION) -> None:
        self.path = path
        self.retention = retention
        prepare(path, _SCHEMA)
        with connection(path) as conn:  # files made before claims had owners
            columns = {row[1] for row in conn.execute("PRAGMA table_info(idempotency)")}
            if "owner" not in columns:
                conn.execute("ALTER TABLE idempotency ADD COLUMN owner TEXT")
        self.owners: Owners = FileOwners(path.with_name(path.stem + ".owners"))
        self._connections = ThreadConnections(path, synchronous="NORMAL")
        self._sweeps = _Sweeps()
        self.inline = True

    def close(self) -> None:
        self._connections.close()
        self.owners.close()

    def claim(self, scope: str, key: str, fingerprint: str, now: datetime) -> Claim:
        moment = now.timestamp()
        expired = moment - self.retention.total_seconds()
        with self._connections.transaction() as conn:
            if self._sweeps.due(moment):
                conn.execute("DELETE FROM idempotency WHERE claimed_at < ?", (expired,))
            conn.execute(
                "DELETE FROM idempotency WHERE scope = ? AND key = ? AND claimed_at < ?",
                (scope, key, expired),
            )
            row = conn.execute(
                "SELECT fingerprint, status, headers, body, owner FROM idempotency "
                "WHERE scope = ? AND key = ?",
                (scope, key),
            ).fetchone()
            if row is None:
                conn.execute(
                    "INSERT INTO idempotency (scope, key, fingerprint, claimed_at, owner) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (scope, key, fingerprint, moment, self.owners.me),
                )
                return Claim(Outcome.CLAIMED)
            answer = _claim_of(
                fingerprint, row[0], row[1], row[2], row[3], self.owners.alive(row[4])
            )
            if answer is not None:
                return answer
            conn.execute(
                "UPDATE idempotency SET owner = ?, claimed_at = ? WHERE scope = ? AND key = ?",
                (self.owners.me, moment, scope, key),
            )
            return Claim(Outcome.TAKEN_OVER)

    def complete(self, scope: str, key: str, response: StoredResponse) -> None:
        self._connections.write(
            "UPDATE idempotency SET status = ?, headers = ?, body = ? WHERE scope = ? AND key = ?",
            (response.status, json.dumps(response.headers), response.body, scope, key),
        )

    def release(self, scope: str, key: str) -> None:
        self._connections.write(
            "DELETE FROM idempotency WHERE scope = ? AND key = ? AND status IS NULL",
            (scope, key),
        )

    def abandon(self, scope: str, key: str) -> None:
        """Leave the claim to the next repeat (its command was recorded, its answer failed)."""
        self._connections.write(
            "UPDATE idempotency SET owner = NULL WHERE scope = ? AND key = ? AND status IS NULL",
            (scope, key),
        )

    def forget_answers_about(self, text: str) -> int:
        conn = self._connections.get()
        conn.execute("PRAGMA secure_delete = ON")
        removed = conn.execute(
            "DELETE FROM idempotency WHERE body IS NOT NULL AND instr(body, ?) > 0",
            (text.encode("utf-8"),),
        ).rowcount
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return int(removed)


POSTGRES_IDEMPOTENCY_TABLE = "loften_idempotency"


class PostgresIdempotencyStore:
    """Keys in the table `loften_idempotency` of the event store's PostgreSQL database.

    A claim is one `INSERT ... ON CONFLICT DO NOTHING`: of two processes claiming the
    same key at once, PostgreSQL lets exactly one insert the row; the other then reads
    it `FOR UPDATE`, so of two repeats taking over a dead claim only one does.
    """

    def __init__(self, datastore: PostgresDatastore, retention: timedelta = RETENTION) -> None:
        self.datastore = datastore
        self.retention = retention
        self.table = SQL("{}.{}").format(
            Identifier(datastore.schema), Identifier(POSTGRES_IDEMPOTENCY_TABLE)
        )
        self._sweeps = _Sweeps()
        self.owners: Owners = SessionOwners(datastore)
        self.inline = False  # a round trip to the server: not on the event loop

    def close(self) -> None:
        self.owners.close()

    def create_table(self) -> None:
        """Create the table if it is missing (the caller holds the creation lock)."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {} ("
                    "scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, "
                    "claimed_at DOUBLE PRECISION NOT NULL, status INTEGER, headers TEXT, "
                    "body BYTEA, owner TEXT, PRIMARY KEY (scope, key))"
                ).format(self.table)
            )
            cursor.execute(
                SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS owner TEXT").format(self.table)
            )
            cursor.execute(
                SQL("CREATE INDEX IF NOT EXISTS {} ON {} (claimed_at)").format(
                    Identifier(f"{POSTGRES_IDEMPOTENCY_TABLE}_claimed_at"), self.table
                )
            )

    def claim(self, scope: str, key: str, fingerprint: str, now: datetime) -> Claim:
        moment = now.timestamp()
        expired = moment - self.retention.total_seconds()
        owners = self.owners
        if self._sweeps.due(moment):
            with self.datastore.transaction(commit=True) as cursor:
                cursor.execute(
                    SQL("DELETE FROM {} WHERE claimed_at < %s").format(self.table), (expired,)
                )
        while True:
            with self.datastore.transaction(commit=True) as cursor:
                cursor.execute(
                    SQL("DELETE FROM {} WHERE scope = %s AND key = %s AND claimed_at < %s").format(
                        self.table
                    ),
                    (scope, key, expired),
                )
                cursor.execute(
                    SQL(
                        "INSERT INTO {} (scope, key, fingerprint, claimed_at, owner) "
                        "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (scope, key) DO NOTHING "
                        "RETURNING scope"
                    ).format(self.table),
                    (scope, key, fingerprint, moment, owners.me),
                )
                if cursor.fetchone() is not None:
                    return Claim(Outcome.CLAIMED)
                cursor.execute(
                    SQL(
                        "SELECT fingerprint, status, headers, body, owner FROM {} "
                        "WHERE scope = %s AND key = %s FOR UPDATE"
                    ).format(self.table),
                    (scope, key),
                )
                row: dict[str, Any] | None = cursor.fetchone()
                if row is not None:
                    answer = _claim_of(
                        fingerprint,
                        row["fingerprint"],
                        row["status"],
                        row["headers"],
                        row["body"],
                        owners.alive(row["owner"], cursor),
                    )
                    if answer is not None:
                        return answer
                    cursor.execute(
                        SQL(
                            "UPDATE {} SET owner = %s, claimed_at = %s "
                            "WHERE scope = %s AND key = %s"
                        ).format(self.table),
                        (owners.me, moment, scope, key),
                    )
                    return Claim(Outcome.TAKEN_OVER)
            # Released between our insert and our read: claim it again.

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

    def abandon(self, scope: str, key: str) -> None:
        """Leave the claim to the next repeat (its command was recorded, its answer failed)."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL(
                    "UPDATE {} SET owner = NULL WHERE scope = %s AND key = %s AND status IS NULL"
                ).format(self.table),
                (scope, key),
            )

    def forget_answers_about(self, text: str) -> int:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL(
                    "DELETE FROM {} WHERE body IS NOT NULL AND position(%s::bytea in body) > 0"
                ).format(self.table),
                (text.encode("utf-8"),),
            )
            return int(cursor.rowcount)
