"""What the workflow relies on from either store, checked on SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from eventsourcing.persistence import IntegrityError

from domain.values import DialogueKind, ObservationInput, Theme
from infra.bootstrap import open_application
from tests.support.builders import POLICE
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings


def held_dialogue(app: Loftesboken):
    return app.hold_dialogue(
        municipality="1280",
        kind=DialogueKind.CITIZEN_DIALOGUE,
        held_on=date(2025, 1, 20),
        title="Medborgardialog Rosengård",
        actor=POLICE,
    )


def observation(summary: str) -> list[ObservationInput]:
    return [ObservationInput(Theme.DRUGS, summary)]


def test_a_conflicting_save_raises_integrity_error_and_keeps_the_first(
    settings: Settings, clock: FakeClock
):
    first, second = open_application(settings, clock), open_application(settings, clock)
    try:
        dialogue_id = held_dialogue(first).id
        winner = first.get_dialogue(dialogue_id)
        loser = second.get_dialogue(dialogue_id)
        winner.record_observations(observation("Först"), POLICE)
        loser.record_observations(observation("Sist"), POLICE)

        first.save(winner)
        with pytest.raises(IntegrityError):
            second.save(loser)

        stored = second.get_dialogue(dialogue_id)
        assert [o.summary for o in stored.observations.values()] == ["Först"]
        assert len(list(second.recorder.select_events(dialogue_id))) == 2
    finally:
        first.close()
        second.close()


def test_racing_commands_from_two_applications_all_land_once(settings: Settings, clock: FakeClock):
    setup = open_application(settings, clock)
    dialogue_id = held_dialogue(setup).id
    apps = [open_application(settings, clock) for _ in range(2)]
    start = threading.Barrier(len(apps))

    def record(app: Loftesboken, name: str) -> None:
        start.wait()
        for n in range(5):
            app.record_observations(dialogue_id, observation(f"{name} {n}"), actor=POLICE)

    threads = [threading.Thread(target=record, args=(app, f"app{i}")) for i, app in enumerate(apps)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        stored = setup.get_dialogue(dialogue_id)
        notes = sorted(o.summary for o in stored.observations.values())
        assert notes == sorted(f"app{i} {n}" for i in range(2) for n in range(5))
        versions = [e.originator_version for e in setup.recorder.select_events(dialogue_id)]
        assert versions == list(range(1, 12))
    finally:
        for app in [setup, *apps]:
            app.close()


def test_several_applications_starting_at_once_all_start(settings: Settings, clock: FakeClock):
    """As `uvicorn --workers N` does: on an empty store, then on one with its tables."""
    assert start_together(settings, clock, 6) == []
    assert start_together(settings, clock, 6) == []


def start_together(settings: Settings, clock: FakeClock, count: int) -> list[BaseException]:
    start = threading.Barrier(count)
    failures: list[BaseException] = []

    def open_and_close() -> None:
        start.wait()
        try:
            open_application(settings, clock).close()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=open_and_close) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures
