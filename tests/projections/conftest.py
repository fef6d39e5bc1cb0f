"""Fixtures for the read side: live projections over the scenario, caught up after each command.

Like every test that uses `settings`, these run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest

from infra.bootstrap import open_application, open_read_side
from projections.readside import Projections
from tests.support.pg_cluster import DatabaseFactory, with_database
from tests.support.scenario import Ids, run_scenario
from tests.support.views import other_views_store
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings


@pytest.fixture
def fresh(app: Loftesboken, settings: Settings, tmp_path) -> Iterator[Projections]:
    """Empty views in a second database, rebuilt in batches of 20 (several, not one): what the
    rebuild tests rebuild into (`test_rebuild_jobs` has its own)."""
    store = other_views_store(settings, tmp_path)
    read_side = Projections(app, store, batch_size=5, rebuild_batch_size=20)
    yield read_side
    read_side.close()


@pytest.fixture
def projections(app: Loftesboken, settings: Settings) -> Iterator[Projections]:
    read_side = open_read_side(app, settings, batch_size=7)
    yield read_side
    read_side.close()


@pytest.fixture
def ids(app: Loftesboken, clock: FakeClock, projections: Projections) -> Ids:
    """The scenario, projected once at the end."""
    scenario = run_scenario(app, clock)
    projections.catch_up()
    return scenario


@pytest.fixture
def live_ids(app: Loftesboken, clock: FakeClock, projections: Projections) -> Ids:
    """The scenario, projected live: caught up after every command."""
    return run_scenario(app, clock, after_each=projections.catch_up)


@dataclass
class World:
    """The scenario, built once for a module of tests that only read."""

    app: Loftesboken
    clock: FakeClock
    projections: Projections
    ids: Ids


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    database: str | None = None
    databases: DatabaseFactory | None = None
    if request.param == "postgres":
        databases = request.getfixturevalue("postgres_databases")
        database = databases.acquire()
        settings = Settings(database_url=with_database(databases.admin_url, database))
    else:
        folder = tmp_path_factory.mktemp("world")
        settings = Settings(database_url=f"sqlite:///{folder / 'loften.sqlite3'}")
    clock = FakeClock(date(2025, 2, 10))
    app = open_application(settings, clock)
    read_side = open_read_side(app, settings, batch_size=7)
    ids = run_scenario(app, clock, after_each=read_side.catch_up)
    yield World(app, clock, read_side, ids)
    read_side.close()
    app.close()
    if databases is not None and database is not None:
        databases.release(database)
