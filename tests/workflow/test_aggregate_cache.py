"""The aggregate cache: a command loads a cached aggregate brought up to date from the
store, so a survey imported in many batches never replays itself, and what each batch
sees is exactly what a replay from the store would give (both stores)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from domain.dialogue import Dialogue
from domain.values import DialogueKind, ObservationInput, Theme
from infra.bootstrap import open_application
from tests.support.builders import POLICE
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings


def answers(start: int, count: int) -> list[ObservationInput]:
    return [
        ObservationInput(
            theme=Theme.TRAFFIC,
            summary=f"Svar {index}: fortkörning vid skolan",
            place="Centrum",
            count=1 + index % 7,
        )
        for index in range(start, start + count)
    ]


def state(dialogue: Dialogue) -> tuple[int, list[dict[str, Any]]]:
    """Its version and observations in order: what a command and a response see."""
    return dialogue.version, [asdict(o) for o in dialogue.observations.values()]


def replayed(settings: Settings, clock: FakeClock, dialogue_id: UUID) -> Dialogue:
    """The dialogue as an application without a cache rebuilds it from the store."""
    fresh = open_application(settings.model_copy(update={"aggregate_cache_size": 0}), clock)
    try:
        assert fresh.repository.cache is None
        dialogue = fresh.repository.get(dialogue_id)
        assert isinstance(dialogue, Dialogue)
        return dialogue
    finally:
        fresh.close()


@pytest.fixture
def survey(app: Loftesboken) -> UUID:
    assert app.repository.cache is not None, "the cache is on by default"
    return app.hold_dialogue(
        municipality="1280",
        kind=DialogueKind.SURVEY,
        held_on=date(2025, 1, 28),
        title="Trygghetsmätning 2025",
        participants=500,
        actor=POLICE,
    ).id


@pytest.fixture
def other(settings: Settings, clock: FakeClock) -> Iterator[Loftesboken]:
    """A second application on the same store: another API process."""
    application = open_application(settings, clock)
    yield application
    application.close()


def test_batches_into_one_survey_equal_a_replay_from_the_store(
    app: Loftesboken, settings: Settings, clock: FakeClock, survey: UUID
) -> None:
    for start in range(0, 60, 20):
        app.record_observations(survey, answers(start, 20), actor=POLICE)
    dialogue, _ = app.record_observations(survey, answers(60, 5), actor=POLICE)
    assert len(dialogue.observations) == 65
    assert state(dialogue) == state(replayed(settings, clock, survey))


def test_what_another_process_wrote_is_seen_by_the_next_command(
    app: Loftesboken, other: Loftesboken, settings: Settings, clock: FakeClock, survey: UUID
) -> None:
    app.record_observations(survey, answers(0, 3), actor=POLICE)
    other.record_observations(survey, answers(3, 4), actor=POLICE)
    other.retract_observation(
        survey,
        next(iter(other.get_dialogue(survey).observations)),
        reason="Dubblett",
        actor=POLICE,
    )
    dialogue, _ = app.record_observations(survey, answers(7, 2), actor=POLICE)
    assert len(dialogue.observations) == 9
    assert next(iter(dialogue.observations.values())).retracted
    assert state(dialogue) == state(replayed(settings, clock, survey))


def test_a_save_that_fails_leaves_the_cache_as_stored(
    app: Loftesboken,
    settings: Settings,
    clock: FakeClock,
    survey: UUID,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app.record_observations(survey, answers(0, 3), actor=POLICE)

    def disk_full(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(app.events, "put", disk_full)
        with pytest.raises(OSError):
            # The command's copy holds two more observations when its save fails.
            app.record_observations(survey, answers(3, 2), actor=POLICE)
    dialogue, _ = app.record_observations(survey, answers(5, 1), actor=POLICE)
    assert len(dialogue.observations) == 4
    assert state(dialogue) == state(replayed(settings, clock, survey))


def test_a_response_is_not_changed_by_the_next_command(app: Loftesboken, survey: UUID) -> None:
    answered, _ = app.record_observations(survey, answers(0, 2), actor=POLICE)
    before = state(answered)
    first = next(iter(answered.observations))
    app.record_observations(survey, answers(2, 2), actor=POLICE)
    app.correct_observation(survey, first, changes={"count": 9}, reason="Fel antal", actor=POLICE)
    app.retract_observation(survey, first, reason="Dubblett", actor=POLICE)
    assert state(answered) == before


def test_a_big_import_into_one_survey_leaves_exactly_the_observations_sent(
    app: Loftesboken, settings: Settings, clock: FakeClock, survey: UUID
) -> None:
    """5,000 answers in batches of 1,000 (one of them failing to save, one answer
    corrected and one retracted on the way): the survey holds each answer sent, once,
    in the order sent, under the id its command returned, as a replay holds it."""
    sent = answers(0, 5_000)
    ids: list[UUID] = []

    def disk_full(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk full")

    for start in range(0, len(sent), 1_000):
        if start == 2_000:
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(app.events, "put", disk_full)
                with pytest.raises(OSError):
                    app.record_observations(survey, sent[start : start + 1_000], actor=POLICE)
        _, new = app.record_observations(survey, sent[start : start + 1_000], actor=POLICE)
        ids += new
        if start == 1_000:
            app.correct_observation(
                survey, ids[10], changes={"count": 99}, reason="Fel antal", actor=POLICE
            )
            app.retract_observation(survey, ids[20], reason="Dubblett", actor=POLICE)
    dialogue = app.get_dialogue(survey)
    assert list(dialogue.observations) == ids and len(set(ids)) == 5_000
    expected = [(a.theme, a.summary, a.place, a.count) for a in sent]
    expected[10] = (*expected[10][:3], 99)
    assert [(o.theme, o.summary, o.place, o.count) for o in dialogue.observations.values()] == (
        expected
    )
    assert [i for i, o in enumerate(dialogue.observations.values()) if o.retracted] == [20]
    assert dialogue.version == 1 + 5_000 + 2
    assert state(dialogue) == state(replayed(settings, clock, survey))
