"""Views carry the version of their table layout (#20), on both stores.

Each view records `TrackedView.layout()` in `view_layouts`; a read side opened over
views of another layout (an older or newer release built them) says which, refuses
to serve or feed them (`check_layouts`), and a rebuild makes the tables anew with
this release's layout and the same rows as a fresh build.
"""

from __future__ import annotations

import pytest

from infra.bootstrap import open_read_side
from projections.framework import ViewLayoutsOutdated
from projections.readside import CORE_VIEWS, Projections
from tests.support.scenario import Ids
from workflow.application import Loftesboken
from workflow.settings import Settings

OLD_LAYOUT = "0123456789ab"


def _rows(projections: Projections) -> dict[str, list[tuple[object, ...]]]:
    rows = {}
    for view in projections.views:
        with view.datastore.transaction(commit=False) as cursor:
            for table in view.tables:
                cursor.execute(f"SELECT * FROM {table}")
                rows[table] = sorted(tuple(row) for row in cursor.fetchall())
    return rows


def _record_old_layout(projections: Projections, view_name: str) -> None:
    """What a release with another layout of that view would have left recorded."""
    with projections.catalogue.datastore.transaction(commit=True) as cursor:
        cursor.execute(
            "UPDATE view_layouts SET layout = ? WHERE view_name = ?", (OLD_LAYOUT, view_name)
        )


def test_a_fresh_read_side_records_its_layouts_and_finds_them_current(
    app: Loftesboken, settings: Settings, ids: Ids, projections: Projections
) -> None:
    assert {view.view_name: view.recorded_layout() for view in projections.views} == {
        cls.view_name: cls.layout() for cls in CORE_VIEWS
    }
    again = open_read_side(app, settings)
    try:
        assert again.outdated_layouts() == {}
        again.check_layouts()  # does not raise
    finally:
        again.close()


def test_views_of_another_layout_are_named_and_refused_until_rebuilt(
    app: Loftesboken, settings: Settings, ids: Ids, projections: Projections
) -> None:
    fresh_rows = _rows(projections)
    _record_old_layout(projections, "catalogue")
    with projections.catalogue.datastore.transaction(commit=True) as cursor:
        cursor.execute("ALTER TABLE dialogues ADD COLUMN gone_in_this_release TEXT")

    later = open_read_side(app, settings)
    try:
        current = later.catalogue.layout()
        assert later.outdated_layouts() == {"catalogue": (OLD_LAYOUT, current)}
        with pytest.raises(ViewLayoutsOutdated) as refused:
            later.check_layouts()
        assert "catalogue" in str(refused.value) and "run `loften rebuild`" in str(refused.value)

        later.rebuild()
        assert later.outdated_layouts() == {}
        assert later.catalogue.recorded_layout() == current
        with (  # made anew, not only emptied
            pytest.raises(Exception, match="gone_in_this_release"),
            later.catalogue.datastore.transaction(commit=False) as cursor,
        ):
            cursor.execute("SELECT gone_in_this_release FROM dialogues")
        assert _rows(later) == fresh_rows
    finally:
        later.close()


def test_a_view_whose_handlers_changed_meaning_has_another_layout() -> None:
    view = CORE_VIEWS[0]
    revised = type("Revised", (view,), {"revision": view.revision + 1})
    assert revised.layout() != view.layout()
    assert len({cls.layout() for cls in CORE_VIEWS}) == len(CORE_VIEWS)
