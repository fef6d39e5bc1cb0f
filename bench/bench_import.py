"""Bulk import of survey observations through the application, against raw SQLite.

Ours: N observations through `Loftesboken.record_observations` in batches of 1,000,
the API's maximum per request, on the application as the server runs it (no
aggregate cache). Each batch is one command: load the dialogue, let it record the
observations (one event each), save them in one transaction. Two shapes:

- a survey per batch (say, one per municipality): each command loads a dialogue of
  one event, so this is the cost of writing the observations themselves;
- one survey for all: each command replays every observation recorded before, so
  batch k costs a + b k and the whole import grows with the square of its size. It
  stops at a time budget and the total is projected from the batches it measured.

Baseline: the very rows our import stored (originator id, version, topic, state),
inserted into a fresh SQLite file with the same table, the same WAL journal and the
same default sync, by one `executemany` in one transaction. The ratio is what the
application costs over the database doing the same writes.
"""

from __future__ import annotations

import argparse
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
    LibraryJSONLoftesboken,
    Timing,
    append_result,
    load_average,
    print_table,
    rate,
    ratio,
    timed,
)
from bench.generate import AGE_GROUPS
from bench.texts import PLACES, survey_summary
from domain.reference import municipalities
from domain.values import Actor, DialogueKind, ObservationInput, Role, Theme
from workflow.application import Loftesboken
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

    @property
    def rows_per_second(self) -> float:
        return rate(self.rows, self.seconds)


@dataclass
class ImportResult:
    observations: int
    batch_size: int
    spread: Run  # one survey dialogue per batch: every command loads a fresh dialogue
    single: Run  # one survey dialogue for all: every command replays the ones before
    raw_seconds: float
    raw_cpu_seconds: float
    library: Run  # as `spread`, with the library's JSONTranscoder (before OrjsonTranscoder)
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

    def record(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "spread_rows_per_second": self.spread.rows_per_second,
            "single_rows_per_second": self.single.rows_per_second,
            "raw_rows_per_second": self.raw_rows_per_second,
            "slowdown": self.slowdown,
            "library_slowdown": ratio(self.library.seconds, self.raw_seconds),
            "orjson_cpu_speedup": ratio(self.library.cpu_seconds, self.spread.cpu_seconds),
            "single_slowdown": self.single_slowdown,
            "target_seconds": TARGET_SECONDS * self.observations / 100_000,
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
    application: type[Loftesboken] = Loftesboken,
) -> Run:
    """Record `rows` in batches, into one survey or one survey per batch; stop at the budget."""
    clock = FakeClock(date(2025, 5, 20))
    app = application(Settings(database_url=database_url), clock)
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

        def run() -> None:
            for index, start in enumerate(range(0, len(rows), batch_size)):
                target = surveys[0] if one_survey else surveys[index]
                batch = rows[start : start + batch_size]
                _, took = timed(partial(app.record_observations, target, batch, actor=IMPORTER))
                batches.append(took.wall)
                if budget_seconds is not None and sum(batches) > budget_seconds:
                    return

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
    )


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
        library = import_through_application(
            f"sqlite:///{Path(tmp) / 'library.sqlite3'}",
            rows,
            batch_size,
            one_survey=False,
            application=LibraryJSONLoftesboken,
        )
        spread_path = Path(tmp) / "spread.sqlite3"
        spread = import_through_application(
            f"sqlite:///{spread_path}", rows, batch_size, one_survey=False
        )
        stored = stored_rows(spread_path)
        if len(stored) != observations:
            raise RuntimeError(f"expected {observations} stored observations, found {len(stored)}")
        raw = raw_insert(Path(tmp) / "raw.sqlite3", stored)
        single = import_through_application(
            f"sqlite:///{Path(tmp) / 'single.sqlite3'}",
            rows,
            batch_size,
            one_survey=True,
            budget_seconds=budget_seconds,
        )
    return ImportResult(
        observations=observations,
        batch_size=batch_size,
        spread=spread,
        single=single,
        raw_seconds=raw.wall,
        raw_cpu_seconds=raw.cpu,
        library=library,
        load_before=load_before,
    )


def report(result: ImportResult) -> None:
    spread, single = result.spread, result.single
    print_table(
        f"Bulk import of {result.observations:,} survey observations "
        f"(batches of {result.batch_size:,}; load average before {result.load_before[0]:.1f})",
        ["writer", "rows", "wall s", "cpu s", "rows/s", "x raw time"],
        [
            ["record_observations, a survey per batch", spread.rows, spread.seconds,
             spread.cpu_seconds, spread.rows_per_second, result.slowdown],
            ["record_observations, one survey" + ("" if single.completed else " (stopped)"),
             single.rows, single.seconds, single.cpu_seconds, single.rows_per_second,
             ratio(single.seconds, result.raw_seconds * single.rows / result.observations)],
            ["a survey per batch, library JSONTranscoder (before)", result.library.rows,
             result.library.seconds, result.library.cpu_seconds,
             result.library.rows_per_second, ratio(result.library.seconds, result.raw_seconds)],
            ["raw SQLite executemany, one transaction", result.observations,
             result.raw_seconds, result.raw_cpu_seconds, result.raw_rows_per_second, 1.0],
        ],
    )  # fmt: skip
    target = TARGET_SECONDS * result.observations / 100_000
    print(
        f"One survey: batch 1 took {single.first_batch_seconds * 1000:.0f} ms, batch "
        f"{single.batches} {single.last_batch_seconds * 1000:.0f} ms (each replays the survey); "
        f"all {result.observations:,} rows: {single.projected_seconds:,.0f} s"
        + ("" if single.completed else " projected")
        + f". Target <= {target:.2f} s."
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
