"""What the public may see: the one definition every public read applies.

The public pages, the public "you said, we did", open data and the public form of the
audit chain all answer the same two questions here, so they cannot drift apart:

- a promise is public once it was issued, and stays public when it is concluded or
  withdrawn since; a draft, or a draft withdrawn before issuance, never is;
- an issue is public while an issued promise addresses it; what people said that led
  only to other issues is shown as having led to nothing (yet).

Two fields are never public whatever they belong to: an observation's `note` (free
text that may name people) and the token label of whoever recorded an event
(`actor_label`; the role is shown instead). The views the public reads hold neither.
(An activity's `responsible_name` is public by the contract once its promise is
issued; the pages and open data still name only the responsible party, as their
views hold no such column.)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from projections.dialect import ViewCursor

#: Never shown to the public, in any read, page, report or file.
INTERNAL_FIELDS = frozenset({"note", "actor_label"})

#: The SQL condition (on the catalogue's `promises` table as `p`) of a public promise.
PUBLIC_PROMISE = "p.issued_on IS NOT NULL"


def promise_is_public(promise: Mapping[str, Any]) -> bool:
    """Whether a promise (a `promises` row or any mapping with `issued_on`) is public."""
    return promise["issued_on"] is not None


def public_issues(cursor: ViewCursor, issue_ids: Collection[str]) -> set[str]:
    """The issues among `issue_ids` that an issued promise addresses (the public ones)."""
    if not issue_ids:
        return set()
    keys = sorted(issue_ids)
    cursor.execute(
        "SELECT DISTINCT a.issue_id FROM promise_addresses a JOIN promises p "
        f"ON p.id = a.promise_id WHERE a.issue_id IN ({', '.join('?' * len(keys))}) "
        f"AND {PUBLIC_PROMISE}",
        tuple(keys),
    )
    return {row["issue_id"] for row in cursor.fetchall()}


def issue_is_public(cursor: ViewCursor, issue_id: str) -> bool:
    """Whether an issued promise addresses the issue."""
    return bool(public_issues(cursor, [issue_id]))


# -- the public form of an audit entry (API.md, "Audit") --------------------------------

#: The one field whose value every reader sees, even of an issue or promise not public.
ALWAYS_PUBLIC = frozenset({"actor_role"})


def public_aggregates(cursor: ViewCursor, ids: Collection[str]) -> set[str]:
    """Which of these issues and promises the public sees: issued promises, and issues an
    issued promise addresses (dialogues are always public and need no look-up)."""
    keys = sorted(set(ids))
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        cursor.execute(
            f"SELECT p.id FROM promises p WHERE p.id IN ({', '.join('?' * len(chunk))}) "
            f"AND {PUBLIC_PROMISE}",
            tuple(chunk),
        )
        found.update(row["id"] for row in cursor.fetchall())
        found |= public_issues(cursor, chunk)
    return found


def aggregate_is_public(aggregate_type: str, aggregate_id: str, public: Collection[str]) -> bool:
    """Whether the public sees an aggregate's events: every dialogue's; an issue's or a
    promise's if `public_aggregates` found it."""
    return aggregate_type == "Dialogue" or aggregate_id in public


def _holds_internal(value: Any) -> bool:
    """Whether a nested value (a list of activities, say) holds an internal field's value."""
    if isinstance(value, dict):
        return any(
            (key in INTERNAL_FIELDS and item is not None) or _holds_internal(item)
            for key, item in value.items()
        )
    if isinstance(value, list):
        return any(_holds_internal(item) for item in value)
    return False


def public_fields(aggregate_public: bool, values: Mapping[str, Any]) -> frozenset[str]:
    """The fields of one event whose values the public sees (the rest show as digests).

    `actor_role` always; of a public aggregate's event, every field but the internal
    ones, and but a nested value that holds one (an observation's `note` inside a
    dialogue's `observations`: a field is shown whole or not at all).
    """
    if not aggregate_public:
        return ALWAYS_PUBLIC & values.keys()
    return frozenset(
        name
        for name, value in values.items()
        if name not in INTERNAL_FIELDS and not _holds_internal(value)
    )
