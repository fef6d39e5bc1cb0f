"""Bulk import of survey observations through the application, against raw SQLite.

Ours: one trygghetsmätning (a survey dialogue) receives N observations through
`Loftesboken.record_observations` in batches of 1,000, the API's maximum per request,
on the application as the server runs it (no aggregate cache). Each batch is one
command: load the dialogue, let it record the observations, save them in one
transaction.

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
from pathlib import Path
from random import Random
from typing import Any

from bench.common import Timing, append_result, print_table, rate, ratio, timed
from bench.generate import AGE_GROUPS
from bench.texts import PLACES, survey_summary
from domain.values import Actor, DialogueKind, ObservationInput, Role, Theme
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings

TARGET_SECONDS = 5.0  # for 100,000 observations
IMPORTER = Actor(label="Import av trygghetsmätning", role=Role.POLICE)


@dataclass
class ImportResult:
    observations: int
    batch_size: int
    ours_seconds: float
    ours_cpu_seconds: float
    raw_seconds: float
    raw_cpu_seconds: float
    first_batch_seconds: float
    last_batch_seconds: float

    @property
    def ours_rows_per_second(self) -> float:
        return rate(self.observations, self.ours_seconds)

    @property
    def raw_rows_per_second(self) -> float:
        return rate(self.observations, self.raw_seconds)

    @property
    def slowdown(self) -> float:
        """How many times longer ours takes than the raw insert."""
        return ratio(self.ours_seconds, self.raw_seconds)

    def record(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "ours_rows_per_second": self.ours_rows_per_second,
            "raw_rows_per_second": self.raw_rows_per_second,
            "slowdown": self.slowdown,
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
    database_url: str, rows: list[ObservationInput], batch_size: int
) -> tuple[Timing, list[float]]:
    """Seconds for the whole import and for each batch, through the application."""
    clock = FakeClock(date(2025, 5, 20))
    app = Loftesboken(Settings(database_url=database_url), clock)
    try:
        survey = app.hold_dialogue(
            municipality="1280",
            kind=DialogueKind.SURVEY,
            held_on=date(2025, 4, 30),
            title="Trygghetsmätning Malmö 2025",
            actor=IMPORTER,
            participants=len(rows),
        )
        batches: list[float] = []

        def run() -> None:
            for start in range(0, len(rows), batch_size):
                _, took = timed(
                    lambda start=start: app.record_observations(  # type: ignore[misc]
                        survey.id, rows[start : start + batch_size], actor=IMPORTER
                    )
                )
                batches.append(took.wall)

        _, total = timed(run)
        return total, batches
    finally:
        app.close()


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
    observations: int = 100_000, batch_size: int = 1_000, workdir: Path | None = None
) -> ImportResult:
    """Import `observations` through the application and the raw baseline; compare."""
    rows = survey_rows(observations)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        ours_path = Path(tmp) / "import.sqlite3"
        ours, batches = import_through_application(f"sqlite:///{ours_path}", rows, batch_size)
        stored = stored_rows(ours_path)
        if len(stored) != observations:
            raise RuntimeError(f"expected {observations} stored observations, found {len(stored)}")
        raw = raw_insert(Path(tmp) / "raw.sqlite3", stored)
    return ImportResult(
        observations=observations,
        batch_size=batch_size,
        ours_seconds=ours.wall,
        ours_cpu_seconds=ours.cpu,
        raw_seconds=raw.wall,
        raw_cpu_seconds=raw.cpu,
        first_batch_seconds=batches[0],
        last_batch_seconds=batches[-1],
    )


def report(result: ImportResult) -> None:
    print_table(
        f"Bulk import of {result.observations:,} survey observations "
        f"(batches of {result.batch_size:,})",
        ["writer", "wall s", "cpu s", "rows/s", "x raw time"],
        [
            ["Löftesboken record_observations", result.ours_seconds,
             result.ours_cpu_seconds, result.ours_rows_per_second, result.slowdown],
            ["raw SQLite executemany, one transaction", result.raw_seconds,
             result.raw_cpu_seconds, result.raw_rows_per_second, 1.0],
        ],
    )  # fmt: skip
    print(
        f"first batch {result.first_batch_seconds * 1000:.0f} ms, "
        f"last batch {result.last_batch_seconds * 1000:.0f} ms; "
        f"target <= {TARGET_SECONDS * result.observations / 100_000:.2f} s"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--observations", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=1_000)
    args = parser.parse_args(argv)
    result = run_import(args.observations, args.batch_size)
    report(result)
    append_result("import", result.record())


if __name__ == "__main__":
    main()
