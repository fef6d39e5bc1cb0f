"""Request and response bodies for promises (medborgarlöften), from draft to conclusion."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import ConfigDict, Field, field_validator
from pydantic.config import JsonDict

from api.schemas.common import (
    FromDomain,
    Input,
    IsoDate,
    LongText,
    MunicipalityCode,
    ShortText,
    values_of,
)
from domain.values import (
    ActivityInput,
    ActivityReport,
    ActivityStatus,
    Cadence,
    FollowUpStatus,
    Outcome,
    Party,
    PromiseStatus,
    Responsible,
)

MAX_ACTIVITIES = 1_000
MAX_ADDRESSES = 1_000

_ACTIVITY_EXAMPLE: JsonDict = {
    "description": "Minst två trygghetsvandringar i Lindängen under året.",
    "responsible": "police",
    "responsible_name": "Kommunpolis Malmö",
    "due_on": "2025-12-31",
}


class NewActivity(Input):
    """Something the promise says will be done, by whom and by when."""

    model_config = ConfigDict(json_schema_extra={"examples": [_ACTIVITY_EXAMPLE]})

    description: LongText
    responsible: Responsible
    responsible_name: ShortText | None = None
    due_on: IsoDate

    def to_domain(self) -> ActivityInput:
        return ActivityInput(
            description=self.description,
            responsible=self.responsible,
            responsible_name=self.responsible_name,
            due_on=self.due_on,
        )


class DraftPromise(Input):
    """A draft promise of one police district and one or more municipalities."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "municipalities": ["1280"],
                    "police_district": "LPO Malmö Söder",
                    "starts_on": "2025-03-01",
                    "ends_on": "2026-02-28",
                    "title": "Medborgarlöfte Lindängen 2025",
                    "text": "Under 2025 lovar polisen och Malmö stad att ...",
                    "addresses": ["8a4e2f9c-1d2b-4c3a-9e8f-7a6b5c4d3e21"],
                    "activities": [_ACTIVITY_EXAMPLE],
                    "follow_up_cadence": "quarterly",
                }
            ]
        }
    )

    municipalities: Annotated[list[MunicipalityCode], Field(min_length=1, max_length=290)]
    police_district: ShortText
    starts_on: IsoDate
    ends_on: IsoDate = Field(description="After starts_on, at most three years later.")
    title: ShortText
    text: LongText
    addresses: Annotated[list[UUID], Field(min_length=1, max_length=MAX_ADDRESSES)] = Field(
        description="Prioritised issues of the promise's municipalities."
    )
    activities: Annotated[list[NewActivity], Field(max_length=MAX_ACTIVITIES)] = Field(
        default_factory=list
    )
    follow_up_cadence: Cadence = Cadence.QUARTERLY


class SignPromise(Input):
    """A signature for one party; `municipality` is required for (and only for) `municipality`."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "party": "municipality",
                    "municipality": "1280",
                    "name": "Katrin Stjernfeldt Jammeh",
                    "title": "Kommunstyrelsens ordförande",
                    "signed_on": "2025-02-07",
                }
            ]
        }
    )

    party: Party
    municipality: MunicipalityCode | None = None
    name: ShortText
    title: ShortText
    signed_on: IsoDate


class IssuePromise(Input):
    """Publish the signed promise; its follow-ups are scheduled."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"issued_on": "2025-02-10"}]})

    issued_on: IsoDate


class ActivityReportIn(Input):
    """What the follow-up says of one activity."""

    activity_id: UUID
    status: ActivityStatus
    comment: LongText | None = None

    def to_domain(self) -> ActivityReport:
        return ActivityReport(
            activity_id=self.activity_id, status=self.status, comment=self.comment
        )


class RecordFollowUp(Input):
    """An uppföljning held: per activity a status and a comment."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "held_on": "2025-03-28",
                    "summary": "En trygghetsvandring genomförd, belysningen i tunneln beställd.",
                    "activities": [
                        {
                            "activity_id": "3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b",
                            "status": "in_progress",
                            "comment": "Nästa vandring i maj.",
                        }
                    ],
                }
            ]
        }
    )

    held_on: IsoDate
    summary: LongText
    activities: Annotated[list[ActivityReportIn], Field(max_length=MAX_ACTIVITIES)] = Field(
        default_factory=list
    )


class RescheduleFollowUp(Input):
    """Move a follow-up that is not done yet; the old date and the reason stay on record."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"due_on": "2025-04-15", "reason": "Påskledighet; mötet flyttas."}]
        }
    )

    due_on: IsoDate
    reason: LongText


class PublishFeedback(Input):
    """Återkoppling: what citizens were told, where and when."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "published_on": "2025-04-02",
                    "channel": "malmo.se och Lindängens medborgarkontor",
                    "summary": "Vi har genomfört en trygghetsvandring och beställt belysning.",
                }
            ]
        }
    )

    published_on: IsoDate
    channel: ShortText
    summary: LongText


class ConcludePromise(Input):
    """Close the promise with its outcome, once its final follow-up is done."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "outcome": "partly_fulfilled",
                    "summary": "Belysningen är på plats; vandringarna blev en av två.",
                    "concluded_on": "2026-04-10",
                }
            ]
        }
    )

    outcome: Outcome
    summary: LongText
    concluded_on: IsoDate


class WithdrawPromise(Input):
    """Withdraw a draft or an issued promise, with the reason on record."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "Ersätts av ett gemensamt löfte för LPO:t."}]}
    )

    reason: LongText


class ActivityOut(FromDomain):
    """An activity with its latest status: what the latest follow-up said of it."""

    id: UUID
    description: str
    responsible: Responsible
    responsible_name: str | None
    due_on: date
    status: ActivityStatus
    comment: str | None
    reported_on: date | None


class SignatureOut(FromDomain):
    party: Party
    municipality: str | None
    name: str
    title: str
    signed_on: date


class ActivityReportOut(FromDomain):
    activity_id: UUID
    status: ActivityStatus
    comment: str | None


class ReschedulingOut(FromDomain):
    previous_due_on: date
    due_on: date
    reason: str
    rescheduled_on: date = Field(description="The day (Europe/Stockholm) it was moved.")


class FollowUpOut(FromDomain):
    """A follow-up: `late` when done after its due date; `final` is the one after the period."""

    id: UUID
    due_on: date
    status: FollowUpStatus
    final: bool
    held_on: date | None
    late: bool
    missed: bool = Field(
        description="It missed a due date: one passed before it was held or moved away. "
        "Rescheduling never clears a miss; holding it on or before the date (even when "
        "entered afterwards) means it was not missed."
    )
    missed_due_on: list[date] = Field(description="The due dates it missed, oldest first.")
    summary: str | None
    activities: list[ActivityReportOut] = Field(validation_alias="reports")
    reschedulings: list[ReschedulingOut]


class FeedbackOut(FromDomain):
    id: UUID
    published_on: date
    channel: str
    summary: str


class PromiseOut(FromDomain):
    """A promise as it stands; follow-ups soonest first."""

    id: UUID
    status: PromiseStatus
    municipalities: list[str]
    police_district: str
    starts_on: date
    ends_on: date
    title: str
    text: str
    follow_up_cadence: Cadence
    addresses: list[UUID]
    activities: list[ActivityOut]
    signatures: list[SignatureOut]
    issued_on: date | None
    follow_ups: list[FollowUpOut]
    feedback: list[FeedbackOut]
    outcome: Outcome | None
    conclusion_summary: str | None
    concluded_on: date | None
    withdrawal_reason: str | None
    version: int

    _activities = field_validator("activities", mode="before")(values_of)

    @field_validator("follow_ups", mode="before")
    @classmethod
    def _soonest_first(cls, follow_ups: Any) -> Any:
        if isinstance(follow_ups, dict):
            return sorted(follow_ups.values(), key=lambda f: (f.due_on, f.final))
        return follow_ups
