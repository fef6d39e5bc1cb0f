"""The rules of a follow-up that more than the Promise aggregate must apply the same way.

The aggregate decides with them when it records an event; the catalogue view and the
deadline watcher replay the same events and must reach the same answer, so they call
these functions rather than restate the rule.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from domain.values import FollowUpStatus


def speaks_for_activity(reported_on: date | None, held_on: date) -> bool:
    """Whether a follow-up held on `held_on` gives an activity its status and comment.

    The latest follow-up by date speaks for the activity (`reported_on` is the date of
    the one that spoke last); a tie goes to the later record.
    """
    return reported_on is None or held_on >= reported_on


def status_after_rescheduling(
    status: FollowUpStatus, due_on: date, rescheduled_on: date, marked_for: Collection[date]
) -> FollowUpStatus:
    """A follow-up's status once it is moved to `due_on` on the day `rescheduled_on`.

    A date still ahead is scheduled again; a date already missed and marked overdue stays
    overdue (no new mark will come for it); otherwise the status is what it was.
    """
    if due_on >= rescheduled_on:
        return FollowUpStatus.SCHEDULED
    if due_on in marked_for:
        return FollowUpStatus.OVERDUE
    return status


def awaits_overdue_mark(due_on: date, marked_for: Collection[date], today: date) -> bool:
    """Whether an open follow-up due on `due_on` is overdue today and not yet marked for it."""
    return due_on < today and due_on not in marked_for


def missed_due_dates(passed_due_on: Iterable[date], held_on: date | None) -> list[date]:
    """Of the dates that passed while they were a follow-up's due date, those it missed:
    all of them, unless it was held on or before one (a backfilled follow-up held in
    time missed nothing, whatever the deadline watcher marked before it was entered)."""
    return sorted({d for d in passed_due_on if held_on is None or held_on > d})
