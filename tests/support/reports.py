"""The reports over HTTP: the API with a running read side, and the scenario year, as fixtures.

The app's lifespan opens and runs the read side (`app.state.projections`), as
`loften serve` does, so the reports read the views the API itself keeps. Both fixtures
run on each store, SQLite and PostgreSQL (the second marked `postgres`), so every
report, page, open-data file and CLI report command is checked on both.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.support.api import Api, api_settings, start_api
from tests.support.postgres_plugin import STORES, store_url
from tests.support.scenario import POLICE, Ids, run_scenario
from workflow.clock import FakeClock
from workflow.settings import Settings

#: The day the scenario's world is read on: the Malmö follow-up due 30 June is overdue.
READ_ON = date(2025, 7, 5)


@contextmanager
def reports_api(settings: Settings, clock: FakeClock) -> Iterator[Api]:
    """The API with its read side running in its own thread, as `loften serve` has it."""
    yield from start_api(settings, clock)


@dataclass
class World:
    """The scenario driven through the application, read over HTTP."""

    api: Api
    clock: FakeClock
    ids: Ids
    settings: Settings


@pytest.fixture(scope="module", params=STORES)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The scenario year on one store, for a module of tests that only read."""
    clock = FakeClock(date(2025, 2, 10))
    with store_url(request, lambda: tmp_path_factory.mktemp("reports")) as url:
        settings = api_settings(url)
        with reports_api(settings, clock) as api:
            ids = run_scenario(api.loftesboken, clock)
            clock.set(READ_ON)
            api.loftesboken.mark_overdue(ids.malmo_promise, actor=POLICE)
            yield World(api, clock, ids, settings)


@pytest.fixture(params=STORES)
def fresh_api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """An empty store (of each kind) with the API and its read side, for tests that write."""
    with (
        store_url(request, lambda: tmp_path) as url,
        reports_api(api_settings(url), FakeClock(date(2025, 2, 10))) as api,
    ):
        yield api
