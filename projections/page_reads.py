"""Reads of the views for the public pages: a municipality, a promise, a dialogue, the start.

Each read is a handful of indexed queries in one snapshot of the views' database
(the catalogue and the pages view), never a replay of the event store. They show
only what public reads show:

- promises that were issued (also when concluded or withdrawn since), never a draft
  or a draft that was withdrawn;
- issues only when an issued promise addresses them; what people said that led to no
  such issue is shown as that, without naming the issues it did lead to;
- observations by their public summary (the views hold no `note`), activities without
  the responsible person's name, and no actor (token label) at all.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from domain.follow_ups import missed_due_dates
from domain.values import (
    ActivityStatus,
    DialogueKind,
    FollowUpStatus,
    IssueStatus,
    Outcome,
    Party,
    PromiseStatus,
    Responsible,
    SourceType,
    Theme,
)
from projections.catalogue import CatalogueView
from projections.dialect import ViewCursor
from projections.pages import PagesView
from projections.publicity import PUBLIC_PROMISE, public_issues


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _ids(count: int) -> str:
    return ", ".join("?" * count)


# -- what the pages show ----------------------------------------------------------------


@dataclass(frozen=True)
class PromiseSummary:
    """A promise as a list shows it."""

    id: UUID
    title: str
    municipalities: tuple[str, ...]
    police_district: str
    starts_on: date
    ends_on: date
    status: PromiseStatus
    issued_on: date | None
    concluded_on: date | None
    outcome: Outcome | None

    def in_force_on(self, day: date) -> bool:
        return self.status is PromiseStatus.ISSUED and self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class ThemeTally:
    theme: Theme
    observations: int
    mentions: int


@dataclass(frozen=True)
class DialogueSummary:
    id: UUID
    municipality: str
    kind: DialogueKind
    held_on: date
    title: str | None  # None once erased
    place: str | None
    participants: int | None
    observations: int
    mentions: int
    themes: tuple[ThemeTally, ...] = ()


@dataclass(frozen=True)
class FollowUpLine:
    """A follow-up with what happened to it: done on time or late, missed, moved and why."""

    id: UUID
    promise_id: UUID
    promise_title: str
    due_on: date
    status: FollowUpStatus
    final: bool
    held_on: date | None
    late: bool
    summary: str | None
    missed_due_on: tuple[date, ...]
    reschedulings: tuple[Rescheduled, ...] = ()

    @property
    def missed(self) -> bool:
        return bool(self.missed_due_on)


@dataclass(frozen=True)
class Rescheduled:
    previous_due_on: date
    due_on: date
    reason: str
    rescheduled_on: date


@dataclass(frozen=True)
class FeedbackLine:
    promise_id: UUID
    promise_title: str
    municipalities: tuple[str, ...]
    published_on: date
    channel: str
    summary: str


@dataclass(frozen=True)
class MunicipalityPage:
    code: str
    promises: list[PromiseSummary]
    dialogues: list[DialogueSummary]
    dialogues_total: int
    upcoming: list[FollowUpLine]
    missed: list[FollowUpLine]
    feedback: list[FeedbackLine]
    years: list[int]


@dataclass(frozen=True)
class Signatory:
    party: Party
    municipality: str | None
    name: str
    title: str
    signed_on: date


@dataclass(frozen=True)
class ActivityLine:
    id: UUID
    description: str
    responsible: Responsible
    due_on: date
    status: ActivityStatus
    comment: str | None
    reported_on: date | None


@dataclass(frozen=True)
class Evidence:
    """One item behind an issue: a dialogue (or one observation of it), or another source."""

    dialogue: DialogueSummary | None = None
    observation: ObservationLine | None = None
    source_type: SourceType | None = None
    reference: str | None = None


@dataclass(frozen=True)
class ObservationLine:
    id: UUID
    theme: Theme
    summary: str | None  # None once erased
    place: str | None
    count: int
    #: Retracted: cited evidence shows it as such; it no longer counts anywhere.
    retracted: bool = False


@dataclass(frozen=True)
class AddressedIssue:
    id: UUID
    title: str
    theme: Theme
    status: IssueStatus
    priority: int | None
    rationale: str | None
    evidence: tuple[Evidence, ...] = ()
    promises: tuple[PromiseSummary, ...] = ()


@dataclass(frozen=True)
class PromisePage:
    promise: PromiseSummary
    text: str
    conclusion_summary: str | None
    withdrawal_reason: str | None
    signatories: list[Signatory]
    activities: list[ActivityLine]
    follow_ups: list[FollowUpLine]
    feedback: list[FeedbackLine]
    issues: list[AddressedIssue]


@dataclass(frozen=True)
class SaidAndDone:
    """One observation of a dialogue and the issued promises it led to (through issues)."""

    observation: ObservationLine
    issues: list[AddressedIssue] = field(default_factory=list)

    @property
    def led_to_something(self) -> bool:
        return bool(self.issues)


@dataclass(frozen=True)
class DialoguePage:
    dialogue: DialogueSummary
    said: list[SaidAndDone]
    #: Issues citing the whole dialogue (not one observation) that an issued promise addresses.
    whole_dialogue: list[AddressedIssue]
    latest_follow_ups: dict[UUID, FollowUpLine]


# -- the reads --------------------------------------------------------------------------


class PageReads:
    """The public pages' reads over the catalogue and the pages view (one database)."""

    def __init__(self, catalogue: CatalogueView, pages: PagesView) -> None:
        if catalogue.datastore is not pages.datastore:
            raise ValueError("the pages read the catalogue and the pages view in one database")
        self.catalogue = catalogue
        self.pages = pages

    # -- the start page ------------------------------------------------------------

    def latest_feedback(self, limit: int = 8) -> list[FeedbackLine]:
        """The newest feedback to citizens anywhere, on issued promises."""
        with self.catalogue.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT f.promise_id, f.published_on, f.channel, f.summary, p.title, "
                "p.municipalities FROM feedback f JOIN promises p ON p.id = f.promise_id "
                f"WHERE {PUBLIC_PROMISE} ORDER BY f.published_on DESC, f.id LIMIT ?",
                (limit,),
            )
            return [_feedback(row) for row in c.fetchall()]

    # -- a municipality ------------------------------------------------------------

    def municipality(
        self, code: str, today: date, *, dialogue_limit: int = 25, feedback_limit: int = 20
    ) -> MunicipalityPage:
        with self.catalogue.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT p.* FROM promise_municipalities pm JOIN promises p ON p.id = pm.promise_id "
                f"WHERE pm.municipality = ? AND {PUBLIC_PROMISE} "
                "ORDER BY p.starts_on DESC, p.seq DESC",
                (code,),
            )
            promises = [_promise(row) for row in c.fetchall()]
            c.execute("SELECT COUNT(*) FROM dialogues WHERE municipality = ?", (code,))
            dialogues_total = int(c.fetchone()[0])
            c.execute(
                "SELECT * FROM dialogues WHERE municipality = ? ORDER BY held_on DESC, seq DESC "
                "LIMIT ?",
                (code, dialogue_limit),
            )
            dialogue_rows = c.fetchall()
            themes = _themes_of(c, [row["id"] for row in dialogue_rows])
            dialogues = [_dialogue(row, themes.get(row["id"], ())) for row in dialogue_rows]
            c.execute(
                "SELECT MIN(held_on), MAX(held_on) FROM dialogues WHERE municipality = ?", (code,)
            )
            first_held, last_held = c.fetchone()
            keys = [str(p.id) for p in promises]
            follow_ups = _follow_ups(c, keys, {str(p.id): p.title for p in promises})
            feedback: list[FeedbackLine] = []
            if keys:
                c.execute(
                    "SELECT f.promise_id, f.published_on, f.channel, f.summary, p.title, "
                    "p.municipalities FROM feedback f JOIN promises p ON p.id = f.promise_id "
                    f"WHERE f.promise_id IN ({_ids(len(keys))}) "
                    "ORDER BY f.published_on DESC, f.id LIMIT ?",
                    (*keys, feedback_limit),
                )
                feedback = [_feedback(row) for row in c.fetchall()]
        open_statuses = {PromiseStatus.ISSUED}
        live = {p.id for p in promises if p.status in open_statuses}
        upcoming = sorted(
            (
                f
                for f in follow_ups
                if f.promise_id in live and f.status is FollowUpStatus.SCHEDULED
            ),
            key=lambda f: f.due_on,
        )
        missed = sorted((f for f in follow_ups if f.missed), key=lambda f: f.due_on, reverse=True)
        years: set[int] = set()
        for held in (first_held, last_held):
            if held:
                years.add(int(held[:4]))
        if years:
            years.update(range(min(years), max(years) + 1))
        for p in promises:
            years.update(range(p.starts_on.year, p.ends_on.year + 1))
        years = {y for y in years if y <= today.year}
        return MunicipalityPage(
            code=code,
            promises=promises,
            dialogues=dialogues,
            dialogues_total=dialogues_total,
            upcoming=upcoming[:10],
            missed=missed,
            feedback=feedback,
            years=sorted(years, reverse=True),
        )

    # -- a promise ----------------------------------------------------------------

    def promise(self, promise_id: UUID) -> PromisePage | None:
        """The promise's page, or None for a promise never issued (or unknown)."""
        key = str(promise_id)
        with self.catalogue.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT * FROM promises p WHERE p.id = ? AND {PUBLIC_PROMISE}", (key,))
            row = c.fetchone()
            if row is None:
                return None
            promise = _promise(row)
            c.execute("SELECT * FROM page_promises WHERE id = ?", (key,))
            extra = c.fetchone()
            c.execute("SELECT * FROM page_signatures WHERE promise_id = ? ORDER BY seq", (key,))
            signatories = [
                Signatory(
                    party=Party(s["party"]),
                    municipality=s["municipality"],
                    name=s["name"],
                    title=s["title"],
                    signed_on=date.fromisoformat(s["signed_on"]),
                )
                for s in c.fetchall()
            ]
            c.execute(
                "SELECT * FROM activities WHERE promise_id = ? ORDER BY due_on, description",
                (key,),
            )
            activities = [
                ActivityLine(
                    id=UUID(a["id"]),
                    description=a["description"],
                    responsible=Responsible(a["responsible"]),
                    due_on=date.fromisoformat(a["due_on"]),
                    status=ActivityStatus(a["status"]),
                    comment=a["comment"],
                    reported_on=_day(a["reported_on"]),
                )
                for a in c.fetchall()
            ]
            follow_ups = _follow_ups(c, [key], {key: promise.title})
            c.execute(
                "SELECT f.promise_id, f.published_on, f.channel, f.summary, p.title, "
                "p.municipalities FROM feedback f JOIN promises p ON p.id = f.promise_id "
                "WHERE f.promise_id = ? ORDER BY f.published_on, f.id",
                (key,),
            )
            feedback = [_feedback(f) for f in c.fetchall()]
            c.execute("SELECT issue_id FROM promise_addresses WHERE promise_id = ?", (key,))
            issue_ids = [r["issue_id"] for r in c.fetchall()]
            issues = _issues(c, issue_ids, with_evidence=True)
        return PromisePage(
            promise=promise,
            text=extra["text"] if extra is not None else "",
            conclusion_summary=extra["conclusion_summary"] if extra is not None else None,
            withdrawal_reason=extra["withdrawal_reason"] if extra is not None else None,
            signatories=signatories,
            activities=activities,
            follow_ups=sorted(follow_ups, key=lambda f: (f.final, f.due_on)),
            feedback=feedback,
            issues=sorted(issues, key=lambda i: (i.priority or 99, i.title)),
        )

    # -- a dialogue ("Ni sa – vi gjorde") ---------------------------------------------

    def dialogue(self, dialogue_id: UUID) -> DialoguePage | None:
        key = str(dialogue_id)
        with self.catalogue.datastore.transaction(commit=False) as c:
            c.execute("SELECT * FROM dialogues WHERE id = ?", (key,))
            row = c.fetchone()
            if row is None:
                return None
            themes = _themes_of(c, [key])
            dialogue = _dialogue(row, themes.get(key, ()))
            c.execute(
                "SELECT * FROM observations WHERE dialogue_id = ? AND retracted = 0 ORDER BY seq",
                (key,),
            )
            observations = [_observation(o) for o in c.fetchall()]
            c.execute(
                "SELECT DISTINCT issue_id, observation_id FROM issue_evidence "
                "WHERE dialogue_id = ?",
                (key,),
            )
            citations = [(r["issue_id"], r["observation_id"]) for r in c.fetchall()]
            issues = {
                str(i.id): i
                for i in _issues(c, sorted({issue for issue, _ in citations}), with_evidence=False)
            }
            promise_keys = sorted({str(p.id) for i in issues.values() for p in i.promises})
            latest = _latest_follow_ups(c, promise_keys)
        by_observation: dict[str | None, list[AddressedIssue]] = defaultdict(list)
        for issue_id, observation_id in citations:
            issue = issues.get(issue_id)
            if issue is not None and issue.promises:  # only what an issued promise addresses
                by_observation[observation_id].append(issue)
        said = [
            SaidAndDone(observation=o, issues=_unique(by_observation.get(str(o.id), [])))
            for o in observations
        ]
        return DialoguePage(
            dialogue=dialogue,
            said=said,
            whole_dialogue=_unique(by_observation.get(None, [])),
            latest_follow_ups=latest,
        )


# -- row builders and shared queries ----------------------------------------------------


def _promise(row: Any) -> PromiseSummary:
    return PromiseSummary(
        id=UUID(row["id"]),
        title=row["title"],
        municipalities=tuple(json.loads(row["municipalities"])),
        police_district=row["police_district"],
        starts_on=date.fromisoformat(row["starts_on"]),
        ends_on=date.fromisoformat(row["ends_on"]),
        status=PromiseStatus(row["status"]),
        issued_on=_day(row["issued_on"]),
        concluded_on=_day(row["concluded_on"]),
        outcome=Outcome(row["outcome"]) if row["outcome"] else None,
    )


def _dialogue(row: Any, themes: Sequence[ThemeTally] = ()) -> DialogueSummary:
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


def _observation(row: Any) -> ObservationLine:
    return ObservationLine(
        id=UUID(row["id"]),
        theme=Theme(row["theme"]),
        summary=row["summary"],
        place=row["place"],
        count=row["count"],
        retracted=bool(row["retracted"]),
    )


def _feedback(row: Any) -> FeedbackLine:
    return FeedbackLine(
        promise_id=UUID(row["promise_id"]),
        promise_title=row["title"],
        municipalities=tuple(json.loads(row["municipalities"])),
        published_on=date.fromisoformat(row["published_on"]),
        channel=row["channel"],
        summary=row["summary"],
    )


def _themes_of(c: ViewCursor, dialogue_ids: Sequence[str]) -> dict[str, list[ThemeTally]]:
    """Per dialogue, what was raised by theme (most mentioned first)."""
    if not dialogue_ids:
        return {}
    c.execute(
        "SELECT dialogue_id, theme, COUNT(*) AS observations, SUM(count) AS mentions "
        f"FROM observations WHERE dialogue_id IN ({_ids(len(dialogue_ids))}) "
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


def _follow_ups(
    c: ViewCursor, promise_keys: Sequence[str], titles: dict[str, str]
) -> list[FollowUpLine]:
    if not promise_keys:
        return []
    marks = _ids(len(promise_keys))
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
            held_on=_day(f["held_on"]),
            late=bool(f["late"]),
            summary=f["summary"],
            missed_due_on=tuple(missed_due_dates(passed[f["id"]], _day(f["held_on"]))),
            reschedulings=tuple(moved.get(f["id"], ())),
        )
        for f in c.fetchall()
    ]


def _latest_follow_ups(c: ViewCursor, promise_keys: Sequence[str]) -> dict[UUID, FollowUpLine]:
    """Each promise's latest follow-up done (by the date it was held)."""
    if not promise_keys:
        return {}
    c.execute(
        f"SELECT p.id, p.title FROM promises p WHERE p.id IN ({_ids(len(promise_keys))})",
        tuple(promise_keys),
    )
    titles = {row["id"]: row["title"] for row in c.fetchall()}
    latest: dict[UUID, FollowUpLine] = {}
    for line in _follow_ups(c, promise_keys, titles):
        if line.held_on is None:
            continue
        held = latest.get(line.promise_id)
        if held is None or (held.held_on or date.min) < line.held_on:
            latest[line.promise_id] = line
    return latest


def _issues(
    c: ViewCursor, issue_ids: Sequence[str], *, with_evidence: bool
) -> list[AddressedIssue]:
    """The issues among `issue_ids` that an issued promise addresses, with those promises
    (and, if asked, their evidence); the others are not public and are left out."""
    shown = public_issues(c, issue_ids)
    public = [key for key in issue_ids if key in shown]
    if not public:
        return []
    marks = _ids(len(public))
    c.execute(
        "SELECT a.issue_id, p.* FROM promise_addresses a JOIN promises p ON p.id = a.promise_id "
        f"WHERE a.issue_id IN ({marks}) AND {PUBLIC_PROMISE} ORDER BY p.starts_on, p.seq",
        tuple(public),
    )
    addressing: dict[str, list[PromiseSummary]] = defaultdict(list)
    for row in c.fetchall():
        addressing[row["issue_id"]].append(_promise(row))
    c.execute(f"SELECT * FROM issues WHERE id IN ({marks})", tuple(public))
    rows = {row["id"]: row for row in c.fetchall()}
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    if with_evidence:
        evidence = _evidence(c, public)
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


def _evidence(c: ViewCursor, issue_ids: Sequence[str]) -> dict[str, list[Evidence]]:
    marks = _ids(len(issue_ids))
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
            f"SELECT * FROM dialogues WHERE id IN ({_ids(len(dialogue_ids))})", tuple(dialogue_ids)
        )
        dialogues = {row["id"]: _dialogue(row) for row in c.fetchall()}
    observations: dict[str, ObservationLine] = {}
    if observation_ids:
        c.execute(
            f"SELECT * FROM observations WHERE id IN ({_ids(len(observation_ids))})",
            tuple(observation_ids),
        )
        observations = {row["id"]: _observation(row) for row in c.fetchall()}
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


def _unique(issues: list[AddressedIssue]) -> list[AddressedIssue]:
    seen: dict[UUID, AddressedIssue] = {}
    for issue in issues:
        seen.setdefault(issue.id, issue)
    return sorted(seen.values(), key=lambda i: (i.priority or 99, i.title))
