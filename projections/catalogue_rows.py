"""What the catalogue's row handlers share: the one way a row's columns and version change."""

from __future__ import annotations

from typing import Any

from projections.dialect import ViewCursor
from projections.framework import TrackedView


class CatalogueRows(TrackedView):
    """Base of the catalogue's handlers, one class per aggregate (`projections.catalogue`)."""

    def _update(
        self, c: ViewCursor, table: str, key: str, columns: dict[str, Any], version: int
    ) -> None:
        """Set `columns` (names from our own code, never from input) and the version."""
        assignments = "".join(f"{name} = ?, " for name in columns)
        c.execute(
            f"UPDATE {table} SET {assignments}version = ? WHERE id = ?",
            (*columns.values(), version, key),
        )
