"""The follow-up rules the aggregate, the catalogue view and the deadline watcher share."""

from __future__ import annotations

from datetime import date

from domain.follow_ups import awaits_overdue_mark, speaks_for_activity, status_after_rescheduling
from domain.values import FollowUpStatus

JUNE, JULY, AUGUST = date(2025, 6, 30), date(2025, 7, 5), date(2025, 8, 1)


def test_the_latest_follow_up_by_date_speaks_for_an_activity_and_a_tie_goes_to_the_later():
    assert speaks_for_activity(None, JUNE)
    assert speaks_for_activity(JUNE, JULY)
    assert speaks_for_activity(JULY, JULY)
    assert not speaks_for_activity(JULY, JUNE)


def test_a_rescheduled_follow_up_is_scheduled_overdue_or_as_it_was():
    overdue, scheduled = FollowUpStatus.OVERDUE, FollowUpStatus.SCHEDULED
    assert status_after_rescheduling(overdue, AUGUST, JULY, [JUNE]) is scheduled
    assert status_after_rescheduling(overdue, JULY, JULY, [JUNE]) is scheduled
    assert status_after_rescheduling(scheduled, JUNE, JULY, [JUNE]) is overdue
    assert status_after_rescheduling(overdue, JUNE, JULY, []) is overdue
    assert status_after_rescheduling(scheduled, JUNE, JULY, []) is scheduled


def test_a_follow_up_awaits_its_mark_once_its_day_has_passed_unmarked():
    assert awaits_overdue_mark(JUNE, [], JULY)
    assert not awaits_overdue_mark(JULY, [], JULY)
    assert not awaits_overdue_mark(JUNE, [JUNE], JULY)
    assert awaits_overdue_mark(JUNE, [date(2025, 3, 31)], JULY)
