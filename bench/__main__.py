"""`python -m bench`: run every benchmark that exists and print its table.

The national data set (290 municipalities x 10 years) is generated once into
`bench/data/` and reused while its parameters match; results are appended to
`bench/results/<name>.jsonl`. `--smoke` runs each benchmark at a tiny scale in a
temporary directory and records nothing, so that it can run in the test suite.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench import bench_decode, bench_import
from bench.common import DATA_DIR, append_result, print_table
from bench.generate import describe, generate_store, marker_path, write_marker


@dataclass(frozen=True)
class Scale:
    municipalities: int
    years: int
    observations: int
    seed: int = 1


NATIONAL = Scale(municipalities=290, years=10, observations=100_000)
SMOKE = Scale(municipalities=3, years=3, observations=2_000)


def ensure_store(scale: Scale, data_dir: Path, results_dir: Path | None) -> tuple[str, int]:
    """The data set's URL and event count, generating it unless a finished one is there."""
    data_dir.mkdir(parents=True, exist_ok=True)
    name = "national" if scale == NATIONAL else f"m{scale.municipalities}-y{scale.years}"
    store = data_dir / f"{name}.sqlite3"
    marker = marker_path(store)
    url = f"sqlite:///{store}"
    if marker.exists() and store.exists():
        done = json.loads(marker.read_text())
        wanted = (scale.municipalities, scale.years, scale.seed)
        if (done["municipalities"], done["years"], done["seed"]) == wanted:
            print(f"Reusing {store}: {done['events']:,} events, generated {done['at']}.")
            return url, int(done["events"])
    for path in data_dir.glob(f"{name}.sqlite3*"):
        path.unlink()
    marker.unlink(missing_ok=True)
    print(f"Generating {scale.municipalities} municipalities x {scale.years} years into {store}")
    result = generate_store(
        url, municipalities_count=scale.municipalities, years=scale.years, seed=scale.seed
    )
    write_marker(store, result)
    print(describe(result))
    print_table(
        "Generated history: commands",
        ["command", "calls"],
        sorted(result.commands_by_name.items(), key=lambda item: -item[1]),
    )
    if results_dir:
        record = asdict(result)
        record["commands_by_name"] = dict(result.commands_by_name)
        record["events_per_second"] = result.events_per_second
        append_result("generate", record, results_dir)
    return url, result.events


def run(scale: Scale, data_dir: Path, results_dir: Path | None) -> dict[str, dict[str, Any]]:
    """Every benchmark at `scale`; the result records by benchmark name."""
    records: dict[str, dict[str, Any]] = {}
    url, events = ensure_store(scale, data_dir, results_dir)
    records["generate"] = {"events": events, "database_url": url}

    imported = bench_import.run_import(scale.observations, workdir=data_dir)
    bench_import.report(imported)
    records["import"] = imported.record()

    decoded = bench_decode.run_decode(url)
    bench_decode.report(decoded)
    records["decode"] = decoded.record()

    if results_dir:
        for name in ("import", "decode"):
            append_result(name, records[name], results_dir)
    return records


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny scale, records nothing")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    if args.smoke:
        with tempfile.TemporaryDirectory() as tmp:
            run(SMOKE, Path(tmp), results_dir=None)
    else:
        from bench.common import RESULTS_DIR

        run(NATIONAL, args.data_dir, results_dir=RESULTS_DIR)


if __name__ == "__main__":
    main()
