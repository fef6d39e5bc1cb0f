"""Fixtures of the API tests: a store per test or per module, and the app running on it.

The builders and request bodies they use live in `tests.support.api`. Modules marked
`BOTH_STORES` run their apps on PostgreSQL too; the rest on SQLite only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.api import (
    SUMMARY_LINES,
    TODAY,
    Api,
    api_settings,
    sqlite_url,
    start_api,
)
from tests.support.postgres_plugin import STORES, store_url
from workflow.clock import FakeClock


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in terminalreporter.config.stash.get(SUMMARY_LINES, []):
        terminalreporter.write_line(line)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`store` is SQLite, or each store for a module marked `BOTH_STORES`."""
    both = any(mark.name == "both_stores" for mark in metafunc.definition.iter_markers())
    for name, scope in (("store", "function"), ("module_store", "module")):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, STORES if both else ["sqlite"], indirect=True, scope=scope)


@pytest.fixture
def store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL of this test's own, on the store the test runs on."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return sqlite_url(tmp_path)


@pytest.fixture(scope="module")
def module_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database URL for a whole module of tests, on the store they run on."""
    with store_url(request, lambda: tmp_path_factory.mktemp("api")) as url:
        yield url


@pytest.fixture
def api(store: str, clock: FakeClock) -> Iterator[Api]:
    yield from start_api(api_settings(store), clock)


@pytest.fixture(scope="module")
def shared_api(module_store: str) -> Iterator[Api]:
    """One app for a whole module of tests that each build their own aggregates."""
    yield from start_api(api_settings(module_store), FakeClock(TODAY))
