"""Two writers on one SQLite file take turns instead of failing (`infra.sqlite_store`).

The interleaving that made `loften rebuild` beside a serving process fail now and then
("database is locked"), made to happen every time: one writing transaction reads,
another writer commits meanwhile, then the first writes.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from eventsourcing.persistence import OperationalError
from eventsourcing.sqlite import SQLiteDatastore

from infra.sqlite_store import Factory, WritersFirstDatastore


def read_then_write_while_another_writes(datastore_class: type[SQLiteDatastore], path: Path):
    """Writer A reads, B tries to write and commit, then A writes; the rows that got in."""
    first = datastore_class(db_name=str(path), lock_timeout=5)
    second = datastore_class(db_name=str(path), lock_timeout=5)
    with first.transaction(commit=True) as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS rows (name TEXT)")
    failures: list[BaseException] = []

    def other_writer() -> None:
        try:
            with second.transaction(commit=True) as cursor:
                cursor.execute("INSERT INTO rows VALUES ('second')")
        except BaseException as exc:
            failures.append(exc)

    try:
        with first.transaction(commit=True) as cursor:
            cursor.execute("SELECT COUNT(*) FROM rows")  # the snapshot A will write from
            other = threading.Thread(target=other_writer)
            other.start()
            time.sleep(0.3)  # B commits now if it can
            cursor.execute("INSERT INTO rows VALUES ('first')")
        other.join()
        if failures:
            raise failures[0]
        with first.transaction(commit=False) as cursor:
            cursor.execute("SELECT name FROM rows ORDER BY rowid")
            return [row["name"] for row in cursor.fetchall()]
    finally:
        first.close()
        second.close()


def test_a_writer_that_read_first_waits_for_no_one_and_the_other_waits_its_turn(tmp_path):
    assert read_then_write_while_another_writes(WritersFirstDatastore, tmp_path / "v.db") == [
        "first",
        "second",
    ]


def test_the_library_default_fails_in_that_interleaving(tmp_path):
    """Why the subclass exists: with a deferred `BEGIN` the first writer is refused."""
    with pytest.raises(OperationalError, match="locked"):
        read_then_write_while_another_writes(SQLiteDatastore, tmp_path / "v.db")


def test_the_store_factory_gives_the_event_store_that_datastore(tmp_path):
    factory = Factory({"SQLITE_DBNAME": str(tmp_path / "e.db"), "SQLITE_LOCK_TIMEOUT": "7"})
    try:
        assert isinstance(factory.datastore, WritersFirstDatastore)
        assert factory.datastore.pool.lock_timeout == 7
    finally:
        factory.close()
