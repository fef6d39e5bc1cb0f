"""A rebuild reads stored events, not decoded ones (#18): which it decodes, and what it
does with a stored state its fast paths do not know.

`test_rebuild.py` checks that the rebuilt views equal the live ones row for row; these
check that the rebuild really took the stored path (so that those tests cover it) and
that an event it cannot take from its stored JSON is decoded instead, with the same
rows. Both stores, as every test that uses `settings`.
"""

from __future__ import annotations

import gc
from collections import Counter

import orjson
import pytest

from domain.values import ObservationInput, Theme
from projections.feed import PollingFeed
from projections.readside import Projections
from tests.projections.test_rebuild import Interrupted, amend, fail_on_third_batch
from tests.support.builders import MUNICIPALITY
from tests.support.scenario import run_scenario
from tests.support.views import StoredEvents, dump_views
from workflow.application import Loftesboken
from workflow.clock import FakeClock

OBSERVATION = "loften:Dialogue.ObservationRecorded"
#: A decoded event: its topic, aggregate and version.
Decoded = tuple[str, str, int]


def topics(decoded: Counter[Decoded]) -> Counter[str]:
    return Counter(topic for (topic, _, _), times in decoded.items() for _ in range(times))


@pytest.fixture
def live(app: Loftesboken, clock: FakeClock, projections: Projections) -> dict[str, list]:
    """The scenario and its amendments, projected live; the views' rows.

    Then two runs of observations of a dialogue nothing corrects later (25, across pages
    of 20, then 4), so that its counts and version rest on a rebuild's added-up counts.
    """
    ids = run_scenario(app, clock, after_each=projections.catch_up)
    amend(app, ids, projections.catch_up)
    for run, count in enumerate((25, 4)):
        app.record_observations(
            ids.walk,
            [ObservationInput(theme=Theme.DRUGS, summary=f"Run {run}", count=n % 3 + 1)
             for n in range(count)],
            actor=MUNICIPALITY,
        )  # fmt: skip
        projections.catch_up()
    return dump_views(projections)


@pytest.fixture
def decoded(app: Loftesboken, monkeypatch: pytest.MonkeyPatch) -> Counter[Decoded]:
    """How often the application's mapper decodes each event from now on."""
    seen: Counter[Decoded] = Counter()
    to_domain_event = app.mapper.to_domain_event

    def counting(stored):  # type: ignore[no-untyped-def]
        seen[stored.topic, str(stored.originator_id), stored.originator_version] += 1
        return to_domain_event(stored)

    monkeypatch.setattr(app.mapper, "to_domain_event", counting)
    return seen


def test_a_rebuild_decodes_no_observation_and_nothing_for_the_chains(
    app: Loftesboken, live: dict[str, list], fresh: Projections, decoded: Counter[Decoded]
):
    head = app.recorder.max_notification_id()
    assert fresh.rebuild() == head
    assert dump_views(fresh) == live
    assert live["observations"]
    # The catalogue took every observation straight from its stored state, and the audit
    # chain every event: only the events a view handles as decoded events were decoded,
    # each once for all the views.
    assert OBSERVATION not in topics(decoded)
    assert set(decoded.values()) == {1}
    assert 0 < sum(decoded.values()) < head


def test_a_stored_state_the_fast_paths_do_not_know_is_decoded_with_the_same_rows(
    app: Loftesboken, live: dict[str, list], fresh: Projections, decoded: Counter[Decoded]
):
    # A stored class version (what an upcast event carries) is left to the library's
    # decoding, which upcasts; version 1 changes nothing, so the rows must not change.
    store = StoredEvents(app)
    observations = [
        tracking.notification_id
        for event, tracking in PollingFeed(app).read(0, 100_000)
        if type(event).__name__ == "ObservationRecorded"
    ]
    for position in observations:
        state = orjson.loads(store.state(position))
        store.replace_state(position, orjson.dumps({**state, "class_version": 1}))
    decoded.clear()

    assert fresh.rebuild() == app.recorder.max_notification_id()
    assert dump_views(fresh) == live
    # decoded for the catalogue, and for the chains by the stored reader's own fallback
    assert topics(decoded)[OBSERVATION] == 2 * len(observations)


def test_the_collector_runs_again_after_a_rebuild_even_one_that_failed(
    live: dict[str, list], fresh: Projections
):
    assert gc.isenabled()
    fresh.rebuild()
    assert gc.isenabled()
    fail_on_third_batch(fresh.catalogue)
    with pytest.raises(Interrupted):
        fresh.rebuild()
    assert gc.isenabled()
