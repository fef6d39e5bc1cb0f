"""A file is switched to WAL even while another process holds it (`infra.sqlite.use_wal`).

The interleaving that made six applications starting at once on a new store fail now
and then, made to happen every time: one connection holds the write lock of the file,
still in rollback mode, while another asks for WAL.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from eventsourcing.persistence import OperationalError

from infra.sqlite import use_wal
from infra.sqlite_store import WritersFirstDatastore


@contextmanager
def writer_holding(path: Path, seconds: float) -> Iterator[None]:
    """Another connection holds the write lock of `path` (rollback mode) for `seconds`."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE IF NOT EXISTS rows (name TEXT)")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO rows VALUES ('held')")
    release = threading.Timer(seconds, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        yield
    finally:
        release.join()
        holder.close()


def journal_mode(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])


def test_one_bare_switch_is_refused_at_once_while_another_writes(tmp_path):
    """Why `use_wal` exists: SQLite does not wait for this lock, whatever the timeout."""
    path = tmp_path / "e.db"
    with (
        writer_holding(path, 0.3),
        closing(sqlite3.connect(path, timeout=5)) as conn,
        pytest.raises(sqlite3.OperationalError, match="locked"),
    ):
        conn.execute("PRAGMA journal_mode=WAL")
    assert journal_mode(path) == "delete"


def test_use_wal_waits_until_the_writer_is_done(tmp_path):
    path = tmp_path / "e.db"
    with writer_holding(path, 0.3):
        use_wal(path, timeout=5)
    assert journal_mode(path) == "wal"


def test_use_wal_says_why_when_the_file_stays_held(tmp_path):
    path = tmp_path / "e.db"
    with (
        writer_holding(path, 0.5),
        pytest.raises(sqlite3.OperationalError, match=r"could not switch .* to WAL within 0\.1 s"),
    ):
        use_wal(path, timeout=0.1)


def test_the_datastores_first_transaction_waits_for_wal_too(tmp_path):
    """The event store and the views' file open through this datastore."""
    path = tmp_path / "e.db"
    datastore = WritersFirstDatastore(db_name=str(path), lock_timeout=5)
    try:
        with writer_holding(path, 0.3), datastore.transaction(commit=True) as cursor:
            cursor.execute("INSERT INTO rows VALUES ('after')")
        assert datastore.pool.is_journal_mode_wal
    finally:
        datastore.close()
    assert journal_mode(path) == "wal"


def test_the_datastore_raises_the_librarys_error_when_the_file_stays_held(tmp_path):
    path = tmp_path / "e.db"
    datastore = WritersFirstDatastore(db_name=str(path), lock_timeout=1)
    try:
        with (
            writer_holding(path, 1.5),
            pytest.raises(OperationalError, match="to WAL"),
            datastore.transaction(commit=True),
        ):
            pass
    finally:
        datastore.close()
