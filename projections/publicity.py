"""What the public may see of the record: one rule for the public reads and the audit chain.

API.md ("Audit") says who sees which values: the public sees every value of a
dialogue's events but its observations' `note`; every value of an issue's events
once an issued promise addresses it; every value of an issued (or since concluded or
withdrawn) promise's events, how it was drafted included; and `actor_role` of every
event. Never `actor_label`, a `note`, a promise that was never issued, or an issue no
issued promise addresses. The public pages and reads follow the same rule; they and
the public form of an audit entry decide it here, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable

from projections.dialect import ViewCursor

#: Fields no public reader ever sees the value of, whatever the aggregate.
NEVER_PUBLIC = frozenset({"actor_label", "note"})
#: Fields every reader sees the value of, even of an aggregate that is not public.
ALWAYS_PUBLIC = frozenset({"actor_role"})

#: SQL: a promise (`promises` row, or a table aliased so) the public may see.
ISSUED_PROMISE = "issued_on IS NOT NULL"


def public_fields(aggregate_public: bool, names: Iterable[str]) -> frozenset[str]:
    """The fields of one event whose values the public sees, given whether its aggregate is
    public (`public_aggregates`)."""
    names = frozenset(names)
    if aggregate_public:
        return names - NEVER_PUBLIC
    return names & ALWAYS_PUBLIC


def is_public(aggregate_type: str, aggregate_id: str, public: set[str]) -> bool:
    """Whether the public sees an aggregate: every dialogue; an issue or promise if listed
    in `public` (from `public_aggregates`)."""
    return aggregate_type == "Dialogue" or aggregate_id in public


def public_aggregates(cursor: ViewCursor, ids: Iterable[str]) -> set[str]:
    """Which of these issues and promises the public sees, from the catalogue view: promises
    that were issued, and issues an issued promise addresses (dialogues are always public
    and need no look-up)."""
    wanted = sorted(set(ids))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        cursor.execute(
            f"SELECT id FROM promises WHERE id IN ({marks}) AND {ISSUED_PROMISE}", tuple(chunk)
        )
        found.update(row[0] for row in cursor.fetchall())
        cursor.execute(
            "SELECT DISTINCT a.issue_id FROM promise_addresses a "
            f"JOIN promises p ON p.id = a.promise_id WHERE a.issue_id IN ({marks}) "
            f"AND p.{ISSUED_PROMISE}",
            tuple(chunk),
        )
        found.update(row[0] for row in cursor.fetchall())
    return found
