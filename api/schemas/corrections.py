"""Request bodies of the corrections: every field optional but `reason`, at least one other.

A correction records only what it names; a field left out stays as it is. `null` is
accepted only where the field itself may be empty (`place`, `note`, `participants`);
anywhere else it is a `422`, never a silent "clear".
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar
from uuid import UUID

from pydantic import ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from api.schemas.common import Amount, Count, Input, IsoDate, LongText, ShortText
from api.schemas.dialogues import MAX_ORGANISERS
from api.schemas.promises import MAX_ACTIVITIES, MAX_ADDRESSES, ActivityReportIn
from domain.values import Cadence, DialogueKind, Theme


class CorrectionInput(Input):
    """The shared shape: a required `reason`, and the fields to correct."""

    #: Fields that may be corrected to `null` (they are optional when recorded).
    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    reason: LongText = Field(description="Why it is corrected; kept in the history.")

    @model_validator(mode="after")
    def _names_a_field(self) -> CorrectionInput:
        named = self.model_fields_set - {"reason"}
        if not named:
            raise ValueError("Name at least one field to correct besides the reason.")
        for name in sorted(named - self.NULLABLE):
            if getattr(self, name) is None:
                raise ValueError(f"{name} cannot be corrected to null.")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields named, with their domain values."""
        return {
            name: self._domain_value(name, getattr(self, name))
            for name in type(self).model_fields
            if name in self.model_fields_set and name != "reason"
        }

    def _domain_value(self, name: str, value: Any) -> Any:
        return list(value) if isinstance(value, list) else value


class CorrectDialogue(CorrectionInput):
    """What was recorded of a dialogue, corrected."""

    model_config = ConfigDict(
        json_schema_extra={
            "minProperties": 2,  # the reason and one field
            "examples": [
                {
                    "title": "Trygghetsvandring i Lindängen",
                    "participants": 23,
                    "reason": "Titeln stavades fel och deltagarantalet var 32, inte 23.",
                }
            ],
        }
    )
    NULLABLE: ClassVar[frozenset[str]] = frozenset({"place", "participants"})

    kind: DialogueKind | SkipJsonSchema[None] = None
    held_on: IsoDate | SkipJsonSchema[None] = None
    title: ShortText | SkipJsonSchema[None] = None
    place: ShortText | None = None
    participants: Amount | None = None
    organisers: (
        Annotated[list[ShortText], Field(max_length=MAX_ORGANISERS)] | SkipJsonSchema[None]
    ) = None


class CorrectObservation(CorrectionInput):
    """An observation corrected; one that was retracted cannot be."""

    model_config = ConfigDict(
        json_schema_extra={
            "minProperties": 2,  # the reason and one field
            "examples": [
                {
                    "theme": "public_environment",
                    "reason": "Registrerades felaktigt under narkotika; gäller belysningen.",
                }
            ],
        }
    )
    NULLABLE: ClassVar[frozenset[str]] = frozenset({"place", "note"})

    theme: Theme | SkipJsonSchema[None] = None
    summary: LongText | SkipJsonSchema[None] = None
    place: ShortText | None = None
    count: Count | SkipJsonSchema[None] = None
    note: LongText | None = None


class RetractObservation(Input):
    """An observation that should never have been recorded: it stops counting."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"reason": "Registrerades två gånger; samma synpunkt som den första."}]
        }
    )

    reason: LongText = Field(description="Why it is retracted; kept in the history.")


class CorrectIssue(CorrectionInput):
    """An issue corrected; its theme and identification date not once an issued promise
    addresses it."""

    model_config = ConfigDict(
        json_schema_extra={
            "minProperties": 2,  # the reason and one field
            "examples": [
                {
                    "title": "Otrygg gångtunnel vid Lindängsskolan",
                    "reason": "Förtydligat vilken tunnel det gäller.",
                }
            ],
        }
    )

    title: ShortText | SkipJsonSchema[None] = None
    theme: Theme | SkipJsonSchema[None] = None
    description: LongText | SkipJsonSchema[None] = None
    identified_on: IsoDate | SkipJsonSchema[None] = None


class AmendPromise(CorrectionInput):
    """A draft amended; the signatures given so far are cleared (they signed another text)."""

    model_config = ConfigDict(
        json_schema_extra={
            "minProperties": 2,  # the reason and one field
            "examples": [
                {
                    "text": "Under 2025 lovar polisen och Malmö stad att göra gångtunneln "
                    "tryggare och att genomföra två trygghetsvandringar.",
                    "reason": "Kommunstyrelsen ville att vandringarna nämns i löftet.",
                }
            ],
        }
    )

    police_district: ShortText | SkipJsonSchema[None] = None
    starts_on: IsoDate | SkipJsonSchema[None] = None
    ends_on: IsoDate | SkipJsonSchema[None] = None
    title: ShortText | SkipJsonSchema[None] = None
    text: LongText | SkipJsonSchema[None] = None
    addresses: (
        Annotated[list[UUID], Field(min_length=1, max_length=MAX_ADDRESSES)] | SkipJsonSchema[None]
    ) = None
    follow_up_cadence: Cadence | SkipJsonSchema[None] = None


class CorrectFollowUp(CorrectionInput):
    """A recorded follow-up corrected: the day held, the summary or the reports."""

    model_config = ConfigDict(
        json_schema_extra={
            "minProperties": 2,  # the reason and one field
            "examples": [
                {
                    "held_on": "2025-03-27",
                    "reason": "Mötet hölls dagen före; fel datum i protokollet.",
                }
            ],
        }
    )

    held_on: IsoDate | SkipJsonSchema[None] = None
    summary: LongText | SkipJsonSchema[None] = None
    activities: (
        Annotated[list[ActivityReportIn], Field(max_length=MAX_ACTIVITIES)] | SkipJsonSchema[None]
    ) = None

    def _domain_value(self, name: str, value: Any) -> Any:
        if name == "activities":
            return [report.to_domain() for report in value]
        return super()._domain_value(name, value)


class CorrectFeedback(CorrectionInput):
    """Feedback to citizens corrected: when, where or what was said."""

    model_config = ConfigDict(
        json_schema_extra={
            "minProperties": 2,  # the reason and one field
            "examples": [
                {
                    "channel": "malmo.se och Lindängens medborgarkontor",
                    "reason": "Publicerades även på medborgarkontoret.",
                }
            ],
        }
    )

    published_on: IsoDate | SkipJsonSchema[None] = None
    channel: ShortText | SkipJsonSchema[None] = None
    summary: LongText | SkipJsonSchema[None] = None
