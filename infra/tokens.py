"""Bearer tokens: issued with a role and a municipality scope, stored only as hashes.

A token is a high-entropy random secret (`secrets.token_urlsafe`), so a plain
SHA-256 of it is enough to store: there is nothing to brute-force. The secret is
shown once, when issued. `LOFTEN_ADMIN_TOKEN` is registered at each start as the
bootstrap admin; a changed variable replaces the previous bootstrap token.

The hashes live where the event store does: in a SQLite file beside it, or in the
table `loften_tokens` of its PostgreSQL database (`infra.bootstrap` chooses).

Every request looks its token up, so a process keeps the tokens it found for
`FOUND_TOKEN_SECONDS` (`FoundTokens`). The bound that sets on revocation: a token
deleted from the store (there is no revocation route; by hand, or the bootstrap
token replaced by another process) is still accepted for at most that long by a
process that found it just before. An unknown secret is never remembered, so a
token issued by another process works at once.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from eventsourcing.postgres import PostgresDatastore
from psycopg.sql import SQL, Identifier

from domain.values import Role
from infra.sqlite import ThreadConnections, connection, prepare

#: How long a process keeps a token it found before it asks the store again.
FOUND_TOKEN_SECONDS = 5.0
#: How many found tokens a process keeps at most (it forgets them all when full).
FOUND_TOKEN_LIMIT = 10_000

BOOTSTRAP_ADMIN_LABEL = "admin (LOFTEN_ADMIN_TOKEN)"
TOKEN_ROLES = (Role.POLICE, Role.MUNICIPALITY, Role.AUDITOR, Role.ADMIN)
SCOPED_ROLES = (Role.POLICE, Role.MUNICIPALITY)


@dataclass(frozen=True)
class Token:
    """What a token may do: its role, its municipalities and the label events record."""

    role: Role
    municipalities: frozenset[str]
    label: str


@dataclass(frozen=True)
class IssuedToken:
    """A newly issued token with its secret, which is never stored."""

    secret: str
    token: Token


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def new_secret() -> str:
    return "lft_" + secrets.token_urlsafe(32)


class TokenStore(Protocol):
    """Where token hashes live (a SQLite file or a PostgreSQL table)."""

    def issue(self, role: Role, municipalities: Iterable[str], label: str) -> IssuedToken: ...

    def find(self, secret: str) -> Token | None: ...

    def bootstrap_admin(self, secret: str) -> None: ...


class FoundTokens:
    """The tokens this process found lately, by hash, each for `seconds` (thread-safe)."""

    def __init__(self, seconds: float = FOUND_TOKEN_SECONDS) -> None:
        self.seconds = seconds
        self._found: dict[str, tuple[float, Token]] = {}
        self._lock = threading.Lock()

    def get(self, digest: str) -> Token | None:
        found = self._found.get(digest)
        if found is None or time.monotonic() >= found[0]:
            return None
        return found[1]

    def put(self, digest: str, token: Token) -> None:
        with self._lock:
            if len(self._found) >= FOUND_TOKEN_LIMIT:
                self._found.clear()
            self._found[digest] = (time.monotonic() + self.seconds, token)

    def clear(self) -> None:
        with self._lock:
            self._found.clear()


def new_token(role: Role, municipalities: Iterable[str], label: str) -> Token:
    """A token to issue, refused if its role and scope make no sense together."""
    if role not in TOKEN_ROLES:
        raise ValueError(f"tokens are issued for {', '.join(r.value for r in TOKEN_ROLES)}")
    token = Token(role=role, municipalities=frozenset(municipalities), label=label)
    if (role in SCOPED_ROLES) != bool(token.municipalities):
        raise ValueError("police and municipality tokens (only) act for municipalities")
    return token


def bootstrap_token() -> Token:
    return Token(role=Role.ADMIN, municipalities=frozenset(), label=BOOTSTRAP_ADMIN_LABEL)


def stored_token(role: str, municipalities: str, label: str) -> Token:
    return Token(role=Role(role), municipalities=frozenset(json.loads(municipalities)), label=label)


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


class SQLiteTokenStore:
    """Token hashes in the API's SQLite file; lookups on a connection per thread."""

    def __init__(self, path: Path, found_seconds: float = FOUND_TOKEN_SECONDS) -> None:
        self.path = path
        prepare(path, _SCHEMA)
        self.found = FoundTokens(found_seconds)
        self._connections = ThreadConnections(path)

    def close(self) -> None:
        self._connections.close()

    def issue(self, role: Role, municipalities: Iterable[str], label: str) -> IssuedToken:
        token = new_token(role, municipalities, label)
        secret = new_secret()
        self._insert(hash_secret(secret), token, bootstrap=False)
        return IssuedToken(secret=secret, token=token)

    def find(self, secret: str) -> Token | None:
        digest = hash_secret(secret)
        token = self.found.get(digest)
        if token is not None:
            return token
        row = (
            self._connections.get()
            .execute("SELECT role, municipalities, label FROM tokens WHERE hash = ?", (digest,))
            .fetchone()
        )
        if row is None:
            return None
        token = stored_token(row[0], row[1], row[2])
        self.found.put(digest, token)
        return token

    def bootstrap_admin(self, secret: str) -> None:
        """Make `secret` the bootstrap admin token, replacing any earlier one."""
        token = bootstrap_token()
        self.found.clear()
        with connection(self.path) as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM tokens WHERE bootstrap = 1")
            conn.execute(
                "INSERT OR REPLACE INTO tokens VALUES (?, ?, ?, ?, ?, 1)",
                _row(hash_secret(secret), token),
            )
            conn.execute("COMMIT")

    def _insert(self, digest: str, token: Token, *, bootstrap: bool) -> None:
        with connection(self.path) as conn:
            conn.execute(
                "INSERT INTO tokens VALUES (?, ?, ?, ?, ?, ?)",
                (*_row(digest, token), int(bootstrap)),
            )


def _row(digest: str, token: Token) -> tuple[str, str, str, str, str]:
    return (
        digest,
        token.role.value,
        json.dumps(sorted(token.municipalities)),
        token.label,
        datetime.now(UTC).isoformat(),
    )


POSTGRES_TOKENS_TABLE = "loften_tokens"


class PostgresTokenStore:
    """Token hashes in the table `loften_tokens` of the event store's PostgreSQL database."""

    def __init__(
        self, datastore: PostgresDatastore, found_seconds: float = FOUND_TOKEN_SECONDS
    ) -> None:
        self.datastore = datastore
        self.table = SQL("{}.{}").format(
            Identifier(datastore.schema), Identifier(POSTGRES_TOKENS_TABLE)
        )
        self.found = FoundTokens(found_seconds)

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

    def issue(self, role: Role, municipalities: Iterable[str], label: str) -> IssuedToken:
        token = new_token(role, municipalities, label)
        secret = new_secret()
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL("INSERT INTO {} VALUES (%s, %s, %s, %s, %s, false)").format(self.table),
                _row(hash_secret(secret), token),
            )
        return IssuedToken(secret=secret, token=token)

    def find(self, secret: str) -> Token | None:
        digest = hash_secret(secret)
        token = self.found.get(digest)
        if token is not None:
            return token
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(
                SQL("SELECT role, municipalities, label FROM {} WHERE hash = %s").format(
                    self.table
                ),
                (digest,),
            )
            row: dict[str, Any] | None = cursor.fetchone()
        if row is None:
            return None
        token = stored_token(row["role"], row["municipalities"], row["label"])
        self.found.put(digest, token)
        return token

    def bootstrap_admin(self, secret: str) -> None:
        """Make `secret` the bootstrap admin token, replacing any earlier one."""
        self.found.clear()
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(SQL("DELETE FROM {} WHERE bootstrap").format(self.table))
            cursor.execute(
                SQL(
                    "INSERT INTO {} VALUES (%s, %s, %s, %s, %s, true) ON CONFLICT (hash) DO "
                    "UPDATE SET role = excluded.role, municipalities = excluded.municipalities, "
                    "label = excluded.label, bootstrap = true"
                ).format(self.table),
                _row(hash_secret(secret), bootstrap_token()),
            )
