"""The projection framework: exactly-once batches, rebuilds equal to live views, the runner."""

from __future__ import annotations

import pytest

from domain.values import DialogueKind
from infra.bootstrap import open_read_side
from projections.catalogue import CatalogueView
from projections.feed import PollingFeed
from projections.readside import Projections
from tests.support.scenario import MALMO, POLICE
from tests.support.views import damage_views, dump_views, other_views_store
from workflow.application import Loftesboken
from workflow.settings import Settings


def test_rebuilding_from_scratch_gives_the_views_built_live(
    live_ids, projections, app, settings, tmp_path
):
    live = dump_views(projections)
    assert live["dialogues"] and live["audit_entries"] and live["follow_ups"]

    fresh = Projections(app, other_views_store(settings, tmp_path), batch_size=1000)
    try:
        assert fresh.catch_up() == app.recorder.max_notification_id()
        assert dump_views(fresh) == live
    finally:
        fresh.close()

    damage_views(projections)  # so that a rebuild that did nothing could not pass
    reached: list[tuple[int, int]] = []
    assert projections.rebuild(lambda position, head: reached.append((position, head)))
    assert dump_views(projections) == live
    assert reached[-1][0] == reached[-1][1] == app.recorder.max_notification_id()


def test_feeding_the_same_notifications_twice_adds_nothing(live_ids, projections, app):
    before = dump_views(projections)
    feed = PollingFeed(app)
    everything = feed.read(0, 10_000)
    # A crash between processing and the next poll: the feeder starts again too early.
    for view in projections.views:
        assert view.process_batch(everything) == 0
        assert view.process_batch(everything[10:20]) == 0
    assert dump_views(projections) == before


def test_a_batch_overlapping_the_position_applies_only_the_new_events(app, settings):
    read_side = open_read_side(app, settings)
    try:
        feed = PollingFeed(app)
        for title in ("Första", "Andra", "Tredje"):
            app.hold_dialogue(
                municipality=MALMO,
                kind=DialogueKind.OTHER,
                held_on=app.today,
                title=title,
                actor=POLICE,
            )
        catalogue = read_side.catalogue
        assert catalogue.process_batch(feed.read(0, 2)) == 2
        assert catalogue.process_batch(feed.read(0, 3)) == 1  # events 1 and 2 are skipped
        assert catalogue.position(app.name) == 3
        rows = dump_views(read_side)["dialogues"]
        assert sorted(row[6] for row in rows) == ["Andra", "Första", "Tredje"]
    finally:
        read_side.close()


def test_a_real_conflict_in_a_views_rows_is_not_mistaken_for_a_replay(app, settings):
    read_side = open_read_side(app, settings)
    try:
        app.hold_dialogue(
            municipality=MALMO, kind=DialogueKind.OTHER, held_on=app.today, title="X", actor=POLICE
        )
        items = PollingFeed(app).read(0, 10)
        catalogue = read_side.catalogue
        catalogue.process_batch(items)
        catalogue.reset()
        # Same event again under a later position: the view's own primary key objects.
        event, tracking = items[0]
        later = type(tracking)(tracking.application_name, tracking.notification_id + 1)
        catalogue.process_batch([(event, tracking)])
        with pytest.raises(Exception, match=r"(?i)unique"):
            catalogue.process_batch([(event, later)])
        assert catalogue.position(app.name) == 1
    finally:
        read_side.close()


def test_the_background_runner_keeps_up_and_stops_cleanly(app: Loftesboken, settings: Settings):
    read_side = open_read_side(app, settings, idle_seconds=30)
    read_side.start()
    try:
        assert read_side.is_running
        for n in range(5):
            app.hold_dialogue(
                municipality=MALMO,
                kind=DialogueKind.OTHER,
                held_on=app.today,
                title=f"Möte {n}",
                actor=POLICE,
            )
            # The idle poll is 30 s: only the wake-up can make this pass quickly.
            assert read_side.read_your_writes(timeout=10)
            assert read_side.position == app.recorder.max_notification_id()
    finally:
        read_side.stop()
    assert not read_side.is_running
    read_side.close()


def test_waiting_without_a_running_loop_feeds_in_the_callers_thread(app, settings):
    read_side = open_read_side(app, settings)
    try:
        app.hold_dialogue(
            municipality=MALMO, kind=DialogueKind.OTHER, held_on=app.today, title="X", actor=POLICE
        )
        assert read_side.position == 0
        assert read_side.wait_until(read_side.head(), timeout=0)
        assert read_side.positions() == {"catalogue": 1, "audit": 1, "pages": 1}
    finally:
        read_side.close()


def test_each_view_tracks_its_position_in_its_own_table(app, settings):
    read_side = open_read_side(app, settings)
    try:
        app.hold_dialogue(
            municipality=MALMO, kind=DialogueKind.OTHER, held_on=app.today, title="X", actor=POLICE
        )
        read_side.catalogue.process_batch(PollingFeed(app).read(0, 10))
        assert read_side.positions() == {"catalogue": 1, "audit": 0, "pages": 0}
        assert read_side.view(CatalogueView).tracking_table == "catalogue_tracking"
        read_side.catch_up()
        assert read_side.positions() == {"catalogue": 1, "audit": 1, "pages": 1}
    finally:
        read_side.close()


def test_a_view_fed_one_event_at_a_time_and_again_applies_each_once(app, settings):
    read_side = open_read_side(app, settings)
    try:
        for title in ("Ett", "Två"):
            app.hold_dialogue(
                municipality=MALMO,
                kind=DialogueKind.OTHER,
                held_on=app.today,
                title=title,
                actor=POLICE,
            )
        items = PollingFeed(app).read(0, 10)
        for item in [*items, *items]:  # the second round is a replay
            read_side.catalogue.process_batch([item])
        assert len(dump_views(read_side)["dialogues"]) == 2
        assert read_side.catalogue.position(app.name) == 2
    finally:
        read_side.close()
