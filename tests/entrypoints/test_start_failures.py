"""A start that cannot get its PostgreSQL connections fails at once, in a sentence (#20).

`loften serve` counts the connections the deployment will hold and refuses, before
any pool waits, when PostgreSQL would not accept them; an API process that fails to
open its stores anyway says why in one sentence and exits 3, never a silent hang or a
hundred-line traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql
from typer.testing import CliRunner

from api.startup import why
from entrypoints.cli import cli
from infra.postgres import connections_per_process, free_connections
from workflow.settings import Settings

pytestmark = pytest.mark.postgres

PASSWORD = "begränsad-1"


@pytest.fixture
def limited_url(postgres_url: str) -> Iterator[str]:
    """The test's database, reached as a role of its own allowed three connections."""
    parts = urlsplit(postgres_url)
    database = parts.path.lstrip("/")
    role = f"limited_{os.getpid()}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
        admin.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} CONNECTION LIMIT 3").format(
                sql.Identifier(role), sql.Literal(PASSWORD)
            )
        )
        admin.execute(
            sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                sql.Identifier(database), sql.Identifier(role)
            )
        )
        admin.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(role)))
    netloc = f"{role}:{quote(PASSWORD, safe='')}@{parts.hostname}:{parts.port}"
    yield urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (role,)
        )
        admin.execute(sql.SQL("REASSIGN OWNED BY {} TO CURRENT_USER").format(sql.Identifier(role)))
        admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
        admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def test_the_free_connections_count_the_roles_limit(limited_url: str) -> None:
    settings = Settings(database_url=limited_url)
    assert free_connections(settings) == 3
    assert connections_per_process(settings) == 16
    assert connections_per_process(settings, worker=True) == 13
    assert connections_per_process(Settings(database_url=limited_url + "?pool_size=2")) == 10
    assert connections_per_process(Settings(database_url=limited_url, api_pool_size=1)) == 15


def test_serve_refuses_what_postgresql_has_no_connections_for(limited_url: str) -> None:
    result = CliRunner().invoke(
        cli, ["serve", "--workers", "2", "--port", "1"], env={"LOFTEN_DATABASE_URL": limited_url}
    )
    assert result.exit_code == 1, result.output
    assert result.output.startswith(
        "This deployment needs 45 PostgreSQL connections (2 API processes x 16 + a worker's 13), "
        "but PostgreSQL accepts only 3 more now."
    )
    assert "Traceback" not in result.output and result.output.count("\n") == 1


def test_an_api_process_that_cannot_open_its_pools_exits_3_with_a_sentence(
    limited_url: str, tmp_path: Path
) -> None:
    failure = tmp_path / "startup-failure-0"
    env = {
        **os.environ,
        "LOFTEN_DATABASE_URL": limited_url + "?connect_timeout=2",
        "LOFTEN_STARTUP_FAILURE_FILE": str(failure),
    }
    process = subprocess.run(
        [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app", "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert process.returncode == 3, process.stderr
    assert "Traceback" not in process.stderr
    sentence = failure.read_text(encoding="utf-8")
    assert sentence.startswith("Löftesboken cannot start: ") and sentence.endswith(".")
    assert "\n" not in sentence and PASSWORD not in sentence


def test_the_sentence_names_the_cause() -> None:
    from psycopg_pool import PoolTimeout

    assert "connection slots used up" in why(PoolTimeout("couldn't get a connection"))
    slots = psycopg.OperationalError('connection failed: FATAL:  too many connections for role "x"')
    assert why(slots).startswith(
        'PostgreSQL refused a connection: too many connections for role "x".'
    )
    assert why(RuntimeError("disk full\nmore")) == "RuntimeError: disk full"
