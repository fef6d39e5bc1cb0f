"""Read the open-data tables from the views: one municipality's public record, or all of it.

The rows are chosen by the rules of `projections.publicity`: promises once issued
(`PUBLIC_PROMISE`), the issues those promises address, and the dialogues of the
municipality together with any other dialogue that evidence of those issues cites (a
joint promise's issue may rest on a neighbour's dialogue), so every reference in the
package resolves within it. The views hold no observation `note`, no activity
`responsible_name` and no actor, so none can leak from here.

Everything is read in one snapshot of the views' database (the catalogue and the
pages view share it), by subqueries rather than lists of ids, so the national
package costs a handful of queries whatever its size.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from projections.catalogue import CatalogueView
from projections.open_data import schema
from projections.pages import PagesView
from projections.publicity import PUBLIC_PROMISE

Cell = str | int | bool | None


@dataclass(frozen=True)
class OpenDataTables:
    """The rows of each table of the package, by table name, and whose record it is."""

    municipality: str | None
    rows: dict[str, list[tuple[Cell, ...]]]

    def count(self, table: str) -> int:
        return len(self.rows[table])


def _scope(municipality: str | None) -> tuple[str, str, tuple[str, ...]]:
    """The subqueries of the public promises and issues in scope, and their parameters."""
    promises = f"SELECT p.id FROM promises p WHERE {PUBLIC_PROMISE}"
    params: tuple[str, ...] = ()
    if municipality is not None:
        promises += (
            " AND EXISTS (SELECT 1 FROM promise_municipalities pm "
            "WHERE pm.promise_id = p.id AND pm.municipality = ?)"
        )
        params = (municipality,)
    issues = f"SELECT a.issue_id FROM promise_addresses a WHERE a.promise_id IN ({promises})"
    return promises, issues, params


def read_tables(
    catalogue: CatalogueView, pages: PagesView, municipality: str | None = None
) -> OpenDataTables:
    """The package's rows for one municipality (`municipality`) or the whole country."""
    if catalogue.datastore is not pages.datastore:
        raise ValueError("open data reads the catalogue and the pages view in one database")
    promises, issues, scope = _scope(municipality)
    dialogue_params: tuple[str, ...] = ()
    if municipality is None:
        dialogues = "SELECT d.id FROM dialogues d"
    else:
        dialogues = (
            "SELECT d.id FROM dialogues d WHERE d.municipality = ? UNION "
            f"SELECT e.dialogue_id FROM issue_evidence e WHERE e.issue_id IN ({issues})"
        )
        dialogue_params = (municipality, *scope)
    rows: dict[str, list[tuple[Cell, ...]]] = {}
    with catalogue.datastore.transaction(commit=False) as c:

        def table(spec: schema.Table, sql: str, params: Sequence[Any], shape: Any = tuple) -> None:
            c.execute(sql, tuple(params))
            rows[spec.name] = [shape(row) for row in c.fetchall()]

        table(
            schema.DIALOGUES,
            "SELECT id, municipality, kind, held_on, title, place, participants, observations, "
            f"mentions FROM dialogues WHERE id IN ({dialogues}) ORDER BY held_on, seq",
            dialogue_params,
        )
        table(
            schema.OBSERVATIONS,
            # Retracted ones too, marked: evidence may cite them, and every reference
            # in the package resolves within it.
            "SELECT o.id, o.dialogue_id, o.theme, o.summary, o.place, o.count, o.retracted "
            f"FROM observations o JOIN dialogues d ON d.id = o.dialogue_id "
            f"WHERE o.dialogue_id IN ({dialogues}) ORDER BY d.held_on, d.seq, o.seq",
            dialogue_params,
            _observation,
        )
        table(
            schema.ISSUES,
            "SELECT id, municipality, title, theme, status, priority, rationale, identified_on "
            f"FROM issues WHERE id IN ({issues}) ORDER BY identified_on, seq",
            scope,
        )
        table(
            schema.EVIDENCE,
            "SELECT e.issue_id, e.seq, e.dialogue_id, e.observation_id, e.source_type, "
            "e.reference FROM issue_evidence e JOIN issues i ON i.id = e.issue_id "
            f"WHERE e.issue_id IN ({issues}) ORDER BY i.identified_on, i.seq, e.seq",
            scope,
            NumberedWithin(0, 1),
        )
        table(
            schema.PROMISES,
            "SELECT p.id, p.title, g.text, p.police_district, p.starts_on, p.ends_on, p.status, "
            "p.issued_on, p.concluded_on, p.outcome, g.conclusion_summary, g.withdrawal_reason "
            "FROM promises p LEFT JOIN page_promises g ON g.id = p.id "
            f"WHERE p.id IN ({promises}) ORDER BY p.starts_on, p.seq",
            scope,
        )
        table(
            schema.PROMISE_MUNICIPALITIES,
            "SELECT m.promise_id, m.municipality FROM promise_municipalities m "
            f"JOIN promises p ON p.id = m.promise_id WHERE m.promise_id IN ({promises}) "
            "ORDER BY p.starts_on, p.seq, m.municipality",
            scope,
        )
        table(
            schema.PROMISE_ISSUES,
            "SELECT a.promise_id, a.issue_id FROM promise_addresses a "
            f"JOIN promises p ON p.id = a.promise_id WHERE a.promise_id IN ({promises}) "
            "ORDER BY p.starts_on, p.seq, a.issue_id",
            scope,
        )
        table(
            schema.ACTIVITIES,
            "SELECT a.id, a.promise_id, a.description, a.responsible, a.due_on, a.status, "
            "a.comment, a.reported_on FROM activities a JOIN promises p ON p.id = a.promise_id "
            f"WHERE a.promise_id IN ({promises}) ORDER BY p.starts_on, p.seq, a.due_on, a.id",
            scope,
        )
        table(
            schema.SIGNATURES,
            "SELECT s.promise_id, s.seq, s.party, s.municipality, s.name, s.title, s.signed_on "
            "FROM page_signatures s JOIN promises p ON p.id = s.promise_id "
            f"WHERE s.promise_id IN ({promises}) ORDER BY p.starts_on, p.seq, s.seq",
            scope,
            NumberedWithin(0, 1),
        )
        table(
            schema.FOLLOW_UPS,
            "SELECT f.id, f.promise_id, f.due_on, f.status, f.final, f.held_on, f.late, "
            "f.overdue_marked_for, f.summary FROM follow_ups f "
            "JOIN promises p ON p.id = f.promise_id "
            f"WHERE f.promise_id IN ({promises}) ORDER BY p.starts_on, p.seq, f.due_on, f.id",
            scope,
            _follow_up,
        )
        table(
            schema.FEEDBACK,
            "SELECT f.id, f.promise_id, f.published_on, f.channel, f.summary FROM feedback f "
            "JOIN promises p ON p.id = f.promise_id "
            f"WHERE f.promise_id IN ({promises}) ORDER BY f.published_on, f.id",
            scope,
        )
    return OpenDataTables(municipality=municipality, rows=rows)


class NumberedWithin:
    """Number rows from 1 within each group (the column at `group`), in place of the column
    at `replace` (a log position, which says nothing to a reader of the package)."""

    def __init__(self, group: int, replace: int) -> None:
        self.group, self.replace = group, replace
        self.last: Any = None
        self.number = 0

    def __call__(self, row: Any) -> tuple[Cell, ...]:
        cells = list(row)
        if cells[self.group] != self.last:
            self.last, self.number = cells[self.group], 0
        self.number += 1
        cells[self.replace] = self.number
        return tuple(cells)


def _observation(row: Any) -> tuple[Cell, ...]:
    *cells, retracted = tuple(row)
    return (*cells, bool(retracted))


def _follow_up(row: Any) -> tuple[Cell, ...]:
    (id_, promise_id, due_on, status, final, held_on, late, marked, summary) = tuple(row)
    missed = bool(json.loads(marked)) or bool(late)
    return (id_, promise_id, due_on, status, bool(final), held_on, bool(late), missed, summary)
