"""Every mistake an operator makes on the command line is answered in a sentence.

Each case checks the exit code, the message, that no traceback is printed, and that no
store was made where none should be: only `serve`, `demo`, `worker` and `migrate` may
make one, and none of them does when the command is refused.
"""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner, Result

from entrypoints.cli import cli
from infra.bootstrap import open_application
from workflow.settings import Settings

READERS = [
    ["report", "annual", "1280", "2025"],
    ["report", "national", "2025", "--format", "csv"],
    ["verify"],
    ["verify", "--municipality", "1280"],
    ["rebuild"],
    ["token", "create", "--role", "admin", "--label", "Driftansvarig"],
    ["token", "list"],
    ["token", "revoke", "0"],
]


def run(args: list[str], env: dict[str, str | None] | None = None) -> Result:
    result = CliRunner().invoke(cli, args, env=env)
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    return result


def one_or_two_sentences(text: str) -> bool:
    sentences = [part for part in re.split(r"(?<=[.!?])\s+", text.strip()) if part]
    return 1 <= len(sentences) <= 2 and text.strip().endswith(".")


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory and no LOFTEN_DATABASE_URL: the default ./data/ store."""
    folder = tmp_path / "cwd"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("LOFTEN_DATABASE_URL", raising=False)
    return folder


@pytest.fixture
def existing(tmp_path: Path) -> dict[str, str | None]:
    """The environment for a SQLite store that exists (and is empty)."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'store' / 'loften.sqlite3'}")
    open_application(settings).close()
    return {"LOFTEN_DATABASE_URL": settings.database_url}


@pytest.mark.parametrize("args", READERS, ids=" ".join)
def test_a_reader_refuses_the_default_store_that_is_not_there(
    elsewhere: Path, args: list[str]
) -> None:
    result = run(args)

    assert result.exit_code == 1, result.output
    store = elsewhere / "data" / "loften.sqlite3"
    assert result.output.strip() == (
        f"No event store at {store}; set LOFTEN_DATABASE_URL to the store to use "
        "(`loften serve` or `loften demo` makes a new one)."
    )
    assert list(elsewhere.iterdir()) == [], "no ./data/ store was made"


@pytest.mark.parametrize("args", READERS, ids=" ".join)
def test_a_reader_refuses_a_named_sqlite_store_that_is_not_there(
    tmp_path: Path, args: list[str]
) -> None:
    store = tmp_path / "nowhere" / "loften.sqlite3"

    result = run(args, {"LOFTEN_DATABASE_URL": f"sqlite:///{store}"})

    assert result.exit_code == 1
    assert result.output.startswith(f"No event store at {store};")
    assert not store.parent.exists()


def test_a_reader_refuses_an_empty_postgresql_database_and_leaves_it_empty(
    postgres_url: str,
) -> None:
    for args in READERS:
        result = run(args, {"LOFTEN_DATABASE_URL": postgres_url})
        assert result.exit_code == 1, result.output
        assert result.output.startswith("No event store at PostgreSQL database "), result.output
        assert "set LOFTEN_DATABASE_URL" in result.output
    with psycopg.connect(postgres_url) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', "
            "'information_schema')"
        ).fetchone()
    assert tables == (0,), "no table was created"


def test_the_store_makers_still_make_one(elsewhere: Path) -> None:
    result = run(["demo"])

    assert result.exit_code == 0, result.output
    assert (elsewhere / "data" / "loften.sqlite3").is_file()
    assert result.output.startswith("Demo data for ")
    assert "Demodata" not in result.output, "the summary is in English only"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("/nonexistent/dir/x.json", "the directory /nonexistent/dir does not exist."),
        ("{tmp}", "it is a directory; give a file name."),
    ],
)
def test_a_report_file_that_cannot_be_written_is_refused_first(
    existing: dict[str, str | None], tmp_path: Path, target: str, message: str
) -> None:
    target = target.format(tmp=tmp_path)
    result = run(["report", "annual", "1280", "2025", "-o", target], existing)

    assert result.exit_code == 2, result.output
    assert result.output.strip() == f"Cannot write {target}: {message}"
    assert not Path("/nonexistent").exists()
    store = Settings(database_url=str(existing["LOFTEN_DATABASE_URL"]))
    assert not store.sibling_sqlite("views").exists(), "nothing was read"


def test_a_port_out_of_range_is_refused(elsewhere: Path) -> None:
    result = run(["serve", "--port", "99999"])

    assert result.exit_code == 2
    assert "Invalid value for '--port': 99999 is not a port number; use 1 to 65535." in (
        result.output
    )
    assert list(elsewhere.iterdir()) == []


def test_a_port_in_use_is_refused_before_the_server_starts(elsewhere: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = run(["serve", "--port", str(port)])

    assert result.exit_code == 1
    assert result.output.startswith(f"Cannot listen on 127.0.0.1:{port}: address already in use.")
    assert one_or_two_sentences(result.output)
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("args", [["serve"], ["demo"], ["worker"], *READERS], ids=" ".join)
def test_an_unsupported_database_url_is_refused(elsewhere: Path, args: list[str]) -> None:
    result = run(args, {"LOFTEN_DATABASE_URL": "mysql://loften:hemligt@db.example/loften"})

    assert result.exit_code == 2, result.output
    assert result.output.strip() == (
        "LOFTEN_DATABASE_URL must start with sqlite:/// or postgresql://, not mysql:."
    )
    assert "hemligt" not in result.output
    assert list(elsewhere.iterdir()) == []


def test_a_setting_that_cannot_be_read_is_named(elsewhere: Path) -> None:
    result = run(["verify"], {"LOFTEN_DEADLINE_CHECK_SECONDS": "soon"})

    assert result.exit_code == 2
    assert result.output.startswith("LOFTEN_DEADLINE_CHECK_SECONDS cannot be used: ")
    assert one_or_two_sentences(result.output)


@pytest.fixture
def silent_postgres() -> Iterator[int]:
    """A loopback port that accepts connections and never answers, like a hung server."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.mark.parametrize(
    "args", [["serve"], ["demo"], ["report", "national", "2025"], ["verify"]], ids=" ".join
)
def test_an_unreachable_postgresql_is_said_in_a_sentence(elsewhere: Path, args: list[str]) -> None:
    port = closed_port()
    url = f"postgresql://loften:hemligt@127.0.0.1:{port}/loften"

    result = run(args, {"LOFTEN_DATABASE_URL": url})

    assert result.exit_code == 1, result.output
    assert result.output.strip() == (
        f"Cannot reach the PostgreSQL database 'loften' on 127.0.0.1:{port}: Connection "
        "refused. Check LOFTEN_DATABASE_URL and that the server is running."
    )
    assert "hemligt" not in result.output
    assert list(elsewhere.iterdir()) == []


def test_a_postgresql_that_does_not_answer_is_said_within_10_seconds(
    elsewhere: Path, silent_postgres: int
) -> None:
    url = f"postgresql://loften:hemligt@127.0.0.1:{silent_postgres}/loften"

    started = time.monotonic()
    result = run(["report", "national", "2025"], {"LOFTEN_DATABASE_URL": url})
    waited = time.monotonic() - started

    assert result.exit_code == 1, result.output
    assert result.output.startswith(
        f"Cannot reach the PostgreSQL database 'loften' on 127.0.0.1:{silent_postgres}: "
    )
    assert "timeout" in result.output
    assert one_or_two_sentences(result.output)
    # The bound: said within 10 s, not after the pool's 30 s.
    assert waited < 10, f"took {waited:.1f} s"


COMMANDS = [
    [],
    ["serve"],
    ["worker"],
    ["demo"],
    ["rebuild"],
    ["verify"],
    ["migrate"],
    ["token"],
    ["token", "create"],
    ["token", "list"],
    ["token", "revoke"],
    ["report"],
    ["report", "annual"],
    ["report", "national"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "loften")
def test_help_names_things_plainly(command: list[str]) -> None:
    result = run([*command, "--help"])

    assert result.exit_code == 0
    placeholders = re.findall(r"<[a-z][a-z \[\]]*>|\{[A-Za-z]+\}", result.output)
    assert placeholders == [], "type placeholders instead of names"
    if "Commands:" in result.output:
        listed = result.output.split("Commands:")[1].splitlines()
        assert not [line for line in listed if line.endswith("...")], "a cut-off summary"
    for swedish in ("Bygger", "Räknar", "Kopierar", "Poster", "Senaste"):
        assert swedish not in result.output


def test_report_annual_usage_names_its_arguments() -> None:
    result = run(["report", "annual", "--help"])

    assert "Usage: loften report annual [OPTIONS] CODE YEAR" in result.output
    assert "-o, --output FILE" in result.output
    assert "--format FORMAT" in result.output
