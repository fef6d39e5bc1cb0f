"""Shared fixtures: an application on a temporary store, SQLite and PostgreSQL, and a clock.

Every test that uses `settings` (or `app`) runs twice, once per store; the PostgreSQL
half gets a fresh database per test from `tests.postgres_plugin`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from domain.values import Actor, Role
from infra.bootstrap import open_application
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings

pytest_plugins = ["tests.postgres_plugin"]

POLICE = Actor(label="Kommunpolis Malmö", role=Role.POLICE)
MUNICIPALITY = Actor(label="Trygghetssamordnare Malmö", role=Role.MUNICIPALITY)


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if request.param == "postgres":
        return Settings(database_url=request.getfixturevalue("postgres_url"))
    return Settings(database_url=f"sqlite:///{tmp_path / 'loften.sqlite3'}")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(date(2025, 2, 10))


@pytest.fixture
def app(settings: Settings, clock: FakeClock) -> Iterator[Loftesboken]:
    application = open_application(settings, clock)
    yield application
    application.close()
