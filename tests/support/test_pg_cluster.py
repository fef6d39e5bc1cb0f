"""The throwaway PostgreSQL server: databases handed out again come back empty."""

from __future__ import annotations

import psycopg
import pytest

from tests.support import postgres_plugin
from tests.support.pg_cluster import DatabaseFactory, PostgresNotInstalled, url_for, with_database


def test_with_database_keeps_credentials_host_port_and_options():
    url = url_for(user="lö", password="p@ss:/", host="127.0.0.1", port=6543, dbname="a")

    assert with_database(url + "?schema=s", "b") == (
        "postgresql://l%C3%B6:p%40ss%3A%2F@127.0.0.1:6543/b?schema=s"
    )


@pytest.mark.postgres
def test_a_released_database_is_handed_out_again_empty(postgres_databases: DatabaseFactory):
    name = postgres_databases.acquire()
    url = with_database(postgres_databases.admin_url, name)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA extra")
        conn.execute("CREATE TABLE public.leftover (id int)")
        conn.execute("CREATE TABLE extra.leftover (id int)")
    lingering = psycopg.connect(url, autocommit=True)

    postgres_databases.release(name)

    assert _is_disconnected(lingering)
    lingering.close()
    assert postgres_databases.acquire() == name
    with psycopg.connect(url, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        ).fetchall()
        schemas = conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname IN ('public', 'extra')"
        ).fetchall()
    assert tables == []
    assert schemas == [("public",)]
    postgres_databases.release(name)


def _is_disconnected(conn: psycopg.Connection) -> bool:
    try:
        conn.execute("SELECT 1")
    except psycopg.OperationalError:
        return True
    return False


class _Session:
    """Just what `pytest_collection_finish` reads of a session."""

    def __init__(self, items: list[pytest.Item], config: pytest.Config) -> None:
        self.items = items
        self.config = config


def test_without_postgresql_a_run_that_needs_it_stops_saying_what_to_install(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    def not_installed() -> None:
        raise PostgresNotInstalled("no initdb")

    monkeypatch.setattr(postgres_plugin, "find_bin_dir", not_installed)
    monkeypatch.delenv(postgres_plugin.SERVER_URL_VARIABLE, raising=False)
    needs_postgres = request.node
    needs_postgres.add_marker(pytest.mark.postgres)
    session = _Session([needs_postgres], request.config)
    with pytest.raises(pytest.exit.Exception) as stopped:
        postgres_plugin.pytest_collection_finish(session)  # type: ignore[arg-type]
    assert "install it (apt-get install postgresql" in str(stopped.value)
    assert "make test-sqlite" in str(stopped.value)
    assert stopped.value.returncode == pytest.ExitCode.USAGE_ERROR


def test_without_postgresql_the_sqlite_half_chosen_alone_runs(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    def not_installed() -> None:
        raise PostgresNotInstalled("no initdb")

    monkeypatch.setattr(postgres_plugin, "find_bin_dir", not_installed)
    monkeypatch.delenv(postgres_plugin.SERVER_URL_VARIABLE, raising=False)
    sqlite_only = _Session([], request.config)  # what `-m "not postgres"` leaves
    postgres_plugin.pytest_collection_finish(sqlite_only)  # type: ignore[arg-type]
