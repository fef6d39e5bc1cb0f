"""Writes held back and sent as few `executemany` calls, with the result of running each alone.

A view's handlers write a row or two per event; a batch (a rebuild's page: thousands of
events) sends them through one `BatchWriter`, so each statement goes to the database as
a handful of groups instead of a call per row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from projections.dialect import ViewCursor

_WRITES = re.compile(r"\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(\w+)", re.IGNORECASE)


class BatchWriter:
    """A view cursor that holds writes back and sends them as few `executemany` calls.

    A statement is the same work whether it runs alone or in a group, but each call
    costs more than the row it writes, so a batch's thousands of writes go as a
    handful of groups. The result is exactly that of running them one by one:

    - a write joins the latest group of the same statement unless a write to the same
      table came after that group (writes to one table keep their order; writes to
      different tables commute, since no statement of a view reads another table);
    - a read (or any statement that is not a plain INSERT, UPDATE or DELETE on one
      table) first sends everything held, so it sees every earlier write.
    """

    def __init__(self, cursor: ViewCursor) -> None:
        self.cursor = cursor
        #: [statement, table, rows] in the order the groups were begun.
        self._groups: list[tuple[str, str, list[Any]]] = []
        #: The rows of each statement's latest group, and the latest group begun on each
        #: table (as the rows list), so a write finds its group at once however many
        #: groups a large batch (a rebuild's) has begun.
        self._latest: dict[str, list[Any]] = {}
        self._last_on_table: dict[str, list[Any]] = {}

    def execute(self, sql: str, params: Any = (), /) -> BatchWriter:
        table = _table_written(sql)
        if table is None:
            self.flush()
            self.cursor.execute(sql, params)
        else:
            self._group(sql, table).append(params)
        return self

    def executemany(self, sql: str, params: Iterable[Any], /) -> None:
        table = _table_written(sql)
        if table is None:
            self.flush()
            self.cursor.executemany(sql, params)
        else:
            self._group(sql, table).extend(params)

    def fetchone(self) -> Any:
        return self.cursor.fetchone()

    def fetchall(self) -> Any:
        return self.cursor.fetchall()

    def flush(self) -> None:
        """Send every write held, group by group, in order."""
        for sql, _, rows in self._groups:
            if len(rows) == 1:
                self.cursor.execute(sql, rows[0])
            elif rows:
                self.cursor.executemany(sql, rows)
        self._groups.clear()
        self._latest.clear()
        self._last_on_table.clear()

    def _group(self, sql: str, table: str) -> list[Any]:
        """The group a write joins: its statement's latest, unless another statement on the
        same table began a group after it; then a new group."""
        rows = self._latest.get(sql)
        if rows is not None and self._last_on_table.get(table) is rows:
            return rows
        rows = []
        self._groups.append((sql, table, rows))
        self._latest[sql] = self._last_on_table[table] = rows
        return rows


_READS = re.compile(r"\b(?:SELECT|FROM|WITH|RETURNING)\b|;", re.IGNORECASE)
_TABLES: dict[str, str | None] = {}


def _table_written(sql: str) -> str | None:
    """The one table a plain write changes; None for anything else (a read, a write that
    reads another table or returns rows), which must run in order with everything."""
    try:
        return _TABLES[sql]
    except KeyError:
        match = _WRITES.match(sql)
        table = None
        if match is not None and _READS.search(sql, match.end()) is None:
            table = match.group(1).lower()
        if len(_TABLES) < 4096:
            _TABLES[sql] = table
        return table
