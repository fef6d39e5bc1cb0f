"""The rebuild (#18): large batches give the views built live, row for row, and a
rebuild stopped by an error leaves each view at a position it is consistent with.

Like every test that uses `settings`, these run on SQLite and on PostgreSQL. The
history is the scenario's year plus corrections, a retraction and an erasure, so that
handlers which read rows back (a corrected count, a retracted observation, an erased
value) meet them inside one large batch, not one small batch after another.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.values import Theme
from projections.feed import PollingFeed
from projections.framework import Item, TrackedView
from projections.readside import Projections
from tests.support.builders import POLICE
from tests.support.scenario import Ids, run_scenario
from tests.support.views import damage_views, dump_views, other_views_store
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings

pytestmark = pytest.mark.usefixtures("history")


def amend(app: Loftesboken, ids: Ids, after_each: Callable[[], object]) -> None:
    """Corrections of a dialogue, an observation and an issue, a retraction, an erasure."""
    first, second, third = ids.observations
    app.correct_dialogue(
        ids.citizen_dialogue,
        changes={"title": "Medborgardialog Möllevångstorget", "participants": 85},
        reason="Fel namn och antal.",
        actor=POLICE,
    )
    after_each()
    app.correct_observation(
        ids.citizen_dialogue,
        second,
        changes={"count": 25, "theme": Theme.PUBLIC_ENVIRONMENT, "summary": "Mörka tunnlar"},
        reason="Fel antal.",
        actor=POLICE,
    )
    after_each()
    app.retract_observation(ids.citizen_dialogue, third, reason="Dubblett.", actor=POLICE)
    after_each()
    app.correct_issue(
        ids.dark_places_issue,
        changes={"title": "Otrygga gångtunnlar vid skolan"},
        reason="Tydligare.",
        actor=POLICE,
    )
    after_each()
    app.erase_personal_data(
        ids.citizen_dialogue,
        [(None, "place"), (first, "summary"), (second, "summary")],
        reason="Begäran om radering.",
        actor=POLICE,
    )
    after_each()


@pytest.fixture
def history(app: Loftesboken, clock: FakeClock, projections: Projections) -> Ids:
    """The scenario and its amendments, projected live: caught up after every command."""
    ids = run_scenario(app, clock, after_each=projections.catch_up)
    amend(app, ids, projections.catch_up)
    return ids


def test_the_history_holds_what_the_rebuild_must_meet(app: Loftesboken, fresh: Projections):
    kinds = {type(event).__name__ for event, _ in PollingFeed(app).read(0, 100_000)}
    assert {"DialogueCorrected", "ObservationCorrected", "ObservationRetracted"} <= kinds
    assert {"IssueCorrected", "PersonalDataErased"} <= kinds
    assert app.recorder.max_notification_id() > 3 * fresh.rebuild_batch_size


def test_a_rebuild_in_large_batches_equals_the_views_fed_live(
    app: Loftesboken, projections: Projections, fresh: Projections
):
    live = dump_views(projections)
    assert live["observations"] and live["audit_entries"] and live["follow_ups"]
    head = app.recorder.max_notification_id()

    assert fresh.rebuild() == head
    assert dump_views(fresh) == live

    damage_views(projections)  # so that a rebuild that did nothing could not pass
    assert projections.rebuild() == head  # the default: one batch for all of it
    assert dump_views(projections) == live
    assert set(projections.positions().values()) == {head}


class Interrupted(RuntimeError):
    """The error the test makes a view raise mid-rebuild."""


def fail_on_third_batch(view: TrackedView) -> None:
    """Make `view` raise inside its transaction from its third page on (a rebuild's)."""
    apply_page = view.apply_page
    seen: list[int] = []

    def failing(cursor, page, start) -> None:  # type: ignore[no-untyped-def]
        seen.append(len(page) - start)
        apply_page(cursor, page, start)  # its rows are written, then the transaction fails
        if len(seen) >= 3:
            raise Interrupted("the disk is full")

    view.apply_page = failing  # type: ignore[method-assign]


def rows_of(read_side: Projections, view: TrackedView) -> dict[str, list[tuple[object, ...]]]:
    return {table: rows for table, rows in dump_views(read_side).items() if table in view.tables}


def assert_each_view_as_fed_to_its_position(
    app: Loftesboken, read_side: Projections, settings: Settings, tmp_path
) -> None:
    """Each view holds exactly the rows a view fed up to its recorded position holds."""
    positions = read_side.positions()
    items: list[Item] = list(PollingFeed(app).read(0, app.recorder.max_notification_id()))
    reference = Projections(app, other_views_store(settings, tmp_path, "reference"))
    try:
        for view, twin in zip(read_side.views, reference.views, strict=True):
            reached = positions[view.view_name]
            twin.process_batch([item for item in items if item[1].notification_id <= reached])
            assert rows_of(read_side, view) == rows_of(reference, twin), view.view_name
    finally:
        reference.close()


def test_a_rebuild_stopped_by_an_error_leaves_each_view_consistent_with_its_position(
    app: Loftesboken, projections: Projections, fresh: Projections, settings: Settings, tmp_path
):
    live = dump_views(projections)
    head = app.recorder.max_notification_id()
    audit = fresh.audit
    fail_on_third_batch(audit)

    with pytest.raises(Interrupted):
        fresh.rebuild()

    positions = fresh.positions()
    assert positions["audit"] == 2 * fresh.rebuild_batch_size  # its third batch rolled back
    assert positions["catalogue"] == 3 * fresh.rebuild_batch_size  # it took that batch

    assert_each_view_as_fed_to_its_position(app, fresh, settings, tmp_path)

    # The error gone, a catch-up completes every view from where it stopped.
    del audit.apply_page
    assert fresh.catch_up() == head
    assert dump_views(fresh) == live
