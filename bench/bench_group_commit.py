"""Group commit, the write path alone: concurrent commands saved with it and without it.

Threads call `Loftesboken.hold_dialogue` on one application over a fresh SQLite store
for a fixed number of commands, once with group commit (`Settings.group_commit`,
the default) and once without, in the same run; the ratio of the two throughputs is
the figure, with the CPU per save and the sizes of the batches committed.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from statistics import mean
from typing import Any

from bench.common import append_result, load_average, print_table, ratio
from domain.values import Actor, DialogueKind, Role
from infra.bootstrap import open_application
from workflow.settings import Settings

THREADS = 32
COMMANDS = 3000
WARMUP = 50
WRITER = Actor(label="Lastgenerator", role=Role.POLICE)


def run_one(grouped: bool, threads: int, commands: int, directory: Path) -> dict[str, Any]:
    url = f"sqlite:///{directory / ('grouped' if grouped else 'alone')}.sqlite3"
    app = open_application(Settings(database_url=url, group_commit=grouped))

    def write(n: int) -> None:
        app.hold_dialogue(
            municipality="1280", kind=DialogueKind.CITIZEN_DIALOGUE,
            held_on=date(2025, 2, 4), title=f"Dialog {n}", actor=WRITER,
        )  # fmt: skip

    try:
        for n in range(WARMUP):
            write(n)
        group = getattr(app.recorder, "group", None)
        before = len(group.batches) if group is not None else 0
        wall, cpu = time.perf_counter(), time.process_time()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(write, range(commands)))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        batches = group.batches[before:] if group is not None else []
    finally:
        app.close()
    return {
        "group_commit": grouped,
        "saves_per_second": commands / wall,
        "cpu_ms_per_save": 1000 * cpu / commands,
        "batches": len(batches),
        "mean_batch": mean(batches) if batches else 1.0,
        "largest_batch": max(batches, default=1),
    }


def run_group_commit(threads: int = THREADS, commands: int = COMMANDS) -> dict[str, Any]:
    load_before = load_average()
    with tempfile.TemporaryDirectory() as tmp:
        alone = run_one(False, threads, commands, Path(tmp))
        grouped = run_one(True, threads, commands, Path(tmp))
    return {
        "threads": threads,
        "commands": commands,
        "alone": alone,
        "grouped": grouped,
        "grouped_vs_alone": ratio(grouped["saves_per_second"], alone["saves_per_second"]),
        "load_before": load_before,
    }


def report(result: dict[str, Any]) -> None:
    rows = [
        [name, r["saves_per_second"], r["cpu_ms_per_save"], r["mean_batch"], r["largest_batch"],
         ratio(r["saves_per_second"], result["alone"]["saves_per_second"])]
        for name, r in (("one transaction per save", result["alone"]),
                        ("group commit", result["grouped"]))
    ]  # fmt: skip
    print_table(
        f"Saves from {result['threads']} threads, {result['commands']} commands each way "
        f"(load average before {result['load_before'][0]:.1f})",
        ["write path", "saves/s", "CPU ms/save", "mean batch", "largest", "x alone"],
        rows,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--threads", type=int, default=THREADS)
    parser.add_argument("--commands", type=int, default=COMMANDS)
    args = parser.parse_args(argv)
    result = run_group_commit(args.threads, args.commands)
    report(result)
    append_result("group_commit", result)


if __name__ == "__main__":
    main()
