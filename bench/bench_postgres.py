"""PostgreSQL beside SQLite: single-event saves per second, and the views' rebuild rate.

The write ceiling of a deployment is the rate of single-event saves (each command
saves one aggregate, usually one event, in one transaction); the rebuild rate says
how long `loften rebuild` or `loften migrate` takes. Both are measured on the same
machine for a SQLite file and a PostgreSQL database with fsync on, so the two read
side by side.

`run_postgres()` is what a runner calls; `python -m bench.bench_postgres` runs it
alone. Without `--server-url` (a PostgreSQL URL whose user may create databases) it
starts a throwaway cluster with the durable settings (`tests.support.pg_cluster`, fsync on).
"""

from __future__ import annotations

import argparse
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from bench.common import append_result, print_table, rate, timed
from bench.generate import generate_store
from domain.values import Actor, DialogueKind, Role
from infra.bootstrap import open_application, open_read_side
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings

ACTOR = Actor(label="Benchmark", role=Role.POLICE)
DATABASES = ("loften_bench_saves", "loften_bench_rebuild")


@dataclass
class StoreFigures:
    """One store's figures: saves from one client and from several threads, a rebuild."""

    store: str
    saves: int
    one_client_seconds: float
    threads: int
    threaded_seconds: float
    events: int
    rebuild_seconds: float

    @property
    def one_client_per_second(self) -> float:
        return rate(self.saves, self.one_client_seconds)

    @property
    def threaded_per_second(self) -> float:
        return rate(self.saves, self.threaded_seconds)

    @property
    def rebuild_per_second(self) -> float:
        return rate(self.events, self.rebuild_seconds)

    def record(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "one_client_per_second": self.one_client_per_second,
            "threaded_per_second": self.threaded_per_second,
            "rebuild_per_second": self.rebuild_per_second,
        }


@dataclass
class PostgresBenchResult:
    sqlite: StoreFigures
    postgres: StoreFigures

    def record(self) -> dict[str, Any]:
        return {"sqlite": self.sqlite.record(), "postgres": self.postgres.record()}


def _hold(app: Loftesboken, n: int) -> None:
    app.hold_dialogue(
        municipality="1280",
        kind=DialogueKind.CITIZEN_DIALOGUE,
        held_on=date(2025, 1, 1),
        title=f"Dialog {n}",
        actor=ACTOR,
    )


def time_saves(database_url: str, saves: int, threads: int) -> tuple[float, float]:
    """Seconds for `saves` single-event saves from one client, then from `threads` threads."""
    app = open_application(Settings(database_url=database_url), FakeClock(date(2025, 2, 10)))
    try:
        _hold(app, -1)  # connections open, tables and statements prepared

        def one_client() -> None:
            for n in range(saves):
                _hold(app, n)

        _, one = timed(one_client)

        def share(offset: int) -> None:
            for n in range(offset, saves, threads):
                _hold(app, n)

        def threaded() -> None:
            workers = [threading.Thread(target=share, args=(t,)) for t in range(threads)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()

        _, many = timed(threaded)
    finally:
        app.close()
    return one.wall, many.wall


def time_rebuild(database_url: str, municipalities: int, years: int) -> tuple[int, float]:
    """Generate a history into an empty store, then time a rebuild of every view."""
    generated = generate_store(database_url, municipalities_count=municipalities, years=years)
    settings = Settings(database_url=database_url)
    app = open_application(settings)
    read_side = open_read_side(app, settings)
    try:
        position, took = timed(read_side.rebuild)
    finally:
        read_side.close()
        app.close()
    if position != generated.events:
        raise RuntimeError(f"rebuilt {position} of {generated.events} events")
    return position, took.wall


def measure(
    store: str, saves_url: str, rebuild_url: str, saves: int, threads: int, scale: tuple[int, int]
) -> StoreFigures:
    one, many = time_saves(saves_url, saves, threads)
    events, rebuild = time_rebuild(rebuild_url, *scale)
    return StoreFigures(store, saves, one, threads, many, events, rebuild)


@contextmanager
def postgres_server(server_url: str | None) -> Iterator[str]:
    """The given server, or a throwaway durable cluster (fsync on) for the run."""
    if server_url:
        yield server_url
        return
    from tests.support.pg_cluster import temporary_cluster

    with temporary_cluster(durable=True) as cluster:
        yield cluster.url()


def _fresh_databases(server_url: str) -> list[str]:
    from tests.support.pg_cluster import with_database

    with psycopg.connect(server_url, autocommit=True) as admin:
        for name in DATABASES:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return [with_database(server_url, name) for name in DATABASES]


def _drop_databases(server_url: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as admin:
        for name in DATABASES:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def run_postgres(
    server_url: str | None = None,
    *,
    saves: int = 1000,
    threads: int = 4,
    municipalities: int = 20,
    years: int = 3,
    workdir: Path | None = None,
) -> PostgresBenchResult:
    """Both stores' figures; PostgreSQL on `server_url` or on a cluster started for the run."""
    scale = (municipalities, years)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        sqlite = measure(
            "SQLite",
            f"sqlite:///{Path(tmp) / 'saves.sqlite3'}",
            f"sqlite:///{Path(tmp) / 'rebuild.sqlite3'}",
            saves,
            threads,
            scale,
        )
    with postgres_server(server_url) as url:
        saves_url, rebuild_url = _fresh_databases(url)
        try:
            postgres = measure("PostgreSQL", saves_url, rebuild_url, saves, threads, scale)
        finally:
            _drop_databases(url)
    return PostgresBenchResult(sqlite=sqlite, postgres=postgres)


def report(result: PostgresBenchResult) -> None:
    figures = (result.sqlite, result.postgres)
    print_table(
        f"Write ceiling and rebuild: {result.sqlite.saves:,} single-event saves, "
        f"rebuild of {result.sqlite.events:,} events",
        ["store", "saves/s, 1 client", f"saves/s, {result.sqlite.threads} threads",
         "rebuild events/s"],
        [[f.store, f.one_client_per_second, f.threaded_per_second, f.rebuild_per_second]
         for f in figures],
    )  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--server-url", default=None, help="PostgreSQL URL with CREATEDB")
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--municipalities", type=int, default=20)
    parser.add_argument("--years", type=int, default=3)
    args = parser.parse_args(argv)
    result = run_postgres(
        args.server_url,
        saves=args.saves,
        threads=args.threads,
        municipalities=args.municipalities,
        years=args.years,
    )
    report(result)
    append_result("postgres", result.record())


if __name__ == "__main__":
    main()
