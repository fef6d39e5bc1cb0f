"""Views follow changes made after the scenario: overdue marks, late evidence."""

from __future__ import annotations

from datetime import date

from domain.values import SYSTEM_ACTOR
from projections.lists import municipality_summary
from tests.projections.scenario import MALMO, ORUST, STENUNGSUND, TJORN


def test_summary_counts_overdue_follow_ups(ids, projections, app, clock):
    clock.set(date(2025, 7, 3))
    app.mark_overdue(ids.fyrbodal_promise, actor=SYSTEM_ACTOR)
    projections.catch_up()
    for code in (STENUNGSUND, ORUST, TJORN):
        summary = municipality_summary(projections.catalogue, code)
        assert summary.overdue_follow_ups == 1
        assert summary.next_deadline == date(2025, 12, 31)
    assert municipality_summary(projections.catalogue, MALMO).overdue_follow_ups == 0
