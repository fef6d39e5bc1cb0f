"""One URL picks the store: how LOFTEN_DATABASE_URL maps to the library's own variables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from eventsourcing.postgres import PostgresFactory

from infra.postgres import datastore_options
from workflow.settings import Settings


def environment(url: str) -> dict[str, str]:
    return Settings(database_url=url).event_store_environment()


def test_a_postgresql_url_maps_every_part_to_the_library_variables():
    env = environment("postgresql://loften:hemligt@db.example.se:6543/loftesboken")

    assert env == {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": "loftesboken",
        "POSTGRES_HOST": "db.example.se",
        "POSTGRES_PORT": "6543",
        "POSTGRES_USER": "loften",
        "POSTGRES_PASSWORD": "hemligt",
        "POSTGRES_ENABLE_DB_FUNCTIONS": "y",
        "APPLICATION_RECORDER_TOPIC": "infra.recorders:PostgresRecorder",
        "MAPPER_TOPIC": "infra.codec:SealingMapper",
    }


def test_percent_encoded_user_password_and_database_are_decoded():
    env = environment("postgresql://l%C3%B6ften:p%40ss%3Aw%2Frd%25@[::1]/l%C3%B6ften%20db")

    assert env["POSTGRES_USER"] == "löften"
    assert env["POSTGRES_PASSWORD"] == "p@ss:w/rd%"
    assert env["POSTGRES_DBNAME"] == "löften db"
    assert env["POSTGRES_HOST"] == "::1"


def test_the_short_scheme_and_missing_parts_take_postgresql_defaults():
    env = environment("postgres://loften@/loftesboken")

    assert env["POSTGRES_HOST"] == "localhost"
    assert env["POSTGRES_PORT"] == "5432"
    assert env["POSTGRES_PASSWORD"] == ""


def test_url_options_set_the_library_variables_and_may_override_our_defaults():
    env = environment(
        "postgresql://u:p@h/db?schema=loften&pool_size=20&max_overflow=0"
        "&enable_db_functions=n&host=/var/run/postgresql"
    )

    assert env["POSTGRES_SCHEMA"] == "loften"
    assert env["POSTGRES_POOL_SIZE"] == "20"
    assert env["POSTGRES_MAX_OVERFLOW"] == "0"
    assert env["POSTGRES_ENABLE_DB_FUNCTIONS"] == "n"
    assert env["POSTGRES_HOST"] == "/var/run/postgresql"


def test_the_library_accepts_the_mapped_variables():
    factory = PostgresFactory(
        environment("postgresql://u:p%40ss@h:6543/db?schema=s&pool_size=3&conn_max_age=60")
    )
    datastore = factory.datastore

    assert datastore.pool.kwargs == {
        "dbname": "db",
        "host": "h",
        "port": "6543",
        "user": "u",
        "password": "p@ss",
        "row_factory": datastore.pool.kwargs["row_factory"],
    }
    assert datastore.schema == "s"
    assert datastore.pool.min_size == 3
    assert datastore.pool.max_lifetime == 60
    assert datastore.enable_db_functions is True
    datastore.close()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://u:p@h:5432/", "must name one database"),
        ("postgresql://u:p@h:5432/a/b", "must name one database"),
        ("postgresql://u:p@h:99999/db", "invalid port"),
        ("postgresql://u:p@h/db?sslmode=require", "unknown option 'sslmode'"),
        ("postgresql+psycopg://u:p@h/db", "not postgresql+psycopg:"),
        ("mysql://u:p@h/db", "not mysql:"),
        ("loften.sqlite3", "names no scheme"),
    ],
)
def test_a_url_we_cannot_honour_is_a_clear_error(url: str, message: str):
    with pytest.raises(ValueError, match=re.escape(message)):
        environment(url)


def test_an_error_never_repeats_the_password():
    with pytest.raises(ValueError) as raised:
        environment("postgresql://u:hemligt@h/db?sslmode=require")

    assert "hemligt" not in str(raised.value)


def test_a_postgresql_url_is_not_sqlite_and_has_no_sibling_files():
    settings = Settings(database_url="postgresql://u:p@h/db")

    assert settings.is_postgres
    assert not settings.is_sqlite
    with pytest.raises(ValueError, match="not a SQLite"):
        settings.sibling_sqlite("views")


def test_a_sqlite_url_maps_to_the_sqlite_module_and_creates_its_directory(tmp_path: Path):
    store = tmp_path / "nested" / "loften.sqlite3"

    env = environment(f"sqlite:///{store}")

    assert env["PERSISTENCE_MODULE"] == "infra.sqlite_store"
    assert env["SQLITE_DBNAME"] == str(store)
    assert store.parent.is_dir()
    assert not Settings(database_url=f"sqlite:///{store}").is_postgres


def test_the_url_comes_from_loften_database_url(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LOFTEN_DATABASE_URL", "postgresql://u:p@h/from_env")

    assert Settings().event_store_environment()["POSTGRES_DBNAME"] == "from_env"


def test_other_pools_in_the_database_connect_as_the_event_store_does():
    settings = Settings(
        database_url="postgresql://u:p%40ss@h:6543/db?schema=s&pool_size=3&max_overflow=4"
        "&connect_timeout=7&lock_timeout=2&pre_ping=y"
    )

    options = datastore_options(settings)

    assert options == {
        "dbname": "db",
        "host": "h",
        "port": "6543",
        "user": "u",
        "password": "p@ss",
        "get_password_func": None,
        "connect_timeout": 7,
        "idle_in_transaction_session_timeout": 5,
        "pool_size": 3,
        "max_overflow": 4,
        "max_waiting": 0,
        "conn_max_age": 3600.0,
        "pre_ping": True,
        "lock_timeout": 2,
        "schema": "s",
    }
    with pytest.raises(ValueError, match="not a PostgreSQL"):
        datastore_options(Settings(database_url="sqlite:///x.sqlite3"))
