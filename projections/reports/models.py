"""The public shape of the reports: the annual report of a municipality and national coverage.

The JSON keys are the contract's (API.md, "Reports"); a few extra keys help a reader
(the municipality's county and police region, each promise's municipalities, shares per
region). Dict keys that are vocabularies (dialogue kinds, themes) appear only when
their count is above zero, in the vocabulary's order.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from domain.values import (
    ActivityStatus,
    DialogueKind,
    Outcome,
    Party,
    PromiseStatus,
    Responsible,
    Theme,
)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MunicipalityRef(_Model):
    code: str = Field(pattern=r"^\d{4}$")
    name: str
    county: str
    police_region: str


class DialogueLine(_Model):
    id: UUID
    kind: DialogueKind
    held_on: date
    title: str
    participants: int | None


class Dialogues(_Model):
    total: int
    participants: int
    by_kind: dict[DialogueKind, int]
    held: list[DialogueLine] = Field(
        default_factory=list, description="The dialogues of the year, in the order held."
    )


class ThemeCount(_Model):
    observations: int
    mentions: int = Field(description="The sum of the observations' counts.")


class Issues(_Model):
    identified: int = Field(description="Issues identified during the year.")
    prioritised: int = Field(description="How many of those are now prioritised.")
    rejected: int = Field(description="How many of those are now rejected.")


class Period(_Model):
    starts_on: date
    ends_on: date


class ActivityLine(_Model):
    id: UUID
    description: str
    responsible: Responsible
    due_on: date
    status: ActivityStatus = Field(description="What the latest follow-up said of it.")
    comment: str | None


class SignatoryLine(_Model):
    party: Party
    municipality: str | None
    name: str
    title: str
    signed_on: date


class PromiseLine(_Model):
    id: UUID
    title: str
    text: str = Field(default="", description="The promise as signed.")
    signatories: list[SignatoryLine] = Field(default_factory=list)
    municipalities: list[str]
    police_district: str
    period: Period
    status: PromiseStatus
    issued_on: date | None
    activities: list[ActivityLine]
    outcome: Outcome | None
    concluded_on: date | None


class FollowUps(_Model):
    on_time: int = Field(description="Done during the year, on or before the due date.")
    late: int = Field(description="Done during the year, after the due date.")
    overdue: int = Field(description="Not done, overdue, due during the year.")
    scheduled: int = Field(description="Not done, still scheduled, due during the year.")
    missed: int = Field(
        default=0,
        description="Missed a due date that fell in the year: done late, overdue, or moved "
        "after the date had passed (a miss stays counted when the follow-up is moved).",
    )


class FeedbackLine(_Model):
    promise_id: UUID
    promise_title: str
    published_on: date
    channel: str
    summary: str


class AuditHead(_Model):
    head_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    position: int = Field(ge=0)


class AnnualReport(_Model):
    """A municipality's accountability report (verksamhetsredovisning) for one year."""

    municipality: MunicipalityRef
    year: int
    dialogues: Dialogues
    observations_by_theme: dict[Theme, ThemeCount]
    issues: Issues
    promises: list[PromiseLine]
    follow_ups: FollowUps
    feedback: list[FeedbackLine]
    audit: AuditHead


class AreaCoverage(_Model):
    name: str
    covered: int
    total: int
    share: float


class NationalReport(_Model):
    """How many of the 290 municipalities had a promise in force during one year."""

    year: int
    municipalities_total: int
    covered: int
    share: float
    by_police_region: list[AreaCoverage]
    by_county: list[AreaCoverage]
    uncovered: list[str]
    covered_municipalities: list[str] = Field(
        description="Codes of the covered municipalities (beyond the contract, for readers)."
    )
