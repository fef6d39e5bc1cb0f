"""Writers to one aggregate take turns, so a command that only adds never loses a race.

Within a process, a lock per aggregate: a second writer to the same promise waits for
the first to save, then loads the new version and saves after it. Across processes,
a recorder that can (`TurnRecorder`: on PostgreSQL, a transaction-level advisory lock
on the aggregate's id) holds the aggregate for the same span, from loading it to the
commit of its events. Where neither helps (SQLite written by two processes at once),
the application's retry of a lost race is the backstop.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol, runtime_checkable
from uuid import UUID


@runtime_checkable
class TurnRecorder(Protocol):
    """A recorder that holds an aggregate for one writer at a time across processes."""

    def turn(self, aggregate_id: UUID) -> AbstractContextManager[None]: ...


class _Lock:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.users = 0


class WriteTurns:
    """One lock per aggregate being written (forgotten when no writer waits), plus the
    recorder's own turn where it has one."""

    def __init__(self, recorder: Any) -> None:
        self._recorder: TurnRecorder | None = (
            recorder if isinstance(recorder, TurnRecorder) else None
        )
        self._locks: dict[UUID, _Lock] = {}
        self._mutex = threading.Lock()

    @contextmanager
    def turn(self, aggregate_id: UUID) -> Iterator[None]:
        with self._mutex:
            entry = self._locks.get(aggregate_id)
            if entry is None:
                entry = self._locks[aggregate_id] = _Lock()
            entry.users += 1
        try:
            with entry.lock:
                if self._recorder is None:
                    yield
                else:
                    with self._recorder.turn(aggregate_id):
                        yield
        finally:
            with self._mutex:
                entry.users -= 1
                if entry.users == 0:
                    del self._locks[aggregate_id]

    def waiting(self) -> int:
        """How many aggregates have a writer now (for tests)."""
        with self._mutex:
            return len(self._locks)
