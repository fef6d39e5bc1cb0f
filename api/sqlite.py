"""Short-lived SQLite connections to the API's own file beside the event store.

One connection per operation keeps the stores safe to call from FastAPI's thread
pool without a shared connection or a lock; WAL lets readers run beside a writer.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

BUSY_TIMEOUT_SECONDS = 10.0


@contextmanager
def connection(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection in autocommit mode; callers open transactions with `BEGIN IMMEDIATE`."""
    with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)) as conn:
        yield conn


def prepare(path: Path, schema: str) -> None:
    """Create the file, switch it to WAL and create the tables if they are missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with connection(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(schema)
