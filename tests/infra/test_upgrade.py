"""`loften upgrade`: a store recorded before chain v2 gets its salts and digests once, and verifies.

The "before" store is written exactly as main wrote it until chain v2: the library's
own mapper, no seal in any event (the same bytes; checked by hand on a store that
`python -m bench.generate` wrote on main, see docs/benchmarks.md).
"""

from __future__ import annotations

import pytest
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic

from infra.bootstrap import open_application, open_read_side
from infra.codec import OrjsonTranscoder
from infra.upgrade import seal_store
from projections.audit import audit_page
from projections.chain import SEAL_KEY, UnsealedEvent, draw_seal
from projections.verification import verify_municipalities
from tests.support.scenario import MALMO, SECRET_NOTE, run_scenario
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings

BEFORE_V2 = {"MAPPER_TOPIC": "eventsourcing.persistence:Mapper"}


def write_before_v2(settings: Settings, clock: FakeClock) -> None:
    legacy = Loftesboken(settings, clock, BEFORE_V2, transcoder=OrjsonTranscoder)
    try:
        run_scenario(legacy, clock)
    finally:
        legacy.close()


def test_a_store_written_before_v2_is_sealed_once_and_then_verifies(settings, clock):
    write_before_v2(settings, clock)
    app = open_application(settings, clock)
    read_side = open_read_side(app, settings)
    try:
        first = app.recorder.select_notifications(start=1, limit=1)[0]
        assert getattr(app.mapper.to_domain_event(first), SEAL_KEY, None) is None
        with pytest.raises(UnsealedEvent, match="loften upgrade"):
            read_side.catch_up()

        events = app.recorder.max_notification_id()
        before = [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 500)]
        assert seal_store(app) == events
        assert seal_store(app) == 0  # once only
        after = [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 500)]
        strip = [{k: v for k, v in vars(e).items() if k != SEAL_KEY} for e in after]
        assert strip == [vars(e) for e in before]  # every event says what it said

        read_side.rebuild()
        results = verify_municipalities(app, read_side.audit)
        assert results and all(r.ok for r in results.values())
        entries = audit_page(read_side.audit, app, MALMO, sees_all=True, limit=500).items
        assert all(field["salt"] for e in entries for field in e.fields.values())
        assert any(e.fields.get("note", {}).get("value") == SECRET_NOTE for e in entries)
        # New events after the upgrade join the same chains.
        run_scenario(app, clock)
        read_side.catch_up()
        assert all(r.ok for r in verify_municipalities(app, read_side.audit).values())
    finally:
        read_side.close()
        app.close()


def test_the_stored_fixture_of_an_earlier_main_is_sealed_and_verifies(tmp_path, clock):
    """`tests/domain/data/stored_before_typed_events.jsonl`: the bytes an earlier main wrote."""
    from tests.domain.test_event_classes import stored_before

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'before.sqlite3'}")
    app = open_application(settings, clock)
    read_side = open_read_side(app, settings)
    try:
        events = stored_before()
        app.recorder.insert_events(events)
        assert seal_store(app) == len(events)
        read_side.rebuild()
        results = verify_municipalities(app, read_side.audit)
        assert len(results) >= 4 and all(r.ok for r in results.values())
    finally:
        read_side.close()
        app.close()


class InlineSealMapper(Mapper):
    """Writes what main wrote between chain v2 and the forgettable payload: every value in
    the state, and the erasable values' salts inline in the seal (`name=salt:digest`)."""

    def to_stored_event(self, domain_event):
        state = dict(vars(domain_event))
        originator_id, version = state.pop("originator_id"), state.pop("originator_version")
        seal = draw_seal(domain_event)
        inline = [f"{n}={s}:{d}" for n, (s, d) in seal.erasable.items()]
        state[SEAL_KEY] = " ".join([seal.seed, *inline])
        return StoredEvent(
            originator_id, version, get_topic(type(domain_event)), self.transcoder.encode(state)
        )


def test_values_sealed_inline_are_moved_where_they_can_be_erased(settings, clock):
    inline = Loftesboken(
        settings,
        clock,
        {"MAPPER_TOPIC": "tests.infra.test_upgrade:InlineSealMapper"},
        transcoder=OrjsonTranscoder,
    )
    try:
        run_scenario(inline, clock)
    finally:
        inline.close()
    app = open_application(settings, clock)
    read_side = open_read_side(app, settings)
    try:
        notifications = app.recorder.select_notifications(start=1, limit=1000)
        holding = [n for n in notifications if SECRET_NOTE.encode() in n.state]
        assert holding  # the note is in the event's state itself
        moved = seal_store(app)
        assert 0 < moved < len(notifications)  # only events with erasable values
        after = app.recorder.select_notifications(start=1, limit=1000)
        assert not [n for n in after if SECRET_NOTE.encode() in n.state]
        read_side.rebuild()
        assert all(r.ok for r in verify_municipalities(app, read_side.audit).values())
        entries = audit_page(read_side.audit, app, MALMO, sees_all=True, limit=500).items
        assert any(e.fields.get("note", {}).get("value") == SECRET_NOTE for e in entries)
    finally:
        read_side.close()
        app.close()
