"""Typed events: every stored event reads back as its named class, with the same topic and bytes.

`data/stored_before_typed_events.jsonl` is the scenario year's store (every kind of
event) as the code wrote it before the events were declared as classes, when
`@event("Name", topic=...)` made them. Each record must decode to the class its
topic names and encode back to the very same bytes, the aggregates must load, and the
events recorded today must be stored in the same form: the same keys in the same order,
each value encoded the same way (plus, since audit chain v2, the seal each new event
carries last, `_seal_`, and less its erasable values, which are kept apart).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import resolve_topic

from domain.events import RECORDED_EVENTS, topic_of
from domain.personal_data import erasable_fields
from domain.promise import Promise
from infra.bootstrap import open_application
from projections.chain import SEAL_KEY
from tests.support.scenario import run_scenario
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings

#: The correction events came after the fixture was written (tests/domain/test_corrections.py).
CORRECTIONS = {
    "loften:Dialogue.DialogueCorrected",
    "loften:Dialogue.ObservationCorrected",
    "loften:Dialogue.ObservationRetracted",
    "loften:Issue.IssueCorrected",
    "loften:Promise.PromiseAmended",
    "loften:Promise.FollowUpCorrected",
    "loften:Promise.FeedbackCorrected",
}
#: Declared with erasure of personal data, after the fixture too.
ERASURE = {"loften:Dialogue.PersonalDataErased"}
#: Reminder addresses came later still (tests/domain/test_reminders.py).
REMINDERS = {
    "loften:ReminderRecipients.RecipientsSet",
    "loften:ReminderRecipients.RecipientsChanged",
    "loften:ReminderRecipients.ReminderRecorded",
}
BEFORE = Path(__file__).with_name("data") / "stored_before_typed_events.jsonl"


def stored_before() -> list[StoredEvent]:
    return [
        StoredEvent(
            originator_id=UUID(row["originator_id"]),
            originator_version=row["originator_version"],
            topic=row["topic"],
            state=row["state"].encode("utf-8"),
        )
        for row in map(json.loads, BEFORE.read_text(encoding="utf-8").splitlines())
    ]


Shape = dict[str, tuple[tuple[str, ...], tuple[frozenset[str], ...]]]


def shapes(events: list[StoredEvent]) -> Shape:
    """Per topic: the state's keys in stored order and, per key, the encoded kinds of value.

    Values (ids, timestamps, texts) differ between runs; keys, their order and how
    each value is encoded (`uuid_hex`, `date_iso`, `enum:Theme`, ...) are the bytes'
    form, and must not change.
    """
    found: dict[str, tuple[tuple[str, ...], list[set[str]]]] = {}
    for event in events:
        state = json.loads(event.state)
        keys = tuple(state)
        kinds = [_kind(value) for value in state.values()]
        seen = found.setdefault(event.topic, (keys, [set() for _ in keys]))
        assert seen[0] == keys, f"{event.topic} stored with keys {keys}, earlier {seen[0]}"
        for known, kind in zip(seen[1], kinds, strict=True):
            known.add(kind)
    return {
        topic: (keys, tuple(frozenset(k - {"null"}) for k in kinds))
        for topic, (keys, kinds) in found.items()
    }


def _kind(value: object) -> str:
    if isinstance(value, dict) and "_type_" in value:
        return str(value["_type_"])
    return "null" if value is None else type(value).__name__


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Loftesboken:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'loften.sqlite3'}")
    return open_application(settings, FakeClock(date(2025, 7, 5)))


def test_every_recorded_event_is_a_named_class_with_its_old_topic() -> None:
    topics = [topic_of(cls) for cls in RECORDED_EVENTS]
    assert len(set(topics)) == len(topics) == 17 + len(CORRECTIONS) + len(ERASURE) + len(REMINDERS)
    for cls in RECORDED_EVENTS:
        _, name = topic_of(cls).removeprefix("loften:").split(".")
        assert cls.__name__ == name
        assert resolve_topic(topic_of(cls)) is cls
    older = set(topics) - CORRECTIONS - ERASURE - REMINDERS
    assert {e.topic for e in stored_before()} == older, "every older kind"


def test_events_stored_before_decode_to_their_class_and_encode_to_the_same_bytes(
    sqlite_app: Loftesboken,
) -> None:
    # The library's own mapper: the sealing one would add a seal to an event that has none.
    mapper = Mapper(transcoder=sqlite_app.mapper.transcoder)
    for stored in stored_before():
        event = mapper.to_domain_event(stored)
        assert type(event) is resolve_topic(stored.topic)
        assert type(event) in RECORDED_EVENTS
        again = mapper.to_stored_event(event)
        assert (again.topic, again.state) == (stored.topic, stored.state)
        assert (again.originator_id, again.originator_version) == (
            stored.originator_id,
            stored.originator_version,
        )


def test_a_store_written_before_loads_every_aggregate(sqlite_app: Loftesboken) -> None:
    events = stored_before()
    sqlite_app.recorder.insert_events(events)
    versions: dict[UUID, int] = {}
    for stored in events:
        versions[stored.originator_id] = stored.originator_version
    for aggregate_id, version in versions.items():
        assert sqlite_app.repository.get(aggregate_id).version == version
    promises = [
        sqlite_app.repository.get(i)
        for i, v in versions.items()
        if isinstance(sqlite_app.repository.get(i), Promise)
    ]
    assert {p.status.value for p in promises} >= {"issued", "concluded", "withdrawn", "draft"}


def test_the_same_year_recorded_now_is_stored_in_the_same_form_as_before(tmp_path: Path) -> None:
    clock = FakeClock(date(2025, 2, 10))
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'now.sqlite3'}")
    app = open_application(settings, clock)
    run_scenario(app, clock)
    now = []
    for n in app.recorder.select_notifications(start=1, limit=10_000):
        state = json.loads(n.state)
        assert list(state)[-1] == SEAL_KEY and isinstance(state.pop(SEAL_KEY), str)
        kept = json.loads(n.personal) if getattr(n, "personal", None) else {}
        assert set(kept) <= erasable(n.topic)  # erasable values are kept apart, nothing else
        state = {k: v for k, v in state.items() if k not in erasable(n.topic)}
        now.append(StoredEvent(n.originator_id, n.originator_version, n.topic, json.dumps(state)))
    app.close()
    before = []
    for e in stored_before():
        state = {k: v for k, v in json.loads(e.state).items() if k not in erasable(e.topic)}
        before.append(
            StoredEvent(e.originator_id, e.originator_version, e.topic, json.dumps(state))
        )
    assert shapes(now) == shapes(before)


def erasable(topic: str) -> frozenset[str]:
    """The fields an event of this topic keeps apart, where they can be erased."""
    return erasable_fields(topic.rsplit(".", 1)[-1])
