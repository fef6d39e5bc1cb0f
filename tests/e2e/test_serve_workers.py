"""`loften serve --workers N`: API processes and their worker on PostgreSQL; refused on SQLite."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from entrypoints.cli import cli
from tests.support.processes import ADMIN, NAMES, Api, lease_holder


def test_several_api_processes_on_sqlite_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOFTEN_DATABASE_URL", f"sqlite:///{tmp_path / 'loften.sqlite3'}")
    result = CliRunner().invoke(cli, ["serve", "--workers", "2"])
    assert result.exit_code == 2
    assert "--workers 2 needs PostgreSQL" in result.output
    assert not list(tmp_path.iterdir()), "nothing was started, nothing was made"


@pytest.mark.e2e
@pytest.mark.postgres
def test_serve_with_two_workers_starts_its_own_worker_and_stops_it(
    postgres_url: str, tmp_path: Path
) -> None:
    server = Api(postgres_url, tmp_path / "serve.log", "--workers", "2", background=None)
    try:
        server.wait_until_up()
        with httpx.Client(base_url=server.url, timeout=30) as client:
            headers = {"Authorization": f"Bearer {ADMIN}"}
            for n in range(4):  # spread over both API processes
                created = client.post(
                    "/api/v1/dialogues",
                    json={
                        "municipality": "1280",
                        "kind": "citizen_dialogue",
                        "held_on": "2025-01-15",
                        "title": f"Medborgardialog {n}",
                    },
                    headers=headers,
                )
                assert created.status_code == 201, created.text
                listed = client.get("/api/v1/dialogues", params={"municipality": "1280"})
                assert "x-loften-stale" not in listed.headers
                assert created.json()["id"] in [d["id"] for d in listed.json()["items"]]
        server.wait_for_output("active, feeding")
        assert all(lease_holder(postgres_url, name) for name in NAMES)
    finally:
        assert server.stop() == 0
    assert not any(lease_holder(postgres_url, name) for name in NAMES), "the worker outlived serve"
