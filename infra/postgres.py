"""PostgreSQL recorders whose table creation is safe when several processes start at once.

The library creates its tables, types and insert function on every start-up with
`CREATE ... IF NOT EXISTS` and `CREATE OR REPLACE FUNCTION`, which PostgreSQL does not
serialise: six applications starting together against one database failed with
"tuple concurrently updated" or a duplicate `pg_type` key, even when the tables already
existed. Several API processes (`uvicorn --workers N`) start exactly like that, so the
creation here runs under a database-wide advisory lock, on a connection of its own so a
pool of one connection cannot deadlock on it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import psycopg
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore, PostgresFactory
from eventsourcing.utils import Environment
from psycopg.sql import SQL, Identifier

from workflow.settings import Settings

# The application's name (`Loftesboken.name`): the library reads `LOFTEN_`-prefixed
# variables before the plain ones, here as in the application.
APPLICATION_NAME = "loften"

# Any fixed 64-bit number; only our own start-ups take this lock.
CREATE_TABLE_LOCK = 0x6C6F6674656E_01  # "loften", 1


@contextmanager
def creation_lock(datastore: PostgresDatastore) -> Iterator[None]:
    """Hold the table-creation lock, on a connection of its own (the pool may have one)."""
    with psycopg.connect(autocommit=True, **connect_kwargs(datastore)) as lock_connection:
        lock_connection.execute("SELECT pg_advisory_lock(%s)", (CREATE_TABLE_LOCK,))
        try:
            yield
        finally:
            lock_connection.execute("SELECT pg_advisory_unlock(%s)", (CREATE_TABLE_LOCK,))


def connect_kwargs(datastore: PostgresDatastore) -> dict[str, Any]:
    """The pool's own connection parameters, password included."""
    pool = datastore.pool
    given = pool.kwargs() if callable(pool.kwargs) else pool.kwargs
    kwargs = {name: value for name, value in (given or {}).items() if name != "row_factory"}
    if pool.get_password_func is not None:
        kwargs["password"] = pool.get_password_func()
    return kwargs


class SerialisedCreateTable:
    """Mixin for a Postgres recorder: `create_table()` runs one process at a time."""

    datastore: PostgresDatastore

    def create_table(self) -> None:
        with creation_lock(self.datastore):
            super().create_table()  # type: ignore[misc]


class ApplicationRecorder(SerialisedCreateTable, PostgresApplicationRecorder):
    """The event store's recorder on PostgreSQL, its insert function locking the table.

    The library's pipelined insert takes `LOCK TABLE ... IN EXCLUSIVE MODE` so that
    saves commit in the order of their notification ids, but its database function
    (`POSTGRES_ENABLE_DB_FUNCTIONS=y`, our default) does not: two saves at once
    then commit out of order, a reader between the commits sees id n+1 without n,
    and a projection moving past n never applies it (checked by hand: the second
    of two open transactions committed id 2 while id 1 was still uncommitted). The
    function made here takes the same lock first, so both paths keep the log gap-free.
    """

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.sql_create_pg_function_insert_events = locking_insert_function(self)
        self.sql_create_statements[self.create_insert_function_statement_index] = (
            self.sql_create_pg_function_insert_events
        )


def locking_insert_function(recorder: PostgresApplicationRecorder) -> Any:
    """The library's `es_insert_events_<type>` function with the table lock taken first."""
    schema = Identifier(recorder.datastore.schema)
    table = Identifier(recorder.events_table_name)
    return SQL(
        "CREATE OR REPLACE FUNCTION "
        "{schema}.{insert_events}(events {schema}.{event}[]) "
        "RETURNS SETOF bigint "
        "LANGUAGE plpgsql "
        "AS "
        "$BODY$"
        "BEGIN"
        "    SET LOCAL lock_timeout = '{lock_timeout}s';"
        "    LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE;"
        "    NOTIFY {channel};"
        "    RETURN QUERY"
        "    INSERT INTO {schema}.{table} AS t ("
        "    originator_id, originator_version, topic, state)"
        "    SELECT originator_id, originator_version, topic, state"
        "    FROM unnest(events)"
        "    RETURNING notification_id;"
        "END;"
        "$BODY$"
    ).format(
        insert_events=Identifier(recorder.pg_function_name_insert_events),
        lock_timeout=recorder.datastore.lock_timeout,
        channel=Identifier(recorder.channel_name),
        event=Identifier(recorder.stored_event_type_name),
        schema=schema,
        table=table,
    )


def datastore_options(settings: Settings) -> dict[str, Any]:
    """The event store's connection settings as `PostgresDatastore` arguments.

    Other data kept in the same database (views, tokens, idempotency records) opens
    pools of its own with these; the library's own factory reads the URL's variables,
    so every option (`pool_size`, `host=/socket/dir`, timeouts, schema) means the same
    for every pool.
    """
    if not settings.is_postgres:
        raise ValueError("not a PostgreSQL database URL")
    factory = PostgresFactory(Environment(APPLICATION_NAME, settings.event_store_environment()))
    try:
        datastore = factory.datastore
        pool = datastore.pool
        given = connect_kwargs(datastore)
        return {
            "dbname": given["dbname"],
            "host": given["host"],
            "port": given["port"],
            "user": given["user"],
            "password": given.get("password", ""),
            "get_password_func": pool.get_password_func,
            "connect_timeout": pool.timeout,
            "idle_in_transaction_session_timeout": datastore.idle_in_transaction_session_timeout,
            "pool_size": pool.min_size,
            "max_overflow": pool.max_size - pool.min_size,
            "max_waiting": pool.max_waiting,
            "conn_max_age": pool.max_lifetime,
            "pre_ping": datastore.pre_ping,
            "lock_timeout": datastore.lock_timeout,
            "schema": datastore.schema,
        }
    finally:
        factory.close()


#: How long a command waits for PostgreSQL to answer before saying it cannot reach it.
PROBE_CONNECT_TIMEOUT_SECONDS = 5


class StoreUnreachable(Exception):
    """PostgreSQL did not accept a connection; the message says where and why, in a sentence."""


def _probe_connection(env: Mapping[str, str], timeout: int) -> psycopg.Connection[Any]:
    """One plain autocommit connection to the store's database, with libpq's timeout."""
    return psycopg.connect(
        dbname=env["POSTGRES_DBNAME"],
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"],
        connect_timeout=timeout,
        autocommit=True,
    )


def probe(settings: Settings, timeout: int = PROBE_CONNECT_TIMEOUT_SECONDS) -> bool:
    """Whether the database the settings name holds an event store (its events table).

    One plain connection with libpq's `connect_timeout`, before any pool is made: the
    library's pool waits 30 s for a connection and then fails with a long traceback, so a
    command checks first and says in a sentence that the server cannot be reached.
    """
    env = settings.event_store_environment()
    schema = env.get("POSTGRES_SCHEMA", "").strip() or "public"
    table = f"{APPLICATION_NAME}_events"
    try:
        with _probe_connection(env, timeout) as connection:
            row = connection.execute(
                "SELECT to_regclass(%s) IS NOT NULL", (f'"{schema}"."{table}"',)
            ).fetchone()
    except psycopg.OperationalError as exc:
        raise StoreUnreachable(
            f"Cannot reach the {settings.store_description()}: {libpq_reason(exc)}. "
            "Check LOFTEN_DATABASE_URL and that the server is running."
        ) from None
    return bool(row and row[0])


def libpq_reason(error: psycopg.OperationalError) -> str:
    """The gist of libpq's message: 'Connection refused', 'timeout expired', ..."""
    lines = str(error).strip().splitlines() or [type(error).__name__]
    reason = lines[0].rsplit("failed: ", 1)[-1].strip()
    return reason.removeprefix("FATAL:").strip().rstrip(".") or type(error).__name__


#: Connections each process holds besides its two pools of `pool_size` (+1 each, the
#: library's own): an API process's token/idempotency/session pools hold
#: `LOFTEN_API_POOL_SIZE` + 2 (4 by default), a worker's lease 1. Measured with
#: `pg_stat_activity` on an idle deployment (docs/deployment.md).
WORKER_EXTRA = 1


def connections_per_process(settings: Settings, *, worker: bool = False) -> int:
    """The connections one API process (or one `loften worker`) holds, idle."""
    pool_size = int(settings.event_store_environment().get("POSTGRES_POOL_SIZE", "5"))
    extra = WORKER_EXTRA if worker else settings.api_pool_size + 2
    return 2 * (pool_size + 1) + extra


def free_connections(settings: Settings, timeout: int = PROBE_CONNECT_TIMEOUT_SECONDS) -> int:
    """How many more connections PostgreSQL would accept from this role to this database
    now: the least of the server's (less the slots reserved for superusers, which a
    deployment should not count on), the role's and the database's `CONNECTION LIMIT`s."""
    env = settings.event_store_environment()
    with _probe_connection(env, timeout) as connection:
        row = connection.execute(
            "SELECT current_setting('max_connections')::int"
            " - current_setting('superuser_reserved_connections')::int"
            " - COALESCE(current_setting('reserved_connections', true)::int, 0)"
            " - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'),"
            " (SELECT CASE WHEN rolconnlimit < 0 THEN NULL ELSE rolconnlimit"
            "   - (SELECT count(*) FROM pg_stat_activity WHERE usename = current_user) END"
            "  FROM pg_roles WHERE rolname = current_user),"
            " (SELECT CASE WHEN datconnlimit < 0 THEN NULL ELSE datconnlimit"
            "   - (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()) END"
            "  FROM pg_database WHERE datname = current_database())"
        ).fetchone()
    assert row is not None
    # This probe's own connection is counted as in use; it closes before the pools open.
    return min(int(limit) + 1 for limit in row if limit is not None)
