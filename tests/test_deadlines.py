"""The deadline watcher, driven by moving a fake clock instead of sleeping."""

from __future__ import annotations

import threading
from datetime import date
from uuid import UUID

from domain.values import (
    ActivityInput,
    Cadence,
    DialogueKind,
    FollowUpStatus,
    ObservationInput,
    Party,
    Responsible,
    SourceEvidence,
    SourceType,
    Theme,
)
from infra.bootstrap import open_application
from tests.conftest import MUNICIPALITY, POLICE
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.deadlines import DeadlineWatcher
from workflow.settings import Settings


def issued_promise(app: Loftesboken, cadence: Cadence = Cadence.QUARTERLY) -> UUID:
    """A Malmö promise for 2025, issued on 2025-02-10 (the fixture clock's today)."""
    dialogue = app.hold_dialogue(
        municipality="1280",
        kind=DialogueKind.CITIZEN_DIALOGUE,
        held_on=date(2025, 1, 20),
        title="Medborgardialog Rosengård",
        actor=POLICE,
    )
    app.record_observations(
        dialogue.id,
        [ObservationInput(Theme.DRUGS, "Öppen narkotikahandel vid torget")],
        actor=POLICE,
    )
    issue = app.identify_issue(
        municipality="1280",
        title="Narkotikahandel i centrala Rosengård",
        theme=Theme.DRUGS,
        description="Boende beskriver öppen handel kvällstid.",
        evidence=[SourceEvidence(SourceType.STATISTICS, "Polisens lägesbild 2024")],
        actor=POLICE,
    )
    app.prioritise_issue(issue.id, priority=1, rationale="Återkommer i alla dialoger", actor=POLICE)
    promise = app.draft_promise(
        municipalities=["1280"],
        police_district="LPO Malmö Öster",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        title="Tryggare Rosengård 2025",
        text="Polisen och Malmö stad lovar att ...",
        addresses=[issue.id],
        activities=[
            ActivityInput("Minst tio trygghetsvandringar", Responsible.POLICE, date(2025, 12, 1))
        ],
        follow_up_cadence=cadence,
        actor=POLICE,
    )
    app.sign_promise(
        promise.id,
        party=Party.POLICE,
        name="Anna Lind",
        title="Lokalpolisområdeschef",
        signed_on=date(2025, 2, 10),
        actor=POLICE,
    )
    app.sign_promise(
        promise.id,
        party=Party.MUNICIPALITY,
        municipality="1280",
        name="Karin Berg",
        title="Kommunstyrelsens ordförande",
        signed_on=date(2025, 2, 10),
        actor=MUNICIPALITY,
    )
    app.issue_promise(promise.id, issued_on=date(2025, 2, 10), actor=POLICE)
    return promise.id


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
