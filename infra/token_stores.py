"""Where the tokens live: the SQLite file beside the event store, or `loften_tokens` in PostgreSQL.

Both stores issue and find tokens alike (`_IssuingStore`: the secret's hash, the found
tokens kept for `FOUND_TOKEN_SECONDS`); each writes and reads its own rows. What a
token is, and the rules of its secret, are in `infra.tokens`.

Just over the usual length on purpose: the two stores are one contract written twice in
two SQL dialects over the shared `_IssuingStore`, read side by side.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from eventsourcing.postgres import PostgresDatastore
from psycopg.sql import SQL, Identifier

from domain.values import Actor, Role
from infra.sqlite import ThreadConnections, connection, prepare
from infra.tokens import (
    FOUND_TOKEN_SECONDS,
    FoundTokens,
    IssuedToken,
    Token,
    TokenRecord,
    bootstrap_token,
    hash_secret,
    new_secret,
    new_token,
)

_COLUMNS = (
    "hash, id, role, municipalities, label, created_at, bootstrap, expires_on, "
    "last_used_on, revoked_at, created_by, revoked_by"
)
#: Every column of a token's row, as `loften migrate` copies them.
TOKEN_COLUMNS = tuple(name.strip() for name in _COLUMNS.split(","))
_ADDED_COLUMNS = ("id", "expires_on", "last_used_on", "revoked_at", "created_by", "revoked_by")
_RECORD_COLUMNS = (
    "id, role, municipalities, label, created_at, expires_on, last_used_on, revoked_at, "
    "created_by, revoked_by"
)
_FIND_COLUMNS = "id, role, municipalities, label, expires_on, revoked_at, last_used_on"


def _actor_text(actor: Actor | None) -> str | None:
    return None if actor is None else json.dumps({"label": actor.label, "role": actor.role.value})


def _actor(text: str | None) -> Actor | None:
    if not text:
        return None
    value = json.loads(text)
    return Actor(label=value["label"], role=Role(value["role"]))


def _date(text: Any) -> date | None:
    if text is None or text == "":
        return None
    return text if isinstance(text, date) else date.fromisoformat(str(text))


def _moment(text: Any) -> datetime | None:
    if text is None or text == "":
        return None
    return datetime.fromisoformat(str(text))


def _found(row: Sequence[Any]) -> tuple[Token, date | None]:
    token_id, role, municipalities, label, expires_on, revoked_at, last_used_on = row
    token = Token(
        role=Role(role),
        municipalities=frozenset(json.loads(municipalities)),
        label=label,
        id=str(token_id),
        expires_on=_date(expires_on),
        revoked_at=_moment(revoked_at),
    )
    return token, _date(last_used_on)


def _record(row: Sequence[Any]) -> TokenRecord:
    token_id, role, municipalities, label, created_at, expires_on, last_used, revoked_at = row[:8]
    created_at_moment = _moment(created_at)
    assert created_at_moment is not None
    return TokenRecord(
        id=str(token_id),
        role=Role(role),
        municipalities=sorted(json.loads(municipalities)),
        label=label,
        created_at=created_at_moment,
        expires_on=_date(expires_on),
        last_used_on=_date(last_used),
        revoked_at=_moment(revoked_at),
        created_by=_actor(row[8]),
        revoked_by=_actor(row[9]),
    )


def _row(
    digest: str, token: Token, created_at: datetime, *, bootstrap: bool, actor: Actor | None
) -> tuple[Any, ...]:
    return (
        digest,
        token.id,
        token.role.value,
        json.dumps(sorted(token.municipalities)),
        token.label,
        created_at.isoformat(),
        bootstrap,
        None if token.expires_on is None else token.expires_on.isoformat(),
        None,
        None,
        _actor_text(actor),
        None,
    )


def _issued(secret: str, token: Token, created_at: datetime, actor: Actor | None) -> IssuedToken:
    record = TokenRecord(
        id=token.id,
        role=token.role,
        municipalities=sorted(token.municipalities),
        label=token.label,
        created_at=created_at,
        expires_on=token.expires_on,
        last_used_on=None,
        revoked_at=None,
        created_by=actor,
    )
    return IssuedToken(secret=secret, token=token, record=record)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    hash TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    municipalities TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    bootstrap INTEGER NOT NULL DEFAULT 0
);
"""


class _IssuingStore:
    """What both token stores do alike: issue a token, find one (through `found`) by its secret.

    A store supplies how one row is inserted and how one digest is looked up (marking
    the day it was last used).
    """

    found: FoundTokens

    def issue(
        self,
        role: Role,
        municipalities: Iterable[str],
        label: str,
        *,
        expires_on: date | None = None,
        actor: Actor | None = None,
    ) -> IssuedToken:
        token = new_token(role, municipalities, label, expires_on)
        secret = new_secret()
        created_at = datetime.now(UTC)
        self._insert(_row(hash_secret(secret), token, created_at, bootstrap=False, actor=actor))
        return _issued(secret, token, created_at, actor)

    def find(self, secret: str, today: date | None = None) -> Token | None:
        return self.find_digest(hash_secret(secret), today)

    def find_digest(self, digest: str, today: date | None = None) -> Token | None:
        """The token whose secret has this hash (a workspace session keeps only the hash)."""
        token = self.found.get(digest)
        if token is None:
            token = self._look_up(digest, today)
            if token is not None:
                self.found.put(digest, token)
        return token

    def _insert(self, row: tuple[Any, ...]) -> None:
        raise NotImplementedError

    def _look_up(self, digest: str, today: date | None) -> Token | None:
        raise NotImplementedError


class SQLiteTokenStore(_IssuingStore):
    """Token hashes in the API's SQLite file; lookups on a connection per thread."""

    def __init__(self, path: Path, found_seconds: float = FOUND_TOKEN_SECONDS) -> None:
        self.path = path
        prepare(path, _SCHEMA)
        with connection(path) as conn:  # files made before tokens had a life cycle
            columns = {row[1] for row in conn.execute("PRAGMA table_info(tokens)")}
            for name in _ADDED_COLUMNS:
                if name not in columns:
                    conn.execute(f"ALTER TABLE tokens ADD COLUMN {name} TEXT")
            for (digest,) in conn.execute("SELECT hash FROM tokens WHERE id IS NULL").fetchall():
                conn.execute("UPDATE tokens SET id = ? WHERE hash = ?", (str(uuid.uuid4()), digest))
            conn.execute("CREATE UNIQUE INDEX IF NOT EXISTS tokens_id ON tokens (id)")
        self.found = FoundTokens(found_seconds)
        self._connections = ThreadConnections(path)

    def close(self) -> None:
        self._connections.close()

    def _insert(self, row: tuple[Any, ...]) -> None:
        with connection(self.path) as conn:
            conn.execute(f"INSERT INTO tokens ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", row)

    def _look_up(self, digest: str, today: date | None) -> Token | None:
        conn = self._connections.get()
        row = conn.execute(
            f"SELECT {_FIND_COLUMNS} FROM tokens WHERE hash = ?", (digest,)
        ).fetchone()
        if row is None:
            return None
        token, last_used_on = _found(row)
        if today is not None and last_used_on != today:
            conn.execute(
                "UPDATE tokens SET last_used_on = ? WHERE hash = ?", (today.isoformat(), digest)
            )
        return token

    def tokens(self) -> list[TokenRecord]:
        rows = (
            self._connections.get()
            .execute(
                f"SELECT {_RECORD_COLUMNS} FROM tokens WHERE bootstrap = 0 ORDER BY created_at, id"
            )
            .fetchall()
        )
        return [_record(row) for row in rows]

    def get(self, token_id: str) -> TokenRecord | None:
        row = (
            self._connections.get()
            .execute(
                f"SELECT {_RECORD_COLUMNS} FROM tokens WHERE id = ? AND bootstrap = 0",
                (token_id,),
            )
            .fetchone()
        )
        return None if row is None else _record(row)

    def revoke(self, token_id: str, actor: Actor) -> TokenRecord | None:
        """Revoke the token (again: no change); None if there is no such listed token."""
        with self._connections.transaction() as conn:
            conn.execute(
                "UPDATE tokens SET revoked_at = ?, revoked_by = ? "
                "WHERE id = ? AND bootstrap = 0 AND revoked_at IS NULL",
                (datetime.now(UTC).isoformat(), _actor_text(actor), token_id),
            )
        self.found.clear()
        return self.get(token_id)

    def bootstrap_admin(self, secret: str) -> None:
        """Make `secret` the bootstrap admin token, replacing any earlier one."""
        token = bootstrap_token()
        self.found.clear()
        with connection(self.path) as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM tokens WHERE bootstrap = 1")
            conn.execute("DELETE FROM tokens WHERE hash = ?", (hash_secret(secret),))
            conn.execute(
                f"INSERT INTO tokens ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                _row(hash_secret(secret), token, datetime.now(UTC), bootstrap=True, actor=None),
            )
            conn.execute("COMMIT")


POSTGRES_TOKENS_TABLE = "loften_tokens"


class PostgresTokenStore(_IssuingStore):
    """Token hashes in the table `loften_tokens` of the event store's PostgreSQL database."""

    def __init__(
        self, datastore: PostgresDatastore, found_seconds: float = FOUND_TOKEN_SECONDS
    ) -> None:
        self.datastore = datastore
        self.table = SQL("{}.{}").format(
            Identifier(datastore.schema), Identifier(POSTGRES_TOKENS_TABLE)
        )
        self.found = FoundTokens(found_seconds)

    def close(self) -> None:
        """Nothing of its own to close: the pool is the caller's."""

    def create_table(self) -> None:
        """Create the table if it is missing (the caller holds the creation lock)."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {} ("
                    "hash TEXT PRIMARY KEY, role TEXT NOT NULL, municipalities TEXT NOT NULL, "
                    "label TEXT NOT NULL, created_at TEXT NOT NULL, "
                    "bootstrap BOOLEAN NOT NULL DEFAULT false)"
                ).format(self.table)
            )
            cursor.execute(
                SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS id UUID").format(self.table)
            )
            cursor.execute(
                SQL("UPDATE {} SET id = gen_random_uuid() WHERE id IS NULL").format(self.table)
            )
            for name in _ADDED_COLUMNS[1:]:
                cursor.execute(
                    SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} TEXT").format(
                        self.table, Identifier(name)
                    )
                )
            cursor.execute(
                SQL("CREATE UNIQUE INDEX IF NOT EXISTS {} ON {} (id)").format(
                    Identifier(f"{POSTGRES_TOKENS_TABLE}_id"), self.table
                )
            )

    def _insert(self, row: tuple[Any, ...]) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL("INSERT INTO {} (" + _COLUMNS + ") VALUES (" + ", ".join(["%s"] * 12) + ")")
                .format(self.table),
                row,
            )  # fmt: skip

    def _look_up(self, digest: str, today: date | None) -> Token | None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL("SELECT " + _FIND_COLUMNS + " FROM {} WHERE hash = %s").format(self.table),
                (digest,),
            )
            row: dict[str, Any] | None = cursor.fetchone()
            if row is None:
                return None
            token, last_used_on = _found(list(row.values()))
            if today is not None and last_used_on != today:
                cursor.execute(
                    SQL("UPDATE {} SET last_used_on = %s WHERE hash = %s").format(self.table),
                    (today.isoformat(), digest),
                )
        return token

    def tokens(self) -> list[TokenRecord]:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(
                SQL(
                    "SELECT " + _RECORD_COLUMNS + " FROM {} WHERE NOT bootstrap "
                    "ORDER BY created_at, id"
                ).format(self.table)
            )
            rows: list[dict[str, Any]] = cursor.fetchall()
        return [_record(list(row.values())) for row in rows]

    def get(self, token_id: str) -> TokenRecord | None:
        try:
            wanted = uuid.UUID(token_id)
        except ValueError:
            return None
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(
                SQL(
                    "SELECT " + _RECORD_COLUMNS + " FROM {} WHERE id = %s AND NOT bootstrap"
                ).format(self.table),
                (wanted,),
            )
            row: dict[str, Any] | None = cursor.fetchone()
        return None if row is None else _record(list(row.values()))

    def revoke(self, token_id: str, actor: Actor) -> TokenRecord | None:
        """Revoke the token (again: no change); None if there is no such listed token."""
        try:
            wanted = uuid.UUID(token_id)
        except ValueError:
            return None
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL(
                    "UPDATE {} SET revoked_at = %s, revoked_by = %s "
                    "WHERE id = %s AND NOT bootstrap AND revoked_at IS NULL"
                ).format(self.table),
                (datetime.now(UTC).isoformat(), _actor_text(actor), wanted),
            )
        self.found.clear()
        return self.get(token_id)

    def bootstrap_admin(self, secret: str) -> None:
        """Make `secret` the bootstrap admin token, replacing any earlier one."""
        self.found.clear()
        token = bootstrap_token()
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(SQL("DELETE FROM {} WHERE bootstrap OR hash = %s").format(self.table),
                           (hash_secret(secret),))  # fmt: skip
            cursor.execute(
                SQL("INSERT INTO {} (" + _COLUMNS + ") VALUES (" + ", ".join(["%s"] * 12) + ")")
                .format(self.table),
                _row(hash_secret(secret), token, datetime.now(UTC), bootstrap=True, actor=None),
            )  # fmt: skip
