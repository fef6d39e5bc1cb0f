"""Bearer tokens: issued with a role, a scope and an optional last day; listed; revoked.

A token is a high-entropy random secret (`secrets.token_urlsafe`), so a plain
SHA-256 of it is enough to store: there is nothing to brute-force. The secret is
shown once, when issued. Each token also has an `id` (what an admin lists and
revokes it by), `created_at` and who created it, an optional `expires_on` (it works
through that day, Europe/Stockholm), `last_used_on`, and once revoked `revoked_at`
and who revoked it: creation and revocation are kept with their actor on the token's
own row, which the admin listing shows.

`LOFTEN_ADMIN_TOKEN` is registered at each start as the bootstrap admin; a changed
variable replaces the previous bootstrap token. It is not listed and cannot be revoked
over HTTP (unset the variable and restart).

The hashes live where the event store does: in a SQLite file beside it, or in the
table `loften_tokens` of its PostgreSQL database (`infra.token_stores`; `infra.bootstrap`
chooses).

Every request looks its token up, so a process keeps the tokens it found for
`FOUND_TOKEN_SECONDS` (`FoundTokens`). That is the bound on revocation: a token
revoked in one process is refused there at once and by every other process within
that time (they ask the store again when it has passed). An unknown secret is never
remembered, so a token issued by another process works at once. `last_used_on` is
written when a lookup reaches the store on a day the row does not say yet: at most
once a day per token and process.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from domain.values import Actor, Role

#: How long a process keeps a token it found before it asks the store again: under the
#: 5 seconds within which API.md has every process refuse a revoked token.
FOUND_TOKEN_SECONDS = 4.0
#: How many found tokens a process keeps at most (it forgets them all when full).
FOUND_TOKEN_LIMIT = 10_000

BOOTSTRAP_ADMIN_LABEL = "admin (LOFTEN_ADMIN_TOKEN)"
TOKEN_ROLES = (Role.POLICE, Role.MUNICIPALITY, Role.AUDITOR, Role.ADMIN)
SCOPED_ROLES = (Role.POLICE, Role.MUNICIPALITY)


@dataclass(frozen=True)
class Token:
    """What a token may do: its role, its municipalities and the label events record;
    and what decides whether it still works (its last day, its revocation)."""

    role: Role
    municipalities: frozenset[str]
    label: str
    id: str = ""
    expires_on: date | None = None
    revoked_at: datetime | None = None

    def expired(self, today: date) -> bool:
        """Expired from the day after `expires_on` (judged in Europe/Stockholm)."""
        return self.expires_on is not None and today > self.expires_on


@dataclass(frozen=True)
class TokenRecord:
    """A token as an admin sees it: everything but the secret (never stored anyway)."""

    id: str
    role: Role
    municipalities: list[str]
    label: str
    created_at: datetime
    expires_on: date | None
    last_used_on: date | None
    revoked_at: datetime | None
    created_by: Actor | None = field(default=None)
    revoked_by: Actor | None = field(default=None)


@dataclass(frozen=True)
class IssuedToken:
    """A newly issued token with its secret, which is never stored."""

    secret: str
    token: Token
    record: TokenRecord


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def new_secret() -> str:
    return "lft_" + secrets.token_urlsafe(32)


class TokenStore(Protocol):
    """Where token hashes live (a SQLite file or a PostgreSQL table)."""

    def issue(
        self,
        role: Role,
        municipalities: Iterable[str],
        label: str,
        *,
        expires_on: date | None = None,
        actor: Actor | None = None,
    ) -> IssuedToken: ...

    def find(self, secret: str, today: date | None = None) -> Token | None: ...

    def find_digest(self, digest: str, today: date | None = None) -> Token | None: ...

    def tokens(self) -> list[TokenRecord]: ...

    def get(self, token_id: str) -> TokenRecord | None: ...

    def revoke(self, token_id: str, actor: Actor) -> TokenRecord | None: ...

    def bootstrap_admin(self, secret: str) -> None: ...

    def close(self) -> None: ...


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


def new_token(
    role: Role, municipalities: Iterable[str], label: str, expires_on: date | None = None
) -> Token:
    """A token to issue, refused if its role and scope make no sense together."""
    if role not in TOKEN_ROLES:
        raise ValueError(f"tokens are issued for {', '.join(r.value for r in TOKEN_ROLES)}")
    token = Token(
        role=role,
        municipalities=frozenset(municipalities),
        label=label,
        id=str(uuid.uuid4()),
        expires_on=expires_on,
    )
    if (role in SCOPED_ROLES) != bool(token.municipalities):
        raise ValueError("police and municipality tokens (only) act for municipalities")
    return token


def bootstrap_token() -> Token:
    return Token(
        role=Role.ADMIN,
        municipalities=frozenset(),
        label=BOOTSTRAP_ADMIN_LABEL,
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, "loften:bootstrap-admin")),
    )


# The columns, in the order every statement here names them.
