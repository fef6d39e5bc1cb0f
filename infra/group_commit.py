"""Group commit: the saves of concurrent commands committed together, in one transaction.

A SQLite file has one writer at a time and a commit costs an fsync, so one transaction
per request makes every writer wait for everyone's fsync in turn. Here, a thread that
saves puts its events in a queue; if no commit is under way it becomes the committer
and commits everything queued (its own and what other threads queued meanwhile) in
one transaction, then answers them all; otherwise it waits for the commit under way,
which may already have taken its events, and becomes the next committer if not. So
at most one thread commits at a time (per recorder, that is per process and store),
no thread is added, and a lone writer commits at once, as before.

Each item goes in under a savepoint of its own: one that fails (a lost race, a key
already recorded) is rolled back alone and its caller gets its error, the others
commit. If the commit itself fails, every item is tried again alone, so a failure of
one never fails another. A caller is answered only after the transaction holding its
events committed: a crash before that loses only writes nobody was told about.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar, cast

from eventsourcing import persistence

T = TypeVar("T")
R = TypeVar("R")


@dataclass(eq=False)
class Pending(Generic[T, R]):
    """One caller's item and, once committed or refused, its result or error."""

    item: T
    result: R | None = None
    error: BaseException | None = None
    done: bool = field(default=False)


class GroupCommit(Generic[T, R]):
    """Commits the items of concurrent callers in batches (see the module).

    `commit_batch(batch)` commits a batch in one transaction, setting each item's
    `result` or `error` (an error of one item must leave the others to commit);
    `commit_one(item)` commits one item alone, raising its error.
    """

    def __init__(
        self,
        commit_batch: Callable[[list[Pending[T, R]]], None],
        commit_one: Callable[[T], R],
    ) -> None:
        self._commit_batch = commit_batch
        self._commit_one = commit_one
        self._changed = threading.Condition()
        self._queue: list[Pending[T, R]] = []
        self._committing = False
        #: The sizes of the batches committed so far, for tests and the benchmark.
        self.batches: list[int] = []

    def submit(self, item: T) -> R:
        """Commit `item` with whatever else is pending; its result once committed."""
        pending: Pending[T, R] = Pending(item)
        with self._changed:
            self._queue.append(pending)
            while self._committing and not pending.done:
                self._changed.wait()
            if pending.done:
                return self._answer(pending)
            self._committing = True
            batch, self._queue = self._queue, []
        try:
            self._commit(batch)
        except BaseException as exc:  # interrupted: nobody is told their write committed
            for each in batch:
                each.result, each.error = None, exc
            raise
        finally:
            with self._changed:
                for each in batch:
                    each.done = True
                self._committing = False
                self._changed.notify_all()
        return self._answer(pending)

    def _commit(self, batch: list[Pending[T, R]]) -> None:
        self.batches.append(len(batch))
        if len(batch) == 1:
            self._alone(batch[0])
            return
        try:
            self._commit_batch(batch)
        except Exception:
            # Nothing of the batch committed: each item again, alone.
            for each in batch:
                each.result, each.error = None, None
                self._alone(each)

    def _alone(self, pending: Pending[T, R]) -> None:
        try:
            pending.result = self._commit_one(pending.item)
        except Exception as exc:
            pending.error = exc

    @staticmethod
    def _answer(pending: Pending[T, R]) -> R:
        if pending.error is not None:
            raise pending.error
        return cast(R, pending.result)


class HoldBatch:
    """A test's hook: the `nth` batch of several saves is held open, never committed.

    `LOFTEN_TEST_HOLD_BATCH=n` (tests only) makes the committer of the n-th batch of
    more than one save stop after writing it, inside its open transaction, and say so
    on stderr, so that a test can kill the process while a batch is open and know
    that `n - 1` such batches committed before. Nothing is held unless it is set.
    """

    def __init__(self, nth: int) -> None:
        self._nth = nth
        self._seen = 0
        self._lock = threading.Lock()

    def __call__(self, size: int) -> None:
        if size < 2:
            return
        with self._lock:
            self._seen += 1
            held = self._seen == self._nth
        if held:
            print(
                f"group commit: holding batch {self._nth} of {size} saves open",
                file=sys.stderr,
                flush=True,
            )
            threading.Event().wait()  # until the test kills the process


def persistence_error(exc: Exception) -> Exception:
    """`exc` as the library's transaction would raise it (`IntegrityError` for a lost race)."""
    if not isinstance(exc, sqlite3.Error):
        return exc
    for raw, ours in _SQLITE_ERRORS:
        if isinstance(exc, raw):
            translated: Exception = ours(exc)
            translated.__cause__ = exc
            return translated
    return exc


# As `eventsourcing.sqlite.SQLiteTransaction` translates them, subclasses first.
_SQLITE_ERRORS: tuple[tuple[type[sqlite3.Error], type[Exception]], ...] = (
    (sqlite3.InterfaceError, persistence.InterfaceError),
    (sqlite3.DataError, persistence.DataError),
    (sqlite3.OperationalError, persistence.OperationalError),
    (sqlite3.IntegrityError, persistence.IntegrityError),
    (sqlite3.InternalError, persistence.InternalError),
    (sqlite3.ProgrammingError, persistence.ProgrammingError),
    (sqlite3.NotSupportedError, persistence.NotSupportedError),
    (sqlite3.DatabaseError, persistence.DatabaseError),
    (sqlite3.Error, persistence.PersistenceError),
)
