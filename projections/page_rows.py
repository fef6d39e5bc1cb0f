"""Row builders and the queries the public pages' reads share (follow-ups, addressed
issues, their evidence, the themes of dialogues), over one snapshot of the views."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from domain.follow_ups import missed_due_dates
from domain.values import (
    DialogueKind,
    FollowUpStatus,
    IssueStatus,
    Outcome,
    PromiseStatus,
    SourceType,
    Theme,
)
from projections.dialect import ViewCursor
from projections.page_models import (
    AddressedIssue,
    DialogueSummary,
    Evidence,
    FeedbackLine,
    FollowUpLine,
    ObservationLine,
    PromiseSummary,
    Rescheduled,
    ThemeTally,
)
from projections.publicity import PUBLIC_PROMISE, public_issues


def day_of(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def placeholders(count: int) -> str:
    return ", ".join("?" * count)


# -- row builders and shared queries ----------------------------------------------------


def promise_summary(row: Any) -> PromiseSummary:
    return PromiseSummary(
        id=UUID(row["id"]),
        title=row["title"],
        municipalities=tuple(json.loads(row["municipalities"])),
        police_district=row["police_district"],
        starts_on=date.fromisoformat(row["starts_on"]),
        ends_on=date.fromisoformat(row["ends_on"]),
        status=PromiseStatus(row["status"]),
        issued_on=day_of(row["issued_on"]),
        concluded_on=day_of(row["concluded_on"]),
        outcome=Outcome(row["outcome"]) if row["outcome"] else None,
    )


def dialogue_summary(row: Any, themes: Sequence[ThemeTally] = ()) -> DialogueSummary:
    return DialogueSummary(
        id=UUID(row["id"]),
        municipality=row["municipality"],
        kind=DialogueKind(row["kind"]),
        held_on=date.fromisoformat(row["held_on"]),
        title=row["title"],
        place=row["place"],
        participants=row["participants"],
        observations=row["observations"],
        mentions=row["mentions"],
        themes=tuple(themes),
    )


def observation_line(row: Any) -> ObservationLine:
    return ObservationLine(
        id=UUID(row["id"]),
        theme=Theme(row["theme"]),
        summary=row["summary"],
        place=row["place"],
        count=row["count"],
        retracted=bool(row["retracted"]),
    )


def feedback_line(row: Any) -> FeedbackLine:
    return FeedbackLine(
        promise_id=UUID(row["promise_id"]),
        promise_title=row["title"],
        municipalities=tuple(json.loads(row["municipalities"])),
        published_on=date.fromisoformat(row["published_on"]),
        channel=row["channel"],
        summary=row["summary"],
    )


def themes_of(c: ViewCursor, dialogue_ids: Sequence[str]) -> dict[str, list[ThemeTally]]:
    """Per dialogue, what was raised by theme (most mentioned first)."""
    if not dialogue_ids:
        return {}
    c.execute(
        "SELECT dialogue_id, theme, COUNT(*) AS observations, SUM(count) AS mentions "
        f"FROM observations WHERE dialogue_id IN ({placeholders(len(dialogue_ids))}) "
        "AND retracted = 0 GROUP BY dialogue_id, theme",
        tuple(dialogue_ids),
    )
    found: dict[str, list[ThemeTally]] = defaultdict(list)
    for row in c.fetchall():
        found[row["dialogue_id"]].append(
            ThemeTally(Theme(row["theme"]), int(row["observations"]), int(row["mentions"]))
        )
    for tallies in found.values():
        tallies.sort(key=lambda t: (-t.mentions, t.theme.value))
    return found


def follow_ups_of(
    c: ViewCursor, promise_keys: Sequence[str], titles: dict[str, str]
) -> list[FollowUpLine]:
    if not promise_keys:
        return []
    marks = placeholders(len(promise_keys))
    c.execute(
        f"SELECT * FROM page_reschedulings WHERE promise_id IN ({marks}) ORDER BY position",
        tuple(promise_keys),
    )
    moved: dict[str, list[Rescheduled]] = defaultdict(list)
    for r in c.fetchall():
        moved[r["follow_up_id"]].append(
            Rescheduled(
                previous_due_on=date.fromisoformat(r["previous_due_on"]),
                due_on=date.fromisoformat(r["due_on"]),
                reason=r["reason"],
                rescheduled_on=date.fromisoformat(r["rescheduled_on"]),
            )
        )
    c.execute(
        f"SELECT follow_up_id, due_on FROM follow_up_passed WHERE promise_id IN ({marks})",
        tuple(promise_keys),
    )
    passed: dict[str, list[date]] = defaultdict(list)
    for r in c.fetchall():
        passed[r["follow_up_id"]].append(date.fromisoformat(r["due_on"]))
    c.execute(f"SELECT * FROM follow_ups WHERE promise_id IN ({marks})", tuple(promise_keys))
    return [
        FollowUpLine(
            id=UUID(f["id"]),
            promise_id=UUID(f["promise_id"]),
            promise_title=titles[f["promise_id"]],
            due_on=date.fromisoformat(f["due_on"]),
            status=FollowUpStatus(f["status"]),
            final=bool(f["final"]),
            held_on=day_of(f["held_on"]),
            late=bool(f["late"]),
            summary=f["summary"],
            missed_due_on=tuple(missed_due_dates(passed[f["id"]], day_of(f["held_on"]))),
            reschedulings=tuple(moved.get(f["id"], ())),
        )
        for f in c.fetchall()
    ]


def latest_follow_ups(c: ViewCursor, promise_keys: Sequence[str]) -> dict[UUID, FollowUpLine]:
    """Each promise's latest follow-up done (by the date it was held)."""
    if not promise_keys:
        return {}
    c.execute(
        f"SELECT p.id, p.title FROM promises p WHERE p.id IN ({placeholders(len(promise_keys))})",
        tuple(promise_keys),
    )
    titles = {row["id"]: row["title"] for row in c.fetchall()}
    latest: dict[UUID, FollowUpLine] = {}
    for line in follow_ups_of(c, promise_keys, titles):
        if line.held_on is None:
            continue
        held = latest.get(line.promise_id)
        if held is None or (held.held_on or date.min) < line.held_on:
            latest[line.promise_id] = line
    return latest


def addressed_issues(
    c: ViewCursor, issue_ids: Sequence[str], *, with_evidence: bool
) -> list[AddressedIssue]:
    """The issues among `issue_ids` that an issued promise addresses, with those promises
    (and, if asked, their evidence); the others are not public and are left out."""
    shown = public_issues(c, issue_ids)
    public = [key for key in issue_ids if key in shown]
    if not public:
        return []
    marks = placeholders(len(public))
    c.execute(
        "SELECT a.issue_id, p.* FROM promise_addresses a JOIN promises p ON p.id = a.promise_id "
        f"WHERE a.issue_id IN ({marks}) AND {PUBLIC_PROMISE} ORDER BY p.starts_on, p.seq",
        tuple(public),
    )
    addressing: dict[str, list[PromiseSummary]] = defaultdict(list)
    for row in c.fetchall():
        addressing[row["issue_id"]].append(promise_summary(row))
    c.execute(f"SELECT * FROM issues WHERE id IN ({marks})", tuple(public))
    rows = {row["id"]: row for row in c.fetchall()}
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    if with_evidence:
        evidence = evidence_of(c, public)
    return [
        AddressedIssue(
            id=UUID(key),
            title=rows[key]["title"],
            theme=Theme(rows[key]["theme"]),
            status=IssueStatus(rows[key]["status"]),
            priority=rows[key]["priority"],
            rationale=rows[key]["rationale"],
            evidence=tuple(evidence.get(key, ())),
            promises=tuple(addressing[key]),
        )
        for key in public
        if key in rows
    ]


def evidence_of(c: ViewCursor, issue_ids: Sequence[str]) -> dict[str, list[Evidence]]:
    marks = placeholders(len(issue_ids))
    c.execute(
        f"SELECT * FROM issue_evidence WHERE issue_id IN ({marks}) ORDER BY issue_id, seq",
        tuple(issue_ids),
    )
    items = c.fetchall()
    dialogue_ids = sorted({i["dialogue_id"] for i in items if i["dialogue_id"]})
    observation_ids = sorted({i["observation_id"] for i in items if i["observation_id"]})
    dialogues: dict[str, DialogueSummary] = {}
    if dialogue_ids:
        c.execute(
            f"SELECT * FROM dialogues WHERE id IN ({placeholders(len(dialogue_ids))})",
            tuple(dialogue_ids),
        )
        dialogues = {row["id"]: dialogue_summary(row) for row in c.fetchall()}
    observations: dict[str, ObservationLine] = {}
    if observation_ids:
        c.execute(
            f"SELECT * FROM observations WHERE id IN ({placeholders(len(observation_ids))})",
            tuple(observation_ids),
        )
        observations = {row["id"]: observation_line(row) for row in c.fetchall()}
    found: dict[str, list[Evidence]] = defaultdict(list)
    for item in items:
        if item["dialogue_id"]:
            found[item["issue_id"]].append(
                Evidence(
                    dialogue=dialogues.get(item["dialogue_id"]),
                    observation=observations.get(item["observation_id"] or ""),
                )
            )
        else:
            found[item["issue_id"]].append(
                Evidence(source_type=SourceType(item["source_type"]), reference=item["reference"])
            )
    return found


def unique_issues(issues: list[AddressedIssue]) -> list[AddressedIssue]:
    seen: dict[UUID, AddressedIssue] = {}
    for issue in issues:
        seen.setdefault(issue.id, issue)
    return sorted(seen.values(), key=lambda i: (i.priority or 99, i.title))
