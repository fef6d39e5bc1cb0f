"""PostgreSQL recorders whose table creation is safe when several processes start at once.

The library creates its tables, types and insert function on every start-up with
`CREATE ... IF NOT EXISTS` and `CREATE OR REPLACE FUNCTION`, which PostgreSQL does not
serialise: six applications starting together against one database failed with
"tuple concurrently updated" or a duplicate `pg_type` key, even when the tables already
existed. Several API processes (`uvicorn --workers N`) start exactly like that, so the
creation here runs under a database-wide advisory lock, on a connection of its own so a
pool of one connection cannot deadlock on it.
"""

from __future__ import annotations

from typing import Any

import psycopg
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

# Any fixed 64-bit number; only our own start-ups take this lock.
CREATE_TABLE_LOCK = 0x6C6F6674656E_01  # "loften", 1


class SerialisedCreateTable:
    """Mixin for a Postgres recorder: `create_table()` runs one process at a time."""

    datastore: PostgresDatastore

    def create_table(self) -> None:
        with psycopg.connect(autocommit=True, **self._connect_kwargs()) as lock_connection:
            lock_connection.execute("SELECT pg_advisory_lock(%s)", (CREATE_TABLE_LOCK,))
            try:
                super().create_table()  # type: ignore[misc]
            finally:
                lock_connection.execute("SELECT pg_advisory_unlock(%s)", (CREATE_TABLE_LOCK,))

    def _connect_kwargs(self) -> dict[str, Any]:
        """The pool's own connection parameters, password included."""
        pool = self.datastore.pool
        given = pool.kwargs() if callable(pool.kwargs) else pool.kwargs
        kwargs = {name: value for name, value in (given or {}).items() if name != "row_factory"}
        if pool.get_password_func is not None:
            kwargs["password"] = pool.get_password_func()
        return kwargs


class ApplicationRecorder(SerialisedCreateTable, PostgresApplicationRecorder):
    """The event store's recorder on PostgreSQL."""
