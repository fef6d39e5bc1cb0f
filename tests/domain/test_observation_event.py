"""`ObservationRecorded` as an explicit event class: the same topic and stored state as before.

Since audit chain v2 a new event also carries its seal (`_seal_`, last) and keeps its
erasable values apart; the rest of its stored state is as before.
"""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent

from domain.dialogue import Dialogue
from domain.values import Actor, DialogueKind, ObservationInput, Role, Theme
from infra.bootstrap import open_application
from projections.chain import SEAL_KEY
from workflow.settings import Settings

TOPIC = "loften:Dialogue.ObservationRecorded"
# Written by the `@event` method this class replaced (captured before the change).
BEFORE = (
    b'{"timestamp":{"_type_":"datetime_iso","_data_":"2026-11-25T02:13:54.865136+00:00"},'
    b'"observation_id":{"_type_":"uuid_hex","_data_":"7e63639366674ff5a35b4d02abde7028"},'
    b'"theme":{"_type_":"enum:Theme","_data_":"drugs"},'
    b'"summary":"M\xc3\xb6rkt p\xc3\xa5 torget \\"ofta\\"","place":"Torget","count":2,'
    b'"note":"hemlig","actor":{"_type_":"value:Actor","_data_":{"label":"Kommunpolis '
    b'Malm\xc3\xb6","role":{"_type_":"enum:Role","_data_":"police"}}}}'
)
ACTOR = Actor("Kommunpolis Malmö", Role.POLICE)


def test_an_event_stored_before_reads_back_and_writes_the_same_bytes(settings: Settings) -> None:
    app = open_application(settings)
    dialogue_id = UUID(int=7)
    stored = StoredEvent(dialogue_id, 2, TOPIC, BEFORE)
    event = app.mapper.to_domain_event(stored)
    assert type(event) is Dialogue.ObservationRecorded
    assert (event.theme, event.count, event.note, event.actor) == (Theme.DRUGS, 2, "hemlig", ACTOR)
    assert Mapper(transcoder=app.mapper.transcoder).to_stored_event(event) == stored
    app.close()


def test_recording_stores_the_same_fields_in_the_same_order(settings: Settings) -> None:
    app = open_application(settings)
    dialogue = Dialogue.hold(
        municipality_code="1280",
        kind=DialogueKind.CITIZEN_DIALOGUE,
        held_on=date(2025, 1, 20),
        title="Möte",
        place=None,
        participants=3,
        organisers=[],
        today=date(2025, 2, 1),
        actor=ACTOR,
    )
    (observation_id,) = dialogue.record_observations(
        [ObservationInput(Theme.DRUGS, 'Mörkt på torget "ofta"', "Torget", 2, "hemlig")], ACTOR
    )
    events = dialogue.collect_events()
    stored = app.mapper.to_stored_event(events[1])
    assert stored.topic == TOPIC
    before = app.mapper.transcoder.decode(BEFORE)
    after = app.mapper.transcoder.decode(stored.state)
    assert isinstance(after.pop(SEAL_KEY), str)
    # The erasable values (and their salts) are kept apart, where they can be erased.
    kept = json.loads(stored.personal)
    assert set(kept) == {"summary", "place", "note"}
    after.update({name: value for name, (_, value) in kept.items()})
    after = {name: after[name] for name in before}
    assert list(after) == list(before)
    assert {k: v for k, v in after.items() if k not in ("timestamp", "observation_id")} == {
        k: v for k, v in before.items() if k not in ("timestamp", "observation_id")
    }
    assert dialogue.observations[observation_id].summary == 'Mörkt på torget "ofta"'
    app.recorder.insert_events([app.mapper.to_stored_event(e) for e in events])
    again = app.repository.get(dialogue.id)
    assert again.observations == dialogue.observations
    app.close()
