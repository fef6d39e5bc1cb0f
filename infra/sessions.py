"""Workspace sessions, held on the server: who signed in with which token, until when.

A person signs in to the workspace (`/arbete/`) with an access token; the server
then keeps a session row and hands the browser only the session's id, signed (the
cookie). The row holds the SHA-256 of the session id (a stolen copy of the table
opens nothing), the hash of the token it was opened with (so every request asks
the token store again, and a revoked or expired token ends the session at once),
the form key its CSRF tokens are made from, and when it was last used. A session
ends after `IDLE` without use and when its person signs out (the row is deleted), so
a cookie replayed afterwards names nothing.

The key that signs the cookies is `LOFTEN_SESSION_KEY` when set; otherwise one
made at first start and kept with the sessions, beside the store, so that `make
run` needs nothing and a restart keeps everyone signed in.

The rows live where the tokens do: in the API's SQLite file beside the event store,
or in the table `loften_sessions` of its PostgreSQL database.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from eventsourcing.postgres import PostgresDatastore
from psycopg.sql import SQL, Identifier

from infra.sqlite import ThreadConnections, prepare

#: A session unused for this long has ended (the person signs in again).
IDLE = timedelta(hours=8)
#: `seen_at` is written at most this often per session: a page view is not a write.
TOUCH_EVERY = timedelta(minutes=1)

POSTGRES_SESSIONS_TABLE = "loften_sessions"
POSTGRES_SESSION_KEY_TABLE = "loften_session_key"


@dataclass(frozen=True)
class Session:
    """A signed-in person's session: its id (only in the cookie), the token's hash, the key
    of its forms' CSRF tokens, and when it was last used."""

    id: str
    token_hash: str
    form_key: str
    seen_at: datetime

    def idle(self, now: datetime) -> bool:
        return now - self.seen_at >= IDLE


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).hexdigest()


class SessionStore(Protocol):
    """Where sessions and the cookie-signing key live."""

    def open(self, token_hash: str, now: datetime) -> Session: ...

    def find(self, session_id: str, now: datetime) -> Session | None: ...

    def end(self, session_id: str) -> None: ...

    def signing_key(self) -> str: ...

    def close(self) -> None: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    hash TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    form_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    seen_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_seen_at ON sessions (seen_at);
CREATE TABLE IF NOT EXISTS session_key (
    name TEXT PRIMARY KEY,
    key TEXT NOT NULL
);
"""


def _new(token_hash: str, now: datetime) -> Session:
    return Session(
        id=secrets.token_urlsafe(32),
        token_hash=token_hash,
        form_key=secrets.token_urlsafe(32),
        seen_at=now,
    )


class SQLiteSessionStore:
    """Sessions in the API's SQLite file (beside the event store)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        prepare(path, _SCHEMA)
        self._connections = ThreadConnections(path, synchronous="NORMAL")

    def close(self) -> None:
        self._connections.close()

    def open(self, token_hash: str, now: datetime) -> Session:
        session = _new(token_hash, now)
        with self._connections.transaction() as conn:
            # Sessions idle past their end are swept whenever someone signs in.
            conn.execute("DELETE FROM sessions WHERE seen_at < ?", ((now - IDLE).isoformat(),))
            conn.execute(
                "INSERT INTO sessions (hash, token_hash, form_key, created_at, seen_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    _digest(session.id),
                    token_hash,
                    session.form_key,
                    now.isoformat(),
                    now.isoformat(),
                ),
            )
        return session

    def find(self, session_id: str, now: datetime) -> Session | None:
        """The session, touched; None if there is none or it has been idle too long (ended)."""
        conn = self._connections.get()
        digest = _digest(session_id)
        row = conn.execute(
            "SELECT token_hash, form_key, seen_at FROM sessions WHERE hash = ?", (digest,)
        ).fetchone()
        if row is None:
            return None
        session = Session(session_id, row[0], row[1], datetime.fromisoformat(row[2]))
        if session.idle(now):
            conn.execute("DELETE FROM sessions WHERE hash = ?", (digest,))
            return None
        if now - session.seen_at >= TOUCH_EVERY:
            conn.execute(
                "UPDATE sessions SET seen_at = ? WHERE hash = ?", (now.isoformat(), digest)
            )
        return session

    def end(self, session_id: str) -> None:
        self._connections.get().execute(
            "DELETE FROM sessions WHERE hash = ?", (_digest(session_id),)
        )

    def signing_key(self) -> str:
        """The key kept beside the store, made on first use."""
        with self._connections.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO session_key (name, key) VALUES ('cookie', ?)",
                (secrets.token_urlsafe(48),),
            )
            key: str = conn.execute("SELECT key FROM session_key WHERE name = 'cookie'").fetchone()[
                0
            ]
        return key


class PostgresSessionStore:
    """Sessions in the table `loften_sessions` of the event store's PostgreSQL database."""

    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore
        self.table = SQL("{}.{}").format(
            Identifier(datastore.schema), Identifier(POSTGRES_SESSIONS_TABLE)
        )
        self.key_table = SQL("{}.{}").format(
            Identifier(datastore.schema), Identifier(POSTGRES_SESSION_KEY_TABLE)
        )

    def close(self) -> None:
        """Nothing of its own to close: the pool is the caller's."""

    def create_table(self) -> None:
        """Create the tables if missing (the caller holds the creation lock)."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {} (hash TEXT PRIMARY KEY, "
                    "token_hash TEXT NOT NULL, form_key TEXT NOT NULL, "
                    "created_at TIMESTAMPTZ NOT NULL, seen_at TIMESTAMPTZ NOT NULL)"
                ).format(self.table)
            )
            cursor.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {} (name TEXT PRIMARY KEY, key TEXT NOT NULL)"
                ).format(self.key_table)
            )

    def open(self, token_hash: str, now: datetime) -> Session:
        session = _new(token_hash, now)
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL("DELETE FROM {} WHERE seen_at < %s").format(self.table), (now - IDLE,)
            )
            cursor.execute(
                SQL(
                    "INSERT INTO {} (hash, token_hash, form_key, created_at, seen_at) "
                    "VALUES (%s, %s, %s, %s, %s)"
                ).format(self.table),
                (_digest(session.id), token_hash, session.form_key, now, now),
            )
        return session

    def find(self, session_id: str, now: datetime) -> Session | None:
        digest = _digest(session_id)
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL("SELECT token_hash, form_key, seen_at FROM {} WHERE hash = %s").format(
                    self.table
                ),
                (digest,),
            )
            row: dict[str, Any] | None = cursor.fetchone()
            if row is None:
                return None
            session = Session(session_id, row["token_hash"], row["form_key"], row["seen_at"])
            if session.idle(now):
                cursor.execute(SQL("DELETE FROM {} WHERE hash = %s").format(self.table), (digest,))
                return None
            if now - session.seen_at >= TOUCH_EVERY:
                cursor.execute(
                    SQL("UPDATE {} SET seen_at = %s WHERE hash = %s").format(self.table),
                    (now, digest),
                )
        return session

    def end(self, session_id: str) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL("DELETE FROM {} WHERE hash = %s").format(self.table), (_digest(session_id),)
            )

    def signing_key(self) -> str:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL(
                    "INSERT INTO {} (name, key) VALUES ('cookie', %s) ON CONFLICT DO NOTHING"
                ).format(self.key_table),
                (secrets.token_urlsafe(48),),
            )
            cursor.execute(SQL("SELECT key FROM {} WHERE name = 'cookie'").format(self.key_table))
            row: dict[str, Any] | None = cursor.fetchone()
        assert row is not None  # inserted just above if it was missing
        key: str = row["key"]
        return key
