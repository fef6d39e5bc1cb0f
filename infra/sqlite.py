"""SQLite connections to the API's own file beside the event store.

Token lookups and idempotency records are on every write request, so they keep one
connection per thread (`ThreadConnections`): opening a connection per operation cost
more than the operation. FastAPI runs them in its thread pool, so no connection is
ever used by two threads at once. Rare writes (issuing a token) still open a
short-lived connection of their own (`connection`). WAL lets readers run beside a
writer.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

BUSY_TIMEOUT_SECONDS = 10.0
#: The first and the longest pause between two tries to switch a file to WAL (`use_wal`).
WAL_RETRY_PAUSES = (0.005, 0.1)

_WRITERS: dict[Path, threading.Lock] = {}
_WRITERS_MUTEX = threading.Lock()


def _writer_lock(path: Path) -> threading.Lock:
    """The lock this process's writers to `path` take in turn (one per file)."""
    resolved = path.resolve()
    with _WRITERS_MUTEX:
        return _WRITERS.setdefault(resolved, threading.Lock())


@contextmanager
def connection(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection in autocommit mode; callers open transactions with `BEGIN IMMEDIATE`."""
    with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)) as conn:
        yield conn


class ThreadConnections:
    """One autocommit connection per thread to one file, opened on first use, kept open.

    `synchronous` is the connection's `PRAGMA synchronous`: with WAL, `NORMAL` syncs
    at checkpoints rather than at every commit, so a commit survives a crash of the
    process but the last ones may be lost if the machine itself stops (never a
    corrupt file). Callers choose it for what their records are worth.
    """

    def __init__(self, path: Path, synchronous: str = "FULL") -> None:
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError(f"synchronous must be FULL or NORMAL, not {synchronous!r}")
        self.path = path
        self.synchronous = synchronous
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._writing = _writer_lock(path)

    def get(self) -> sqlite3.Connection:
        """This thread's connection."""
        conn: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_SECONDS,
                isolation_level=None,
                check_same_thread=False,  # only so that `close()` may close it
            )
            conn.execute(f"PRAGMA synchronous={self.synchronous}")
            self._local.connection = conn
            with self._lock:
                self._opened.append(conn)
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """`BEGIN IMMEDIATE` on this thread's connection; committed, or rolled back on error.

        The process's writers to the file take a lock of the process first: SQLite's
        own wait for a busy file sleeps (1, 2, 5, ... up to 100 ms between tries), so
        32 requests claiming keys at once spent most of their time asleep with the
        file free; a lock hands over at once. Another process still meets SQLite's wait.
        """
        conn = self.get()
        with self._writing:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def write(self, sql: str, parameters: tuple[object, ...] = ()) -> sqlite3.Cursor:
        """One writing statement, committed on its own, in the process's turn (as above)."""
        conn = self.get()
        with self._writing:
            return conn.execute(sql, parameters)

    def close(self) -> None:
        """Close every thread's connection (at shutdown; a later call opens new ones)."""
        with self._lock:
            opened, self._opened = self._opened, []
            self._local = threading.local()
        for conn in opened:
            conn.close()


def use_wal(database: str | Path, timeout: float, *, uri: bool = False) -> None:
    """Switch the file to WAL, trying again until `timeout` seconds have passed.

    Switching needs the file to itself. While another connection holds the write lock
    of a file still in rollback mode (a second process creating its tables at the same
    start), SQLite answers "database is locked" at once: its busy handler is not asked,
    since waiting could deadlock. And a switch it cannot make may answer the old mode
    instead of an error. The library tried once per pool, and raised "locked" or went on
    in rollback mode, so six applications starting at once on a new store failed now and
    then (about once in 80 starts here). Raises `sqlite3.OperationalError` saying why at
    the end (each try may itself wait up to `timeout` in SQLite's busy handler).
    """
    first, longest = WAL_RETRY_PAUSES
    pause, deadline = first, time.monotonic() + timeout
    with closing(sqlite3.connect(database, timeout=timeout, isolation_level=None, uri=uri)) as conn:
        while True:
            try:
                (mode,) = conn.execute("PRAGMA journal_mode=WAL").fetchone()
                if str(mode).lower() == "wal":
                    return
                reason = f"its journal mode stayed {mode}"
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode & 0xFF not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                    raise
                reason = str(exc)
            if time.monotonic() + pause > deadline:
                raise sqlite3.OperationalError(
                    f"could not switch {database} to WAL within {timeout:g} s: {reason}"
                )
            time.sleep(pause)
            pause = min(pause * 2, longest)


def prepare(path: Path, schema: str) -> None:
    """Create the file, switch it to WAL and create the tables if they are missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    use_wal(path, BUSY_TIMEOUT_SECONDS)
    with connection(path) as conn:
        conn.executescript(schema)
