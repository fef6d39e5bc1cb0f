""" "You said, we did": what became of each observation of a dialogue.

For each observation, the issues that cite it (or the whole dialogue) and the
promises that address those issues, with their status and latest follow-up.
Public form (see `projections.publicity`): no notes (the view has none), no promise
that was never issued, and no issue that no issued promise addresses; an observation
that led to nothing public shows no issues.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from uuid import UUID

from domain.values import (
    DialogueKind,
    FollowUpStatus,
    IssueStatus,
    Outcome,
    PromiseStatus,
    Theme,
)
from projections.catalogue import CatalogueView
from projections.dialect import ViewCursor
from projections.models import (
    DialogueBrief,
    DialogueOutcomes,
    FollowUpBrief,
    OutcomeIssue,
    OutcomeObservation,
    OutcomePromise,
)
from projections.publicity import promise_is_public, public_issues


def dialogue_outcomes(
    view: CatalogueView, dialogue_id: UUID, *, internal: bool = False
) -> DialogueOutcomes | None:
    """The outcomes of one dialogue, or None if the view has no such dialogue.

    `internal` readers (the dialogue's own municipality, auditors, admins) also see
    drafts and the issues no issued promise addresses; the public sees neither.
    """
    key = str(dialogue_id)
    with view.datastore.transaction(commit=False) as c:
        c.execute("SELECT * FROM dialogues WHERE id = ?", (key,))
        dialogue = c.fetchone()
        if dialogue is None:
            return None
        # A retracted observation stops counting: what became of it is not to be told.
        c.execute(
            "SELECT * FROM observations WHERE dialogue_id = ? AND retracted = 0 ORDER BY seq",
            (key,),
        )
        observations: list[sqlite3.Row] = c.fetchall()
        c.execute(
            "SELECT e.observation_id, i.* FROM issue_evidence e JOIN issues i ON i.id = e.issue_id "
            "WHERE e.dialogue_id = ? ORDER BY i.seq",
            (key,),
        )
        citations: list[sqlite3.Row] = c.fetchall()
        if not internal:
            shown = public_issues(c, {row["id"] for row in citations})
            citations = [row for row in citations if row["id"] in shown]
        promises: dict[str, list[OutcomePromise]] = {}
        for issue_id in {row["id"] for row in citations}:
            promises[issue_id] = _promises_addressing(c, issue_id, internal)

    def issues_citing(observation_id: str) -> list[OutcomeIssue]:
        return [
            OutcomeIssue(
                id=UUID(row["id"]),
                title=row["title"],
                theme=Theme(row["theme"]),
                status=IssueStatus(row["status"]),
                priority=row["priority"],
                cites="observation" if row["observation_id"] else "dialogue",
                promises=promises[row["id"]],
            )
            for row in citations
            if row["observation_id"] in (None, observation_id)
        ]

    return DialogueOutcomes(
        dialogue=DialogueBrief(
            id=dialogue_id,
            municipality=dialogue["municipality"],
            kind=DialogueKind(dialogue["kind"]),
            held_on=date.fromisoformat(dialogue["held_on"]),
            title=dialogue["title"],
        ),
        observations=[
            OutcomeObservation(
                id=UUID(row["id"]),
                theme=Theme(row["theme"]),
                summary=row["summary"],
                place=row["place"],
                count=row["count"],
                issues=issues_citing(row["id"]),
            )
            for row in observations
        ],
    )


def _promises_addressing(cursor: ViewCursor, issue_id: str, internal: bool) -> list[OutcomePromise]:
    cursor.execute(
        "SELECT p.* FROM promise_addresses a JOIN promises p ON p.id = a.promise_id "
        "WHERE a.issue_id = ? ORDER BY p.seq",
        (issue_id,),
    )
    found: list[OutcomePromise] = []
    for row in cursor.fetchall():
        if not (internal or promise_is_public(row)):  # a draft, or withdrawn as one
            continue
        cursor.execute(
            "SELECT * FROM follow_ups WHERE promise_id = ? AND status = ? "
            "ORDER BY held_on DESC, due_on DESC LIMIT 1",
            (row["id"], FollowUpStatus.DONE.value),
        )
        latest = cursor.fetchone()
        found.append(
            OutcomePromise(
                id=UUID(row["id"]),
                title=row["title"],
                status=PromiseStatus(row["status"]),
                starts_on=date.fromisoformat(row["starts_on"]),
                ends_on=date.fromisoformat(row["ends_on"]),
                outcome=Outcome(row["outcome"]) if row["outcome"] else None,
                latest_follow_up=None
                if latest is None
                else FollowUpBrief(
                    id=UUID(latest["id"]),
                    due_on=date.fromisoformat(latest["due_on"]),
                    held_on=date.fromisoformat(latest["held_on"]),
                    status=FollowUpStatus(latest["status"]),
                    late=bool(latest["late"]),
                    summary=latest["summary"],
                ),
            )
        )
    return found
