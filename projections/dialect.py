"""The SQL differences between SQLite and PostgreSQL, in one place, so views are written once.

Views and their reads are written in SQLite's dialect: `?` placeholders, rows read by
index or by column name (`sqlite3.Row`), `TEXT` and `INTEGER` columns. On PostgreSQL
the views' cursor translates as it goes:

- placeholders: `?` becomes `%s` (and a literal `%` becomes `%%`), outside quoted
  literals; statements the library builds (`psycopg.sql` objects) pass unchanged;
- rows: `Row`, a tuple that also answers to column names, as `sqlite3.Row` does, so
  `row["title"]`, `row[0]` and `status, count = row` read alike on both stores;
- DDL: `TEXT` columns get the byte-order collation `"C"`, so ordering and keyset
  paging compare strings as SQLite does (and not by the server's locale), and SQLite's
  `WITHOUT ROWID` is dropped.

Everything else the views use (`ON CONFLICT ... DO UPDATE`, `CASE`, row-value
comparisons, `LIMIT`) means the same on both. `BIGINT` is written where a column
holds a position in the event log; SQLite reads it as `INTEGER`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any, Protocol

from psycopg import Cursor as PsycopgCursor
from psycopg.rows import RowMaker


class ViewCursor(Protocol):
    """What views and their reads do with a cursor, on either store."""

    def execute(self, sql: Any, params: Any = ..., /) -> Any: ...

    def executemany(self, sql: Any, params: Any, /) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> Any: ...


# A quoted literal (kept whole), a placeholder, or a percent sign.
_TOKENS = re.compile(r"'(?:[^']|'')*'|\?|%")


@lru_cache(maxsize=1024)
def postgres_sql(statement: str) -> str:
    """A statement written with `?` placeholders, in psycopg's `%s` form."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        return token.replace("%", "%%")

    return _TOKENS.sub(replace, statement)


_TEXT = re.compile(r"\bTEXT\b")


def postgres_ddl(statement: str) -> str:
    """A `CREATE` statement of a view in PostgreSQL's form."""
    statement = re.sub(r"\s*\bWITHOUT ROWID\b", "", statement)
    return _TEXT.sub('TEXT COLLATE "C"', statement)


class Row(tuple[Any, ...]):
    """A result row read by position or by column name, like `sqlite3.Row`."""

    _index: dict[str, int]

    def __new__(cls, values: Sequence[Any], index: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row._index = index
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return super().__getitem__(self._index[key])
        return super().__getitem__(key)

    def keys(self) -> list[str]:
        return list(self._index)


def row_factory(cursor: PsycopgCursor[Any]) -> RowMaker[Row]:
    """psycopg row factory making `Row`s (the first column of a repeated name wins)."""
    index: dict[str, int] = {}
    for position, column in enumerate(cursor.description or ()):
        index.setdefault(column.name, position)

    def make(values: Sequence[Any]) -> Row:
        return Row(values, index)

    return make


class PostgresViewCursor:
    """A psycopg cursor that takes statements in the views' SQLite dialect."""

    def __init__(self, cursor: PsycopgCursor[Any]) -> None:
        self.cursor = cursor

    def execute(
        self, query: Any, params: Any = None, /, *, prepare: bool | None = None
    ) -> PostgresViewCursor:
        if isinstance(query, str) and params is not None:
            query = postgres_sql(query)
        self.cursor.execute(query, params, prepare=prepare)
        return self

    def executemany(self, query: Any, params_seq: Any, /) -> None:
        if isinstance(query, str):
            query = postgres_sql(query)
        self.cursor.executemany(query, params_seq)

    def fetchone(self) -> Any:
        return self.cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return self.cursor.fetchall()

    def __iter__(self) -> Iterator[Any]:
        return iter(self.cursor)

    @property
    def rowcount(self) -> int:
        return self.cursor.rowcount
