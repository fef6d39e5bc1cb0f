"""The plain facts a report is built from, as the views supply them.

Each fact carries only what a public report may show: an observation has no `note`,
an activity no `responsible_name`. An adapter over the views turns rows into these;
the builders in `annual` and `national` apply every rule of the contract to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
    Theme,
)

_HASH = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class DialogueFact:
    """A dialogue of the municipality: its kind, the day it was held, how many took part."""

    kind: DialogueKind
    held_on: date
    participants: int | None = None
    id: UUID | None = None
    title: str = ""


@dataclass(frozen=True)
class ObservationFact:
    """One observation, dated by the day its dialogue was held; `count` = how many raised it."""

    theme: Theme
    held_on: date
    count: int = 1


@dataclass(frozen=True)
class IssueFact:
    """An issue of the municipality: when it was identified and its status now."""

    identified_on: date
    status: IssueStatus


@dataclass(frozen=True)
class ActivityFact:
    """An activity of a promise with the latest status a follow-up gave it."""

    id: UUID
    description: str
    responsible: Responsible
    due_on: date
    status: ActivityStatus = ActivityStatus.NOT_STARTED
    comment: str | None = None


@dataclass(frozen=True)
class FollowUpFact:
    """A follow-up of a promise: its current due date, status, the day it was held, and
    the due dates it missed in the year read (kept when it was moved or done late)."""

    due_on: date
    status: FollowUpStatus
    held_on: date | None = None
    missed_due_on: tuple[date, ...] = ()

    def __post_init__(self) -> None:
        if (self.status is FollowUpStatus.DONE) != (self.held_on is not None):
            raise ValueError("A follow-up has a held_on date exactly when it is done.")


@dataclass(frozen=True)
class FeedbackFact:
    """Feedback to citizens (återkoppling): when, where, and what they were told."""

    published_on: date
    channel: str
    summary: str


@dataclass(frozen=True)
class SignatoryFact:
    """Who signed a promise, for which party (and municipality), and when."""

    party: Party
    name: str
    title: str
    signed_on: date
    municipality: str | None = None


@dataclass(frozen=True)
class PromiseFact:
    """A promise with its parts, whatever its status; the builders decide what counts."""

    id: UUID
    title: str
    municipalities: tuple[str, ...]
    police_district: str
    starts_on: date
    ends_on: date
    status: PromiseStatus
    issued_on: date | None = None
    activities: tuple[ActivityFact, ...] = ()
    follow_ups: tuple[FollowUpFact, ...] = ()
    feedback: tuple[FeedbackFact, ...] = ()
    outcome: Outcome | None = None
    concluded_on: date | None = None
    text: str = ""
    signatories: tuple[SignatoryFact, ...] = ()


@dataclass(frozen=True)
class PromiseTerm:
    """The least a coverage count needs of a promise: whose, in which state, for when."""

    municipalities: tuple[str, ...]
    status: PromiseStatus
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class AuditFact:
    """The head of the municipality's audit chain the report was made from."""

    head_hash: str
    position: int

    def __post_init__(self) -> None:
        if not _HASH.fullmatch(self.head_hash):
            raise ValueError("head_hash must be 64 lowercase hexadecimal digits (SHA-256).")
        if self.position < 0:
            raise ValueError("position counts from 1; 0 means an empty chain.")
