"""The library's SQLite persistence with `synchronous=NORMAL`, for writing benchmark data.

In WAL mode SQLite's default (`FULL`) syncs the log to disk on every commit: one
command, one fsync, 0.5 to 2 ms on this shared disk, which is most of the generator's
time. With `NORMAL` a commit is still atomic and survives a crash of the process;
only a power loss may lose the last transactions, which does not matter for a data
set that can be generated again. The file format is the same, so the store is read
later with the store's ordinary module (`infra.sqlite_store`).

Use: `PERSISTENCE_MODULE=bench.fast_sqlite` in the application's environment.
"""

from __future__ import annotations

from eventsourcing.sqlite import SQLiteConnection
from eventsourcing.utils import Environment, EnvType

import infra.sqlite_store
from infra.sqlite_store import WalFirstPool


class RelaxedSyncConnectionPool(WalFirstPool):
    """Connections that sync the write-ahead log at checkpoints, not at every commit
    (the store's pool otherwise: WAL switched on with retries)."""

    def _create_connection(self) -> SQLiteConnection:
        connection = super()._create_connection()
        connection._sqlite_conn.execute("PRAGMA synchronous=NORMAL")
        return connection


class Factory(infra.sqlite_store.Factory):  # the module must hold one factory class
    """The store's own SQLite factory, with the relaxed pool in its datastore."""

    def __init__(self, env: Environment | EnvType | None):
        super().__init__(env)
        old = self.datastore.pool
        self.datastore.pool = RelaxedSyncConnectionPool(
            db_name=old.db_name, lock_timeout=old.lock_timeout
        )
        old.close()
