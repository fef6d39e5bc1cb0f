"""Pytest plugin: one PostgreSQL server per test session and a fresh database per test.

The server is a throwaway cluster (`tests.pg_cluster`) unless `LOFTEN_TEST_POSTGRES_URL`
names one to use instead (its user must be allowed to create databases). Each test gets
an empty database of its own, because the library names its tables after the
application, so two tests sharing one would share their events (and advisory locks).

Without PostgreSQL installed the PostgreSQL half is skipped with one line saying why,
except in CI (`CI=true`), where that half must run and its absence is an error. A
PostgreSQL that is installed but will not start is always an error.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.pg_cluster import (
    DatabaseFactory,
    PostgresNotInstalled,
    PostgresUnavailable,
    TemporaryCluster,
    with_database,
)

SERVER_URL_VARIABLE = "LOFTEN_TEST_POSTGRES_URL"

#: Parameters for a fixture that runs once per store; the PostgreSQL one is marked.
STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
NOT_FOUND = "PostgreSQL not found: install postgresql to run the PostgreSQL half"
SKIPPED_REASON = pytest.StashKey[str]()


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "y", "on"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: runs against the PostgreSQL store")
    config.addinivalue_line("markers", "both_stores: the module's API apps run on both stores")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the PostgreSQL half, so `-m "not postgres"` runs the SQLite half alone."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("settings") == "postgres":
            item.add_marker(pytest.mark.postgres)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    reason = terminalreporter.config.stash.get(SKIPPED_REASON, None)
    if reason is not None:
        terminalreporter.write_line(reason, yellow=True)


def _not_installed(config: pytest.Config) -> None:
    if in_ci():
        pytest.fail(f"CI=true and the PostgreSQL half cannot run: {NOT_FOUND}", pytrace=False)
    config.stash[SKIPPED_REASON] = NOT_FOUND
    pytest.skip(NOT_FOUND)


@pytest.fixture(scope="session")
def postgres_databases(request: pytest.FixtureRequest) -> Iterator[DatabaseFactory]:
    """Makes databases on the session's PostgreSQL server; started on first use only."""
    given = os.environ.get(SERVER_URL_VARIABLE)
    if given:
        factory = DatabaseFactory(given)
        yield factory
        factory.drop_all()
        return
    cluster = TemporaryCluster()
    try:
        cluster.start()
    except PostgresNotInstalled:
        _not_installed(request.config)
    except PostgresUnavailable as exc:
        pytest.fail(f"PostgreSQL is installed but would not start: {exc}", pytrace=False)
    try:
        factory = DatabaseFactory(cluster.url())
        yield factory
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_databases: DatabaseFactory) -> Iterator[str]:
    """A `postgresql://` URL of an empty database that is this test's alone."""
    name = postgres_databases.acquire()
    yield with_database(postgres_databases.admin_url, name)
    postgres_databases.release(name)
