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
