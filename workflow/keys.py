"""The idempotency key a command is answering, recorded in the same transaction as its events.

A request with an `Idempotency-Key` runs its command with `answering` set. The first
save the command makes then carries a `RecordedKey` to the recorder, which writes it
in the same database transaction as the events (the way the library's process
recorders write a tracking record with the events a notification caused). So the
event store itself says, atomically, whether a key's command took effect: a retry
after a crash at any moment finds either the events and their key (and answers from
them, never running the command again) or neither (and runs the command once).

This is the "recovery point" of Stripe's design of idempotency keys, with one atomic
phase: every command here saves one aggregate once. A second save in the same request
records no key (the first one already spent it).
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

#: The keyword argument of `insert_events` that carries a `RecordedKey`.
RECORDED_KEY = "recorded_key"
#: How long a key is kept (API.md: "for at least 24 hours"); an older record of a key
#: is replaced by the next command that uses it.
KEY_RETENTION = timedelta(hours=24)


@dataclass(frozen=True)
class RequestKey:
    """A key in its namespace (the hash of the token that sent it) and the request's print."""

    scope: str
    key: str
    fingerprint: str


@dataclass(frozen=True)
class RecordedKey:
    """That `key` was spent by events of one aggregate, up to `version`.

    `created` says the command created the aggregate (its first event is among them),
    which decides the answer's `Location`.
    """

    scope: str
    key: str
    fingerprint: str
    aggregate_id: UUID
    version: int
    created: bool
    recorded_at: float

    @property
    def replaces_before(self) -> float:
        """A record of the same key older than this has expired and may be replaced."""
        return self.recorded_at - KEY_RETENTION.total_seconds()


@dataclass
class Answering:
    """The key of the request being answered on this context, and what it recorded."""

    key: RequestKey
    recorded: RecordedKey | None = field(default=None)


#: Set by the API around a request that carries an `Idempotency-Key`.
answering: ContextVar[Answering | None] = ContextVar("answering", default=None)


class KeyAlreadyRecorded(Exception):
    """The key was already spent by events in the store: nothing was recorded now."""

    def __init__(self, scope: str, key: str) -> None:
        super().__init__(f"the key {key!r} was already recorded")
        self.scope = scope
        self.key = key


@runtime_checkable
class KeyRecorder(Protocol):
    """A recorder that writes `RecordedKey`s with events and can find them again."""

    def recorded_key(self, scope: str, key: str, since: float) -> RecordedKey | None: ...

    def forget_recorded_keys(self, before: float) -> int: ...


def recorded_key_of(
    request: RequestKey, aggregate: Any, pending: list[Any], moment: float
) -> RecordedKey | None:
    """The record of `request` for the pending events of `aggregate`, if it has any."""
    if not pending:
        return None
    return RecordedKey(
        scope=request.scope,
        key=request.key,
        fingerprint=request.fingerprint,
        aggregate_id=aggregate.id,
        version=pending[-1].originator_version,
        created=pending[0].originator_version == type(aggregate).INITIAL_VERSION,
        recorded_at=moment,
    )


#: The keyword argument of `insert_events` that names erasable values to erase with the
#: events being recorded (the `PersonalDataErased` event), in the same transaction: a
#: list of (aggregate id, version, field names) (`infra.recorders`).
ERASE_VALUES = "erase_values"
