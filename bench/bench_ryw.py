"""Read-your-writes lag under write load: from a write's response until a list shows it.

Our server (`bench.servers ours`) takes writes over HTTP from several client threads
for a fixed duration. Meanwhile a probe writes a dialogue of its own every so often
and, from the moment the response arrives, reads `list_dialogues` for its municipality
until the new dialogue is listed. Alternate probes measure the two kinds of reader:

- passive: polls the list every millisecond; the lag is how far the views trail the
  store (the projection loop's batch plus, when idle, its `idle_seconds` wait);
- waiting: calls `Projections.read_your_writes()` first, as a read that must see the
  caller's writes does; the figure is that read's whole latency.

The read side runs in this process (`projections.readside.Projections` over the
server's store, its loop started with its default idle wait): the HTTP list routes
and the projections in the API's lifespan are not on this branch yet. Baselines in
the same run: the probe's own write latency and a plain list read's latency.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from bench.bench_http import CLIENTS, dialogue_request, writer_token
from bench.common import append_result, load_average, print_table, ratio
from bench.loadgen import LoadResult, run_load, serving, tmp_store
from domain.values import Role
from infra.bootstrap import open_application
from infra.viewstores import SQLiteViewStore
from projections.catalogue import CatalogueView
from projections.lists import list_dialogues
from projections.readside import Projections
from workflow.settings import Settings

SECONDS = 10.0
PROBE_EVERY = 0.05  # seconds between probes
PROBE_MUNICIPALITY = "0114"  # Upplands Väsby: the writers write for another one
GIVE_UP_SECONDS = 10.0


def listed(view: CatalogueView, dialogue_id: UUID) -> bool:
    """Whether the probe municipality's dialogue list holds `dialogue_id` (every page)."""
    cursor: str | None = None
    while True:
        page = list_dialogues(view, municipality=PROBE_MUNICIPALITY, limit=500, cursor=cursor)
        if any(row.id == dialogue_id for row in page.items):
            return True
        if page.next_cursor is None:
            return False
        cursor = page.next_cursor


@dataclass
class Probes:
    write_ms: list[float]
    plain_read_ms: list[float]
    passive_lag_ms: list[float]
    waiting_read_ms: list[float]
    never_seen: int


def percentile(values: list[float], p: int) -> float:
    if not values:
        return 0.0
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


@dataclass
class RywResult:
    writers: LoadResult
    probes: Probes
    idle_seconds: float
    load_before: tuple[float, float, float]

    def record(self) -> dict[str, Any]:
        p = self.probes
        summary = {
            name: {"count": len(v), "p50_ms": percentile(v, 50), "p99_ms": percentile(v, 99)}
            for name, v in (
                ("write", p.write_ms),
                ("plain_read", p.plain_read_ms),
                ("passive_lag", p.passive_lag_ms),
                ("waiting_read", p.waiting_read_ms),
            )
        }
        return {
            "writers": self.writers.record(),
            "probes": summary,
            "never_seen": p.never_seen,
            "idle_seconds": self.idle_seconds,
            "passive_lag_vs_write": ratio(percentile(p.passive_lag_ms, 50),
                                          percentile(p.write_ms, 50)),
            "waiting_read_vs_plain_read": ratio(percentile(p.waiting_read_ms, 50),
                                                percentile(p.plain_read_ms, 50)),
            "load_before": self.load_before,
        }  # fmt: skip


def probe(port: int, token: str, projections: Projections, stop: threading.Event) -> Probes:
    """Write, then read until listed, alternating passive and waiting readers."""
    view = projections.catalogue
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    result = Probes([], [], [], [], 0)
    n = 0
    while not stop.is_set():
        body = {
            "municipality": PROBE_MUNICIPALITY,
            "kind": "citizen_dialogue",
            "held_on": "2025-02-04",
            "title": f"Mätning {n}",
        }
        began = time.perf_counter()
        connection.request(
            "POST",
            "/api/v1/dialogues",
            body=json.dumps(body).encode(),
            headers={**headers, "Idempotency-Key": str(uuid4())},
        )
        response = connection.getresponse()
        payload = response.read()
        answered = time.perf_counter()
        if response.status != 201:
            raise RuntimeError(f"probe write failed: {response.status} {payload[:200]!r}")
        result.write_ms.append((answered - began) * 1000)
        dialogue_id = UUID(json.loads(payload)["id"])
        if n % 2:
            projections.read_your_writes()
            seen = listed(view, dialogue_id)
            done = time.perf_counter()
            if seen:
                result.waiting_read_ms.append((done - answered) * 1000)
            else:
                result.never_seen += 1
        else:
            read_began = time.perf_counter()
            seen = listed(view, dialogue_id)
            result.plain_read_ms.append((time.perf_counter() - read_began) * 1000)
            while not seen and time.perf_counter() - answered < GIVE_UP_SECONDS:
                time.sleep(0.001)
                seen = listed(view, dialogue_id)
            if seen:
                result.passive_lag_ms.append((time.perf_counter() - answered) * 1000)
            else:
                result.never_seen += 1
        n += 1
        stop.wait(PROBE_EVERY)
    connection.close()
    return result


def run_ryw(
    clients: int = CLIENTS - 1, seconds: float = SECONDS, workdir: Path | None = None
) -> RywResult:
    load_before = load_average()
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        url = tmp_store(Path(tmp), "ryw")
        writer = writer_token(url)
        from infra.token_stores import SQLiteTokenStore

        tokens = SQLiteTokenStore(Settings(database_url=url).sibling_sqlite("api"))
        prober = tokens.issue(Role.POLICE, [PROBE_MUNICIPALITY], "Mätsond").secret
        with serving("ours", url) as port:
            reader = open_application(Settings(database_url=url))
            projections = Projections(reader, SQLiteViewStore(Path(tmp) / "views.sqlite3"))
            projections.start()
            stop = threading.Event()
            probes: list[Probes] = []
            prober_thread = threading.Thread(
                target=lambda: probes.append(probe(port, prober, projections, stop))
            )
            try:
                prober_thread.start()
                writers = run_load(
                    "writers", port, dialogue_request(writer), clients=clients, seconds=seconds
                )
            finally:
                stop.set()
                prober_thread.join(GIVE_UP_SECONDS + 30)
                projections.close()
                reader.close()
    if not probes:
        raise RuntimeError("the probe failed; see its traceback above")
    return RywResult(
        writers=writers,
        probes=probes[0],
        idle_seconds=projections.idle_seconds,
        load_before=load_before,
    )


def report(result: RywResult) -> None:
    p = result.probes
    write50 = percentile(p.write_ms, 50)
    rows = [
        [name, len(values), percentile(values, 50), percentile(values, 99),
         max(values, default=0.0), ratio(percentile(values, 50), write50)]
        for name, values in (
            ("probe write (baseline): POST until response", p.write_ms),
            ("plain list read, no wait (baseline)", p.plain_read_ms),
            ("passive lag: response until listed", p.passive_lag_ms),
            ("read_your_writes() + list, from response", p.waiting_read_ms),
        )
    ]  # fmt: skip
    print_table(
        f"Read-your-writes under {result.writers.throughput:,.0f} writes/s "
        f"({result.writers.clients} writers, {result.writers.seconds:.0f} s; views in-process, "
        f"idle wait {result.idle_seconds} s; load average before {result.load_before[0]:.1f})",
        ["measure", "count", "p50 ms", "p99 ms", "max ms", "x write p50"],
        rows,
    )
    if p.never_seen:
        print(f"{p.never_seen} probe writes were not listed within {GIVE_UP_SECONDS} s.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=CLIENTS - 1)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    args = parser.parse_args(argv)
    result = run_ryw(args.clients, args.seconds)
    report(result)
    append_result("ryw", result.record())


if __name__ == "__main__":
    main()
