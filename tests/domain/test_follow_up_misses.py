"""Follow-ups that cannot be hidden: given an issued promise, when its follow-ups are
missed, moved, backfilled or the promise concluded, then the misses the record keeps
(`missed_due_on`), the refusals of moves out of sight, and the overdue marks that
conclusion records itself."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from domain.errors import DomainError
from domain.follow_ups import missed_due_dates
from domain.promise import FollowUp, Promise
from domain.values import (
    SYSTEM_ACTOR,
    ActivityInput,
    Actor,
    Cadence,
    FollowUpStatus,
    Outcome,
    Party,
    PromiseStatus,
    Responsible,
    Role,
)
from tests.support.refusal import refused

POLICE = Actor("Kommunpolis Malmö", Role.POLICE)
TODAY = date(2026, 12, 2)
MARCH, JUNE, SEPTEMBER, DECEMBER = (
    date(2025, 3, 31),
    date(2025, 6, 30),
    date(2025, 9, 30),
    date(2025, 12, 31),
)
FINAL = date(2026, 1, 31)


def issued() -> Promise:
    """A 2025 promise issued on 10 February 2025: due 31 Mar, 30 Jun, 30 Sep, 31 Dec and
    the final follow-up on 31 Jan 2026."""
    promise = Promise.draft(
        municipalities=["1280"],
        police_district="LPO Malmö Söder",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        title="Medborgarlöfte Lindängen 2025",
        text="Under 2025 lovar polisen och Malmö stad att göra gångtunneln tryggare.",
        addresses=[uuid4()],
        activities=[ActivityInput("Belysning i tunneln", Responsible.MUNICIPALITY, JUNE)],
        follow_up_cadence=Cadence.QUARTERLY,
        actor=POLICE,
    )
    for party, code in ((Party.POLICE, None), (Party.MUNICIPALITY, "1280")):
        promise.sign(
            party=party,
            municipality=code,
            name="Lena Lind",
            title="Lokalpolisområdeschef",
            signed_on=date(2025, 2, 7),
            today=TODAY,
            actor=POLICE,
        )
    promise.issue(issued_on=date(2025, 2, 10), today=TODAY, actor=POLICE)
    promise.collect_events()
    return promise


def due(promise: Promise, due_on: date) -> FollowUp:
    return next(f for f in promise.follow_ups.values() if f.due_on == due_on)


def hold(promise: Promise, follow_up: FollowUp, held_on: date, today: date = TODAY) -> None:
    promise.record_follow_up(
        follow_up_id=follow_up.id,
        held_on=held_on,
        summary="Uppföljning i samverkansgruppen",
        activities=[],
        today=today,
        actor=POLICE,
    )


def move(promise: Promise, follow_up: FollowUp, due_on: date, today: date) -> None:
    promise.reschedule_follow_up(
        follow_up_id=follow_up.id,
        due_on=due_on,
        reason="Samverkansgruppen möts först i maj",
        today=today,
        actor=POLICE,
    )


def test_a_follow_up_moved_after_its_date_passed_keeps_the_miss_though_scheduled_again():
    promise = issued()
    march = due(promise, MARCH)
    promise.mark_overdue(today=date(2025, 4, 1), actor=SYSTEM_ACTOR)
    move(promise, march, date(2025, 5, 15), today=date(2025, 4, 3))
    assert march.status is FollowUpStatus.SCHEDULED
    assert march.missed and march.missed_due_on == [MARCH]
    hold(promise, march, date(2025, 5, 14))
    assert march.status is FollowUpStatus.DONE and not march.late
    assert march.missed_due_on == [MARCH]


def test_a_miss_counts_even_when_the_watcher_never_marked_it():
    promise = issued()
    march = due(promise, MARCH)
    move(promise, march, date(2025, 5, 15), today=date(2025, 4, 1))
    assert [e.__class__.__name__ for e in promise.collect_events()] == ["FollowUpRescheduled"]
    assert march.missed_due_on == [MARCH]


def test_a_follow_up_moved_before_its_date_missed_nothing():
    promise = issued()
    march = due(promise, MARCH)
    move(promise, march, date(2025, 4, 15), today=MARCH)
    hold(promise, march, date(2025, 4, 15))
    assert not march.missed and march.missed_due_on == []


def test_a_follow_up_done_late_missed_its_date_and_one_moved_and_late_again_missed_both():
    promise = issued()
    june = due(promise, JUNE)
    hold(promise, june, date(2025, 7, 3))
    assert june.late and june.missed_due_on == [JUNE]
    september = due(promise, SEPTEMBER)
    promise.mark_overdue(today=date(2025, 10, 1), actor=SYSTEM_ACTOR)
    move(promise, september, date(2025, 10, 20), today=date(2025, 10, 2))
    hold(promise, september, date(2025, 10, 24))
    assert september.missed_due_on == [SEPTEMBER, date(2025, 10, 20)]


def test_a_backfilled_follow_up_held_on_time_missed_nothing_whatever_the_watcher_marked():
    promise = issued()
    promise.mark_overdue(today=TODAY, actor=SYSTEM_ACTOR)
    march = due(promise, MARCH)
    assert march.status is FollowUpStatus.OVERDUE
    hold(promise, march, date(2025, 3, 28))
    assert march.status is FollowUpStatus.DONE
    assert not march.late and not march.missed and march.missed_due_on == []
    assert march.overdue_marked_for == [MARCH]


def test_missed_due_dates_are_the_passed_dates_the_follow_up_was_not_held_by():
    passed = [MARCH, date(2025, 5, 15)]
    assert missed_due_dates(passed, None) == passed
    assert missed_due_dates(passed, date(2025, 5, 1)) == [MARCH]
    assert missed_due_dates(passed, MARCH) == []


# -- rescheduling limits ------------------------------------------------------------------


def test_a_follow_up_cannot_be_moved_past_the_final_follow_up():
    promise = issued()
    december = due(promise, DECEMBER)
    with refused(
        DomainError,
        "The follow-up cannot be moved to 2028-03-31, past the final follow-up due on 2026-01-31.",
        promise,
    ):
        move(promise, december, date(2028, 3, 31), today=date(2026, 1, 5))
    move(promise, december, FINAL, today=date(2026, 1, 5))
    assert december.due_on == FINAL


def test_the_final_follow_up_moves_at_most_a_year_past_its_first_due_date():
    promise = issued()
    final = promise.final_follow_up
    assert final is not None
    move(promise, final, date(2026, 9, 30), today=date(2026, 1, 20))
    with refused(
        DomainError,
        "The final follow-up cannot be moved to 2027-02-01: at most a year past its first due "
        "date 2026-01-31, so 2027-01-31 at the latest.",
        promise,
    ):
        move(promise, final, date(2027, 2, 1), today=date(2026, 1, 20))
    move(promise, final, date(2027, 1, 31), today=date(2026, 1, 20))
    assert final.due_on == date(2027, 1, 31) and final.first_due_on == FINAL


# -- conclusion -----------------------------------------------------------------------------


def test_conclusion_marks_every_passed_follow_up_not_done_overdue_before_it_concludes():
    promise = issued()
    hold(promise, due(promise, MARCH), date(2025, 3, 28))
    final = promise.final_follow_up
    assert final is not None
    hold(promise, final, date(2026, 2, 2))
    promise.collect_events()
    promise.conclude(
        outcome=Outcome.PARTLY_FULFILLED,
        summary="Belysningen kom på plats först i december.",
        concluded_on=date(2026, 2, 3),
        today=date(2026, 2, 3),
        actor=POLICE,
    )
    events = promise.collect_events()
    assert [type(e).__name__ for e in events] == ["FollowUpOverdue"] * 3 + ["PromiseConcluded"]
    assert [e.due_on for e in events[:3]] == [JUNE, SEPTEMBER, DECEMBER]
    assert all(e.actor == POLICE for e in events)
    assert promise.status is PromiseStatus.CONCLUDED
    assert [f.missed_due_on for f in promise.follow_ups.values()] == [
        [],
        [JUNE],
        [SEPTEMBER],
        [DECEMBER],
        [FINAL],
    ]
    assert promise.mark_overdue(today=date(2027, 1, 1), actor=SYSTEM_ACTOR) == []


def test_a_refused_conclusion_marks_nothing():
    promise = issued()
    final = promise.final_follow_up
    assert final is not None
    hold(promise, final, date(2026, 2, 2))
    promise.collect_events()
    with refused(
        DomainError,
        "The promise was concluded on 2026-02-01, before its final follow-up was held on "
        "2026-02-02.",
        promise,
    ):
        promise.conclude(
            outcome=Outcome.FULFILLED,
            summary="Klart.",
            concluded_on=date(2026, 2, 1),
            today=date(2026, 2, 3),
            actor=POLICE,
        )
