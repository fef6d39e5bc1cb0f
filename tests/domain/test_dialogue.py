"""The Dialogue aggregate: given a dialogue, when a command, then events or the exact refusal."""

from __future__ import annotations

from datetime import date

from domain.dialogue import Dialogue
from domain.errors import DomainError, InvalidValue, UnknownMunicipality
from domain.values import DialogueKind, ObservationInput, Theme
from tests.support.builders import POLICE
from tests.support.refusal import refused

TODAY = date(2025, 2, 10)


def hold(held_on: date = date(2025, 2, 1), **changes: object) -> Dialogue:
    fields: dict[str, object] = {
        "municipality_code": "1280",
        "kind": DialogueKind.SAFETY_WALK,
        "held_on": held_on,
        "title": "Trygghetsvandring Möllevången",
        "place": "Möllevångstorget",
        "participants": 14,
        "organisers": ["Kommunpolis Malmö", "Trygghetssamordnare Malmö"],
        "today": TODAY,
        "actor": POLICE,
    }
    fields.update(changes)
    return Dialogue.hold(**fields)


def held() -> Dialogue:
    """A dialogue whose creation event has already been saved."""
    dialogue = hold()
    dialogue.collect_events()
    return dialogue


def test_holding_a_dialogue_records_dialogue_held_with_its_actor():
    dialogue = hold()
    [event] = dialogue.collect_events()
    assert type(event).__name__ == "DialogueHeld"
    assert type(event).TOPIC == "loften:Dialogue.DialogueHeld"
    assert event.municipality == "1280"
    assert event.kind is DialogueKind.SAFETY_WALK
    assert event.held_on == date(2025, 2, 1)
    assert event.participants == 14
    assert event.actor == POLICE
    assert dialogue.observations == {}


def test_a_dialogue_held_today_is_accepted():
    assert hold(held_on=TODAY).held_on == TODAY


def test_a_dialogue_held_in_the_future_is_refused():
    with refused(
        DomainError,
        "A dialogue cannot be recorded before it is held: held_on 2025-02-11 is after "
        "today (2025-02-10).",
    ):
        hold(held_on=date(2025, 2, 11))


def test_an_unknown_municipality_code_is_refused():
    with refused(
        UnknownMunicipality,
        "'9999' is not a Swedish municipality code (kommunkod), e.g. '1280' for Malmö",
    ):
        hold(municipality_code="9999")


def test_negative_participants_are_refused_and_zero_is_accepted():
    with refused(InvalidValue, "participants cannot be negative"):
        hold(participants=-1)
    assert hold(participants=0).participants == 0


def test_recording_observations_records_one_event_per_observation_with_new_ids():
    dialogue = held()
    ids = dialogue.record_observations(
        [
            ObservationInput(Theme.DRUGS, "Narkotikaförsäljning vid busshållplatsen", count=6),
            ObservationInput(
                Theme.PUBLIC_ENVIRONMENT,
                "Trasig belysning i gångtunneln",
                place="Gångtunneln vid Nobeltorget",
                note="Anmält till gatukontoret",
            ),
        ],
        POLICE,
    )
    events = dialogue.collect_events()
    assert [type(e).__name__ for e in events] == ["ObservationRecorded", "ObservationRecorded"]
    assert [e.observation_id for e in events] == ids
    assert len(set(ids)) == 2 and all(i.version == 4 for i in ids)
    assert [e.originator_version for e in events] == [2, 3] and dialogue.version == 3
    assert all(e.originator_id == dialogue.id for e in events)
    assert events[0].timestamp <= events[1].timestamp == dialogue.modified_on
    assert events[0].count == 6
    assert events[1].note == "Anmält till gatukontoret"
    assert events[1].place == "Gångtunneln vid Nobeltorget"
    assert all(e.actor == POLICE for e in events)
    assert dialogue.observations[ids[0]].theme is Theme.DRUGS
    assert dialogue.observations[ids[1]].count == 1


def test_an_observation_count_below_one_refuses_the_whole_batch():
    dialogue = held()
    with refused(
        InvalidValue,
        "An observation's count is how many participants raised it: at least 1.",
        dialogue,
    ):
        dialogue.record_observations(
            [
                ObservationInput(Theme.TRAFFIC, "Höga hastigheter på Amiralsgatan", count=3),
                ObservationInput(Theme.TRAFFIC, "Mopedbilar på trottoaren", count=0),
            ],
            POLICE,
        )
    assert dialogue.observations == {}


def test_an_empty_batch_of_observations_is_refused():
    dialogue = held()
    with refused(InvalidValue, "Give at least one observation.", dialogue):
        dialogue.record_observations([], POLICE)
