"""Build a municipality's annual accountability report from plain facts.

Pure: no I/O and no clock. The caller (an adapter over the views) passes the
municipality's dialogues, observations, issues and promises of any date and status;
this module applies the contract's dating rules (see `dating`) to pick the year's.
Statuses are as they stand now, at the audit position the report was made from.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from domain.reference import municipality
from domain.values import DialogueKind, FollowUpStatus, IssueStatus, Theme
from projections.reports.dating import counts, in_force, in_year
from projections.reports.facts import (
    AuditFact,
    DialogueFact,
    IssueFact,
    ObservationFact,
    PromiseFact,
)
from projections.reports.models import (
    ActivityLine,
    AnnualReport,
    AuditHead,
    DialogueLine,
    Dialogues,
    FeedbackLine,
    FollowUps,
    Issues,
    MunicipalityRef,
    Period,
    PromiseLine,
    SignatoryLine,
    ThemeCount,
)


def build_annual_report(
    code: str,
    year: int,
    *,
    dialogues: Iterable[DialogueFact],
    observations: Iterable[ObservationFact],
    issues: Iterable[IssueFact],
    promises: Iterable[PromiseFact],
    audit: AuditFact,
) -> AnnualReport:
    """The report for municipality `code` and calendar `year`."""
    place = municipality(code)
    promises = list(promises)
    for promise in promises:
        if code not in promise.municipalities:
            raise ValueError(f"Promise {promise.id} is not a promise of municipality {code}.")
    public = [p for p in promises if counts(p)]
    return AnnualReport(
        municipality=MunicipalityRef(
            code=place.code, name=place.name, county=place.county, police_region=place.police_region
        ),
        year=year,
        dialogues=_dialogues(d for d in dialogues if in_year(d.held_on, year)),
        observations_by_theme=_themes(o for o in observations if in_year(o.held_on, year)),
        issues=_issues(i for i in issues if in_year(i.identified_on, year)),
        promises=[
            _promise_line(p)
            for p in sorted(public, key=lambda p: (p.starts_on, p.title, str(p.id)))
            if in_force(p, year)
        ],
        follow_ups=_follow_ups(public, year),
        feedback=_feedback(public, year),
        audit=AuditHead(head_hash=audit.head_hash, position=audit.position),
    )


def _dialogues(held: Iterable[DialogueFact]) -> Dialogues:
    held = list(held)
    kinds = Counter(d.kind for d in held)
    return Dialogues(
        total=len(held),
        participants=sum(d.participants or 0 for d in held),
        by_kind={kind: kinds[kind] for kind in DialogueKind if kinds[kind]},
        held=[
            DialogueLine(
                id=d.id, kind=d.kind, held_on=d.held_on, title=d.title, participants=d.participants
            )
            for d in sorted(held, key=lambda d: (d.held_on, d.title))
            if d.id is not None
        ],
    )


def _themes(observations: Iterable[ObservationFact]) -> dict[Theme, ThemeCount]:
    seen: Counter[Theme] = Counter()
    mentions: Counter[Theme] = Counter()
    for observation in observations:
        seen[observation.theme] += 1
        mentions[observation.theme] += observation.count
    return {
        theme: ThemeCount(observations=seen[theme], mentions=mentions[theme])
        for theme in Theme
        if seen[theme]
    }


def _issues(identified: Iterable[IssueFact]) -> Issues:
    statuses = Counter(i.status for i in identified)
    return Issues(
        identified=statuses.total(),
        prioritised=statuses[IssueStatus.PRIORITISED],
        rejected=statuses[IssueStatus.REJECTED],
    )


def _promise_line(promise: PromiseFact) -> PromiseLine:
    return PromiseLine(
        id=promise.id,
        title=promise.title,
        text=promise.text,
        signatories=[
            SignatoryLine(
                party=s.party,
                municipality=s.municipality,
                name=s.name,
                title=s.title,
                signed_on=s.signed_on,
            )
            for s in promise.signatories
        ],
        municipalities=list(promise.municipalities),
        police_district=promise.police_district,
        period=Period(starts_on=promise.starts_on, ends_on=promise.ends_on),
        status=promise.status,
        issued_on=promise.issued_on,
        activities=[
            ActivityLine(
                id=a.id,
                description=a.description,
                responsible=a.responsible,
                due_on=a.due_on,
                status=a.status,
                comment=a.comment,
            )
            for a in sorted(promise.activities, key=lambda a: (a.due_on, a.description))
        ],
        outcome=promise.outcome,
        concluded_on=promise.concluded_on,
    )


def _follow_ups(promises: list[PromiseFact], year: int) -> FollowUps:
    tally: Counter[str] = Counter()
    for follow_up in (f for p in promises for f in p.follow_ups):
        if follow_up.held_on is not None:
            if in_year(follow_up.held_on, year):
                tally["on_time" if follow_up.held_on <= follow_up.due_on else "late"] += 1
        elif in_year(follow_up.due_on, year):
            overdue = follow_up.status is FollowUpStatus.OVERDUE
            tally["overdue" if overdue else "scheduled"] += 1
        if any(in_year(missed, year) for missed in follow_up.missed_due_on):
            tally["missed"] += 1
    return FollowUps(
        on_time=tally["on_time"],
        late=tally["late"],
        overdue=tally["overdue"],
        scheduled=tally["scheduled"],
        missed=tally["missed"],
    )


def _feedback(promises: list[PromiseFact], year: int) -> list[FeedbackLine]:
    lines = [
        FeedbackLine(
            promise_id=p.id,
            promise_title=p.title,
            published_on=f.published_on,
            channel=f.channel,
            summary=f.summary,
        )
        for p in promises
        for f in p.feedback
        if in_year(f.published_on, year)
    ]
    return sorted(lines, key=lambda f: (f.published_on, f.promise_title, f.channel))
