"""PostgreSQL saves commit in notification order, so no projection can step over an event.

The library's database insert function did not lock the events table: a second save
committed id n+1 while the first still held n uncommitted, and a view reading between
the two commits moved past n for good. `infra.postgres.ApplicationRecorder` makes
the function take the table lock; here a second save must wait for the first.
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import date

import psycopg
import pytest

from infra.bootstrap import open_application
from infra.postgres import ApplicationRecorder
from workflow.clock import FakeClock
from workflow.settings import Settings

pytestmark = pytest.mark.postgres


def _insert(recorder: ApplicationRecorder, connection: psycopg.Connection[tuple[int]]) -> int:
    event = recorder.construct_pg_stored_event(
        originator_id=uuid.uuid4(), originator_version=1, topic="test:Event", state=b"{}"
    )
    rows = connection.execute(recorder.sql_invoke_pg_function_insert_events, ([event],)).fetchall()
    return int(rows[0][0])


def test_a_second_save_waits_until_the_first_commits(postgres_url: str) -> None:
    app = open_application(Settings(database_url=postgres_url), FakeClock(date(2025, 2, 10)))
    recorder = app.recorder
    assert isinstance(recorder, ApplicationRecorder)
    assert recorder.datastore.enable_db_functions
    first = psycopg.connect(postgres_url)
    second = psycopg.connect(postgres_url)
    observer = psycopg.connect(postgres_url, autocommit=True)
    outcome: list[int] = []
    try:
        assert _insert(recorder, first) == 1  # open, not committed

        def save_second() -> None:
            outcome.append(_insert(recorder, second))
            second.commit()

        thread = threading.Thread(target=save_second)
        thread.start()
        waiting = False
        for _ in range(600):  # until the second save either waits on a lock or gets through
            if outcome:
                break
            row = observer.execute(
                "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s",
                (second.info.backend_pid,),
            ).fetchone()
            if row is not None and row[0] == "Lock":
                waiting = True
                break
            time.sleep(0.01)
        assert waiting and not outcome, "the second save committed while the first was open"
        first.commit()
        thread.join(timeout=30)
        assert outcome == [2]
        ids = [n.id for n in recorder.select_notifications(start=1, limit=10)]
        assert ids == [1, 2]
    finally:
        for connection in (first, second, observer):
            connection.close()
        app.close()
