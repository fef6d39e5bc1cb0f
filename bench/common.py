"""Helpers shared by the benchmarks: timing, ratios, a small table, results as JSON lines."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar

from eventsourcing.persistence import JSONTranscoder, Transcoder
from rich.console import Console
from rich.table import Table

from workflow.application import Loftesboken

T = TypeVar("T")

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
DATA_DIR = BENCH_DIR / "data"


@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds, and this process's CPU seconds (steadier on a shared machine)."""

    wall: float
    cpu: float


def timed(function: Callable[[], T]) -> tuple[T, Timing]:
    """Run `function` once; its result and how long it took."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, Timing(time.perf_counter() - wall, time.process_time() - cpu)


def rate(count: float, seconds: float) -> float:
    """Items per second; 0 when nothing was measured."""
    return count / seconds if seconds > 0 else 0.0


def ratio(ours: float, baseline: float) -> float:
    """`ours` as a multiple of `baseline` (1.0 means as fast); 0 when there is no baseline."""
    return ours / baseline if baseline else 0.0


class LibraryJSONLoftesboken(Loftesboken):
    """The application with the library's own `JSONTranscoder`, as it was before
    `OrjsonTranscoder`: the "before" of the transcoder's before/after figures."""

    def construct_transcoder(self) -> Transcoder:
        transcoder = JSONTranscoder()
        self.register_transcodings(transcoder)
        return transcoder


def load_average() -> tuple[float, float, float]:
    """The machine's 1, 5 and 15 minute load averages: how shared it was at the time."""
    try:
        return os.getloadavg()
    except OSError:
        return (0.0, 0.0, 0.0)


def machine_info() -> dict[str, Any]:
    """What the figures were taken on, recorded with every result."""
    return {
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": _cpu_model(),
        "sqlite": sqlite3.sqlite_version,
        "eventsourcing": version("eventsourcing"),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def append_result(
    name: str, record: Mapping[str, Any], results_dir: Path | None = None
) -> dict[str, Any]:
    """Append one result, stamped with the time and the machine, to `<name>.jsonl`."""
    directory = results_dir or RESULTS_DIR
    directory.mkdir(parents=True, exist_ok=True)
    line = {
        "benchmark": name,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "load_average": load_average(),
        **record,
    }
    with (directory / f"{name}.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
    return line


def print_table(
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    console: Console | None = None,
) -> None:
    """A small table: numbers right-aligned and grouped, everything else as text."""
    table = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        numeric = any(isinstance(row[index], int | float) for row in rows)
        table.add_column(column, justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*(_cell(value) for value in row))
    (console or Console(width=140)).print(table)


def _cell(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)
