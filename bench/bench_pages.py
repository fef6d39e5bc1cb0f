"""Latency of the public pages on a national data set: `/kommun/{code}` and `/lofte/{id}`.

The pages are served by the app itself (`create_app`, in process through Starlette's
test client, no network) over views already built from the data set, with no
background work: each request does what a served one does (read-your-writes check,
reads of the views in one snapshot, rendering of the template) and nothing else.
Every municipality's page is requested, and the page of a sample of issued promises.

Baselines in the same run, through the same client: `GET /healthz` (routing and the
client alone) and the page's JSON twin, `GET /api/v1/municipalities/{code}` (one
summary read of the same views). The ratio page p95 / twin p95 says what the page's
extra reads and rendering cost. Target: p95 under 50 ms for both pages.
"""

from __future__ import annotations

import argparse
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.bench_reports import Latency
from bench.common import DATA_DIR, append_result, load_average, print_table, ratio
from domain.reference import municipalities
from workflow.settings import Settings

TARGET_P95_MS = 50.0
REPEATS = 2
PROMISES = 300


@dataclass
class PagesResult:
    events: int
    municipalities: int
    promises: int
    latency: dict[str, Latency] = field(default_factory=dict)
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def ratios(self) -> dict[str, float]:
        twin, health = self.latency["municipality_json"], self.latency["healthz"]
        ratios: dict[str, float] = {}
        for page in ("municipality_page", "promise_page"):
            ours = self.latency[page]
            ratios[f"{page}_p95_vs_json_twin"] = ratio(ours.p95_ms, twin.p95_ms)
            ratios[f"{page}_p95_vs_healthz"] = ratio(ours.p95_ms, health.p95_ms)
        return ratios

    def record(self) -> dict[str, Any]:
        return {**asdict(self), "ratios": self.ratios(), "target_p95_ms": TARGET_P95_MS}


def place_views(url: str, built: Path | None) -> None:
    """Put views built from the store at `url` (by the rebuild benchmark, at `built`)
    where the app reads them, copying with SQLite's backup API; none are built twice."""
    target = Settings(database_url=url).sibling_sqlite("views")
    if built is None or not built.exists():
        return
    if target.exists() and target.stat().st_mtime >= built.stat().st_mtime:
        return
    for stale in target.parent.glob(target.name + "*"):
        stale.unlink()
    source = sqlite3.connect(f"file:{built}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


@contextmanager
def quiet_request_log() -> Iterator[None]:
    """No request line for the pages fetched: thousands of them buried the tables of `make bench`.

    A handler on the request logger keeps `create_app` from starting its line writer,
    and a `NullHandler` drops the records: the pages and their JSON twin are measured
    alike, without the writer.
    """
    from api.observability import request_log

    handler = logging.NullHandler()
    request_log.addHandler(handler)
    try:
        yield
    finally:
        request_log.removeHandler(handler)


def run_pages(
    url: str,
    built_views: Path | None = None,
    *,
    repeats: int = REPEATS,
    promises: int = PROMISES,
) -> PagesResult:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from infra.bootstrap import open_application, open_read_side

    place_views(url, built_views)
    settings = Settings(database_url=url)
    app = open_application(settings)
    read_side = open_read_side(app, settings)
    try:
        events = read_side.catch_up()  # nothing, when the views were placed
        del events
        with read_side.catalogue.datastore.transaction(commit=False) as c:
            c.execute("SELECT id FROM promises WHERE issued_on IS NOT NULL ORDER BY seq")
            issued = [row["id"] for row in c.fetchall()]
        head = int(app.recorder.max_notification_id() or 0)
    finally:
        read_side.close()
        app.close()
    step = max(1, len(issued) // promises) if issued else 1
    sample = issued[::step][:promises]
    codes = list(municipalities())
    result = PagesResult(
        events=head, municipalities=len(codes), promises=len(sample), load_before=load_average()
    )
    with quiet_request_log(), TestClient(create_app(settings, services=())) as client:

        def timed(paths: list[str]) -> Latency:
            for path in paths[:3]:  # warm: imports, templates, statement caches
                client.get(path)
            seconds: list[float] = []
            for _ in range(repeats):
                for path in paths:
                    began = time.perf_counter()
                    response = client.get(path)
                    seconds.append(time.perf_counter() - began)
                    if response.status_code != 200 or "x-loften-stale" in response.headers:
                        raise RuntimeError(f"{path}: {response.status_code}, not a fresh page")
            return Latency.of(seconds)

        measure: dict[str, Callable[[], Latency]] = {
            "healthz": lambda: timed(["/healthz"] * len(codes)),
            "municipality_json": lambda: timed([f"/api/v1/municipalities/{c}" for c in codes]),
            "municipality_page": lambda: timed([f"/kommun/{c}" for c in codes]),
            "promise_page": lambda: timed([f"/lofte/{p}" for p in sample]),
        }
        for name, run in measure.items():
            result.latency[name] = run()
    return result


def report(result: PagesResult) -> None:
    twin = result.latency["municipality_json"]
    rows = [
        [name, lat.count, lat.p50_ms, lat.p95_ms, lat.max_ms, ratio(lat.p95_ms, twin.p95_ms)]
        for name, lat in result.latency.items()
    ]
    print_table(
        f"Public pages, {result.events:,} events, {result.municipalities} municipalities, "
        f"{result.promises} promises (load average before {result.load_before[0]:.1f}; "
        f"target p95 <= {TARGET_P95_MS:.0f} ms)",
        ["request", "count", "p50 ms", "p95 ms", "max ms", "p95 x JSON twin"],
        rows,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--national", action="store_true", help="290 x 10 years (default 5)")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    from bench.__main__ import DEFAULT, NATIONAL, ensure_store
    from bench.bench_rebuild import Baseline, run_rebuild
    from bench.common import RESULTS_DIR

    scale = NATIONAL if args.national else DEFAULT
    url, events = ensure_store(scale, args.data_dir, RESULTS_DIR)
    views = Settings(database_url=url).sibling_sqlite("views")
    if not views.exists():
        run_rebuild(url, views, Baseline(events, 0.0))
    result = run_pages(url, repeats=args.repeats)
    report(result)
    data_set = {"municipalities": scale.municipalities, "years": scale.years, "events": events}
    append_result("pages", {"data_set": data_set, **result.record()})


if __name__ == "__main__":
    main()
