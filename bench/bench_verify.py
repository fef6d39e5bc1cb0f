"""Audit verification rate, against the bare rate of reading and decoding the same log.

`projections.verification.verify_municipalities` recomputes every municipality's hash
chain from the store's log up to the audit view's position and compares it with the
chain the view holds; `verify_municipality` does it for one (the API's
`GET /municipalities/{code}/audit/verification`). Every chain is verified in this
process on open connections (the rate of one core), then as `loften verify` does it,
store and view opened anew, with one job and with `--jobs` (default: the CPU count),
alternated `--repeat` times: the workers are forked before the store is opened, and
their CPU time (`resource.getrusage` of the children) is counted beside the wall time,
so the scaling with cores is measured in the same run. The baseline is
`bench_decode`'s pass over the same store in the same run. Target: >= 100,000 events/s.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.bench_rebuild import Baseline, measure_baseline
from bench.common import append_result, load_average, print_table, rate, ratio, timed
from bench.generate import DEFAULT_DATABASE_URL
from domain.reference import municipalities
from infra.bootstrap import ChainOpener, open_application, views_store
from infra.viewstores import SQLiteViewStore
from projections.models import Verification
from projections.readside import Projections
from projections.verification import verify_municipalities, verify_municipality
from projections.verification_jobs import verification_workers
from workflow.settings import Settings

TARGET_EVENTS_PER_SECOND = 100_000
# The first municipality, which the generator always includes; any code reads the
# same whole log.
ONE_MUNICIPALITY = next(iter(municipalities()))


@dataclass
class Pass:
    """One verification of every chain as `loften verify` runs it."""

    jobs: int
    seconds: float
    cpu_seconds: float  # this process and its workers
    load_before: float
    started: str = "-"  # how the workers were started: fork or spawn


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
    parallel_seconds: float = 0.0  # the best (least CPU) of the passes with `jobs`
    parallel_same: bool = True  # every pass's results equal the serial ones
    passes: list[Pass] = field(default_factory=list)

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


def _cpu() -> float:
    """CPU seconds of this process and of its children that ended (the workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def verify_as_the_cli(
    settings: Settings, views_path: Path | None, jobs: int
) -> tuple[dict[str, Verification], Pass]:
    """Every chain verified as `loften verify --jobs N` does: the workers started first
    (forked: this process holds no connection then), the store and view opened anew."""
    load = load_average()[0]
    wall, cpu = time.perf_counter(), _cpu()
    opener = ChainOpener(settings, views_path)
    with verification_workers(jobs, fork=True) as workers:
        app, view, close = opener()
        try:
            results = verify_municipalities(app, view, opener=opener, workers=workers)
        finally:
            close()
    took = Pass(jobs, time.perf_counter() - wall, _cpu() - cpu, load)
    if workers is not None:
        took.started = workers.started
    return results, took


def run_verify(
    database_url: str,
    views_path: Path | None,
    baseline: Baseline | None = None,
    jobs: int = 0,
    repeat: int = 1,
) -> VerifyResult:
    """Verify every chain (in this process, then as the CLI does with one job and `jobs`
    workers, 0 for the CPU count, `repeat` times alternated), then one chain, against the
    views at `views_path` (None: the store's own, as `loften verify` reads), caught up first."""
    load_before = load_average()
    jobs = jobs or os.cpu_count() or 1
    settings = Settings(database_url=database_url)
    app = open_application(settings)
    store = views_store(settings) if views_path is None else SQLiteViewStore(views_path)
    projections = Projections(app, store)
    try:
        projections.catch_up()
        baseline = baseline or measure_baseline(app)
        audit = projections.audit
        events = audit.position(app.name)
        verified, took = timed(lambda: verify_municipalities(app, audit))
        one, one_took = timed(lambda: verify_municipality(app, audit, ONE_MUNICIPALITY))
    finally:
        projections.close()
        app.close()
    passes, same = [], True
    for _ in range(repeat):  # nothing open here now: the workers may be forked
        for n in (1, jobs) if jobs > 1 else (1,):
            results, done = verify_as_the_cli(settings, views_path, n)
            same = same and results == verified
            passes.append(done)
    shared = min((p for p in passes if p.jobs == jobs), key=lambda p: p.cpu_seconds)
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
        parallel_seconds=shared.seconds,
        parallel_same=same,
        passes=passes,
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
            [f"loften verify --jobs {result.jobs}, least CPU of the passes (same result: "
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
    print_table(
        "Every chain as `loften verify --jobs N` runs it (store and view opened anew), in the "
        "order run; CPU: this process and its workers",
        ["jobs", "workers", "load before", "wall s", "CPU s", "events/s", "events/CPU s"],
        [[p.jobs, p.started, p.load_before, p.seconds, p.cpu_seconds,
          rate(result.events, p.seconds), rate(result.events, p.cpu_seconds)]
         for p in result.passes],
    )  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument(
        "--views", type=Path, default=None, help="views file (default: the store's own)"
    )
    parser.add_argument("--jobs", type=int, default=0, help="workers (default: CPU count)")
    parser.add_argument("--repeat", type=int, default=1, help="passes of 1 and N jobs, alternated")
    args = parser.parse_args(argv)
    result = run_verify(args.database_url, args.views, jobs=args.jobs, repeat=args.repeat)
    report(result)
    append_result("verify", result.record())


if __name__ == "__main__":
    main()
