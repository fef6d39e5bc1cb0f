"""Generate a realistic, deterministic history of medborgarlöften through the application.

Every event is written by the application's own commands (`Loftesboken.hold_dialogue`,
`record_observations`, `identify_issue`, ... `mark_overdue`), so every rule of the
domain and the workflow holds in the generated store, exactly as if people had typed it.

Time is simulated: each municipality's knowledge work (dialogues, a yearly
trygghetsmätning, issues), each police district's promise cycles and a weekly
deadline watcher are generator *processes* that yield the date they next act on. A
scheduler resumes them in date order and sets a `FakeClock` to that date first, so no
command ever sees a date in its future and the notification log interleaves the
municipalities as a real national store would.

Determinism: one `random.Random(seed)` drives every choice and the processes run in a
fixed order, so the same seed gives the same sequence of events (only the uuid4 ids
and the recording timestamps differ between runs).

The chapters of the history live in `bench.history`; this module runs them, writes the
store (as its only writer) and is the command line (`python -m bench.generate`).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from bench.history import History
from domain.reference import municipalities
from infra.bootstrap import open_application
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings

DEFAULT_DATABASE_URL = "sqlite:///bench/data/national.sqlite3"


# The generator is the store's only writer, so the library's aggregate cache may keep
# each aggregate as last saved (no fast-forward query, no deep copy on every read).
# Without it every command re-reads its aggregate: citing a survey as evidence replays
# hundreds of observations. Every command still runs through the application.
SINGLE_WRITER_CACHE = {
    "AGGREGATE_CACHE_MAXSIZE": "20000",
    "AGGREGATE_CACHE_FASTFORWARD": "n",
    "DEEPCOPY_FROM_AGGREGATE_CACHE": "n",
}


@dataclass
class GenerationResult:
    """What a run wrote and how long it took."""

    municipalities: int
    years: int
    seed: int
    first_day: date
    last_day: date
    events: int
    commands: int
    seconds: float
    cpu_seconds: float
    commands_by_name: Counter[str] = field(default_factory=Counter)

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def default_last_day(today: date | None = None) -> date:
    """The history ends on the last day of the previous year, so the data set is stable."""
    return date((today or date.today()).year - 1, 12, 31)


def generate(
    app: Loftesboken,
    clock: FakeClock,
    *,
    municipalities_count: int = 290,
    years: int = 10,
    seed: int = 1,
    last_day: date | None = None,
) -> GenerationResult:
    """Write `years` of history for the first `municipalities_count` municipalities."""
    all_codes = list(municipalities())
    if not 1 <= municipalities_count <= len(all_codes):
        raise ValueError(f"municipalities must be between 1 and {len(all_codes)}")
    if years < 1:
        raise ValueError("years must be at least 1")
    last_day = last_day or default_last_day()
    first_day = date(last_day.year - years + 1, 1, 1)
    before = app.recorder.max_notification_id() or 0
    history = History(
        app,
        clock,
        codes=all_codes[:municipalities_count],
        first_day=first_day,
        last_day=last_day,
        seed=seed,
    )
    wall, cpu = time.perf_counter(), time.process_time()
    history.run()
    seconds, cpu_seconds = time.perf_counter() - wall, time.process_time() - cpu
    events = (app.recorder.max_notification_id() or 0) - before
    return GenerationResult(
        municipalities=municipalities_count,
        years=years,
        seed=seed,
        first_day=first_day,
        last_day=last_day,
        events=events,
        commands=sum(history.commands.values()),
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        commands_by_name=history.commands,
    )


def open_writer(settings: Settings, clock: FakeClock) -> Loftesboken:
    """The application as the store's only writer: aggregate cache, relaxed SQLite sync."""
    env = dict(SINGLE_WRITER_CACHE)
    if settings.is_sqlite:
        env["PERSISTENCE_MODULE"] = "bench.fast_sqlite"
    return open_application(settings, clock, env=env)


def generate_store(
    database_url: str,
    *,
    municipalities_count: int = 290,
    years: int = 10,
    seed: int = 1,
    last_day: date | None = None,
) -> GenerationResult:
    """Open the store at `database_url`, generate into it and close it again."""
    clock = FakeClock(date(2000, 1, 1))
    app = open_writer(Settings(database_url=database_url), clock)
    try:
        return generate(
            app,
            clock,
            municipalities_count=municipalities_count,
            years=years,
            seed=seed,
            last_day=last_day,
        )
    finally:
        app.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--municipalities", type=int, default=290)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument(
        "--last-day",
        type=date.fromisoformat,
        default=None,
        help="the last day of the history (default: 31 December of last year)",
    )
    args = parser.parse_args(argv)
    result = generate_store(
        args.database_url,
        municipalities_count=args.municipalities,
        years=args.years,
        seed=args.seed,
        last_day=args.last_day,
    )
    print(describe(result))
    settings = Settings(database_url=args.database_url)
    if settings.is_sqlite:
        write_marker(settings.sqlite_path, result)


def marker_path(store: Path) -> Path:
    """The file beside a generated store that says it is finished, and with what."""
    return store.with_suffix(".json")


def write_marker(store: Path, result: GenerationResult) -> None:
    record = asdict(result)
    record["commands_by_name"] = dict(result.commands_by_name)
    record["at"] = datetime.now(UTC).isoformat(timespec="seconds")
    marker_path(store).write_text(json.dumps(record, default=str, indent=1))


def describe(result: GenerationResult) -> str:
    return (
        f"{result.events:,} events from {result.commands:,} commands for "
        f"{result.municipalities} municipalities x {result.years} years "
        f"({result.first_day} to {result.last_day}) in {result.seconds:.1f} s "
        f"({result.cpu_seconds:.1f} s CPU): "
        f"{result.events_per_second:,.0f} events/s"
    )


if __name__ == "__main__":
    main()
