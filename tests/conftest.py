"""Shared fixtures: an application on a temporary SQLite store with a clock tests can move."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from domain.values import Actor, Role
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings

POLICE = Actor(label="Kommunpolis Malmö", role=Role.POLICE)
MUNICIPALITY = Actor(label="Trygghetssamordnare Malmö", role=Role.MUNICIPALITY)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'loften.sqlite3'}")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(date(2025, 2, 10))


@pytest.fixture
def app(settings: Settings, clock: FakeClock) -> Iterator[Loftesboken]:
    application = Loftesboken(settings, clock)
    yield application
    application.close()
