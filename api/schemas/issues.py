"""Request and response bodies for issues (the problembild) and their evidence."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import ConfigDict, Discriminator, Field, Tag, model_validator
from pydantic.config import JsonDict

from api.schemas.common import FromDomain, Input, IsoDate, LongText, MunicipalityCode, ShortText
from domain.values import (
    DialogueEvidence,
    Evidence,
    IssueStatus,
    SourceEvidence,
    SourceType,
    Theme,
)
from projections.models import SourceEvidenceOut

MAX_EVIDENCE = 1_000


class DialogueEvidenceIn(Input):
    """A dialogue, or one observation of it, of the issue's own municipality."""

    dialogue_id: UUID
    observation_id: UUID | None = None

    def to_domain(self) -> Evidence:
        return DialogueEvidence(dialogue_id=self.dialogue_id, observation_id=self.observation_id)


class SourceEvidenceIn(Input):
    """Existing knowledge: statistics, a survey, a report."""

    source_type: SourceType
    reference: ShortText

    def to_domain(self) -> Evidence:
        return SourceEvidence(source_type=self.source_type, reference=self.reference)


def _evidence_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "dialogue" if "dialogue_id" in value else "source"
    return "dialogue" if isinstance(value, DialogueEvidenceIn) else "source"


EvidenceIn = Annotated[
    Annotated[DialogueEvidenceIn, Tag("dialogue")] | Annotated[SourceEvidenceIn, Tag("source")],
    Discriminator(_evidence_kind),
]

_EVIDENCE_EXAMPLE: JsonDict = {"dialogue_id": "0b9c3a52-5a53-4f0e-9d0e-0d5f1c7e2a11"}


class IdentifyIssue(Input):
    """An issue of the municipality, resting on at least one piece of evidence."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "municipality": "1280",
                    "title": "Otrygg gångtunnel vid Lindängsskolan",
                    "theme": "public_environment",
                    "description": "Många undviker tunneln efter mörkrets inbrott.",
                    "identified_on": "2025-02-06",
                    "evidence": [
                        _EVIDENCE_EXAMPLE,
                        {"source_type": "survey", "reference": "Trygghetsmätning 2024, fråga 12"},
                    ],
                }
            ]
        }
    )

    municipality: MunicipalityCode
    title: ShortText
    theme: Theme
    description: LongText
    identified_on: IsoDate | None = Field(
        default=None, description="Defaults to today; not in the future."
    )
    evidence: Annotated[list[EvidenceIn], Field(min_length=1, max_length=MAX_EVIDENCE)]


class AddEvidence(Input):
    """One more piece of evidence: a dialogue (or observation) or a source of knowledge."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "dialogue_id": "0b9c3a52-5a53-4f0e-9d0e-0d5f1c7e2a11",
                    "observation_id": "5d0f7a0e-3c55-4f5e-8f0a-6f3b2d9c1e77",
                }
            ]
        }
    )

    dialogue_id: UUID | None = None
    observation_id: UUID | None = None
    source_type: SourceType | None = None
    reference: ShortText | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> AddEvidence:
        dialogue = self.dialogue_id is not None
        source = self.source_type is not None and self.reference is not None
        stray = self.observation_id is not None and not dialogue
        partial = (self.source_type is None) != (self.reference is None)
        if dialogue == source or stray or partial:
            raise ValueError(
                "give either dialogue_id (and perhaps observation_id) or source_type and reference"
            )
        return self

    def to_domain(self) -> Evidence:
        if self.dialogue_id is not None:
            return DialogueEvidence(
                dialogue_id=self.dialogue_id, observation_id=self.observation_id
            )
        assert self.source_type is not None and self.reference is not None
        return SourceEvidence(source_type=self.source_type, reference=self.reference)


class PrioritiseIssue(Input):
    """The collaboration's priority for the issue: 1 is highest, 5 lowest."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"priority": 1, "rationale": "Tas upp i tre av fyra dialoger och i mätningen."}
            ]
        }
    )

    priority: int = Field(strict=True, ge=1, le=5)
    rationale: LongText


class RejectIssue(Input):
    """A decision not to work on the issue, with the reason on record."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "Hanteras redan inom skolans trygghetsplan."}]}
    )

    reason: LongText


class DialogueEvidenceOut(FromDomain):
    """Evidence as the issue holds it: the ids (a derivation shows the dialogue itself)."""

    dialogue_id: UUID
    observation_id: UUID | None
    retracted: bool = Field(
        default=False, description="The observation cited was retracted: it no longer counts."
    )


class IssueOut(FromDomain):
    """An issue as it stands."""

    id: UUID
    municipality: str
    title: str
    theme: Theme
    description: str
    identified_on: date
    evidence: list[DialogueEvidenceOut | SourceEvidenceOut]
    status: IssueStatus
    priority: int | None
    rationale: str | None
    rejection_reason: str | None
    version: int

    @classmethod
    def showing(cls, issue: object, retracted: Collection[UUID]) -> IssueOut:
        """The issue, its evidence citing a retracted observation (`retracted`: the
        workflow knows which) shown as retracted."""
        out = cls.of(issue)
        evidence = [
            item.model_copy(update={"retracted": True})
            if isinstance(item, DialogueEvidenceOut) and item.observation_id in retracted
            else item
            for item in out.evidence
        ]
        return out.model_copy(update={"evidence": evidence})
