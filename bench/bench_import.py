"""Bulk import of survey observations through the application, against raw SQLite.

Ours: N observations through `Loftesboken.record_observations` in batches of 1,000,
the API's maximum per request, on the application as the server runs it
(`infra.bootstrap.open_application`: orjson codec, aggregate cache on). Each batch is
one command: load the dialogue, let it record the observations (one event each),
save them in one transaction. Three shapes:

- one survey for all (the target): each command loads the survey from the aggregate
  cache, brought up to date from the store, so batch k costs the same as batch 1;
- the same without the cache (before): each command replays every observation
  recorded before, so batch k costs a + b k and the whole import grows with the square
  of its size. It stops at a time budget and the total is projected from the batches
  it measured;
- a survey per batch (say, one per municipality): each command loads a dialogue of
  one event, so this is the cost of writing the observations themselves.

Baseline: the very rows our import stored (originator id, version, topic, state),
inserted into a fresh SQLite file with the same table, the same WAL journal and the
same default sync, by one `executemany` in one transaction. The ratio is what the
application costs over the database doing the same writes.
"""

from __future__ import annotations

import argparse
import gc
import sqlite3
import tempfile
from dataclasses import asdict, dataclass
from datetime import date
from functools import partial
from pathlib import Path
from random import Random
from typing import Any
from uuid import UUID

from bench.common import (
    Timing,
    append_result,
    load_average,
    print_table,
    rate,
    ratio,
    timed,
)
from bench.history import AGE_GROUPS
from bench.texts import PLACES, survey_summary
from domain.reference import municipalities
from domain.values import Actor, DialogueKind, ObservationInput, Role, Theme
from infra.bootstrap import open_application
from workflow.clock import FakeClock
from workflow.settings import Settings

TARGET_SECONDS = 5.0  # for 100,000 observations
DEFAULT_BUDGET_SECONDS = 60.0  # for the single survey, whose batches grow slower
IMPORTER = Actor(label="Import av trygghetsmätning", role=Role.POLICE)


@dataclass
class Run:
    """One way of importing: how far it got and how long it took."""

    rows: int
    batches: int
    seconds: float
    cpu_seconds: float
    first_batch_seconds: float
    last_batch_seconds: float
    completed: bool
    projected_seconds: float  # equal to `seconds` when completed
    # CPU seconds of the last tenth of the batches over the first tenth's: 1.0 when the
    # import is linear (each batch costs the same), growing with the size when not.
    growth: float = 1.0

    @property
    def rows_per_second(self) -> float:
        return rate(self.rows, self.seconds)


@dataclass
class ImportResult:
    observations: int
    batch_size: int
    spread: Run  # one survey dialogue per batch: every command loads a fresh dialogue
    single: Run  # one survey dialogue for all, through the aggregate cache
    raw_seconds: float
    raw_cpu_seconds: float
    uncached: Run  # as `single` without the cache (before): every command replays the survey
    load_before: tuple[float, float, float]

    @property
    def raw_rows_per_second(self) -> float:
        return rate(self.observations, self.raw_seconds)

    @property
    def slowdown(self) -> float:
        """How many times longer the spread import takes than the raw insert."""
        return ratio(self.spread.seconds, self.raw_seconds)

    @property
    def single_slowdown(self) -> float:
        """The same for one survey (projected to all rows if it ran out of budget)."""
        return ratio(self.single.projected_seconds, self.raw_seconds)

    @property
    def target_seconds(self) -> float:
        return TARGET_SECONDS * self.observations / 100_000

    @property
    def met(self) -> bool:
        """One survey within the target time, its last batches no dearer than its first."""
        return self.single.completed and self.single.seconds <= self.target_seconds

    def record(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "spread_rows_per_second": self.spread.rows_per_second,
            "single_rows_per_second": self.single.rows_per_second,
            "raw_rows_per_second": self.raw_rows_per_second,
            "slowdown": self.slowdown,
            "single_slowdown": self.single_slowdown,
            "uncached_slowdown": ratio(self.uncached.projected_seconds, self.raw_seconds),
            "cache_speedup": ratio(self.uncached.projected_seconds, self.single.seconds),
            "target_seconds": self.target_seconds,
            "met": self.met,
        }


def survey_rows(count: int, seed: int = 1) -> list[ObservationInput]:
    """`count` survey answers as counts per place, age group and theme."""
    rng = Random(seed)
    themes = list(Theme)
    return [
        ObservationInput(
            theme=(theme := rng.choice(themes)),
            summary=f"{rng.choice(AGE_GROUPS)}: "
            + survey_summary(theme, place := rng.choice(PLACES), rng.randint(2, 60)),
            place=place,
            count=rng.randint(1, 400),
        )
        for _ in range(count)
    ]


def import_through_application(
    database_url: str,
    rows: list[ObservationInput],
    batch_size: int,
    *,
    one_survey: bool,
    budget_seconds: float | None = None,
    cached: bool = True,
) -> Run:
    """Record `rows` in batches, into one survey or one survey per batch; stop at the budget."""
    clock = FakeClock(date(2025, 5, 20))
    settings = Settings(database_url=database_url)
    if not cached:
        settings = settings.model_copy(update={"aggregate_cache_size": 0})
    app = open_application(settings, clock)
    codes = list(municipalities())

    def survey(index: int) -> UUID:
        return app.hold_dialogue(
            municipality=codes[index % len(codes)],
            kind=DialogueKind.SURVEY,
            held_on=date(2025, 4, 30),
            title=f"Trygghetsmätning 2025, del {index + 1}",
            actor=IMPORTER,
        ).id

    try:
        planned = -(-len(rows) // batch_size)
        surveys = [survey(i) for i in range(1 if one_survey else planned)]
        batches: list[float] = []
        cpu: list[float] = []

        def run() -> None:
            for index, start in enumerate(range(0, len(rows), batch_size)):
                target = surveys[0] if one_survey else surveys[index]
                batch = rows[start : start + batch_size]
                _, took = timed(partial(app.record_observations, target, batch, actor=IMPORTER))
                batches.append(took.wall)
                cpu.append(took.cpu)
                if budget_seconds is not None and sum(batches) > budget_seconds:
                    return

        # What an earlier run left for the collector (a closed application's cache of a
        # thousand surveys) is freed here, not in this run's first batches.
        gc.collect()
        _, total = timed(run)
    finally:
        app.close()
    done = min(len(batches) * batch_size, len(rows))
    return Run(
        rows=done,
        batches=len(batches),
        seconds=total.wall,
        cpu_seconds=total.cpu,
        first_batch_seconds=batches[0],
        last_batch_seconds=batches[-1],
        completed=done == len(rows),
        projected_seconds=total.wall if done == len(rows) else project(batches, planned),
        growth=growth(cpu),
    )


def growth(cpu: list[float]) -> float:
    """The CPU time of the last tenth of the batches over that of the first tenth."""
    tenth = max(1, len(cpu) // 10)
    return ratio(sum(cpu[-tenth:]), sum(cpu[:tenth]))


def project(batches: list[float], planned: int) -> float:
    """The time for all `planned` batches, if each keeps growing as the measured ones did.

    A straight line through the batch times (least squares), summed over every batch:
    each command replays the survey's earlier observations, so batch k costs a + b k.
    """
    n = len(batches)
    if n < 2:
        return batches[0] * planned if batches else 0.0
    mean_k = (n - 1) / 2
    mean_t = sum(batches) / n
    slope = sum((k - mean_k) * (t - mean_t) for k, t in enumerate(batches)) / sum(
        (k - mean_k) ** 2 for k in range(n)
    )
    intercept = mean_t - slope * mean_k
    return planned * intercept + slope * planned * (planned - 1) / 2


def stored_rows(path: Path) -> list[tuple[str, int, str, bytes]]:
    """The observation rows the application stored, exactly as stored."""
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT originator_id, originator_version, topic, state FROM stored_events "
            "WHERE topic = 'loften:Dialogue.ObservationRecorded' ORDER BY rowid"
        ).fetchall()


def raw_insert(path: Path, rows: list[tuple[str, int, str, bytes]]) -> Timing:
    """Seconds to insert `rows` in one transaction into the library's table layout."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(
            "CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, "
            "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))"
        )

        def insert() -> None:
            db.execute("BEGIN")
            db.executemany("INSERT INTO stored_events VALUES (?, ?, ?, ?)", rows)
            db.execute("COMMIT")

        _, took = timed(insert)
        return took
    finally:
        db.close()


def run_import(
    observations: int = 100_000,
    batch_size: int = 1_000,
    workdir: Path | None = None,
    budget_seconds: float | None = DEFAULT_BUDGET_SECONDS,
) -> ImportResult:
    """Import `observations` both ways through the application and raw; compare."""
    rows = survey_rows(observations)
    load_before = load_average()
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        spread_path = Path(tmp) / "spread.sqlite3"
        spread = import_through_application(
            f"sqlite:///{spread_path}", rows, batch_size, one_survey=False
        )
        stored = stored_rows(spread_path)
        if len(stored) != observations:
            raise RuntimeError(f"expected {observations} stored observations, found {len(stored)}")
        raw = raw_insert(Path(tmp) / "raw.sqlite3", stored)
        del stored  # a million rows need not be alive during the runs that follow
        single = import_through_application(
            f"sqlite:///{Path(tmp) / 'single.sqlite3'}", rows, batch_size, one_survey=True
        )
        uncached = import_through_application(
            f"sqlite:///{Path(tmp) / 'uncached.sqlite3'}",
            rows,
            batch_size,
            one_survey=True,
            budget_seconds=budget_seconds,
            cached=False,
        )
    return ImportResult(
        observations=observations,
        batch_size=batch_size,
        spread=spread,
        single=single,
        raw_seconds=raw.wall,
        raw_cpu_seconds=raw.cpu,
        uncached=uncached,
        load_before=load_before,
    )


def report(result: ImportResult) -> None:
    spread, single, uncached = result.spread, result.single, result.uncached
    print_table(
        f"Bulk import of {result.observations:,} survey observations "
        f"(batches of {result.batch_size:,}; load average before {result.load_before[0]:.1f})",
        ["writer", "rows", "wall s", "cpu s", "rows/s", "x raw time", "cpu last/first tenth"],
        [
            ["record_observations, one survey (aggregate cache)", single.rows, single.seconds,
             single.cpu_seconds, single.rows_per_second, result.single_slowdown, single.growth],
            ["one survey, no cache (before)" + ("" if uncached.completed else " (stopped)"),
             uncached.rows, uncached.seconds, uncached.cpu_seconds, uncached.rows_per_second,
             ratio(uncached.seconds, result.raw_seconds * uncached.rows / result.observations),
             uncached.growth],
            ["record_observations, a survey per batch", spread.rows, spread.seconds,
             spread.cpu_seconds, spread.rows_per_second, result.slowdown, spread.growth],
            ["raw SQLite executemany, one transaction", result.observations,
             result.raw_seconds, result.raw_cpu_seconds, result.raw_rows_per_second, 1.0, ""],
        ],
    )  # fmt: skip
    print(
        f"One survey without the cache: batch 1 took {uncached.first_batch_seconds * 1000:.0f} ms, "
        f"batch {uncached.batches} {uncached.last_batch_seconds * 1000:.0f} ms; all "
        f"{result.observations:,} rows: {uncached.projected_seconds:,.0f} s"
        + ("" if uncached.completed else " projected")
        + f". With it: {single.seconds:.2f} s wall. Target <= {result.target_seconds:.2f} s: "
        + ("met" if result.met else "not met")
        + "."
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--observations", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=1_000)
    parser.add_argument("--budget-seconds", type=float, default=DEFAULT_BUDGET_SECONDS)
    args = parser.parse_args(argv)
    result = run_import(args.observations, args.batch_size, budget_seconds=args.budget_seconds)
    report(result)
    append_result("import", result.record())


if __name__ == "__main__":
    main()
