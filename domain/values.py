"""Value types shared by the aggregates: vocabularies, the actor, evidence, reports.

Vocabularies are plain `Enum`s (not `str` subclasses) so that the event store
must transcode them explicitly and they come back as the same members.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from uuid import UUID


class Role(Enum):
    """Who a token speaks for; recorded on every event as part of the actor."""

    PUBLIC = "public"
    POLICE = "police"
    MUNICIPALITY = "municipality"
    AUDITOR = "auditor"
    ADMIN = "admin"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """Who recorded an event: the token's label and role (or the system itself)."""

    label: str
    role: Role


SYSTEM_ACTOR = Actor(label="deadline-watcher", role=Role.SYSTEM)


class DialogueKind(Enum):
    CITIZEN_DIALOGUE = "citizen_dialogue"
    STAFF_DIALOGUE = "staff_dialogue"
    SAFETY_WALK = "safety_walk"
    SURVEY = "survey"
    OTHER = "other"


class Theme(Enum):
    DRUGS = "drugs"
    VIOLENCE = "violence"
    YOUTH_CRIME = "youth_crime"
    BURGLARY = "burglary"
    FRAUD = "fraud"
    TRAFFIC = "traffic"
    VANDALISM = "vandalism"
    PUBLIC_DISORDER = "public_disorder"
    PUBLIC_ENVIRONMENT = "public_environment"
    DOMESTIC_VIOLENCE = "domestic_violence"
    ORGANISED_CRIME = "organised_crime"
    OTHER = "other"


class IssueStatus(Enum):
    IDENTIFIED = "identified"
    PRIORITISED = "prioritised"
    REJECTED = "rejected"


class SourceType(Enum):
    STATISTICS = "statistics"
    SURVEY = "survey"
    REPORT = "report"
    OTHER = "other"


class PromiseStatus(Enum):
    DRAFT = "draft"
    ISSUED = "issued"
    CONCLUDED = "concluded"
    WITHDRAWN = "withdrawn"


class Party(Enum):
    POLICE = "police"
    MUNICIPALITY = "municipality"
    PARTNER = "partner"


class Responsible(Enum):
    POLICE = "police"
    MUNICIPALITY = "municipality"
    OTHER = "other"


class Cadence(Enum):
    QUARTERLY = "quarterly"
    BIANNUAL = "biannual"
    ANNUAL = "annual"


class ActivityStatus(Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DELAYED = "delayed"
    CANCELLED = "cancelled"


class FollowUpStatus(Enum):
    SCHEDULED = "scheduled"
    DONE = "done"
    OVERDUE = "overdue"


class Outcome(Enum):
    FULFILLED = "fulfilled"
    PARTLY_FULFILLED = "partly_fulfilled"
    NOT_FULFILLED = "not_fulfilled"


@dataclass(frozen=True)
class DialogueEvidence:
    """Evidence that cites a dialogue, or one observation of it."""

    dialogue_id: UUID
    observation_id: UUID | None = None


@dataclass(frozen=True)
class SourceEvidence:
    """Evidence from existing knowledge: statistics, a survey, a report."""

    source_type: SourceType
    reference: str


Evidence = DialogueEvidence | SourceEvidence


@dataclass(frozen=True)
class ObservationInput:
    """One observation as it comes in from a dialogue, before it has an id."""

    theme: Theme
    summary: str
    place: str | None = None
    count: int = 1
    note: str | None = None


@dataclass(frozen=True)
class ActivityInput:
    """One activity of a promise as it comes in, before it has an id."""

    description: str
    responsible: Responsible
    due_on: date
    responsible_name: str | None = None


@dataclass(frozen=True)
class ActivityReport:
    """What a follow-up says of one activity: its status and an optional comment."""

    activity_id: UUID
    status: ActivityStatus
    comment: str | None = None
