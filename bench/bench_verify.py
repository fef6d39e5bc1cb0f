"""Audit verification rate, against the bare rate of reading and decoding the same log.

`projections.audit.verify_municipalities` recomputes every municipality's hash chain
from the store's notifications up to the audit view's position and compares it with
the chain the view holds; `verify_municipality` does it for one (the API's
`GET /municipalities/{code}/audit/verification`). Both read the whole log. Every
chain is verified twice: in this process (`jobs=1`) and shared among `--jobs` worker
processes (default: the CPU count), so the scaling with cores is measured in the same
run. The baseline is `bench_decode`'s pass over the same store in the same run.
Target: >= 100,000 events/s.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.bench_rebuild import Baseline, measure_baseline
from bench.common import append_result, load_average, print_table, rate, ratio, timed
from bench.generate import DEFAULT_DATABASE_URL
from domain.reference import municipalities
from infra.bootstrap import ChainOpener, open_application
from infra.viewstores import SQLiteViewStore
from projections.readside import Projections
from projections.verification import verify_municipalities, verify_municipality
from workflow.settings import Settings

TARGET_EVENTS_PER_SECOND = 100_000
# The first municipality, which the generator always includes; any code reads the
# same whole log.
ONE_MUNICIPALITY = next(iter(municipalities()))


@dataclass
class VerifyResult:
    events: int  # the log up to the audit view's position
    municipalities: int
    chain_entries: int  # summed over every chain
    seconds: float
    cpu_seconds: float
    one_seconds: float
    one_entries: int
    all_ok: bool
    baseline: Baseline
    load_before: tuple[float, float, float]
    jobs: int = 1
    parallel_seconds: float = 0.0
    parallel_same: bool = True  # the workers' results equal the serial ones

    @property
    def events_per_second(self) -> float:
        return rate(self.events, self.seconds)

    @property
    def parallel_events_per_second(self) -> float:
        return rate(self.events, self.parallel_seconds)

    @property
    def one_events_per_second(self) -> float:
        """Entries of the one chain verified per second (its events are all it reads)."""
        return rate(self.one_entries, self.one_seconds)

    def record(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "events_per_second": self.events_per_second,
            "parallel_events_per_second": self.parallel_events_per_second,
            "one_events_per_second": self.one_events_per_second,
            "decode_events_per_second": self.baseline.events_per_second,
            "versus_decode": ratio(self.events_per_second, self.baseline.events_per_second),
            "target_events_per_second": TARGET_EVENTS_PER_SECOND,
        }


def run_verify(
    database_url: str, views_path: Path, baseline: Baseline | None = None, jobs: int = 0
) -> VerifyResult:
    """Verify every chain (serially, then by `jobs` workers: 0 for the CPU count), then one,
    against views at `views_path` (caught up first)."""
    load_before = load_average()
    jobs = jobs or os.cpu_count() or 1
    settings = Settings(database_url=database_url)
    app = open_application(settings)
    projections = Projections(app, SQLiteViewStore(views_path))
    try:
        projections.catch_up()
        baseline = baseline or measure_baseline(app)
        audit = projections.audit
        events = audit.position(app.name)
        verified, took = timed(lambda: verify_municipalities(app, audit))
        opener = ChainOpener(settings, views_path)
        shared, shared_took = timed(
            lambda: verify_municipalities(app, audit, jobs=jobs, opener=opener)
        )
        one, one_took = timed(lambda: verify_municipality(app, audit, ONE_MUNICIPALITY))
    finally:
        projections.close()
        app.close()
    return VerifyResult(
        events=events,
        municipalities=len(verified),
        chain_entries=sum(v.entries for v in verified.values()),
        seconds=took.wall,
        cpu_seconds=took.cpu,
        one_seconds=one_took.wall,
        one_entries=one.entries,
        all_ok=all(v.ok for v in verified.values()) and one.ok,
        baseline=baseline,
        load_before=load_before,
        jobs=jobs,
        parallel_seconds=shared_took.wall,
        parallel_same=shared == verified,
    )


def report(result: VerifyResult) -> None:
    decode = result.baseline.events_per_second
    print_table(
        f"Audit verification over {result.events:,} events, {result.municipalities} chains, "
        f"{result.chain_entries:,} entries, all intact: {result.all_ok} "
        f"(load average before {result.load_before[0]:.1f})",
        ["pass", "wall s", "events/s", "x decode rate", "x target"],
        [
            ["read + decode (baseline, same run)", result.baseline.seconds, decode, 1.0,
             ratio(decode, TARGET_EVENTS_PER_SECOND)],
            ["verify_municipalities (every chain)", result.seconds, result.events_per_second,
             ratio(result.events_per_second, decode),
             ratio(result.events_per_second, TARGET_EVENTS_PER_SECOND)],
            [f"verify_municipalities, {result.jobs} workers (same result: "
             f"{result.parallel_same})", result.parallel_seconds,
             result.parallel_events_per_second,
             ratio(result.parallel_events_per_second, decode),
             ratio(result.parallel_events_per_second, TARGET_EVENTS_PER_SECOND)],
            [f"verify_municipality({ONE_MUNICIPALITY}): {result.one_entries:,} entries",
             result.one_seconds, result.one_events_per_second,
             ratio(result.one_events_per_second, decode),
             ratio(result.one_events_per_second, TARGET_EVENTS_PER_SECOND)],
        ],
    )  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--views", type=Path, default=Path("bench/data/views.sqlite3"))
    parser.add_argument("--jobs", type=int, default=0, help="workers (default: CPU count)")
    args = parser.parse_args(argv)
    result = run_verify(args.database_url, args.views, jobs=args.jobs)
    report(result)
    append_result("verify", result.record())


if __name__ == "__main__":
    main()
