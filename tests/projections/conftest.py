"""Fixtures for the read side: live projections over the scenario, caught up after each command."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from projections.readside import Projections
from tests.projections.scenario import Ids, run_scenario
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings


@pytest.fixture
def projections(app: Loftesboken, settings: Settings) -> Iterator[Projections]:
    read_side = Projections(app, settings.sibling_sqlite("views"), batch_size=7)
    yield read_side
    read_side.close()


@pytest.fixture
def ids(app: Loftesboken, clock: FakeClock, projections: Projections) -> Ids:
    return run_scenario(app, clock, after_each=projections.catch_up)
