"""The demo's cast and its storyteller: the municipalities, the people who act, and `Story`.

`Story` runs each chapter's commands through the application (`demo/malmo.py`,
`demo/sodra_fyrbodal.py`, `demo/kiruna.py`) and counts what was recorded, for the
summary `loften demo` prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from domain.values import (
    SYSTEM_ACTOR,
    ActivityReport,
    ActivityStatus,
    Actor,
    DialogueKind,
    Evidence,
    ObservationInput,
    Party,
    Role,
    Theme,
)
from workflow.application import Loftesboken

# The story's year starts in this month: from then on the year's autumn has passed.
STORY_COMPLETE_FROM_MONTH = 11

MALMO, STENUNGSUND, ORUST, TJORN, KIRUNA = "1280", "1415", "1421", "1419", "2584"

POLIS_MALMO = Actor("Kommunpolis Malmö Centrum", Role.POLICE)
KOMMUN_MALMO = Actor("Trygghetssamordnare Malmö stad", Role.MUNICIPALITY)
POLIS_FYRBODAL = Actor("Kommunpolis LPO Södra Fyrbodal", Role.POLICE)
KOMMUN_STENUNGSUND = Actor("Brottsförebyggande samordnare Stenungsunds kommun", Role.MUNICIPALITY)
KOMMUN_ORUST = Actor("Trygghetssamordnare Orusts kommun", Role.MUNICIPALITY)
KOMMUN_TJORN = Actor("Brottsförebyggande samordnare Tjörns kommun", Role.MUNICIPALITY)
POLIS_KIRUNA = Actor("Kommunpolis Kiruna", Role.POLICE)
KOMMUN_KIRUNA = Actor("Trygghetssamordnare Kiruna kommun", Role.MUNICIPALITY)


@dataclass
class Counts:
    dialogues: int = 0
    observations: int = 0
    issues: int = 0
    prioritised: int = 0
    rejected: int = 0
    promises_issued: int = 0
    promises_draft: int = 0
    follow_ups_done: int = 0
    follow_ups_late: int = 0
    overdue: int = 0
    feedback: int = 0
    municipalities: set[str] = field(default_factory=set)


class Story:
    """Runs the story's commands through the application and counts what it recorded."""

    def __init__(self, app: Loftesboken, year: int) -> None:
        self.app = app
        self.year = year
        self.today = app.today
        self.counts = Counts()
        self.issued: list[UUID] = []

    def day(self, month: int, day: int, years: int = 0) -> date:
        """A date in the story's year (or `years` from it)."""
        return date(self.year + years, month, day)

    def dialogue(
        self,
        municipality: str,
        kind: DialogueKind,
        held_on: date,
        title: str,
        *,
        place: str,
        participants: int,
        organisers: list[str],
        actor: Actor,
        observations: list[ObservationInput],
    ) -> tuple[UUID, list[UUID]]:
        dialogue = self.app.hold_dialogue(
            municipality=municipality,
            kind=kind,
            held_on=held_on,
            title=title,
            place=place,
            participants=participants,
            organisers=organisers,
            actor=actor,
        )
        _, ids = self.app.record_observations(dialogue.id, observations, actor=actor)
        self.counts.dialogues += 1
        self.counts.observations += len(ids)
        self.counts.municipalities.add(municipality)
        return dialogue.id, ids

    def issue(
        self,
        municipality: str,
        title: str,
        theme: Theme,
        description: str,
        *,
        identified_on: date,
        evidence: list[Evidence],
        actor: Actor,
        priority: int | None = None,
        rationale: str = "",
        rejection: str | None = None,
    ) -> UUID:
        issue = self.app.identify_issue(
            municipality=municipality,
            title=title,
            theme=theme,
            description=description,
            identified_on=identified_on,
            evidence=evidence,
            actor=actor,
        )
        self.counts.issues += 1
        if priority is not None:
            self.app.prioritise_issue(issue.id, priority=priority, rationale=rationale, actor=actor)
            self.counts.prioritised += 1
        if rejection is not None:
            self.app.reject_issue(issue.id, reason=rejection, actor=actor)
            self.counts.rejected += 1
        return issue.id

    def sign(
        self,
        promise_id: UUID,
        party: Party,
        name: str,
        title: str,
        signed_on: date,
        actor: Actor,
        municipality: str | None = None,
    ) -> None:
        self.app.sign_promise(
            promise_id,
            party=party,
            municipality=municipality,
            name=name,
            title=title,
            signed_on=signed_on,
            actor=actor,
        )

    def issue_promise(self, promise_id: UUID, issued_on: date, actor: Actor) -> None:
        self.app.issue_promise(promise_id, issued_on=issued_on, actor=actor)
        self.issued.append(promise_id)
        self.counts.promises_issued += 1

    def activity(self, promise_id: UUID, starts_with: str) -> UUID:
        promise = self.app.get_promise(promise_id)
        return next(
            a.id for a in promise.activities.values() if a.description.startswith(starts_with)
        )

    def follow_up(
        self,
        promise_id: UUID,
        due_on: date,
        *,
        held_on: date,
        summary: str,
        reports: dict[str, tuple[ActivityStatus, str | None]],
        actor: Actor,
    ) -> None:
        """Record the follow-up due on `due_on` as held on `held_on`, if that day has come."""
        if held_on > self.today:
            return
        promise = self.app.get_promise(promise_id)
        follow_up = next(f for f in promise.follow_ups.values() if f.due_on == due_on)
        self.app.record_follow_up(
            promise_id,
            follow_up.id,
            held_on=held_on,
            summary=summary,
            activities=[
                ActivityReport(self.activity(promise_id, key), status, comment)
                for key, (status, comment) in reports.items()
            ],
            actor=actor,
        )
        self.counts.follow_ups_done += 1
        self.counts.follow_ups_late += held_on > due_on

    def reschedule(
        self, promise_id: UUID, due_on: date, new_due_on: date, reason: str, actor: Actor
    ) -> None:
        promise = self.app.get_promise(promise_id)
        follow_up = next(f for f in promise.follow_ups.values() if f.due_on == due_on)
        self.app.reschedule_follow_up(
            promise_id, follow_up.id, due_on=new_due_on, reason=reason, actor=actor
        )

    def feedback(
        self, promise_id: UUID, published_on: date, channel: str, summary: str, actor: Actor
    ) -> None:
        if published_on > self.today:
            return
        self.app.publish_feedback(
            promise_id, published_on=published_on, channel=channel, summary=summary, actor=actor
        )
        self.counts.feedback += 1

    def mark_missed_follow_ups(self) -> None:
        """What the deadline watcher would do: mark follow-ups whose day has passed unheld."""
        for promise_id in self.issued:
            self.counts.overdue += len(self.app.mark_overdue(promise_id, actor=SYSTEM_ACTOR))

    def summary(self) -> str:
        c = self.counts
        return (
            f"Demo data for {self.year} loaded for {len(c.municipalities)} municipalities "
            "(Malmö; Stenungsund, Orust and Tjörn with one shared promise; Kiruna): "
            f"{c.dialogues} dialogues, {c.observations} observations, {c.issues} issues "
            f"({c.prioritised} prioritised, {c.rejected} rejected), {c.promises_issued} issued "
            f"promises and {c.promises_draft} draft, {c.follow_ups_done} follow-ups done "
            f"({c.follow_ups_late} late), {c.overdue} overdue, {c.feedback} feedback items."
        )


def obs(
    theme: Theme, summary: str, count: int = 1, place: str | None = None, note: str | None = None
) -> ObservationInput:
    return ObservationInput(theme=theme, summary=summary, place=place, count=count, note=note)
