"""What needs doing in one municipality: the workspace's start page, read from the catalogue.

Five lists, each a question a kommunpolis or coordinator asks on a Monday morning:
which follow-ups are overdue or due soon, which drafts still wait for signatures,
which dialogues' observations no issue cites yet, which promises end soon, and
which promises had a follow-up since the last feedback to citizens (closing the
loop is the weak point Brå found).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from domain.values import DialogueKind, FollowUpStatus, PromiseStatus, Theme
from projections.catalogue import CatalogueView

#: Follow-ups due within this many days count as upcoming.
UPCOMING_DAYS = 60
#: Promises ending within this many days are named.
ENDING_DAYS = 90


@dataclass(frozen=True)
class DueFollowUp:
    promise_id: UUID
    promise_title: str
    follow_up_id: UUID
    due_on: date
    status: FollowUpStatus
    final: bool


@dataclass(frozen=True)
class PromiseLine:
    id: UUID
    title: str
    municipalities: list[str]
    starts_on: date
    ends_on: date
    status: PromiseStatus
    #: For "feedback due": when the last follow-up was held.
    last_follow_up_on: date | None = None


@dataclass(frozen=True)
class UncitedDialogue:
    id: UUID
    title: str
    kind: DialogueKind
    held_on: date
    observations: int
    uncited: int


@dataclass(frozen=True)
class WorkList:
    municipality: str
    overdue: list[DueFollowUp]
    upcoming: list[DueFollowUp]
    drafts: list[PromiseLine]
    uncited_dialogues: list[UncitedDialogue]
    ending_soon: list[PromiseLine]
    feedback_due: list[PromiseLine]

    @property
    def empty(self) -> bool:
        return not (
            self.overdue
            or self.upcoming
            or self.drafts
            or self.uncited_dialogues
            or self.ending_soon
            or self.feedback_due
        )


_PROMISES_OF = (
    "SELECT p.* FROM promises p JOIN promise_municipalities pm ON pm.promise_id = p.id "
    "WHERE pm.municipality = ?"
)


def _promise(row: Any, last_follow_up_on: str | None = None) -> PromiseLine:
    return PromiseLine(
        id=UUID(row["id"]),
        title=row["title"],
        municipalities=json.loads(row["municipalities"]),
        starts_on=date.fromisoformat(row["starts_on"]),
        ends_on=date.fromisoformat(row["ends_on"]),
        status=PromiseStatus(row["status"]),
        last_follow_up_on=date.fromisoformat(last_follow_up_on) if last_follow_up_on else None,
    )


def work_list(view: CatalogueView, municipality: str, today: date) -> WorkList:
    """The municipality's to-do, as the views stand (a joint promise counts for each)."""
    horizon = (today + timedelta(days=UPCOMING_DAYS)).isoformat()
    ending = (today + timedelta(days=ENDING_DAYS)).isoformat()
    with view.datastore.transaction(commit=False) as c:
        c.execute(
            "SELECT f.id, f.promise_id, f.due_on, f.status, f.final, p.title "
            "FROM follow_ups f JOIN promises p ON p.id = f.promise_id "
            "JOIN promise_municipalities pm ON pm.promise_id = p.id "
            "WHERE pm.municipality = ? AND p.status = ? AND f.status IN (?, ?) AND f.due_on < ? "
            "ORDER BY f.due_on, f.id",
            (
                municipality,
                PromiseStatus.ISSUED.value,
                FollowUpStatus.SCHEDULED.value,
                FollowUpStatus.OVERDUE.value,
                horizon,
            ),
        )
        due = [
            DueFollowUp(
                promise_id=UUID(row["promise_id"]),
                promise_title=row["title"],
                follow_up_id=UUID(row["id"]),
                due_on=date.fromisoformat(row["due_on"]),
                status=FollowUpStatus(row["status"]),
                final=bool(row["final"]),
            )
            for row in c.fetchall()
        ]
        c.execute(_PROMISES_OF + " AND p.status = ? ORDER BY p.seq", (municipality, "draft"))
        drafts = [_promise(row) for row in c.fetchall()]
        c.execute(
            _PROMISES_OF + " AND p.status = ? AND p.ends_on >= ? AND p.ends_on <= ? "
            "ORDER BY p.ends_on",
            (municipality, PromiseStatus.ISSUED.value, today.isoformat(), ending),
        )
        ending_soon = [_promise(row) for row in c.fetchall()]
        c.execute(
            "SELECT p.*, (SELECT MAX(f.held_on) FROM follow_ups f WHERE f.promise_id = p.id "
            "AND f.status = 'done') AS last_held FROM promises p "
            "JOIN promise_municipalities pm ON pm.promise_id = p.id "
            "WHERE pm.municipality = ? AND p.status = ? ORDER BY p.seq",
            (municipality, PromiseStatus.ISSUED.value),
        )
        promise_rows = c.fetchall()
        c.execute(
            "SELECT fb.promise_id, MAX(fb.published_on) AS last FROM feedback fb "
            "JOIN promise_municipalities pm ON pm.promise_id = fb.promise_id "
            "WHERE pm.municipality = ? GROUP BY fb.promise_id",
            (municipality,),
        )
        last_feedback = {row["promise_id"]: row["last"] for row in c.fetchall()}
        c.execute(
            "SELECT d.id, d.title, d.kind, d.held_on, d.observations, "
            "(SELECT COUNT(*) FROM observations o WHERE o.dialogue_id = d.id AND o.retracted = 0 "
            "AND NOT EXISTS "
            "(SELECT 1 FROM issue_evidence e WHERE e.observation_id = o.id)) AS uncited "
            "FROM dialogues d WHERE d.municipality = ? AND d.observations > 0 AND NOT EXISTS "
            "(SELECT 1 FROM issue_evidence e WHERE e.dialogue_id = d.id "
            "AND e.observation_id IS NULL) ORDER BY d.held_on DESC, d.seq DESC",
            (municipality,),
        )
        uncited = [
            UncitedDialogue(
                id=UUID(row["id"]),
                title=row["title"],
                kind=DialogueKind(row["kind"]),
                held_on=date.fromisoformat(row["held_on"]),
                observations=row["observations"],
                uncited=row["uncited"],
            )
            for row in c.fetchall()
            if row["uncited"] == row["observations"]
        ]
    feedback_due = [
        _promise(row, row["last_held"])
        for row in promise_rows
        if row["last_held"] is not None
        and (last_feedback.get(row["id"]) is None or last_feedback[row["id"]] < row["last_held"])
    ]
    today_text = today.isoformat()
    return WorkList(
        municipality=municipality,
        overdue=[
            f
            for f in due
            if f.status is FollowUpStatus.OVERDUE or f.due_on.isoformat() < today_text
        ],
        upcoming=[
            f
            for f in due
            if f.status is FollowUpStatus.SCHEDULED and f.due_on.isoformat() >= today_text
        ],
        drafts=drafts,
        uncited_dialogues=uncited,
        ending_soon=ending_soon,
        feedback_due=feedback_due,
    )


def active_municipalities(view: CatalogueView) -> list[str]:
    """Municipalities with anything recorded, for readers who act for every one (admins)."""
    with view.datastore.transaction(commit=False) as c:
        c.execute(
            "SELECT municipality FROM dialogues UNION SELECT municipality FROM issues "
            "UNION SELECT municipality FROM promise_municipalities"
        )
        return sorted({row[0] for row in c.fetchall()})


@dataclass(frozen=True)
class CitableObservation:
    """An observation an issue may rest on, with the dialogue it was raised at."""

    dialogue_id: UUID
    dialogue_title: str
    held_on: date
    observation_id: UUID
    theme: Theme
    summary: str
    count: int
    cited: int


def citable_observations(
    view: CatalogueView, municipality: str, theme: Theme | None = None, limit: int = 500
) -> list[CitableObservation]:
    """The municipality's observations, newest dialogue first, with how many issues cite each."""
    where = "d.municipality = ?"
    params: list[Any] = [municipality]
    if theme is not None:
        where += " AND o.theme = ?"
        params.append(theme.value)
    with view.datastore.transaction(commit=False) as c:
        c.execute(
            "SELECT o.id, o.dialogue_id, o.theme, o.summary, o.count, d.title, d.held_on, "
            "(SELECT COUNT(*) FROM issue_evidence e WHERE e.observation_id = o.id) AS cited "
            f"FROM observations o JOIN dialogues d ON d.id = o.dialogue_id WHERE {where} "
            "ORDER BY d.held_on DESC, d.seq DESC, o.seq LIMIT ?",
            [*params, limit],
        )
        return [
            CitableObservation(
                dialogue_id=UUID(row["dialogue_id"]),
                dialogue_title=row["title"],
                held_on=date.fromisoformat(row["held_on"]),
                observation_id=UUID(row["id"]),
                theme=Theme(row["theme"]),
                summary=row["summary"],
                count=row["count"],
                cited=row["cited"],
            )
            for row in c.fetchall()
        ]
