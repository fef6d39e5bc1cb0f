"""The parts of a promise's state: its activities, signatures, follow-ups and feedback.

Plain dataclasses the `Promise` aggregate builds from its events and readers (views,
the API's output models) take as they are; what may change them is the aggregate's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from domain.follow_ups import missed_due_dates
from domain.values import ActivityReport, ActivityStatus, FollowUpStatus, Party, Responsible


@dataclass
class Activity:
    """Something the promise says will be done, by whom and by when."""

    id: UUID
    description: str
    responsible: Responsible
    responsible_name: str | None
    due_on: date
    status: ActivityStatus = ActivityStatus.NOT_STARTED
    comment: str | None = None
    reported_on: date | None = None


@dataclass
class Signature:
    """A signatory's signature for one party (and, for a municipality, which one)."""

    party: Party
    municipality: str | None
    name: str
    title: str
    signed_on: date


@dataclass
class Rescheduling:
    """A moved due date, kept so the history shows what was moved, when and why."""

    previous_due_on: date
    due_on: date
    reason: str
    rescheduled_on: date

    @property
    def after_the_date(self) -> bool:
        """Moved only once the old date had passed: the old date was missed."""
        return self.rescheduled_on > self.previous_due_on


@dataclass
class FollowUp:
    """An uppföljning that falls due on `due_on`; `final` is the one after the period."""

    id: UUID
    due_on: date
    final: bool
    first_due_on: date
    status: FollowUpStatus = FollowUpStatus.SCHEDULED
    held_on: date | None = None
    summary: str | None = None
    reports: list[ActivityReport] = field(default_factory=list)
    overdue_marked_for: list[date] = field(default_factory=list)
    reschedulings: list[Rescheduling] = field(default_factory=list)

    @property
    def late(self) -> bool:
        """Done after its due date."""
        return self.held_on is not None and self.held_on > self.due_on

    @property
    def passed_due_on(self) -> list[date]:
        """Every date that passed while it was this follow-up's due date, as the record
        shows it: marked overdue, moved only after it had passed, or the date it had
        when it was recorded (whether it was missed is for the day held to say)."""
        passed = set(self.overdue_marked_for)
        passed.update(r.previous_due_on for r in self.reschedulings if r.after_the_date)
        if self.held_on is not None:
            passed.add(self.due_on)
        return sorted(passed)

    @property
    def missed_due_on(self) -> list[date]:
        """The due dates this follow-up missed; rescheduling never clears one."""
        return missed_due_dates(self.passed_due_on, self.held_on)

    @property
    def missed(self) -> bool:
        return bool(self.missed_due_on)


@dataclass
class Feedback:
    """Återkoppling: what citizens were told, where and when."""

    id: UUID
    published_on: date
    channel: str
    summary: str
