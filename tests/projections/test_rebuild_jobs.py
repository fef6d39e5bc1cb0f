"""A rebuild shared with worker processes (#18): the audit view rebuilt apart, by a
spawned process of its own, gives the views fed live row for row; an error on either
side stops the rebuild with every view consistent with its recorded position.

Both stores, as every test that uses `settings`. The workers are real spawned
processes that open the store and the views' database again (`ReadSideOpener`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

import pytest

from projections.dialect import ViewCursor
from projections.framework import Item, TrackedView
from projections.readside import Projections
from projections.stored_page import StoredPage
from tests.projections.test_rebuild import (
    Interrupted,
    amend,
    assert_each_view_as_fed_to_its_position,
    fail_on_third_batch,
    rows_of,
)
from tests.support.scenario import run_scenario
from tests.support.views import dump_views, other_views_opener, other_views_store
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings


class WorkerInterrupted(RuntimeError):
    """The error `FailingApart` raises in its worker."""


class FailingApart(TrackedView):
    """A view rebuilt apart (in a worker) that keeps every position and fails on its
    second page."""

    view_name: ClassVar[str] = "failing_apart"
    tables: ClassVar[tuple[str, ...]] = ("failing_apart_rows",)
    ddl: ClassVar[tuple[str, ...]] = (
        "CREATE TABLE IF NOT EXISTS failing_apart_rows (position BIGINT PRIMARY KEY)",
    )
    takes_every_event: ClassVar[bool] = True
    rebuilt_apart: ClassVar[bool] = True
    pages = 0

    def apply_batch(self, cursor: ViewCursor, items: Sequence[Item]) -> None:
        cursor.executemany(
            "INSERT INTO failing_apart_rows VALUES (?)",
            [(tracking.notification_id,) for _, tracking in items],
        )

    def apply_page(self, cursor: ViewCursor, page: StoredPage, start: int) -> None:
        self.pages += 1
        super().apply_page(cursor, page, start)
        if self.pages >= 2:
            raise WorkerInterrupted("the worker's disk is full")


@pytest.fixture
def live(app: Loftesboken, clock: FakeClock, projections: Projections) -> dict[str, list[Any]]:
    """The scenario and its amendments, projected live; the views' rows."""
    ids = run_scenario(app, clock, after_each=projections.catch_up)
    amend(app, ids, projections.catch_up)
    return dump_views(projections)


def shared(app: Loftesboken, settings: Settings, folder, name: str, **options: Any) -> Projections:
    """Empty views in another database, rebuilt in pages of 20 with workers for any log."""
    read_side = Projections(
        app,
        other_views_store(settings, folder, name),
        batch_size=5,
        rebuild_batch_size=20,
        rebuild_opener=other_views_opener(settings, folder, name),
        **options,
    )
    read_side.worker_min_events = 0
    return read_side


@pytest.fixture
def fresh(app: Loftesboken, settings: Settings, tmp_path) -> Iterator[Projections]:
    read_side = shared(app, settings, tmp_path, "jobs")
    yield read_side
    read_side.close()


def test_a_rebuild_with_the_audit_view_apart_equals_the_views_fed_live(
    app: Loftesboken, live: dict[str, list[Any]], fresh: Projections, monkeypatch
):
    here: list[int] = []
    process_page = fresh.audit.process_page
    monkeypatch.setattr(
        fresh.audit, "process_page", lambda page, after=None: here.append(len(page))
        or process_page(page, after)
    )  # fmt: skip
    head = app.recorder.max_notification_id()

    assert fresh.rebuild(jobs=2) == head
    assert dump_views(fresh) == live
    assert set(fresh.positions().values()) == {head}
    assert here == []  # the chains were worked out by the worker, not in this process

    assert fresh.rebuild(jobs=1) == head  # and the same in one process
    assert dump_views(fresh) == live
    assert here  # which did feed it here


def test_an_error_in_a_worker_stops_the_rebuild_its_view_consistent_with_its_position(
    app: Loftesboken, settings: Settings, live: dict[str, list[Any]], tmp_path
):
    read_side = shared(app, settings, tmp_path, "failing", extra_views=[FailingApart])
    try:
        with pytest.raises(WorkerInterrupted):
            read_side.rebuild(jobs=3)  # the audit view and FailingApart apart
        positions = read_side.positions()
        head = app.recorder.max_notification_id()
        assert positions["failing_apart"] == read_side.rebuild_batch_size  # its 2nd rolled back
        kept = rows_of(read_side, read_side.view(FailingApart))["failing_apart_rows"]
        assert sorted(kept) == [(n,) for n in range(1, read_side.rebuild_batch_size + 1)]
        assert positions["catalogue"] == positions["pages"] == positions["audit"] == head
        assert read_side.catch_up() == head  # the next catch-up completes it
        assert {k: v for k, v in dump_views(read_side).items() if k in live} == live
    finally:
        read_side.close()


def test_an_error_here_stops_the_workers_their_views_consistent_with_their_positions(
    app: Loftesboken, settings: Settings, fresh: Projections, live: dict[str, list[Any]], tmp_path
):
    fail_on_third_batch(fresh.catalogue)
    with pytest.raises(Interrupted):
        fresh.rebuild(jobs=2)

    positions = fresh.positions()
    assert positions["catalogue"] == 2 * fresh.rebuild_batch_size
    # The audit view, stopped by its worker after a page, holds exactly the rows a view
    # fed up to its recorded position holds; so does every other.
    assert_each_view_as_fed_to_its_position(app, fresh, settings, tmp_path)
    del fresh.catalogue.apply_page
    assert fresh.catch_up() == app.recorder.max_notification_id()
    assert dump_views(fresh) == live
