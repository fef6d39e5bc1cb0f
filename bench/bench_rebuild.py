"""Rebuild of every view from the store, against the bare rate of reading and decoding it.

`Projections(app, SQLiteViewStore(path)).rebuild(jobs=N)` into a fresh views file, as
`loften rebuild` does: pages of stored events, each view taking what it needs of them
(decoded, or straight from the stored JSON), one transaction per page per view; with
`--jobs` 2 or more (by default the CPUs) the audit chains in a worker process. The
baseline is `bench_decode`'s pass over the same store in the same run (reading and
decoding only), so the ratio says what building the views costs beside it; the CPU of
this process and of the workers are shown apart. Target: the national data set in
<= 60 s.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.bench_decode import read_all
from bench.common import append_result, load_average, print_table, rate, ratio, timed
from bench.generate import DEFAULT_DATABASE_URL
from infra.bootstrap import ReadSideOpener, open_application
from infra.viewstores import SQLiteViewStore
from projections.readside import Projections
from workflow.application import Loftesboken
from workflow.settings import Settings

TARGET_SECONDS = 60.0  # for the national data set


@dataclass
class Baseline:
    """Reading and decoding every notification, measured in the same run."""

    events: int
    seconds: float

    @property
    def events_per_second(self) -> float:
        return rate(self.events, self.seconds)


def measure_baseline(app: Loftesboken) -> Baseline:
    events, took = timed(lambda: read_all(app))
    return Baseline(events, took.wall)


@dataclass
class RebuildResult:
    events: int
    seconds: float
    cpu_seconds: float
    baseline: Baseline
    views_path: str
    load_before: tuple[float, float, float]
    #: Processes the rebuild could use (`Projections.rebuild(jobs=...)`), and the CPU
    #: seconds its worker processes spent (beside `cpu_seconds`, this process's).
    jobs: int = 1
    worker_cpu_seconds: float = 0.0

    @property
    def events_per_second(self) -> float:
        return rate(self.events, self.seconds)

    @property
    def versus_decode(self) -> float:
        """The rebuild's rate as a share of the bare decode rate (1.0: no cost on top)."""
        return ratio(self.events_per_second, self.baseline.events_per_second)

    def record(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "events_per_second": self.events_per_second,
            "decode_events_per_second": self.baseline.events_per_second,
            "versus_decode": self.versus_decode,
            "target_seconds": TARGET_SECONDS,
        }


def run_rebuild(
    database_url: str, views_path: Path, baseline: Baseline | None = None, jobs: int | None = None
) -> RebuildResult:
    """Build every view from nothing into `views_path` (replaced); keep it for later.

    `jobs`: the processes the rebuild may use; by default the CPUs, as `loften rebuild`."""
    jobs = jobs or os.cpu_count() or 1
    for stale in views_path.parent.glob(views_path.name + "*"):
        stale.unlink()
    load_before = load_average()
    settings = Settings(database_url=database_url)
    app = open_application(settings)
    try:
        baseline = baseline or measure_baseline(app)
        opener = ReadSideOpener(settings, views_path=views_path)
        projections = Projections(app, SQLiteViewStore(views_path), rebuild_opener=opener)
        try:
            workers_before = _children_cpu()
            position, took = timed(lambda: projections.rebuild(jobs=jobs))
            worker_cpu = _children_cpu() - workers_before
        finally:
            projections.close()
    finally:
        app.close()
    return RebuildResult(
        events=position,
        seconds=took.wall,
        cpu_seconds=took.cpu,
        baseline=baseline,
        views_path=str(views_path),
        load_before=load_before,
        jobs=jobs,
        worker_cpu_seconds=worker_cpu,
    )


def _children_cpu() -> float:
    """CPU seconds of this process's ended children (the rebuild's workers)."""
    times = os.times()
    return times.children_user + times.children_system


def report(result: RebuildResult) -> None:
    print_table(
        f"Rebuild of every view: {result.events:,} events "
        f"(load average before {result.load_before[0]:.1f})",
        ["pass", "wall s", "cpu s", "workers' cpu s", "events/s", "x decode rate"],
        [
            ["read + decode (baseline, same run)", result.baseline.seconds, None, None,
             result.baseline.events_per_second, 1.0],
            [f"Projections.rebuild(jobs={result.jobs}): catalogue + audit + pages",
             result.seconds, result.cpu_seconds, result.worker_cpu_seconds,
             result.events_per_second, result.versus_decode],
        ],
    )  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--views", type=Path, default=Path("bench/data/views.sqlite3"))
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="processes the rebuild may use (2 or more: the audit view apart; default: the CPUs)",
    )
    args = parser.parse_args(argv)
    result = run_rebuild(args.database_url, args.views, jobs=args.jobs)
    report(result)
    append_result("rebuild", result.record())


if __name__ == "__main__":
    main()
