"""What the public pages show: plain frozen records, built by `page_reads` from the views.

They hold only what public reads show (see `projections.page_reads`): no note, no
responsible person's name, no actor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

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
