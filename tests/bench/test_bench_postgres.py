"""The PostgreSQL benchmark at a tiny scale, so it cannot rot; no timing is asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.bench_postgres import run_postgres
from tests.support.pg_cluster import DatabaseFactory

pytestmark = pytest.mark.postgres


def test_the_postgres_benchmark_measures_both_stores(
    postgres_databases: DatabaseFactory, tmp_path: Path
) -> None:
    result = run_postgres(
        postgres_databases.admin_url,
        saves=5,
        threads=2,
        municipalities=1,
        years=1,
        workdir=tmp_path,
    )
    for figures in (result.sqlite, result.postgres):
        assert figures.saves == 5 and figures.events > 0
        assert figures.one_client_per_second > 0 and figures.rebuild_per_second > 0
    assert result.sqlite.events == result.postgres.events  # the same generated history
    assert set(result.record()) == {"sqlite", "postgres"}
