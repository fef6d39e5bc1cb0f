"""Opaque keyset cursors for paged lists: the sort key of the last item, sealed in base64.

Keyset paging (`WHERE key > last ORDER BY key`) does not skip or repeat items
when rows are added between pages, unlike offsets.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class InvalidCursor(ValueError):
    """A cursor this service did not hand out (answered as 422)."""


class InvalidLimit(ValueError):
    """A page size outside 1..500 (answered as 422)."""


def encode_cursor(kind: str, key: list[Any]) -> str:
    """A cursor for the item with sort key `key` in a list of `kind`."""
    raw = json.dumps([kind, key], separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(kind: str, cursor: str | None, arity: int) -> list[Any] | None:
    """The sort key sealed in `cursor` (None for the first page); refuses a foreign cursor."""
    if cursor is None or cursor == "":
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        found_kind, key = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, TypeError, binascii.Error, UnicodeError):
        raise InvalidCursor("The cursor is not one this list handed out.") from None
    if found_kind != kind or not isinstance(key, list) or len(key) != arity:
        raise InvalidCursor("The cursor belongs to another list.")
    if not all(_key_part(part) for part in key):
        raise InvalidCursor("The cursor is not one this list handed out.")
    return key


def _key_part(part: Any) -> bool:
    """A text or an integer a database column can hold (SQL integers are 64-bit)."""
    if isinstance(part, bool):
        return False
    return isinstance(part, str) or (isinstance(part, int) and -(2**63) <= part < 2**63)


def check_limit(limit: int) -> int:
    """The page size, refused outside 1..500."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidLimit(f"limit must be between 1 and {MAX_LIMIT}")
    return limit
