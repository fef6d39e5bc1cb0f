"""Report latency at 1, 3 and 10 years of history: the cost must stay flat in its length.

For each history length a store of the same municipalities is generated (ending on
the same day), its views are built (`Projections.rebuild()`), and then the annual
report of each municipality for the last year and the national coverage of the last
year are made again and again through `projections.reports.source.ReportSource`,
the way the report routes read them (facts from the views, then the pure builders;
no rendering). The baseline is the shortest history, in the same run: the ratio
10 y / 1 y says how much longer history costs (1.0: not at all). Target: flat, and
p95 <= 50 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import DATA_DIR, append_result, load_average, print_table, ratio
from bench.generate import generate_store, marker_path, write_marker
from domain.reference import municipalities
from infra.bootstrap import open_application
from infra.viewstores import SQLiteViewStore
from projections.readside import Projections
from projections.reports.source import ReportSource
from workflow.settings import Settings

YEARS = (1, 3, 10)
MUNICIPALITIES = 30
REPEATS = 200
LAST_DAY = date(2025, 12, 31)
TARGET_P95_MS = 50.0


@dataclass
class Latency:
    count: int
    p50_ms: float
    p95_ms: float
    max_ms: float

    @classmethod
    def of(cls, seconds: list[float]) -> Latency:
        ms = sorted(s * 1000 for s in seconds)
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        return cls(len(ms), statistics.median(ms), p95, ms[-1])


@dataclass
class History:
    years: int
    events: int
    annual: Latency
    national: Latency


@dataclass
class ReportsResult:
    municipalities: int
    year: int
    histories: list[History] = field(default_factory=list)
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def ratios(self) -> dict[str, float]:
        """Longest history against the shortest and the one before it, p50 and p95.

        The generated history starts with no promises, so its first year has fewer of
        them in force than later years: the one-year store's report holds less.
        """
        ratios: dict[str, float] = {}
        last = self.histories[-1]
        for label, base in (("first", self.histories[0]), ("previous", self.histories[-2:][0])):
            for name in ("annual", "national"):
                ours: Latency = getattr(last, name)
                theirs: Latency = getattr(base, name)
                ratios[f"{name}_p50_vs_{label}"] = ratio(ours.p50_ms, theirs.p50_ms)
                ratios[f"{name}_p95_vs_{label}"] = ratio(ours.p95_ms, theirs.p95_ms)
        return ratios

    def record(self) -> dict[str, Any]:
        return {**asdict(self), "ratios": self.ratios(), "target_p95_ms": TARGET_P95_MS}


def ensure_history(data_dir: Path, count: int, years: int, seed: int) -> tuple[str, int]:
    """A generated store of `count` municipalities over `years` years, reused if finished."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = data_dir / f"reports-m{count}-y{years}.sqlite3"
    marker = marker_path(store)
    if store.exists() and marker.exists():
        done = json.loads(marker.read_text())
        if (done["municipalities"], done["years"], done["seed"]) == (count, years, seed):
            return f"sqlite:///{store}", int(done["events"])
    for stale in data_dir.glob(store.name + "*"):
        stale.unlink()
    url = f"sqlite:///{store}"
    result = generate_store(
        url, municipalities_count=count, years=years, seed=seed, last_day=LAST_DAY
    )
    write_marker(store, result)
    return url, result.events


def measure(url: str, views: Path, codes: list[str], year: int, repeats: int) -> History:
    """Build the views of one store, then time each report `repeats` times."""
    for stale in views.parent.glob(views.name + "*"):
        stale.unlink()
    app = open_application(Settings(database_url=url))
    projections = Projections(app, SQLiteViewStore(views))
    try:
        events = projections.rebuild()
        source = ReportSource(projections.catalogue, projections.audit)
        source.annual(codes[0], year)  # warm: imports, statement caches
        source.national(year)
        annual: list[float] = []
        national: list[float] = []
        for index in range(repeats):
            began = time.perf_counter()
            source.annual(codes[index % len(codes)], year)
            annual.append(time.perf_counter() - began)
            began = time.perf_counter()
            source.national(year)
            national.append(time.perf_counter() - began)
    finally:
        projections.close()
        app.close()
    return History(0, events, Latency.of(annual), Latency.of(national))


def run_reports(
    data_dir: Path,
    *,
    count: int = MUNICIPALITIES,
    years: tuple[int, ...] = YEARS,
    repeats: int = REPEATS,
    seed: int = 1,
) -> ReportsResult:
    codes = list(municipalities())[:count]
    result = ReportsResult(municipalities=count, year=LAST_DAY.year, load_before=load_average())
    for length in years:
        url, _ = ensure_history(data_dir, count, length, seed)
        views = data_dir / f"reports-m{count}-y{length}-views.sqlite3"
        history = measure(url, views, codes, LAST_DAY.year, repeats)
        history.years = length
        result.histories.append(history)
    return result


def report(result: ReportsResult) -> None:
    first = result.histories[0]
    rows: list[list[Any]] = []
    for history in result.histories:
        for name in ("annual", "national"):
            latency: Latency = getattr(history, name)
            base: Latency = getattr(first, name)
            rows.append(
                [
                    f"{name}, {history.years} y ({history.events:,} events)",
                    latency.count,
                    latency.p50_ms,
                    latency.p95_ms,
                    latency.max_ms,
                    ratio(latency.p50_ms, base.p50_ms),
                    ratio(latency.p95_ms, base.p95_ms),
                ]
            )
    print_table(
        f"Report latency, {result.municipalities} municipalities, reports for "
        f"{result.year} (load average before {result.load_before[0]:.1f})",
        ["report, history", "count", "p50 ms", "p95 ms", "max ms", "p50 x 1st", "p95 x 1st"],
        rows,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--municipalities", type=int, default=MUNICIPALITIES)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    result = run_reports(args.data_dir, count=args.municipalities, repeats=args.repeats)
    report(result)
    append_result("reports", result.record())


if __name__ == "__main__":
    main()
