"""Pydantic models of what the read side answers, so routes can return them as they are.

Nothing here carries an observation's `note`: every read built from these models
is safe in public form. Draft promises are marked by their `status` so a public
read can leave them out.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from domain.values import (
    DialogueKind,
    FollowUpStatus,
    IssueStatus,
    Outcome,
    PromiseStatus,
    SourceType,
    Theme,
)

T = TypeVar("T")


class ReadModel(BaseModel):
    model_config = ConfigDict(frozen=True)


class Page(ReadModel, Generic[T]):
    """One page of a list: `{"items", "next_cursor"}`; `next_cursor` is null on the last page."""

    items: list[T]
    next_cursor: str | None


class ActorOut(ReadModel):
    label: str | None
    role: str | None


# -- municipality summary --------------------------------------------------------------


class MunicipalitySummary(ReadModel):
    """The counts behind `GET /municipalities/{code}`'s `summary`."""

    dialogues: int
    observations: int
    issues: dict[str, int]
    promises: dict[str, int]
    overdue_follow_ups: int
    next_deadline: date | None


# -- lists ----------------------------------------------------------------------------


class DialogueRow(ReadModel):
    id: UUID
    municipality: str
    kind: DialogueKind
    held_on: date
    title: str | None  # None once erased
    place: str | None
    participants: int | None
    observations: int
    mentions: int
    version: int


class IssueRow(ReadModel):
    id: UUID
    municipality: str
    title: str
    theme: Theme
    status: IssueStatus
    priority: int | None
    identified_on: date
    evidence: int
    version: int


class PromiseRow(ReadModel):
    id: UUID
    municipalities: list[str]
    police_district: str
    title: str
    starts_on: date
    ends_on: date
    status: PromiseStatus
    issued_on: date | None
    concluded_on: date | None
    outcome: Outcome | None
    version: int


class DeadlineRow(ReadModel):
    """A follow-up of an issued or concluded promise, on its current due date."""

    promise_id: UUID
    promise_title: str
    follow_up_id: UUID
    municipalities: list[str]
    due_on: date
    status: FollowUpStatus
    late: bool
    final: bool
    held_on: date | None
    missed: bool = False
    missed_due_on: list[date] = []


# -- "you said, we did" -----------------------------------------------------------------


class FollowUpBrief(ReadModel):
    id: UUID
    due_on: date
    held_on: date | None
    status: FollowUpStatus
    late: bool
    summary: str | None


class OutcomePromise(ReadModel):
    id: UUID
    title: str
    status: PromiseStatus
    starts_on: date
    ends_on: date
    outcome: Outcome | None
    latest_follow_up: FollowUpBrief | None


class OutcomeIssue(ReadModel):
    id: UUID
    title: str
    theme: Theme
    status: IssueStatus
    priority: int | None
    cites: str  # "observation" or "dialogue": what of the dialogue the issue cites
    promises: list[OutcomePromise]


class OutcomeObservation(ReadModel):
    id: UUID
    theme: Theme
    summary: str | None  # None once erased
    place: str | None
    count: int
    issues: list[OutcomeIssue]


class DialogueBrief(ReadModel):
    id: UUID
    municipality: str
    kind: DialogueKind
    held_on: date
    title: str | None  # None once erased


class DialogueOutcomes(ReadModel):
    """What became of what people said at one dialogue."""

    dialogue: DialogueBrief
    observations: list[OutcomeObservation]


# -- derivation -------------------------------------------------------------------------


class DerivedDialogue(ReadModel):
    id: UUID
    kind: DialogueKind
    held_on: date
    title: str | None  # None once erased


class DerivedObservation(ReadModel):
    id: UUID
    theme: Theme
    summary: str | None  # None once erased
    count: int


# Not the issue's `api.schemas.issues.DialogueEvidenceOut` (the ids the issue records):
# two shapes on the wire, so two models; the shared name made OpenAPI mangle both.
class DerivedDialogueEvidence(ReadModel):
    """Dialogue evidence as a derivation shows it: the dialogue and the observation as
    they stood then (an issue's own evidence carries only their ids)."""

    dialogue: DerivedDialogue
    observation: DerivedObservation | None
    retracted: bool = Field(
        default=False, description="The observation cited was retracted: it no longer counts."
    )


class SourceEvidenceOut(ReadModel):
    source_type: SourceType
    reference: str


class DerivedIssue(ReadModel):
    id: UUID
    title: str
    theme: Theme
    status: IssueStatus
    priority: int | None
    rationale: str | None
    evidence: list[DerivedDialogueEvidence | SourceEvidenceOut]
    evidence_retracted: bool = Field(
        default=False,
        description="Every piece of evidence the issue cites was retracted: it rests on none.",
    )


class DerivedPromise(ReadModel):
    id: UUID
    title: str
    text: str
    municipalities: list[str]
    police_district: str
    starts_on: date
    ends_on: date
    status: PromiseStatus
    version: int


class Derivation(ReadModel):
    """How a promise was derived: the issues it addresses and the evidence behind them."""

    promise: DerivedPromise
    issues: list[DerivedIssue]


# -- history and audit -----------------------------------------------------------------


class HistoryItem(ReadModel):
    version: int
    event_type: str
    recorded_at: str
    actor: ActorOut
    data: dict[str, Any]
    request_id: str | None = Field(
        default=None,
        description="The X-Request-ID of the request that recorded the event (null: none did).",
    )


class AuditEntry(ReadModel):
    """One link of a municipality's audit chain, as API.md ("Audit") defines it.

    `fields` maps each field's name to `{"digest"}`, with `"value"` and `"salt"` when
    the reader may see the value, or `"erased": true` once it was erased.
    """

    position: int
    recorded_at: str
    event_type: str
    aggregate_type: str
    aggregate_id: str
    version: int
    fields: dict[str, dict[str, Any]]
    hash: str
    prev_hash: str


class AuditHead(ReadModel):
    """A chain's hash at one position, to check a head printed in a report against."""

    position: int
    hash: str


class Verification(ReadModel):
    """The chain recomputed from the event store, compared with the stored one."""

    ok: bool
    entries: int
    head_hash: str
    first_bad_position: int | None
