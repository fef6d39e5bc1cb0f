"""`loften report annual|national`: the views caught up from the store, the report to a file.

On each store: SQLite, and PostgreSQL (marked `postgres`)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import date

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from entrypoints.cli import cli
from infra.bootstrap import open_application, open_read_side
from tests.support.postgres_plugin import STORES, store_url
from tests.support.scenario import MALMO, run_scenario
from workflow.clock import FakeClock
from workflow.settings import Settings


@pytest.fixture(scope="module", params=STORES)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """A store holding the scenario; no view has been built from it yet."""
    with store_url(request, lambda: tmp_path_factory.mktemp("cli")) as url:
        settings = Settings(database_url=url)
        clock = FakeClock(date(2025, 2, 10))
        app = open_application(settings, clock)
        try:
            run_scenario(app, clock)
        finally:
            app.close()
        yield settings


def _head(settings: Settings) -> tuple[int, str]:
    app = open_application(settings, FakeClock(date(2025, 4, 20)))
    read_side = open_read_side(app, settings)
    try:
        read_side.catch_up()
        return read_side.audit.head(MALMO)
    finally:
        read_side.close()
        app.close()


def test_the_annual_report_as_json_to_a_file(store: Settings, tmp_path) -> None:
    target = tmp_path / "malmo.json"
    env = {"LOFTEN_DATABASE_URL": store.database_url}
    result = CliRunner().invoke(
        cli, ["report", "annual", MALMO, "2025", "--format", "json", "-o", str(target)], env=env
    )
    assert result.exit_code == 0, result.output
    report = json.loads(target.read_text(encoding="utf-8"))
    assert report["municipality"] == {
        "code": MALMO,
        "name": "Malmö",
        "county": "Skåne län",
        "police_region": "Polisregion Syd",
    }
    assert report["dialogues"]["total"] == 1
    assert report["issues"] == {"identified": 3, "prioritised": 2, "rejected": 1}
    # The scenario ends on 20 April 2025: the late Q1 follow-up, three still ahead in 2025.
    assert report["follow_ups"] == {
        "on_time": 0,
        "late": 1,
        "overdue": 0,
        "scheduled": 3,
        "missed": 1,
    }
    position, head_hash = _head(store)
    assert report["audit"] == {"head_hash": head_hash, "position": position}


def test_the_annual_report_as_pdf(store: Settings, tmp_path) -> None:
    target = tmp_path / "malmo.pdf"
    env = {"LOFTEN_DATABASE_URL": store.database_url}
    result = CliRunner().invoke(
        cli, ["report", "annual", MALMO, "2025", "--format", "pdf", "-o", str(target)], env=env
    )
    assert result.exit_code == 0, result.output
    body = target.read_bytes()
    assert body.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "Malmö" in text
    _, head_hash = _head(store)
    assert head_hash in re.sub(r"\s", "", text)


def test_the_national_report_as_csv_on_stdout(store: Settings) -> None:
    env = {"LOFTEN_DATABASE_URL": store.database_url}
    result = CliRunner().invoke(cli, ["report", "national", "2025", "--format", "csv"], env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("section,key,value")
    assert "covered,,4" in result.stdout.splitlines()


@pytest.mark.parametrize(
    "args",
    [
        ["annual", "9999", "2025"],
        ["annual", MALMO, "20250"],
        ["annual", MALMO, "2025", "--format", "docx"],
        ["annual", MALMO, "2025", "--lang", "de"],
        ["annual", MALMO, "2025", "--format", "pdf"],  # a PDF needs --output
        ["national", "1066"],
    ],
)
def test_refused_arguments_exit_2(store: Settings, args: list[str]) -> None:
    env = {"LOFTEN_DATABASE_URL": store.database_url}
    result = CliRunner().invoke(cli, ["report", *args], env=env)
    assert result.exit_code == 2, result.output
