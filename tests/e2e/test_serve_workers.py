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


def _healthz_counts(directory: Path) -> dict[int, float]:
    """`GET /healthz` answers counted by each process, from its own metrics file."""
    from prometheus_client.mmap_dict import MmapedDict

    counts: dict[int, float] = {}
    for path in directory.glob("counter_*.db"):
        pid = int(path.stem.removeprefix("counter_"))
        for key, value, *_ in MmapedDict.read_all_values_from_file(str(path)):
            if "loften_http_requests" in key and '"/healthz"' in key and value:
                counts[pid] = counts.get(pid, 0) + value
    return counts


@pytest.mark.e2e
@pytest.mark.postgres
def test_one_scrape_shows_the_counts_of_every_api_process(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    metrics = tmp_path / "metrics"
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(metrics))
    server = Api(postgres_url, tmp_path / "serve.log", "--workers", "2", background=None)
    sent = 0
    try:
        server.wait_until_up()
        # Fresh connections until both API processes have answered some (bounded by count).
        while len(_healthz_counts(metrics)) < 2 and sent < 2_000:
            with httpx.Client(base_url=server.url, timeout=30) as client:
                assert client.get("/healthz").status_code == 200
            sent += 1
        per_process = _healthz_counts(metrics)
        assert len(per_process) == 2, per_process
        scrape = httpx.get(
            f"{server.url}/metrics", headers={"Authorization": f"Bearer {ADMIN}"}, timeout=30
        )
        assert scrape.status_code == 200, scrape.text
        line = next(
            row
            for row in scrape.text.splitlines()
            if row.startswith("loften_http_requests_total{")
            and 'route="/healthz"' in row
            and 'status="200"' in row
        )
        # Both processes' counts in one scrape, whichever process answered it (the
        # readiness polls of `wait_until_up` are among them).
        assert float(line.rsplit(" ", 1)[1]) == sum(per_process.values())
        assert sum(per_process.values()) >= sent
    finally:
        assert server.stop() == 0
