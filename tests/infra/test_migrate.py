"""`loften migrate`: the demo store moved from SQLite to PostgreSQL reads the same.

Same events with the same ids, the same rows in every view table, the same answers
from the list reads, audit chains that verify against the PostgreSQL store with the
heads they had on SQLite, and the tokens clients already hold still work.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from demo.load import load_demo
from domain.values import Role
from entrypoints.cli import cli
from infra.bootstrap import open_api_stores, open_application, open_read_side
from infra.migrate import MigrationRefused, migrate
from projections.lists import (
    list_deadlines,
    list_dialogues,
    list_issues,
    list_promises,
    municipality_summary,
)
from projections.readside import Projections
from projections.verification import verify_municipality
from tests.support.pg_cluster import DatabaseFactory, with_database
from workflow.clock import FakeClock
from workflow.settings import Settings

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def sqlite_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    path = tmp_path_factory.mktemp("migrate") / "loften.sqlite3"
    return Settings(database_url=f"sqlite:///{path}")


@pytest.fixture(scope="module")
def target_url(postgres_databases: DatabaseFactory) -> Iterator[str]:
    """The module's one migration target (migrating the demo once serves every test)."""
    name = postgres_databases.acquire()
    yield with_database(postgres_databases.admin_url, name)
    postgres_databases.release(name)


@pytest.fixture(scope="module")
def demo_store(sqlite_settings: Settings) -> str:
    """The demo year in a SQLite store with one issued token; the token's secret."""
    app = open_application(sqlite_settings, FakeClock(date(2025, 6, 10)))
    try:
        load_demo(app)
    finally:
        app.close()
    stores = open_api_stores(sqlite_settings)
    try:
        return stores.tokens.issue(Role.AUDITOR, [], "Revisor").secret
    finally:
        stores.close()


class Opened:
    """An application and its read side, closed together. The source's views are caught
    up here; the target's are read as the migration left them (never fed by the test,
    so a migration that built no views, or wrong ones, cannot pass)."""

    def __init__(self, settings: Settings, *, catch_up: bool = True) -> None:
        self.app = open_application(settings, FakeClock(date(2025, 6, 10)))
        self.read_side: Projections = open_read_side(self.app, settings)
        if catch_up:
            self.read_side.catch_up()

    def close(self) -> None:
        self.read_side.close()
        self.app.close()


@pytest.fixture(scope="module")
def both(
    demo_store: str, sqlite_settings: Settings, target_url: str
) -> Iterator[tuple[Opened, Opened]]:
    result = CliRunner().invoke(
        cli, ["migrate", "--from", sqlite_settings.database_url, "--to", target_url]
    )
    assert result.exit_code == 0, result.output
    assert "Copied" in result.output
    source = Opened(sqlite_settings)
    target = Opened(Settings(database_url=target_url), catch_up=False)
    yield source, target
    source.close()
    target.close()


def _table(read_side: Projections, table: str) -> list[tuple[str, ...]]:
    with read_side.store.transaction(commit=False) as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        rows: list[Any] = list(cursor.fetchall())
    return sorted(tuple(_plain(value) for value in row) for row in rows)


def _plain(value: Any) -> str:
    return str(int(value)) if isinstance(value, bool) else str(value)


def test_the_events_keep_their_ids_versions_topics_and_states(
    both: tuple[Opened, Opened],
) -> None:
    source, target = both
    before = source.app.recorder.select_notifications(start=1, limit=10_000)
    after = target.app.recorder.select_notifications(start=1, limit=10_000)
    assert len(before) > 100
    assert [
        (n.id, str(n.originator_id), n.originator_version, n.topic, n.state) for n in after
    ] == [(n.id, str(n.originator_id), n.originator_version, n.topic, n.state) for n in before]


def test_every_view_table_holds_the_same_rows(both: tuple[Opened, Opened]) -> None:
    source, target = both
    head = source.app.recorder.max_notification_id()
    assert set(target.read_side.positions().values()) == {head}, "the migration built them"
    assert source.read_side.positions() == target.read_side.positions()
    for view in source.read_side.views:
        for table in view.tables:
            assert _table(target.read_side, table) == _table(source.read_side, table), table


def test_the_list_reads_answer_the_same(both: tuple[Opened, Opened]) -> None:
    source, target = both
    codes = source.read_side.audit.municipalities()
    assert len(codes) == 5
    for code in codes:
        for read in (list_dialogues, list_issues, list_promises, list_deadlines):
            assert (
                read(target.read_side.catalogue, municipality=code, limit=500).model_dump()
                == read(source.read_side.catalogue, municipality=code, limit=500).model_dump()
            )
        for public in (True, False):
            assert municipality_summary(
                target.read_side.catalogue, code, public=public
            ) == municipality_summary(source.read_side.catalogue, code, public=public)


def test_every_audit_chain_verifies_with_the_heads_it_had(both: tuple[Opened, Opened]) -> None:
    source, target = both
    for code in source.read_side.audit.municipalities():
        verified = verify_municipality(target.app, target.read_side.audit, code)
        assert verified.ok, code
        assert verified.head_hash == source.read_side.audit.head(code)[1]
        assert target.read_side.audit.head(code) == source.read_side.audit.head(code)


def test_tokens_still_work_and_a_second_migration_is_refused(
    both: tuple[Opened, Opened], demo_store: str, sqlite_settings: Settings, target_url: str
) -> None:
    target_settings = Settings(database_url=target_url)
    stores = open_api_stores(target_settings)
    try:
        token = stores.tokens.find(demo_store)
    finally:
        stores.close()
    assert token is not None and token.role is Role.AUDITOR
    again = CliRunner().invoke(
        cli, ["migrate", "--from", sqlite_settings.database_url, "--to", target_url]
    )
    assert again.exit_code == 2
    assert "already holds events" in again.output
    with pytest.raises(MigrationRefused):
        migrate(sqlite_settings, target_settings)


def test_only_an_existing_sqlite_store_moves_to_postgresql(
    tmp_path: Path, sqlite_settings: Settings, postgres_url: str
) -> None:
    runner = CliRunner()
    missing = runner.invoke(
        cli,
        ["migrate", "--from", f"sqlite:///{tmp_path / 'nothing.sqlite3'}", "--to", postgres_url],
    )
    assert missing.exit_code == 2 and "no SQLite store" in missing.output
    backwards = runner.invoke(
        cli, ["migrate", "--from", postgres_url, "--to", sqlite_settings.database_url]
    )
    assert backwards.exit_code == 2 and "--from must be a SQLite store" in backwards.output
