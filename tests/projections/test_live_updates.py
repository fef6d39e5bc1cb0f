"""Views follow changes made after the scenario: overdue marks, late evidence."""

from __future__ import annotations

from datetime import date

from domain.values import SYSTEM_ACTOR
from projections.lists import list_deadlines, municipality_summary
from tests.support.scenario import MALMO, ORUST, STENUNGSUND, TJORN


def test_summary_counts_overdue_follow_ups(ids, projections, app, clock):
    clock.set(date(2025, 7, 3))
    app.mark_overdue(ids.fyrbodal_promise, actor=SYSTEM_ACTOR)
    projections.catch_up()
    for code in (STENUNGSUND, ORUST, TJORN):
        summary = municipality_summary(projections.catalogue, code)
        assert summary.overdue_follow_ups == 1
        assert summary.next_deadline == date(2025, 12, 31)
    assert municipality_summary(projections.catalogue, MALMO).overdue_follow_ups == 0


def test_follow_ups_in_the_view_match_the_promises_themselves(ids, projections, app, clock):
    clock.set(date(2025, 7, 3))
    app.mark_overdue(ids.fyrbodal_promise, actor=SYSTEM_ACTOR)
    app.mark_overdue(ids.malmo_promise, actor=SYSTEM_ACTOR)
    projections.catch_up()
    rows = {row.follow_up_id: row for row in list_deadlines(projections.catalogue, limit=500).items}
    for promise_id in (ids.malmo_promise, ids.fyrbodal_promise, ids.old_promise):
        for follow_up in app.get_promise(promise_id).follow_ups.values():
            row = rows.pop(follow_up.id)
            assert (row.due_on, row.status, row.late, row.final, row.held_on) == (
                follow_up.due_on,
                follow_up.status,
                follow_up.late,
                follow_up.final,
                follow_up.held_on,
            )
    assert rows == {}
