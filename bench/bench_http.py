"""Writes over HTTP: our command endpoint against a minimal eventsourcing endpoint and a bare one.

Each server runs in its own process (`bench.servers`) on a free loopback port with a
fresh SQLite store, and gets the same load: several client threads on keep-alive
connections for a fixed duration, after a short warm-up. Every request writes one
event, except the bare endpoint's, which writes nothing.

- ours: `POST /api/v1/dialogues` with a bearer token, a new Idempotency-Key per
  request and a valid body: the full path of a command (auth, validation, idempotency
  record, actor, `Loftesboken.hold_dialogue`, one `DialogueHeld`).
- minimal: `POST /notes` on FastAPI + an eventsourcing `Application` saving one event.
- bare: `POST /nothing`, FastAPI answering at once.

Target: ours >= 1.0x the minimal endpoint's throughput.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

from bench.common import append_result, load_average, print_table, ratio
from bench.loadgen import LoadResult, MakeRequest, run_load, serving, tmp_store
from domain.values import Role
from workflow.settings import Settings

CLIENTS = 32  # the issue's load: 32 connections
SECONDS = 10.0
WARMUP_SECONDS = 2.0
MUNICIPALITY = "1280"


def writer_token(database_url: str) -> str:
    """A police token for Malmö in the API's token store beside `database_url`."""
    from infra.token_stores import SQLiteTokenStore

    store = SQLiteTokenStore(Settings(database_url=database_url).sibling_sqlite("api"))
    return store.issue(Role.POLICE, [MUNICIPALITY], "Lastgenerator").secret


def dialogue_request(token: str) -> MakeRequest:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def make(client: int, n: int) -> tuple[str, str, bytes, dict[str, str]]:
        body = {
            "municipality": MUNICIPALITY,
            "kind": "citizen_dialogue",
            "held_on": "2025-02-04",
            "title": f"Medborgardialog {client}-{n}",
            "place": "Lindängens centrum",
            "participants": 23,
            "organisers": ["Kommunpolis Malmö"],
        }
        return (
            "POST",
            "/api/v1/dialogues",
            json.dumps(body).encode(),
            {**headers, "Idempotency-Key": str(uuid4())},
        )

    return make


def note_request(client: int, n: int) -> tuple[str, str, bytes, dict[str, str]]:
    body = json.dumps({"text": f"Medborgardialog {client}-{n}"}).encode()
    return "POST", "/notes", body, {"Content-Type": "application/json"}


def nothing_request(client: int, n: int) -> tuple[str, str, bytes, dict[str, str]]:
    return "POST", "/nothing", b"{}", {"Content-Type": "application/json"}


@dataclass
class HttpResult:
    ours: LoadResult
    minimal: LoadResult
    bare: LoadResult
    load_before: tuple[float, float, float]

    def record(self) -> dict[str, Any]:
        return {
            "ours": self.ours.record(),
            "minimal": self.minimal.record(),
            "bare": self.bare.record(),
            "ours_vs_minimal": ratio(self.ours.throughput, self.minimal.throughput),
            "ours_vs_bare": ratio(self.ours.throughput, self.bare.throughput),
            "minimal_vs_bare": ratio(self.minimal.throughput, self.bare.throughput),
            "load_before": self.load_before,
        }


def measure(
    kind: str, make: MakeRequest, database_url: str, clients: int, seconds: float, warmup: float
) -> LoadResult:
    with serving(kind, database_url) as port:
        if warmup > 0:
            run_load(kind, port, make, clients=clients, seconds=warmup)
        return run_load(kind, port, make, clients=clients, seconds=seconds)


def run_http(
    clients: int = CLIENTS,
    seconds: float = SECONDS,
    warmup: float = WARMUP_SECONDS,
    workdir: Path | None = None,
) -> HttpResult:
    """Each server in turn, each on a fresh store, under the same load."""
    load_before = load_average()
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        ours_url = tmp_store(Path(tmp), "ours")
        token = writer_token(ours_url)
        ours = measure("ours", dialogue_request(token), ours_url, clients, seconds, warmup)
        minimal = measure(
            "minimal", note_request, tmp_store(Path(tmp), "minimal"), clients, seconds, warmup
        )
        bare = measure(
            "bare", nothing_request, tmp_store(Path(tmp), "bare"), clients, seconds, warmup
        )
    for result in (ours, minimal, bare):
        if not result.requests:
            raise RuntimeError(f"{result.name}: no request succeeded ({result.statuses})")
    return HttpResult(ours=ours, minimal=minimal, bare=bare, load_before=load_before)


def report(result: HttpResult) -> None:
    rows = []
    for name, load in (
        ("ours: POST /api/v1/dialogues", result.ours),
        ("minimal: FastAPI + eventsourcing, one event", result.minimal),
        ("bare: FastAPI, nothing", result.bare),
    ):
        rows.append([
            name, load.requests, load.errors, load.throughput, load.percentile_ms(50),
            load.percentile_ms(99), ratio(load.throughput, result.minimal.throughput),
        ])  # fmt: skip
    print_table(
        f"Writes over HTTP: {result.ours.clients} clients, {result.ours.seconds:.0f} s each "
        f"(load average before {result.load_before[0]:.1f})",
        ["endpoint", "requests", "errors", "req/s", "p50 ms", "p99 ms", "x minimal"],
        rows,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    args = parser.parse_args(argv)
    result = run_http(args.clients, args.seconds)
    report(result)
    append_result("http", result.record())


if __name__ == "__main__":
    main()
