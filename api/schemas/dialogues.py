"""Request and response bodies for dialogues and their observations."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import ConfigDict, Field, field_validator

from api.schemas.common import (
    Amount,
    Count,
    FromDomain,
    Input,
    IsoDate,
    LongText,
    MunicipalityCode,
    ShortText,
    values_of,
)
from domain.values import DialogueKind, ObservationInput, Theme

MAX_OBSERVATIONS = 1_000
MAX_ORGANISERS = 100


class HoldDialogue(Input):
    """A dialogue that was held: a meeting, a safety walk, a survey."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "municipality": "1280",
                    "kind": "safety_walk",
                    "held_on": "2025-02-04",
                    "title": "Trygghetsvandring i Lindängen",
                    "place": "Lindängens centrum",
                    "participants": 23,
                    "organisers": ["Kommunpolis Malmö", "Trygghetssamordnare Malmö"],
                }
            ]
        }
    )

    municipality: MunicipalityCode
    kind: DialogueKind
    held_on: IsoDate = Field(
        description="When it was held: on or after 2000-01-01, not in the future (409)."
    )
    title: ShortText
    place: ShortText | None = None
    participants: Amount | None = Field(default=None, description="How many took part.")
    organisers: Annotated[list[ShortText], Field(max_length=MAX_ORGANISERS)] = Field(
        default_factory=list
    )


class NewObservation(Input):
    """Something raised at the dialogue. `summary` is public; `note` stays internal."""

    theme: Theme
    summary: LongText = Field(description="Public: must hold no personal data.")
    place: ShortText | None = None
    count: Count = Field(
        default=1,
        description="How many participants raised it; at most the dialogue's participants (409).",
    )
    note: LongText | None = Field(default=None, description="Internal; never shown publicly.")

    def to_domain(self) -> ObservationInput:
        return ObservationInput(
            theme=self.theme,
            summary=self.summary,
            place=self.place,
            count=self.count,
            note=self.note,
        )


class RecordObservations(Input):
    """One to 1,000 observations from the same dialogue."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "observations": [
                        {
                            "theme": "public_environment",
                            "summary": "Mörk gångtunnel vid skolan upplevs som otrygg.",
                            "place": "Gångtunneln vid Lindängsskolan",
                            "count": 9,
                        },
                        {
                            "theme": "drugs",
                            "summary": "Öppen narkotikaförsäljning kvällstid vid torget.",
                            "count": 4,
                            "note": "Boende nämnde en viss port; se anteckning i ärendet.",
                        },
                    ]
                }
            ]
        }
    )

    observations: Annotated[list[NewObservation], Field(min_length=1, max_length=MAX_OBSERVATIONS)]


class ObservationOut(FromDomain):
    id: UUID
    theme: Theme
    summary: str | None
    place: str | None
    count: int
    note: str | None = Field(
        default=None,
        description="Internal; left out of the body for the public and other municipalities.",
    )
    erased_fields: list[str] = Field(
        default_factory=list, description="Fields erased for good (shown as null)."
    )
    retracted: bool = Field(
        default=False, description="Retracted: kept in the history, no longer counted."
    )
    retraction_reason: str | None = None


class DialogueOut(FromDomain):
    """A dialogue as it stands; observations in the order recorded (the newest last)."""

    id: UUID
    status: Literal["held"] = Field(
        default="held", description="A dialogue is recorded once it has been held."
    )
    municipality: str
    kind: DialogueKind
    held_on: date
    title: str | None
    place: str | None
    participants: int | None
    organisers: list[str] | None
    observations: list[ObservationOut]
    erased_fields: list[str] = Field(
        default_factory=list, description="Fields erased for good (shown as null)."
    )
    version: int

    _observations = field_validator("observations", mode="before")(values_of)


class ErasedField(Input):
    """One field to erase: of the dialogue itself, or of one of its observations."""

    observation_id: UUID | None = None
    field: Literal["title", "place", "organisers", "summary", "note"]


class EraseFields(Input):
    """`POST /dialogues/{id}/erasure`: free-text fields to erase for good, and why."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "fields": [
                        {"observation_id": "5b0f3c1e-8a57-4c55-9d0e-2f1d7b9a6c41", "field": "note"},
                        {"field": "place"},
                    ],
                    "reason": "En boendes namn i anteckningen; raderas enligt GDPR art. 17.",
                }
            ]
        }
    )

    fields: Annotated[list[ErasedField], Field(min_length=1, max_length=1000)]
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
