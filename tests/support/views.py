"""Helpers for the read-side tests, on either store: dump the views, tamper with the store."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from uuid import UUID

from infra.bootstrap import ReadSideOpener
from infra.postgres import datastore_options
from infra.viewstores import PostgresViewDatastore, PostgresViewStore, SQLiteViewStore
from projections.readside import Projections
from projections.viewstore import ViewStore
from workflow.application import Loftesboken
from workflow.settings import Settings


def dump_views(read_side: Projections) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every view table (not the tracking tables), sorted, by table."""
    dump: dict[str, list[tuple[object, ...]]] = {}
    with read_side.store.transaction(commit=False) as cursor:
        for view in read_side.views:
            for table in view.tables:
                cursor.execute(f"SELECT * FROM {table}")
                dump[table] = sorted((tuple(row) for row in cursor.fetchall()), key=repr)
    return dump


def damage_views(read_side: Projections) -> None:
    """Damage every view behind the projections' back (rows gone, values changed, the
    tracked positions left as they were), so that only a real rebuild repairs them."""
    with read_side.store.transaction(commit=True) as cursor:
        for view in read_side.views:
            for table in view.tables:
                cursor.execute(f"DELETE FROM {table}")
    assert all(not rows for rows in dump_views(read_side).values())


def other_views_store(settings: Settings, folder: Path, name: str = "other") -> ViewStore:
    """Another empty views database beside the first (a file, or another schema)."""
    if settings.is_postgres:
        options = {**datastore_options(settings), "schema": f"loften_views_{name}"}
        return PostgresViewStore(PostgresViewDatastore(**options))
    return SQLiteViewStore(folder / f"{name}.views.sqlite3")


def other_views_opener(settings: Settings, folder: Path, name: str = "other") -> ReadSideOpener:
    """What opens `other_views_store(settings, folder, name)` again in a rebuild's worker."""
    if settings.is_postgres:
        return ReadSideOpener(settings, views_schema=f"loften_views_{name}")
    return ReadSideOpener(settings, views_path=folder / f"{name}.views.sqlite3")


class StoredEvents:
    """The event store's table itself, for tests that damage it behind the library's back."""

    def __init__(self, app: Loftesboken) -> None:
        self.app = app
        self.settings = app.settings

    def _run(self, sqlite_sql: str, postgres_sql: str, params: tuple[Any, ...]) -> list[Any]:
        if self.settings.is_postgres:
            with self.app.recorder.datastore.transaction(commit=True) as cursor:  # type: ignore[attr-defined]
                cursor.execute(postgres_sql, params)
                return (
                    [tuple(row.values()) for row in cursor.fetchall()] if cursor.description else []
                )
        connection = sqlite3.connect(self.settings.sqlite_path)
        try:
            rows = connection.execute(sqlite_sql, params).fetchall()
            connection.commit()
            return rows
        finally:
            connection.close()

    def position(self, aggregate_id: UUID, version: int) -> int:
        """The notification id (SQLite: rowid) of one stored event."""
        rows = self._run(
            "SELECT rowid FROM stored_events WHERE originator_id = ? AND originator_version = ?",
            "SELECT notification_id FROM loften_events "
            "WHERE originator_id = %s AND originator_version = %s",
            (aggregate_id.hex if self.settings.is_sqlite else aggregate_id, version),
        )
        return int(rows[0][0])

    def state(self, position: int) -> bytes:
        rows = self._run(
            "SELECT state FROM stored_events WHERE rowid = ?",
            "SELECT state FROM loften_events WHERE notification_id = %s",
            (position,),
        )
        return bytes(rows[0][0])

    def replace_state(self, position: int, state: bytes) -> None:
        self._run(
            "UPDATE stored_events SET state = ? WHERE rowid = ?",
            "UPDATE loften_events SET state = %s WHERE notification_id = %s",
            (state, position),
        )

    def delete(self, position: int) -> None:
        self._run(
            "DELETE FROM stored_events WHERE rowid = ?",
            "DELETE FROM loften_events WHERE notification_id = %s",
            (position,),
        )
