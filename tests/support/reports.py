"""The reports over HTTP: the API with a running read side, and the scenario year, as fixtures.

The app's lifespan owns the read side (`app.state.projections`) once it is wired in;
until then, and whenever the lifespan has none, these fixtures start one beside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from infra.viewstores import SQLiteViewStore
from projections.readside import Projections
from tests.support.api import Api, api_settings, start_api
from tests.support.scenario import POLICE, Ids, run_scenario
from workflow.clock import FakeClock
from workflow.settings import Settings

#: The day the scenario's world is read on: the Malmö follow-up due 30 June is overdue.
READ_ON = date(2025, 7, 5)


@contextmanager
def reports_api(settings: Settings, clock: FakeClock) -> Iterator[Api]:
    """The API with a read side running in its own thread, as `loften serve` has it."""
    for api in start_api(settings, clock):
        own: Projections | None = None
        if getattr(api.app.state, "projections", None) is None:
            own = Projections(api.loftesboken, SQLiteViewStore(settings.sibling_sqlite("views")))
            own.start()
            api.app.state.projections = own
        try:
            yield api
        finally:
            if own is not None:
                own.close()
                del api.app.state.projections


@dataclass
class World:
    """The scenario driven through the application, read over HTTP."""

    api: Api
    clock: FakeClock
    ids: Ids
    settings: Settings


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    settings = api_settings(tmp_path_factory.mktemp("reports"))
    clock = FakeClock(date(2025, 2, 10))
    with reports_api(settings, clock) as api:
        ids = run_scenario(api.loftesboken, clock)
        clock.set(READ_ON)
        api.loftesboken.mark_overdue(ids.malmo_promise, actor=POLICE)
        yield World(api, clock, ids, settings)


@pytest.fixture
def fresh_api(tmp_path: Path) -> Iterator[Api]:
    """An empty store with the API and its read side, for tests that write."""
    with reports_api(api_settings(tmp_path), FakeClock(date(2025, 2, 10))) as api:
        yield api
