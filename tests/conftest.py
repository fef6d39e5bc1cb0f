"""Shared fixtures: an application on a temporary store, SQLite and PostgreSQL, and a clock.

Every test that uses `settings` (or `app`) runs twice, once per store; the PostgreSQL
half gets a fresh database per test from `tests.support.postgres_plugin`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from infra.bootstrap import open_application
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings

pytest_plugins = ["tests.support.postgres_plugin"]


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
