"""Who may feed the views: one worker per projection at a time; any other waits its turn.

Views are exactly-once whoever feeds them (each batch and its position commit
together), so two feeders would not corrupt anything; they would only do every
batch twice and fight over each commit. A worker therefore holds a lease on each
projection it runs, and a second worker started by mistake (or as a standby) waits
for the leases and takes over when the first stops or dies.

- PostgreSQL: a session-level advisory lock per projection, held on a connection
  of its own for the worker's whole life. When the worker dies its connection goes
  and PostgreSQL releases the locks at once; nothing is left to clean up.
- SQLite: an exclusive `flock` on a file beside the store per projection, which
  the kernel releases when the process ends. It guards one machine, as SQLite does.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
import threading
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, Protocol

import psycopg

from infra.postgres import datastore_options
from workflow.settings import Settings

log = logging.getLogger(__name__)

#: First half of every lease's advisory-lock key ("lftw"); the second is the projection's.
LEASE_NAMESPACE = 0x6C667477

#: How often a waiting worker tries again.
RETRY_SECONDS = 0.5

Waiting = Callable[[str, str], None]
"""Told (projection name, who holds it) when a lease is held by someone else."""


class LeaseLost(RuntimeError):
    """The connection holding the leases has gone: another worker may already run."""


class Lease(Protocol):
    """The right to feed a set of projections, held until released or the process ends."""

    names: tuple[str, ...]

    def acquire(self, stopping: threading.Event, on_wait: Waiting | None = None) -> bool:
        """Wait until every lease is ours (True) or `stopping` is set (False, none kept)."""
        ...

    def check(self) -> None:
        """Raise `LeaseLost` if the leases can no longer be vouched for."""
        ...

    def release(self) -> None: ...


def holder_name() -> str:
    """How this process names itself to whoever looks at the leases: `host:pid`."""
    return f"{socket.gethostname()}:{os.getpid()}"


def open_lease(settings: Settings, names: Sequence[str]) -> Lease:
    """The lease on these projections, on whichever store the settings name."""
    if settings.is_postgres:
        return PostgresLease(settings, names)
    return FileLease(settings.sibling_sqlite("worker").with_suffix(""), names)


def advisory_key(schema: str, name: str) -> tuple[int, int]:
    """The two-part advisory-lock key of one projection in one views schema.

    31 bits of CRC-32, so the number reads the same in `pg_try_advisory_lock(int, int)`
    and in `pg_locks.objid` (an unsigned oid).
    """
    return LEASE_NAMESPACE, zlib.crc32(f"{schema}/{name}".encode()) & 0x7FFFFFFF


class PostgresLease:
    """Advisory locks, one per projection, on a connection the lease keeps to itself."""

    def __init__(self, settings: Settings, names: Sequence[str]) -> None:
        options = datastore_options(settings)
        self.names = tuple(sorted(names))  # one order everywhere: no two workers deadlock
        self.schema: str = options["schema"]
        self._connect: dict[str, Any] = {
            "dbname": options["dbname"],
            "host": options["host"],
            "port": options["port"],
            "user": options["user"],
            "password": options["password"],
            "connect_timeout": max(1, int(options["connect_timeout"])),
            "application_name": f"loften worker {holder_name()}"[:63],
            "autocommit": True,
        }
        self._connection: psycopg.Connection[Any] | None = None

    def acquire(self, stopping: threading.Event, on_wait: Waiting | None = None) -> bool:
        connection = self._connection = psycopg.connect(**self._connect)
        for name in self.names:
            told = False
            while not self._try(connection, name):
                if not told and on_wait is not None:
                    on_wait(name, self.holder(name) or "another worker")
                    told = True
                if stopping.wait(RETRY_SECONDS):
                    self.release()
                    return False
        return True

    def _try(self, connection: psycopg.Connection[Any], name: str) -> bool:
        row = connection.execute(
            "SELECT pg_try_advisory_lock(%s, %s)", advisory_key(self.schema, name)
        ).fetchone()
        return bool(row and row[0])

    def holder(self, name: str) -> str | None:
        """The `application_name` of the session holding this projection's lock, if any."""
        if self._connection is None:
            return None
        classid, objid = advisory_key(self.schema, name)
        row = self._connection.execute(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s "
            "AND l.objid = %s AND l.objsubid = 2 "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            (classid, objid),
        ).fetchone()
        return None if row is None else str(row[0])

    def check(self) -> None:
        connection = self._connection
        if connection is None:
            raise LeaseLost("the leases were never acquired")
        try:
            connection.execute("SELECT 1")
        except psycopg.Error as exc:
            raise LeaseLost(f"the connection holding the leases failed: {exc}") from exc

    def release(self) -> None:
        """Close the lease's connection, which lets go of every lock it holds."""
        if self._connection is not None:
            connection, self._connection = self._connection, None
            connection.close()


class FileLease:
    """`flock` on `<store>.worker.<projection>.lock` beside a SQLite store, one per projection."""

    def __init__(self, stem: Path, names: Sequence[str]) -> None:
        self.stem = stem
        self.names = tuple(sorted(names))
        self._files: list[IO[str]] = []

    def path(self, name: str) -> Path:
        return self.stem.with_name(f"{self.stem.name}.{name}.lock")

    def acquire(self, stopping: threading.Event, on_wait: Waiting | None = None) -> bool:
        for name in self.names:
            path = self.path(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            lock_file = path.open("a+")
            told = False
            while True:
                try:
                    fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not told and on_wait is not None:
                        lock_file.seek(0)
                        on_wait(name, lock_file.read().strip() or "another worker")
                        told = True
                    if stopping.wait(RETRY_SECONDS):
                        lock_file.close()
                        self.release()
                        return False
            lock_file.seek(0)
            lock_file.truncate()
            lock_file.write(holder_name())
            lock_file.flush()
            self._files.append(lock_file)
        return True

    def check(self) -> None:
        """A lock the kernel holds for the process cannot be lost while it lives."""

    def release(self) -> None:
        for lock_file in reversed(self._files):
            lock_file.close()  # closing the descriptor releases the flock
        self._files.clear()
