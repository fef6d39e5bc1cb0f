"""Cursor pagination for lists: `?limit=` (default 50, max 500) and an opaque `?cursor=`."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Annotated, NoReturn, TypeVar

from fastapi import Query

from api.errors import ApiProblem

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description="How many items per page (at most 500).")
]
Cursor = Annotated[
    str | None,
    Query(max_length=500, description="`next_cursor` of the previous page."),
]


def encode_cursor(kind: str, after: str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{after}".encode()).decode("ascii").rstrip("=")


def decode_cursor(kind: str, cursor: str) -> str:
    """The position a cursor of this list points after; a foreign or broken cursor is 422."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    prefix, _, after = text.partition(":")
    if prefix != kind or not after:
        _refuse()
    return after


def _refuse() -> NoReturn:
    message = "The cursor is not one this list gave out."
    raise ApiProblem(
        422, "validation", message, errors=[{"loc": ["query", "cursor"], "msg": message}]
    )


def page_of(
    items: Sequence[T], key: Callable[[T], str], kind: str, limit: int, cursor: str | None
) -> tuple[list[T], str | None]:
    """One page of a fixed list after the item the cursor names, and the cursor for the next."""
    start = 0
    if cursor is not None:
        after = decode_cursor(kind, cursor)
        start = next((i + 1 for i, item in enumerate(items) if key(item) == after), -1)
        if start < 0:
            _refuse()
    chosen = list(items[start : start + limit])
    more = start + limit < len(items)
    return chosen, encode_cursor(kind, key(chosen[-1])) if more and chosen else None
