"""`python -m bench`: run every benchmark that exists and print its table.

By default every municipality over 5 years (about 730,000 events), so that the whole
run, generation included, stays well within 20 minutes on the shared two-core machine
(6 min 6 s on 2026-12-02, docs/benchmarks.md);
`--national` takes the national data set (290 municipalities x 10 years, about 1.45
million events; about 20 minutes there, the rebuild alone 7.5). Each data set is
generated once into `bench/data/` and reused while its parameters match; results are
appended to `bench/results/<name>.jsonl`. `--smoke` runs each benchmark at a tiny scale in a
temporary directory and records nothing, so that it can run in the test suite.

Order: generate (if missing), import, decode (the baseline), rebuild of the views
and verification of the audit chains against that baseline, the public pages' latency
over those views (against their JSON twin), then the HTTP writes,
the report latency at 1, 3 and 10 years of history (stores of their own, 30
municipalities, generated once) and the read-your-writes lag.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench import (
    bench_decode,
    bench_http,
    bench_import,
    bench_pages,
    bench_postgres,
    bench_rebuild,
    bench_reports,
    bench_ryw,
    bench_verify,
)
from bench.common import DATA_DIR, append_result, print_table
from bench.generate import describe, generate_store, marker_path, write_marker


@dataclass(frozen=True)
class Scale:
    municipalities: int
    years: int
    observations: int
    seed: int = 1
    single_survey_budget: float = bench_import.DEFAULT_BUDGET_SECONDS
    compare_events: int = bench_decode.COMPARE_EVENTS
    http_clients: int = bench_http.CLIENTS
    http_seconds: float = bench_http.SECONDS
    http_warmup: float = bench_http.WARMUP_SECONDS
    ryw_seconds: float = bench_ryw.SECONDS
    reports_municipalities: int = bench_reports.MUNICIPALITIES
    reports_years: tuple[int, ...] = bench_reports.YEARS
    reports_repeats: int = bench_reports.REPEATS
    pages_repeats: int = bench_pages.REPEATS
    postgres: bool = True


NATIONAL = Scale(municipalities=290, years=10, observations=100_000)
DEFAULT = Scale(municipalities=290, years=5, observations=100_000)
SMOKE = Scale(
    municipalities=3,
    years=3,
    observations=2_000,
    single_survey_budget=1.0,
    compare_events=1_000,
    http_clients=2,
    http_seconds=0.5,
    http_warmup=0.0,
    ryw_seconds=0.5,
    reports_municipalities=2,
    reports_years=(1, 2),
    reports_repeats=3,
    pages_repeats=1,
    postgres=False,  # tests/bench/test_bench_postgres.py runs its own smoke
)


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
    began = time.perf_counter()
    records: dict[str, dict[str, Any]] = {}
    url, events = ensure_store(scale, data_dir, results_dir)
    records["generate"] = {"events": events, "database_url": url}

    data_set = {"municipalities": scale.municipalities, "years": scale.years, "events": events}

    def done(name: str, record: dict[str, Any]) -> None:
        record = {"data_set": data_set, **record}
        records[name] = record
        if results_dir:  # as each finishes, so a later failure keeps the earlier figures
            append_result(name, record, results_dir)

    imported = bench_import.run_import(
        scale.observations, workdir=data_dir, budget_seconds=scale.single_survey_budget
    )
    bench_import.report(imported)
    done("import", imported.record())

    decoded = bench_decode.run_decode(url, compare_events=scale.compare_events)
    bench_decode.report(decoded)
    done("decode", decoded.record())
    baseline = bench_rebuild.Baseline(decoded.events, decoded.seconds)

    views = data_dir / f"{Path(url.removeprefix('sqlite:///')).stem}-views.sqlite3"
    rebuilt = bench_rebuild.run_rebuild(url, views, baseline)
    bench_rebuild.report(rebuilt)
    done("rebuild", rebuilt.record())

    verified = bench_verify.run_verify(url, views, baseline)
    bench_verify.report(verified)
    done("verify", verified.record())

    pages = bench_pages.run_pages(url, views, repeats=scale.pages_repeats)
    bench_pages.report(pages)
    done("pages", pages.record())

    http = bench_http.run_http(
        scale.http_clients, scale.http_seconds, scale.http_warmup, workdir=data_dir
    )
    bench_http.report(http)
    done("http", http.record())

    reports = bench_reports.run_reports(
        data_dir,
        count=scale.reports_municipalities,
        years=scale.reports_years,
        repeats=scale.reports_repeats,
        seed=scale.seed,
    )
    bench_reports.report(reports)
    done("reports", reports.record())

    ryw = bench_ryw.run_ryw(max(1, scale.http_clients - 1), scale.ryw_seconds, workdir=data_dir)
    bench_ryw.report(ryw)
    done("ryw", ryw.record())

    if scale.postgres:
        from tests.support.pg_cluster import PostgresUnavailable

        try:
            postgres = bench_postgres.run_postgres(workdir=data_dir)
        except PostgresUnavailable as exc:
            print(f"PostgreSQL figures skipped: {exc}")
        else:
            bench_postgres.report(postgres)
            done("postgres", postgres.record())
    took = time.perf_counter() - began
    print_table("Targets (issue 18): each against its baseline in this run", *targets(records))
    print(f"Every benchmark took {took:,.0f} s, generation included (target < 1,200 s).")
    return records


NATIONAL_EVENTS = 1_454_815  # the national data set (290 x 10 years, seed 1)


def targets(records: dict[str, dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """One row per target: what was measured, against what, and whether it is met."""

    def met(ok: bool) -> str:
        return "met" if ok else "not met"

    rows: list[list[Any]] = []
    if "import" in records:
        r = records["import"]
        rows.append([
            f"import {r['observations']:,} into one survey",
            f"{r['single']['seconds']:.2f} s wall, {r['single']['cpu_seconds']:.2f} s CPU",
            f"raw {r['raw_seconds']:.2f} s", f"{r['single_slowdown']:.1f}x raw",
            f"<= {r['target_seconds']:.1f} s",
            met(bool(r["met"])),
        ])  # fmt: skip
    if "rebuild" in records:
        r = records["rebuild"]
        projected = NATIONAL_EVENTS / r["events_per_second"] if r["events_per_second"] else 0.0
        rows.append([
            "rebuild every view", f"{r['events_per_second']:,.0f} events/s",
            f"decode {r['decode_events_per_second']:,.0f}/s", f"{r['versus_decode']:.2f}x",
            f">= 1.0x; national <= {r['target_seconds']:.0f} s (~{projected:,.0f} s)",
            met(r["versus_decode"] >= 1.0 and projected <= r["target_seconds"]),
        ])  # fmt: skip
    if "verify" in records:
        r = records["verify"]
        best = max(r["events_per_second"], r.get("parallel_events_per_second", 0.0))
        rows.append([
            f"verify every chain ({r.get('jobs', 1)} workers / 1)",
            f"{r.get('parallel_events_per_second', 0.0):,.0f} / "
            f"{r['events_per_second']:,.0f} events/s",
            f"decode {r['decode_events_per_second']:,.0f}/s",
            f"{best / r['decode_events_per_second']:.2f}x",
            f">= {r['target_events_per_second']:,}/s",
            met(best >= r["target_events_per_second"]),
        ])  # fmt: skip
    if "http" in records:
        r = records["http"]
        ours, minimal = r["ours"], r["minimal"]
        rows.append([
            "POST /api/v1/dialogues", f"{ours['requests_per_second']:,.0f} req/s, "
            f"p99 {ours['p99_ms']:.0f} ms", f"minimal {minimal['requests_per_second']:,.0f} req/s",
            f"{r['ours_vs_minimal']:.2f}x", ">= 1.0x, p99 < 50 ms",
            met(r["ours_vs_minimal"] >= 1.0 and ours["p99_ms"] < 50),
        ])  # fmt: skip
    return ["target", "ours", "baseline", "ratio", "wanted", ""], rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny scale, records nothing")
    parser.add_argument(
        "--national", action="store_true", help="290 municipalities x 10 years (default 5)"
    )
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    if args.smoke:
        with tempfile.TemporaryDirectory() as tmp:
            run(SMOKE, Path(tmp), results_dir=None)
    else:
        from bench.common import RESULTS_DIR

        run(NATIONAL if args.national else DEFAULT, args.data_dir, results_dir=RESULTS_DIR)


if __name__ == "__main__":
    main()
