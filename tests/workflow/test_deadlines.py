"""The deadline watcher, driven by moving a fake clock instead of sleeping."""

from __future__ import annotations

import threading
from datetime import date
from uuid import UUID

from domain.values import (
    FollowUpStatus,
)
from infra.bootstrap import open_application
from tests.support.builders import POLICE, issued_promise
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.deadlines import DeadlineWatcher
from workflow.settings import Settings


def statuses(app: Loftesboken, promise_id: UUID) -> dict[date, FollowUpStatus]:
    return {f.due_on: f.status for f in app.get_promise(promise_id).follow_ups.values()}


def overdue_events(app: Loftesboken, promise_id: UUID) -> list[tuple[UUID, date]]:
    return [
        (e.follow_up_id, e.due_on)
        for e in app.aggregate_events(promise_id)
        if type(e).__name__ == "FollowUpOverdue"
    ]


def test_a_quarter_passing_marks_exactly_the_due_follow_up(app: Loftesboken, clock: FakeClock):
    promise_id = issued_promise(app)
    watcher = DeadlineWatcher(app)
    assert watcher.check() == 0

    clock.set(date(2025, 3, 31))  # due today: not overdue until the day has ended
    assert watcher.check() == 0

    clock.set(date(2025, 4, 1))
    assert watcher.check() == 1
    assert statuses(app, promise_id)[date(2025, 3, 31)] is FollowUpStatus.OVERDUE
    assert statuses(app, promise_id)[date(2025, 6, 30)] is FollowUpStatus.SCHEDULED

    clock.set(date(2025, 4, 20))
    assert watcher.check() == 0
    assert len(overdue_events(app, promise_id)) == 1


def test_midnight_in_stockholm_decides_not_utc(app: Loftesboken, clock: FakeClock):
    from datetime import UTC, datetime

    issued_promise(app)
    watcher = DeadlineWatcher(app)
    clock.set(datetime(2025, 3, 31, 21, 59, tzinfo=UTC))  # 23:59 in Stockholm (CEST +2 from 30 Mar)
    assert watcher.check() == 0
    clock.set(datetime(2025, 3, 31, 22, 0, tzinfo=UTC))  # 00:00 on 1 April in Stockholm
    assert watcher.check() == 1


def test_reschedule_rearms_and_a_missed_new_date_is_marked_again(
    app: Loftesboken, clock: FakeClock
):
    promise_id = issued_promise(app)
    watcher = DeadlineWatcher(app)
    clock.set(date(2025, 4, 2))
    assert watcher.check() == 1
    first = app.get_promise(promise_id)
    march = next(f for f in first.follow_ups.values() if f.due_on == date(2025, 3, 31))

    app.reschedule_follow_up(
        promise_id, march.id, due_on=date(2025, 4, 15), reason="Samordnaren sjuk", actor=POLICE
    )
    assert app.get_promise(promise_id).follow_ups[march.id].status is FollowUpStatus.SCHEDULED
    assert watcher.check() == 0

    clock.set(date(2025, 4, 16))
    assert watcher.check() == 1
    assert overdue_events(app, promise_id) == [
        (march.id, date(2025, 3, 31)),
        (march.id, date(2025, 4, 15)),
    ]


def test_a_late_record_turns_an_overdue_follow_up_into_done_late(
    app: Loftesboken, clock: FakeClock
):
    promise_id = issued_promise(app)
    watcher = DeadlineWatcher(app)
    clock.set(date(2025, 4, 10))
    watcher.check()
    promise = app.get_promise(promise_id)
    march = next(f for f in promise.follow_ups.values() if f.due_on == date(2025, 3, 31))
    app.record_follow_up(
        promise_id,
        march.id,
        held_on=date(2025, 4, 9),
        summary="Sen uppföljning",
        activities=[],
        actor=POLICE,
    )
    after = app.get_promise(promise_id).follow_ups[march.id]
    assert after.status is FollowUpStatus.DONE
    assert after.late
    clock.set(date(2025, 5, 1))
    assert watcher.check() == 0


def test_restarting_between_checks_marks_nothing_twice(settings: Settings, clock: FakeClock):
    first = open_application(settings, clock)
    promise_id = issued_promise(first)
    clock.set(date(2025, 7, 2))
    assert DeadlineWatcher(first).check() == 2
    first.close()

    second = open_application(settings, clock)
    assert DeadlineWatcher(second).check() == 0
    clock.set(date(2025, 10, 1))
    assert DeadlineWatcher(second).check() == 1
    assert len(overdue_events(second, promise_id)) == 3
    second.close()


def test_two_watchers_racing_mark_each_follow_up_once(settings: Settings, clock: FakeClock):
    setup = open_application(settings, clock)
    promise_ids = [issued_promise(setup) for _ in range(4)]
    clock.set(date(2026, 3, 1))  # every follow-up of 2025, the final one included, is missed

    apps = [open_application(settings, clock) for _ in range(2)]
    results: list[int] = []
    barrier = threading.Barrier(len(apps))

    def run(app: Loftesboken) -> None:
        watcher = DeadlineWatcher(app)
        barrier.wait()
        results.append(watcher.check())

    threads = [threading.Thread(target=run, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    per_promise = 5  # four quarter ends and the final follow-up
    assert sum(results) == per_promise * len(promise_ids)
    for promise_id in promise_ids:
        events = overdue_events(setup, promise_id)
        assert len(events) == per_promise
        assert len(set(events)) == per_promise
    for a in [setup, *apps]:
        a.close()
