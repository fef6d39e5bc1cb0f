"""Who holds a claim, and whether that process still runs: a lock that dies with its holder.

A claim on an idempotency key names its owner. A retry that finds the claim asks
`alive(owner)`: if the owner still runs, the first request is still being answered
(`409`); if not, the claim is dead and the retry takes it over at once. No timer is
involved, so a restarted server never makes a retry wait for its dead predecessor.

- SQLite (`FileOwners`): each process holds an exclusive `flock` on a file of its own
  in a directory beside the API's file. The kernel drops the lock when the process
  ends, however it ends (SIGKILL included); a lock another process can take belongs
  to a dead owner.
- PostgreSQL (`SessionOwners`): each process holds a session-level advisory lock on
  a connection of its own. The server drops it when the session ends (the process
  died, or its connection broke); `pg_locks` says whether it is still held.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import secrets
import threading
import uuid
from pathlib import Path
from typing import Any, Protocol

import psycopg
from eventsourcing.postgres import PostgresDatastore

from infra.postgres import connect_kwargs

#: The first half of an owner's advisory lock (two-int form): "lo" + "fo" ("löften owner").
OWNER_LOCK_SPACE = 0x6C6F666F
_FILE_OWNER = re.compile(r"[0-9a-f]{32}")


class Owners(Protocol):
    """This process's name as an owner of claims, and whether another owner still runs."""

    me: str

    def alive(self, owner: str | None, cursor: Any = None) -> bool: ...

    def close(self) -> None: ...


class FileOwners:
    """Owners as locked files in `directory` (one machine: SQLite's case)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.me = uuid.uuid4().hex
        self._path = directory / f"{self.me}.lock"
        self._fd: int | None = os.open(self._path, os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        for other in directory.glob("*.lock"):  # tidy the files of owners that died
            if other.stem != self.me:
                self.alive(other.stem)

    def alive(self, owner: str | None, cursor: Any = None) -> bool:
        if owner == self.me:
            return self._fd is not None
        if owner is None or not _FILE_OWNER.fullmatch(owner):
            return False
        path = self.directory / f"{owner}.lock"
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)  # also drops the lock if we just took it
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return False

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(FileNotFoundError):
                self._path.unlink()
            os.close(self._fd)
            self._fd = None


class SessionOwners:
    """Owners as session-level advisory locks, each held on a connection of its own."""

    def __init__(self, datastore: PostgresDatastore) -> None:
        self._connection: psycopg.Connection[Any] = psycopg.connect(
            autocommit=True, **connect_kwargs(datastore)
        )
        self._lock = threading.Lock()
        while True:
            number = secrets.randbelow(2**31 - 1) + 1
            row = self._connection.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", (OWNER_LOCK_SPACE, number)
            ).fetchone()
            if row is not None and row[0]:
                break
        self.me = str(number)

    def alive(self, owner: str | None, cursor: Any = None) -> bool:
        """Whether `owner`'s session still holds its lock (asked on `cursor`, or our own)."""
        if owner is None or not owner.isdigit():
            return False
        query = (
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND classid::bigint = %s AND objid::bigint = %s AND objsubid = 2 "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))"
        )
        params = (OWNER_LOCK_SPACE, int(owner))
        if cursor is not None:
            cursor.execute(query, params)
            row = cursor.fetchone()
        else:
            with self._lock:
                row = self._connection.execute(query, params).fetchone()
        if row is None:
            return False
        value = row["exists"] if isinstance(row, dict) else row[0]
        return bool(value)

    def close(self) -> None:
        # Unlock first: the server ends a closed session's locks only a moment later.
        with contextlib.suppress(psycopg.Error), self._lock:
            self._connection.execute("SELECT pg_advisory_unlock_all()")
        self._connection.close()
