"""Each benchmark at a tiny scale, so none of them can rot; no timings are asserted."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest

from bench.__main__ import SMOKE, run, targets
from bench.bench_decode import run_decode
from bench.bench_import import project, run_import
from bench.common import append_result
from bench.generate import generate_store
from infra.bootstrap import open_application
from workflow.settings import Settings

LAST_DAY = date(2024, 12, 31)

EXPECTED_KINDS = {
    "loften:Dialogue.DialogueHeld",
    "loften:Dialogue.ObservationRecorded",
    "loften:Issue.IssueIdentified",
    "loften:Issue.IssuePrioritised",
    "loften:Promise.PromiseDrafted",
    "loften:Promise.ActivityPlanned",
    "loften:Promise.PromiseSigned",
    "loften:Promise.PromiseIssued",
    "loften:Promise.FollowUpScheduled",
    "loften:Promise.FollowUpRecorded",
    "loften:Promise.FollowUpOverdue",
    "loften:Promise.FeedbackPublished",
    "loften:Promise.PromiseConcluded",
}


def topics(url: str) -> list[str]:
    app = open_application(Settings(database_url=url))
    try:
        notifications = app.recorder.select_notifications(start=None, limit=10**9)
        return [n.topic for n in notifications]
    finally:
        app.close()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, int, list[str]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('gen') / 'a.sqlite3'}"
    result = generate_store(url, municipalities_count=3, years=4, seed=7, last_day=LAST_DAY)
    return url, result.events, topics(url)


def test_generator_writes_every_kind_of_event(generated: tuple[str, int, list[str]]) -> None:
    _, events, kinds = generated
    assert events == len(kinds) > 1_000
    assert set(kinds) >= EXPECTED_KINDS
    # Surveys dominate, as in the national data set.
    assert kinds.count("loften:Dialogue.ObservationRecorded") > len(kinds) / 2


def test_generator_is_deterministic_for_a_seed(
    generated: tuple[str, int, list[str]], tmp_path: Path
) -> None:
    _, events, kinds = generated
    again = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    result = generate_store(again, municipalities_count=3, years=4, seed=7, last_day=LAST_DAY)
    assert result.events == events
    assert topics(again) == kinds

    other = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    generate_store(other, municipalities_count=3, years=4, seed=8, last_day=LAST_DAY)
    assert topics(other) != kinds


def test_generated_store_reads_back_through_the_application(
    generated: tuple[str, int, list[str]],
) -> None:
    url, _, _ = generated
    app = open_application(Settings(database_url=url))
    try:
        drafted = app.recorder.select_notifications(
            start=None, limit=1, topics=["loften:Promise.PromiseDrafted"]
        )[0]
        promise = app.get_promise(UUID(str(drafted.originator_id)))
        assert promise.signatures and promise.follow_ups
        assert promise.issued_on is not None and promise.issued_on <= LAST_DAY
    finally:
        app.close()


def test_import_benchmark_compares_with_raw_sqlite(tmp_path: Path) -> None:
    result = run_import(observations=1_500, batch_size=1_000, workdir=tmp_path)
    record = result.record()
    assert record["observations"] == 1_500
    assert record["spread"]["batches"] == record["single"]["batches"] == 2
    assert record["single"]["completed"] is True
    assert record["spread_rows_per_second"] > 0
    assert record["single_rows_per_second"] > 0
    assert record["raw_rows_per_second"] > 0
    assert record["slowdown"] > 0
    assert record["single"]["rows"] == record["uncached"]["rows"] == 1_500


def test_import_benchmark_projects_an_import_stopped_by_its_budget(tmp_path: Path) -> None:
    result = run_import(observations=3_000, batch_size=1_000, workdir=tmp_path, budget_seconds=0)
    assert result.uncached.batches == 1
    assert result.uncached.completed is False
    assert result.uncached.projected_seconds == pytest.approx(
        3 * result.uncached.first_batch_seconds
    )
    assert result.single.completed is True  # the cached import needs no budget


def test_projection_sums_linearly_growing_batches() -> None:
    assert project([1.0, 2.0, 3.0], planned=5) == pytest.approx(1 + 2 + 3 + 4 + 5)


def test_decode_benchmark_reads_every_event(generated: tuple[str, int, list[str]]) -> None:
    url, events, _ = generated
    result = run_decode(url, page_size=250)
    assert result.events == events
    assert result.events_per_second > 0
    assert result.read_only_events_per_second > 0


def test_results_are_appended_as_json_lines(tmp_path: Path) -> None:
    append_result("demo", {"rate": 1.5}, tmp_path)
    append_result("demo", {"rate": 2.5}, tmp_path)
    lines = [json.loads(line) for line in (tmp_path / "demo.jsonl").read_text().splitlines()]
    assert [line["rate"] for line in lines] == [1.5, 2.5]
    assert lines[0]["machine"]["cpu_count"] >= 1
    assert lines[0]["machine"]["python"]


def test_smoke_run_of_every_benchmark(tmp_path: Path) -> None:
    records = run(SMOKE, tmp_path, results_dir=None)
    assert set(records) == {
        "generate",
        "import",
        "decode",
        "rebuild",
        "verify",
        "pages",
        "http",
        "reports",
        "ryw",
    }
    events = records["generate"]["events"]
    assert records["decode"]["events"] == events > 0
    assert records["decode"]["compared_events"] == SMOKE.compare_events
    assert records["import"]["spread_rows_per_second"] > 0
    assert records["import"]["single"]["rows"] == SMOKE.observations
    _, goals = targets(records)
    assert [row[0].split(" ")[0] for row in goals] == ["import", "rebuild", "verify", "POST"]
    assert all(row[-1] in ("met", "not met") for row in goals)
    assert records["rebuild"]["events"] == events
    assert records["rebuild"]["versus_decode"] > 0
    verify = records["verify"]
    assert verify["events"] == events and verify["all_ok"] is True
    assert verify["parallel_same"] is True and verify["jobs"] >= 1
    assert verify["municipalities"] == SMOKE.municipalities
    for server in ("ours", "minimal", "bare"):
        assert records["http"][server]["requests"] > 0
        assert records["http"][server]["errors"] == 0
    assert records["http"]["ours_vs_minimal"] > 0
    pages = records["pages"]
    assert pages["events"] == events and pages["municipalities"] == 290
    assert pages["promises"] > 0
    assert pages["latency"]["municipality_page"]["count"] == 290 * SMOKE.pages_repeats
    assert pages["ratios"]["promise_page_p95_vs_json_twin"] > 0
    reports = records["reports"]
    assert [h["years"] for h in reports["histories"]] == list(SMOKE.reports_years)
    for history in reports["histories"]:
        assert history["events"] > 0
        assert history["annual"]["count"] == history["national"]["count"] == 3
    assert reports["ratios"]["annual_p95_vs_first"] > 0
    ryw = records["ryw"]
    assert ryw["probes"]["write"]["count"] >= 1
    assert ryw["writers"]["errors"] == 0
    assert not list(tmp_path.glob("*.jsonl"))
