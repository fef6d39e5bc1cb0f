"""Reads of the catalogue view: a municipality's summary, the paged lists, the deadlines.

Each function is what one read endpoint needs, so a route validates its query
parameters and calls one of these. Lists page by keyset: lists of aggregates in
the order they were recorded, deadlines soonest first.

Just over the usual length on purpose: each function is one endpoint's read over the
same catalogue tables with the same keyset paging; they are looked up by endpoint,
and apart they would repeat the paging imports and cursor handling per file.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from domain.follow_ups import missed_due_dates
from domain.values import (
    DialogueKind,
    FollowUpStatus,
    IssueStatus,
    PromiseStatus,
    Theme,
)
from projections.catalogue import CatalogueView
from projections.cursors import DEFAULT_LIMIT, check_limit, decode_cursor, encode_cursor
from projections.models import (
    DeadlineRow,
    DialogueRow,
    IssueRow,
    MunicipalitySummary,
    Page,
    PromiseRow,
)
from projections.publicity import PUBLIC_PROMISE

R = TypeVar("R")

#: Promises whose follow-ups are deadlines: drafts have none, withdrawn ones no longer count.
DEADLINE_STATUSES = (PromiseStatus.ISSUED.value, PromiseStatus.CONCLUDED.value)


def _rows(view: CatalogueView, sql: str, params: Sequence[Any]) -> list[sqlite3.Row]:
    with view.datastore.transaction(commit=False) as c:
        c.execute(sql, params)
        rows: list[sqlite3.Row] = c.fetchall()
        return rows


def _page(
    view: CatalogueView,
    *,
    kind: str,
    select: str,
    where: list[str],
    params: list[Any],
    order: Sequence[str],
    limit: int,
    cursor: str | None,
    build: Callable[[sqlite3.Row], R],
) -> Page[R]:
    """Run a keyset-paged query ordered by the columns `order` (ascending)."""
    check_limit(limit)
    after = decode_cursor(kind, cursor, len(order))
    where = list(where)
    params = list(params)
    if after is not None:
        # A row comes after the cursor when its sort key is greater, compared as a tuple.
        where.append(f"({', '.join(order)}) > ({', '.join('?' * len(order))})")
        params.extend(after)
    sql = select
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {', '.join(order)} LIMIT ?"
    rows = _rows(view, sql, [*params, limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more:
        last = rows[-1]
        next_cursor = encode_cursor(kind, [last[column.split(".")[-1]] for column in order])
    return Page[R](items=[build(row) for row in rows], next_cursor=next_cursor)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _year_bounds(year: int) -> tuple[str, str]:
    return f"{year:04d}-01-01", f"{year:04d}-12-31"


# -- municipality summary ----------------------------------------------------------


def municipality_summary(
    view: CatalogueView, code: str, *, public: bool = True
) -> MunicipalitySummary:
    """Counts for one municipality; the public form counts only promises that were issued
    (no drafts, and no drafts withdrawn before issuance)."""
    with view.datastore.transaction(commit=False) as c:
        c.execute(
            "SELECT COUNT(*), COALESCE(SUM(observations), 0) FROM dialogues WHERE municipality = ?",
            (code,),
        )
        dialogues, observations = c.fetchone()
        c.execute(
            "SELECT status, COUNT(*) FROM issues WHERE municipality = ? GROUP BY status", (code,)
        )
        issue_counts = {status: count for status, count in c.fetchall()}
        c.execute(
            "SELECT p.status, COUNT(*) FROM promises p JOIN promise_municipalities pm "
            "ON pm.promise_id = p.id WHERE pm.municipality = ? "
            f"{f'AND {PUBLIC_PROMISE} ' if public else ''}GROUP BY p.status",
            (code,),
        )
        promise_counts = {status: count for status, count in c.fetchall()}
        c.execute(
            "SELECT COUNT(*) FROM follow_ups f JOIN promise_municipalities pm "
            "ON pm.promise_id = f.promise_id JOIN promises p ON p.id = f.promise_id "
            "WHERE pm.municipality = ? AND f.status = ? AND p.status IN (?, ?)",
            (code, FollowUpStatus.OVERDUE.value, *DEADLINE_STATUSES),
        )
        overdue = c.fetchone()[0]
        c.execute(
            "SELECT MIN(f.due_on) FROM follow_ups f JOIN promise_municipalities pm "
            "ON pm.promise_id = f.promise_id JOIN promises p ON p.id = f.promise_id "
            "WHERE pm.municipality = ? AND f.status = ? AND p.status = ?",
            (code, FollowUpStatus.SCHEDULED.value, PromiseStatus.ISSUED.value),
        )
        next_deadline = c.fetchone()[0]
    promise_statuses = [s for s in PromiseStatus if not (public and s is PromiseStatus.DRAFT)]
    return MunicipalitySummary(
        dialogues=dialogues,
        observations=observations,
        issues={s.value: issue_counts.get(s.value, 0) for s in IssueStatus},
        promises={s.value: promise_counts.get(s.value, 0) for s in promise_statuses},
        overdue_follow_ups=overdue,
        next_deadline=_date(next_deadline),
    )


def overdue_by_municipality(view: CatalogueView) -> dict[str, int]:
    """Overdue follow-ups of promises still under way, per municipality (for `/metrics`)."""
    with view.datastore.transaction(commit=False) as c:
        c.execute(
            "SELECT pm.municipality, COUNT(*) FROM follow_ups f JOIN promise_municipalities pm "
            "ON pm.promise_id = f.promise_id JOIN promises p ON p.id = f.promise_id "
            "WHERE f.status = ? AND p.status IN (?, ?) GROUP BY pm.municipality",
            (FollowUpStatus.OVERDUE.value, *DEADLINE_STATUSES),
        )
        return {code: count for code, count in c.fetchall()}


# -- lists ---------------------------------------------------------------------------


def _dialogue(row: sqlite3.Row) -> DialogueRow:
    return DialogueRow(
        id=UUID(row["id"]),
        municipality=row["municipality"],
        kind=DialogueKind(row["kind"]),
        held_on=date.fromisoformat(row["held_on"]),
        title=row["title"],
        place=row["place"],
        participants=row["participants"],
        observations=row["observations"],
        mentions=row["mentions"],
        version=row["version"],
    )


def list_dialogues(
    view: CatalogueView,
    *,
    municipality: str | None = None,
    year: int | None = None,
    kind: DialogueKind | None = None,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[DialogueRow]:
    """Dialogues in the order they were recorded, filtered by municipality, year held, kind."""
    where: list[str] = []
    params: list[Any] = []
    if municipality is not None:
        where.append("municipality = ?")
        params.append(municipality)
    if year is not None:
        where.append("year = ?")
        params.append(year)
    if kind is not None:
        where.append("kind = ?")
        params.append(kind.value)
    return _page(
        view,
        kind="dialogues",
        select="SELECT * FROM dialogues",
        where=where,
        params=params,
        order=("seq",),
        limit=limit,
        cursor=cursor,
        build=_dialogue,
    )


def _issue(row: sqlite3.Row) -> IssueRow:
    return IssueRow(
        id=UUID(row["id"]),
        municipality=row["municipality"],
        title=row["title"],
        theme=Theme(row["theme"]),
        status=IssueStatus(row["status"]),
        priority=row["priority"],
        identified_on=date.fromisoformat(row["identified_on"]),
        evidence=row["evidence"],
        version=row["version"],
    )


def list_issues(
    view: CatalogueView,
    *,
    municipality: str | None = None,
    status: IssueStatus | None = None,
    theme: Theme | None = None,
    within: Collection[str] | None = None,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[IssueRow]:
    """Issues in the order they were identified, filtered by municipality, status, theme.

    `within` keeps only issues of those municipalities (a reader who may not see others').
    """
    where: list[str] = []
    params: list[Any] = []
    if within is not None:
        codes = sorted(within)
        where.append(f"municipality IN ({', '.join('?' * len(codes))})" if codes else "1 = 0")
        params.extend(codes)
    for column, value in (("municipality", municipality), ("status", status), ("theme", theme)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value.value if isinstance(value, IssueStatus | Theme) else value)
    return _page(
        view,
        kind="issues",
        select="SELECT * FROM issues",
        where=where,
        params=params,
        order=("seq",),
        limit=limit,
        cursor=cursor,
        build=_issue,
    )


def _promise(row: sqlite3.Row) -> PromiseRow:
    return PromiseRow(
        id=UUID(row["id"]),
        municipalities=json.loads(row["municipalities"]),
        police_district=row["police_district"],
        title=row["title"],
        starts_on=date.fromisoformat(row["starts_on"]),
        ends_on=date.fromisoformat(row["ends_on"]),
        status=PromiseStatus(row["status"]),
        issued_on=_date(row["issued_on"]),
        concluded_on=_date(row["concluded_on"]),
        outcome=row["outcome"],
        version=row["version"],
    )


def list_promises(
    view: CatalogueView,
    *,
    municipality: str | None = None,
    year: int | None = None,
    status: PromiseStatus | None = None,
    include_drafts: bool = False,
    drafts_of: Collection[str] = (),
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[PromiseRow]:
    """Promises in the order they were drafted; `year` matches a period that overlaps it.

    Promises never issued (drafts, and drafts withdrawn before issuance) are left out
    unless `include_drafts` (public reads never show them) or one of their
    municipalities is in `drafts_of` (a police or municipality reader sees its own drafts
    only); a promise of several municipalities is listed under each.
    """
    where: list[str] = []
    params: list[Any] = []
    if municipality is not None:
        where.append(
            "EXISTS (SELECT 1 FROM promise_municipalities pm "
            "WHERE pm.promise_id = promises.id AND pm.municipality = ?)"
        )
        params.append(municipality)
    if year is not None:
        first, last = _year_bounds(year)
        where.append("starts_on <= ? AND ends_on >= ?")
        params.extend([last, first])
    if status is not None:
        where.append("status = ?")
        params.append(status.value)
    if not include_drafts:
        own = sorted(drafts_of)
        draft_visible = (
            "EXISTS (SELECT 1 FROM promise_municipalities pm WHERE pm.promise_id = promises.id "
            f"AND pm.municipality IN ({', '.join('?' * len(own))}))"
        )
        issued = "issued_on IS NOT NULL"
        where.append(f"({issued} OR {draft_visible})" if own else issued)
        params.extend(own)
    return _page(
        view,
        kind="promises",
        select="SELECT * FROM promises",
        where=where,
        params=params,
        order=("seq",),
        limit=limit,
        cursor=cursor,
        build=_promise,
    )


# -- deadlines -----------------------------------------------------------------------


def _deadline(row: sqlite3.Row) -> DeadlineRow:
    return DeadlineRow(
        promise_id=UUID(row["promise_id"]),
        promise_title=row["title"],
        follow_up_id=UUID(row["id"]),
        municipalities=json.loads(row["municipalities"]),
        due_on=date.fromisoformat(row["due_on"]),
        status=FollowUpStatus(row["status"]),
        late=bool(row["late"]),
        final=bool(row["final"]),
        held_on=_date(row["held_on"]),
    )


def list_deadlines(
    view: CatalogueView,
    *,
    municipality: str | None = None,
    status: FollowUpStatus | None = None,
    due_before: date | None = None,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[DeadlineRow]:
    """Follow-ups of issued and concluded promises, soonest first (`due_before` exclusive)."""
    where = ["p.status IN (?, ?)"]
    params: list[Any] = list(DEADLINE_STATUSES)
    if municipality is not None:
        where.append(
            "EXISTS (SELECT 1 FROM promise_municipalities pm "
            "WHERE pm.promise_id = f.promise_id AND pm.municipality = ?)"
        )
        params.append(municipality)
    if status is not None:
        where.append("f.status = ?")
        params.append(status.value)
    if due_before is not None:
        where.append("f.due_on < ?")
        params.append(due_before.isoformat())
    page = _page(
        view,
        kind="deadlines",
        select=(
            "SELECT f.id, f.promise_id, f.due_on, f.status, f.final, f.held_on, f.late, "
            "p.title, p.municipalities FROM follow_ups f JOIN promises p ON p.id = f.promise_id"
        ),
        where=where,
        params=params,
        order=("f.due_on", "f.id"),
        limit=limit,
        cursor=cursor,
        build=_deadline,
    )
    return Page[DeadlineRow](items=_with_misses(view, page.items), next_cursor=page.next_cursor)


def _with_misses(view: CatalogueView, rows: list[DeadlineRow]) -> list[DeadlineRow]:
    """The due dates each follow-up missed, which no rescheduling clears."""
    if not rows:
        return rows
    marks = ", ".join("?" * len(rows))
    passed: dict[str, list[date]] = defaultdict(list)
    for row in _rows(
        view,
        f"SELECT follow_up_id, due_on FROM follow_up_passed WHERE follow_up_id IN ({marks})",
        [str(r.follow_up_id) for r in rows],
    ):
        passed[row["follow_up_id"]].append(date.fromisoformat(row["due_on"]))
    enriched: list[DeadlineRow] = []
    for r in rows:
        days = missed_due_dates(passed.get(str(r.follow_up_id), []), r.held_on)
        enriched.append(r.model_copy(update={"missed": bool(days), "missed_due_on": days}))
    return enriched
