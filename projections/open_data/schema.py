"""The tables of the open-data package: their columns, types, keys and what each means.

One description drives both the CSV files (their columns, in this order) and each
file's Table Schema in `datapackage.json`, so the two cannot disagree. Types are the
Table Schema's own (`string`, `integer`, `boolean`, `date`); an empty cell is a
missing value. Descriptions are in English, like the API's field names; the values
(titles, summaries, texts) are as the municipality and the police wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

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

FieldType = Literal["string", "integer", "boolean", "date"]


@dataclass(frozen=True)
class Column:
    name: str
    type: FieldType
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()
    minimum: int | None = None

    def descriptor(self) -> dict[str, Any]:
        field: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "description": self.description,
        }
        if self.type == "string" and self.name.endswith("id"):
            field["format"] = "uuid"
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if constraints:
            field["constraints"] = constraints
        return field


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [c.descriptor() for c in self.columns],
            "primaryKey": list(self.primary_key),
            "missingValues": [""],
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {
                    "fields": list(k.fields),
                    "reference": {"resource": k.table, "fields": list(k.reference)},
                }
                for k in self.foreign_keys
            ]
        return schema


def _id(name: str, description: str) -> Column:
    return Column(name, "string", description, required=True)


def _to(field: str, table: str) -> ForeignKey:
    return ForeignKey((field,), table, ("id",))


def values(enum: type[Enum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


KINDS = values(DialogueKind)
THEMES = values(Theme)
#: Drafts are never published, so a published promise is in one of these.
PROMISE_STATUSES = tuple(v for v in values(PromiseStatus) if v != PromiseStatus.DRAFT.value)
OUTCOMES = values(Outcome)
ACTIVITY_STATUSES = values(ActivityStatus)
MUNICIPALITY = Column(
    "municipality", "string", "The municipality's four-digit SCB code (kommunkod).", True
)

DIALOGUES = Table(
    "dialogues",
    "Dialogues",
    "Dialogues held to listen to residents and staff: citizen dialogues, staff dialogues, "
    "safety walks and surveys.",
    (
        _id("id", "The dialogue's id."),
        MUNICIPALITY,
        Column("kind", "string", "What kind of dialogue it was.", True, KINDS),
        Column("held_on", "date", "The day it was held.", True),
        Column("title", "string", "Its title."),
        Column("place", "string", "Where it was held."),
        Column(
            "participants", "integer", "How many took part (respondents of a survey).", minimum=0
        ),
        Column(
            "observations",
            "integer",
            "How many observations were recorded (not counting retracted ones).",
            True,
            minimum=0,
        ),
        Column("mentions", "integer", "The sum of the observations' counts.", True, minimum=0),
    ),
    ("id",),
)

OBSERVATIONS = Table(
    "observations",
    "Observations",
    "What was raised at a dialogue, by its public summary (internal notes are never published).",
    (
        _id("id", "The observation's id."),
        _id("dialogue_id", "The dialogue it was raised at."),
        Column("theme", "string", "The theme it concerns.", True, THEMES),
        Column("summary", "string", "What was raised, in a sentence."),
        Column("place", "string", "Where it concerns."),
        Column("count", "integer", "How many participants raised it.", True, minimum=1),
        Column(
            "retracted",
            "boolean",
            "Whether it was retracted since (recorded in error): it then counts nowhere, "
            "and is kept only because evidence may cite it.",
            True,
        ),
    ),
    ("id",),
    (_to("dialogue_id", "dialogues"),),
)

ISSUES = Table(
    "issues",
    "Issues",
    "Issues (problembild) that an issued promise addresses: what the dialogues and other "
    "sources pointed to, with the priority given and why.",
    (
        _id("id", "The issue's id."),
        MUNICIPALITY,
        Column("title", "string", "Its title.", True),
        Column("theme", "string", "Its theme.", True, THEMES),
        Column(
            "status", "string", "identified, prioritised or rejected.", True, values(IssueStatus)
        ),
        Column("priority", "integer", "1 (highest) to 5, once prioritised.", minimum=1),
        Column("rationale", "string", "Why it was given that priority."),
        Column("identified_on", "date", "The day it was identified.", True),
    ),
    ("id",),
)

EVIDENCE = Table(
    "evidence",
    "Evidence behind the issues",
    "What each issue rests on: a dialogue (or one observation of it), or another source "
    "such as statistics or a report.",
    (
        _id("issue_id", "The issue."),
        Column("position", "integer", "The item's place among the issue's evidence, from 1.", True),
        Column("dialogue_id", "string", "The dialogue cited, if any."),
        Column("observation_id", "string", "The one observation of it cited, if any."),
        Column(
            "source_type",
            "string",
            "statistics, survey, report or other, for a source that is not a dialogue.",
            enum=values(SourceType),
        ),
        Column("reference", "string", "Where that source is found."),
    ),
    ("issue_id", "position"),
    (
        _to("issue_id", "issues"),
        _to("dialogue_id", "dialogues"),
        _to("observation_id", "observations"),
    ),
)

PROMISES = Table(
    "promises",
    "Promises (medborgarlöften)",
    "Promises the police and the municipalities issued, also those concluded or withdrawn "
    "since; drafts are never published.",
    (
        _id("id", "The promise's id."),
        Column("title", "string", "Its title.", True),
        Column("text", "string", "The promise's text as signed."),
        Column("police_district", "string", "The local police district that made it.", True),
        Column("starts_on", "date", "The first day of its period.", True),
        Column("ends_on", "date", "The last day of its period.", True),
        Column("status", "string", "issued, concluded or withdrawn.", True, PROMISE_STATUSES),
        Column("issued_on", "date", "The day it was issued.", True),
        Column("concluded_on", "date", "The day it was concluded, if it was."),
        Column("outcome", "string", "What became of it, once concluded.", enum=OUTCOMES),
        Column("conclusion_summary", "string", "The conclusion's summary."),
        Column("withdrawal_reason", "string", "Why it was withdrawn, if it was."),
    ),
    ("id",),
)

PROMISE_MUNICIPALITIES = Table(
    "promise_municipalities",
    "Municipalities of the promises",
    "Which municipalities each promise was made with (a joint promise has several).",
    (_id("promise_id", "The promise."), MUNICIPALITY),
    ("promise_id", "municipality"),
    (_to("promise_id", "promises"),),
)

PROMISE_ISSUES = Table(
    "promise_issues",
    "Issues the promises address",
    "Which issues each promise addresses.",
    (_id("promise_id", "The promise."), _id("issue_id", "An issue it addresses.")),
    ("promise_id", "issue_id"),
    (_to("promise_id", "promises"), _to("issue_id", "issues")),
)

ACTIVITIES = Table(
    "activities",
    "Activities",
    "What each promise said would be done, by whom (police, municipality or other; never a "
    "person's name) and by when, with the latest status a follow-up gave it.",
    (
        _id("id", "The activity's id."),
        _id("promise_id", "The promise."),
        Column("description", "string", "What is to be done.", True),
        Column(
            "responsible",
            "string",
            "Who answers for it.",
            True,
            values(Responsible),
        ),
        Column("due_on", "date", "When it is due.", True),
        Column("status", "string", "Its latest status.", True, ACTIVITY_STATUSES),
        Column("comment", "string", "The latest follow-up's comment on it."),
        Column("reported_on", "date", "The day of that follow-up."),
    ),
    ("id",),
    (_to("promise_id", "promises"),),
)

SIGNATURES = Table(
    "signatures",
    "Signatures",
    "Who signed each promise, for which party, and when.",
    (
        _id("promise_id", "The promise."),
        Column(
            "position", "integer", "The signature's place in the order of signing, from 1.", True
        ),
        Column(
            "party",
            "string",
            "police, municipality or partner.",
            True,
            values(Party),
        ),
        Column("municipality", "string", "The municipality signed for (party municipality)."),
        Column("name", "string", "The signatory's name.", True),
        Column("title", "string", "The signatory's title.", True),
        Column("signed_on", "date", "The day of signing.", True),
    ),
    ("promise_id", "position"),
    (_to("promise_id", "promises"),),
)

FOLLOW_UPS = Table(
    "follow_ups",
    "Follow-ups",
    "Each promise's follow-ups: when due, whether and when held, and whether a due date "
    "was missed (done late, overdue, or moved after its date had passed).",
    (
        _id("id", "The follow-up's id."),
        _id("promise_id", "The promise."),
        Column("due_on", "date", "Its current due date.", True),
        Column(
            "status",
            "string",
            "scheduled, done or overdue.",
            True,
            values(FollowUpStatus),
        ),
        Column("final", "boolean", "Whether it is the final follow-up after the period.", True),
        Column("held_on", "date", "The day it was held, once done."),
        Column("late", "boolean", "Whether it was held after its due date.", True),
        Column("missed", "boolean", "Whether it missed a due date.", True),
        Column("summary", "string", "What the follow-up found."),
    ),
    ("id",),
    (_to("promise_id", "promises"),),
)

FEEDBACK = Table(
    "feedback",
    "Feedback to citizens",
    "Feedback (återkoppling) given to residents on what was done, where and when.",
    (
        _id("id", "The feedback's id."),
        _id("promise_id", "The promise it concerns."),
        Column("published_on", "date", "The day it was published.", True),
        Column("channel", "string", "Where it was published.", True),
        Column("summary", "string", "What it said.", True),
    ),
    ("id",),
    (_to("promise_id", "promises"),),
)

#: Every table, in the order of the package (a table before those that refer to it).
TABLES: tuple[Table, ...] = (
    DIALOGUES,
    OBSERVATIONS,
    ISSUES,
    EVIDENCE,
    PROMISES,
    PROMISE_MUNICIPALITIES,
    PROMISE_ISSUES,
    ACTIVITIES,
    SIGNATURES,
    FOLLOW_UPS,
    FEEDBACK,
)
