"""Helpers for reading a views file as plain rows, to compare two builds of it."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def dump_views(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every view table (not the tracking tables), sorted, by table."""
    connection = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE '%tracking' ORDER BY name"
            )
        ]
        return {
            table: sorted(connection.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in tables
        }
    finally:
        connection.close()
