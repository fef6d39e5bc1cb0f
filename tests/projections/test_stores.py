"""Where the views live and how they are fed, per store: the dialect, the schema, the feed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from domain.values import DialogueKind
from infra.bootstrap import open_application, open_read_side, views_store
from infra.viewstores import PostgresViewStore, SQLiteViewStore, views_schema
from projections.dialect import Row, postgres_ddl, postgres_sql
from projections.feed import PollingFeed, SubscriptionFeed
from projections.lists import list_dialogues
from tests.support.scenario import MALMO, POLICE
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings

# -- the dialect, without a database ---------------------------------------------------


def test_placeholders_become_psycopgs_outside_quoted_literals():
    assert postgres_sql("SELECT * FROM t WHERE a = ? AND b IN (?, ?)") == (
        "SELECT * FROM t WHERE a = %s AND b IN (%s, %s)"
    )
    assert postgres_sql("SELECT '?', 'it''s ?' FROM t WHERE a = ?") == (
        "SELECT '?', 'it''s ?' FROM t WHERE a = %s"
    )
    assert postgres_sql("SELECT a FROM t WHERE b LIKE '10%' AND c = ?") == (
        "SELECT a FROM t WHERE b LIKE '10%%' AND c = %s"
    )


def test_view_ddl_compares_text_bytewise_and_drops_sqlite_only_words():
    assert postgres_ddl("CREATE TABLE x (id TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID") == (
        'CREATE TABLE x (id TEXT COLLATE "C" PRIMARY KEY, n INTEGER)'
    )


def test_a_row_reads_by_position_name_and_unpacking_like_sqlite3_row():
    row = Row(("1280", 3), {"municipality": 0, "count": 1})
    code, count = row
    assert (row[0], row["count"], code, count, row.keys()) == (
        "1280",
        3,
        "1280",
        3,
        ["municipality", "count"],
    )


def test_the_views_schema_sits_beside_the_event_stores():
    assert views_schema("public") == views_schema("") == "loften_views"
    assert views_schema("skane") == "skane_views"


# -- per store ---------------------------------------------------------------------------


def hold(app: Loftesboken, title: str) -> None:
    app.hold_dialogue(
        municipality=MALMO, kind=DialogueKind.OTHER, held_on=app.today, title=title, actor=POLICE
    )


def test_the_settings_alone_choose_where_the_views_live(settings: Settings):
    store = views_store(settings)
    try:
        if settings.is_postgres:
            assert isinstance(store, PostgresViewStore)
            assert store.schema == "loften_views"
        else:
            assert isinstance(store, SQLiteViewStore)
            assert store.path == settings.sibling_sqlite("views")
    finally:
        store.close()


def test_postgresql_views_leave_no_sqlite_file_behind(settings: Settings, app, tmp_path: Path):
    read_side = open_read_side(app, settings)
    try:
        hold(app, "Möte")
        read_side.catch_up()
        assert [d.title for d in list_dialogues(read_side.catalogue).items] == ["Möte"]
    finally:
        read_side.close()
    files = {p.name.split("-")[0] for p in tmp_path.iterdir()}  # without -wal, -shm
    assert files == (set() if settings.is_postgres else {"loften.sqlite3", "loften.views.sqlite3"})


def test_the_feed_follows_the_event_store(settings: Settings, app):
    read_side = open_read_side(app, settings)
    try:
        expected = SubscriptionFeed if settings.is_postgres else PollingFeed
        assert type(read_side.feed) is expected
    finally:
        read_side.close()


def test_read_sides_opening_together_all_open(settings: Settings, clock: FakeClock):
    """As several API processes and a worker do on one database, empty or not."""
    app = open_application(settings, clock)
    try:
        for _ in range(2):
            start = threading.Barrier(5)
            failures: list[BaseException] = []

            def open_and_close(
                start: threading.Barrier = start, failures: list[BaseException] = failures
            ) -> None:
                start.wait()
                try:
                    open_read_side(app, settings).close()
                except BaseException as exc:
                    failures.append(exc)

            threads = [threading.Thread(target=open_and_close) for _ in range(5)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert failures == []
    finally:
        app.close()


@pytest.mark.postgres
def test_the_subscription_delivers_new_events_and_wakes_the_runner(
    postgres_url: str, clock: FakeClock
):
    app = open_application(Settings(database_url=postgres_url), clock)
    feed = SubscriptionFeed(app)
    arrived = threading.Event()
    feed.on_arrival(arrived.set)
    try:
        hold(app, "Ett")
        assert [e.title for e, _ in feed.read(0, 10)] == ["Ett"]
        assert feed.read(1, 10) == []  # nothing more yet: answers at once
        arrived.clear()
        hold(app, "Två")
        assert arrived.wait(10), "LISTEN/NOTIFY never woke the feed"
        assert [(e.title, t.notification_id) for e, t in feed.read(1, 10)] == [("Två", 2)]
        # A read that does not continue where the last ended subscribes again from there.
        assert [e.title for e, _ in feed.read(0, 10)] == ["Ett", "Två"]
    finally:
        feed.close()
        app.close()


def test_a_running_read_side_follows_writes_without_being_asked(settings: Settings, app):
    # On PostgreSQL the idle poll is far off: only the subscription can bring the event.
    read_side = open_read_side(app, settings, idle_seconds=30 if settings.is_postgres else None)
    reached = threading.Event()
    read_side.start()
    try:
        hold(app, "Möte")
        head = app.recorder.max_notification_id()
        # Neither waiting nor waking the runner: it must find the event by itself.
        for _ in range(100):
            if read_side.position >= head:
                reached.set()
                break
            reached.wait(0.1)
        assert reached.is_set()
    finally:
        read_side.close()


def test_views_and_event_store_take_the_same_table_creation_lock():
    """One lock, defined once: several processes starting at once must create the views'
    and the event store's tables under the same one."""
    from infra import postgres, viewstores

    assert viewstores.creation_lock is postgres.creation_lock
