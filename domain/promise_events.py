"""The events a promise records, each with its stored topic and fields in stored order.

Declared here rather than inside `Promise` so the aggregate reads as its commands; the
aggregate names each class (`Promise.PromiseIssued = promise_events.PromiseIssued`), and
the library then redefines it there as `domain.promise.Promise.PromiseIssued`, the class
recorded, dispatched on and decoded. The topics are explicit, so the stored bytes do not
depend on where a class is written. The correction events stay in the aggregate: each
applies itself to it.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.values import ActivityReport, Actor, Cadence, Outcome, Party, Responsible


class Created(Aggregate.Created):
    """Base of the creation event; only its named subclass is ever recorded."""

    TOPIC = "loften:Promise.Created"


class PromiseDrafted(Created):
    """A promise was drafted; it addresses prioritised issues."""

    TOPIC = "loften:Promise.PromiseDrafted"

    municipalities: list[str]
    police_district: str
    starts_on: date
    ends_on: date
    title: str
    text: str
    addresses: list[UUID]
    follow_up_cadence: Cadence
    actor: Actor


class ActivityPlanned(Aggregate.Event):
    """An activity was added to a draft promise."""

    TOPIC = "loften:Promise.ActivityPlanned"

    activity_id: UUID
    description: str
    responsible: Responsible
    responsible_name: str | None
    due_on: date
    actor: Actor


class PromiseSigned(Aggregate.Event):
    """One party signed the draft promise."""

    TOPIC = "loften:Promise.PromiseSigned"

    party: Party
    municipality: str | None
    name: str
    title: str
    signed_on: date
    actor: Actor


class PromiseIssued(Aggregate.Event):
    """The signed promise was issued (published)."""

    TOPIC = "loften:Promise.PromiseIssued"

    issued_on: date
    actor: Actor


class FollowUpScheduled(Aggregate.Event):
    """A follow-up was scheduled when the promise was issued."""

    TOPIC = "loften:Promise.FollowUpScheduled"

    follow_up_id: UUID
    due_on: date
    final: bool
    actor: Actor


class FollowUpRecorded(Aggregate.Event):
    """A follow-up was held: per activity a status and a comment."""

    TOPIC = "loften:Promise.FollowUpRecorded"

    follow_up_id: UUID
    held_on: date
    summary: str
    activities: list[ActivityReport]
    actor: Actor


class FollowUpRescheduled(Aggregate.Event):
    """A follow-up not yet done was moved; the old date stays on record."""

    TOPIC = "loften:Promise.FollowUpRescheduled"

    follow_up_id: UUID
    previous_due_on: date
    due_on: date
    reason: str
    rescheduled_on: date
    actor: Actor


class FollowUpOverdue(Aggregate.Event):
    """A follow-up's due date passed unrecorded (once per follow-up and date)."""

    TOPIC = "loften:Promise.FollowUpOverdue"

    follow_up_id: UUID
    due_on: date
    actor: Actor


class FeedbackPublished(Aggregate.Event):
    """Citizens were told what was done (återkoppling)."""

    TOPIC = "loften:Promise.FeedbackPublished"

    feedback_id: UUID
    published_on: date
    channel: str
    summary: str
    actor: Actor


class PromiseConcluded(Aggregate.Event):
    """The promise was closed with its outcome."""

    TOPIC = "loften:Promise.PromiseConcluded"

    outcome: Outcome
    summary: str
    concluded_on: date
    actor: Actor


class PromiseWithdrawn(Aggregate.Event):
    """The promise was withdrawn, with the reason on record."""

    TOPIC = "loften:Promise.PromiseWithdrawn"

    reason: str
    actor: Actor
