"""Secrets the workspace shows exactly once, handed from a form's POST to the GET after it.

Why: the admin's token form answers with a redirect (POST/redirect/GET), so reloading
the page that shows a new token cannot re-send the form and issue a second one. The
secret waits here, keyed by a random ticket and the session that asked for it, until
that session's first GET takes it; a reload (or another session holding the URL)
finds nothing and is told the secret was already shown.

The store is held by the process that issued the token, in memory only: a secret is
never written anywhere outside the token store's hash. A ticket that is never taken
expires after `KEEP`.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, TypeVar

KEEP = timedelta(minutes=10)

Secret = TypeVar("Secret")


@dataclass
class ShownOnce(Generic[Secret]):
    """A one-time hand-over: `put` returns a ticket, `take` gives the value back once."""

    _held: dict[tuple[str, str], tuple[datetime, Secret]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def put(self, session_id: str, value: Secret, now: datetime) -> str:
        ticket = secrets.token_urlsafe(16)
        with self._lock:
            self._forget_old(now)
            self._held[(session_id, ticket)] = (now, value)
        return ticket

    def take(self, session_id: str, ticket: str, now: datetime) -> Secret | None:
        with self._lock:
            self._forget_old(now)
            held = self._held.pop((session_id, ticket), None)
        return None if held is None else held[1]

    def _forget_old(self, now: datetime) -> None:
        for key in [k for k, (at, _) in self._held.items() if now - at > KEEP]:
            del self._held[key]
