"""Cursor pagination for lists: `?limit=` (default 50, max 500) and an opaque `?cursor=`.

The cursors and the page size are those of the read side (`projections.cursors`): one
codec for lists read from the views and for the short fixed lists paged here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, TypeVar

from fastapi import Query

from api.views import query_checked
from projections.cursors import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    InvalidCursor,
    decode_cursor,
    encode_cursor,
)

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "Cursor", "Limit", "page_of"]

T = TypeVar("T")

Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description="How many items per page (at most 500).")
]
Cursor = Annotated[
    str | None,
    Query(max_length=500, description="`next_cursor` of the previous page."),
]


def page_of(
    items: Sequence[T], key: Callable[[T], str], kind: str, limit: int, cursor: str | None
) -> tuple[list[T], str | None]:
    """One page of a fixed list after the item the cursor names, and the cursor for the next."""
    start = 0
    with query_checked():
        sealed = decode_cursor(kind, cursor, 1)
        if sealed is not None:
            after = sealed[0]
            start = next((i + 1 for i, item in enumerate(items) if key(item) == after), -1)
            if start < 0:
                raise InvalidCursor("The cursor is not one this list handed out.")
    chosen = list(items[start : start + limit])
    more = start + limit < len(items)
    return chosen, encode_cursor(kind, [key(chosen[-1])]) if more and chosen else None
