"""Pytest plugin: one PostgreSQL server per test session and a fresh database per test.

The server is a throwaway cluster (`tests.support.pg_cluster`) unless `LOFTEN_TEST_POSTGRES_URL`
names one to use instead (its user must be allowed to create databases). Each test gets
an empty database of its own, because the library names its tables after the
application, so two tests sharing one would share their events (and advisory locks).

The PostgreSQL half is never skipped quietly: when the run selects tests marked
`postgres` and no PostgreSQL is installed, the run stops at once with one line saying
what to install. Leaving that half out is an explicit choice: `-m "not postgres"`
(`make test-sqlite`). A PostgreSQL that is installed but will not start is an error.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.pg_cluster import (
    DatabaseFactory,
    PostgresNotInstalled,
    PostgresUnavailable,
    TemporaryCluster,
    find_bin_dir,
    with_database,
)

SERVER_URL_VARIABLE = "LOFTEN_TEST_POSTGRES_URL"

#: Parameters for a fixture that runs once per store; the PostgreSQL one is marked.
STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
NOT_FOUND = (
    "PostgreSQL not found: install it (apt-get install postgresql; `make test` does so "
    "as root), or run only the SQLite half with `make test-sqlite`"
)
FIXTURES = {"postgres_url", "postgres_databases"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: runs against the PostgreSQL store")
    config.addinivalue_line("markers", "both_stores: the module's API apps run on both stores")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the PostgreSQL half, so `-m "not postgres"` runs the SQLite half alone."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and callspec.params.get("settings") == "postgres"
        if on_postgres or FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Stop before running anything if the selected tests need a PostgreSQL that is not here."""
    if os.environ.get(SERVER_URL_VARIABLE) or session.config.option.collectonly:
        return
    if not any(item.get_closest_marker("postgres") for item in session.items):
        return
    try:
        find_bin_dir()
    except PostgresNotInstalled:
        pytest.exit(NOT_FOUND, returncode=pytest.ExitCode.USAGE_ERROR)


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
        pytest.fail(NOT_FOUND, pytrace=False)
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


@contextmanager
def store_url(request: pytest.FixtureRequest, folder: Callable[[], Path]) -> Iterator[str]:
    """A database URL of its own on the store a fixture's param names (one of `STORES`):
    a SQLite file in `folder()`, or a database of the session's PostgreSQL server that
    is emptied and given back afterwards. For fixtures of any scope."""
    if request.param != "postgres":
        yield f"sqlite:///{folder() / 'loften.sqlite3'}"
        return
    databases: DatabaseFactory = request.getfixturevalue("postgres_databases")
    name = databases.acquire()
    try:
        yield with_database(databases.admin_url, name)
    finally:
        databases.release(name)
