"""A report's cost does not grow with other history: its queries use indexes, and the work
SQLite does for it stays the same when other municipalities and other years fill the store.

The work is counted in SQLite virtual-machine steps (a progress handler called on every
step), which grow with each row a query visits; no timing is measured. A seek into a
bigger b-tree may take a step or two more (SQLite chooses between stepping and seeking
as it goes), and the keys are random UUIDs, so each run's b-trees have another shape:
the counts may differ by `SEEK_SLACK` (7 seen); a query that visited the added rows
would take hundreds more.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TypeVar
from uuid import UUID

import pytest

from domain.values import (
    ActivityInput,
    DialogueKind,
    ObservationInput,
    Party,
    Responsible,
    SourceEvidence,
    SourceType,
    Theme,
)
from infra.bootstrap import open_application
from infra.viewstores import SQLiteViewStore
from projections.readside import Projections
from projections.reports.source import (
    AUDIT_HEAD,
    DIALOGUES,
    ISSUES,
    OBSERVATIONS,
    PROMISES,
    TERMS,
    activities_sql,
    feedback_sql,
    follow_ups_sql,
    passed_sql,
    read_annual_facts,
    read_in_force_on,
    read_promise_terms,
)
from tests.support.scenario import MALMO, POLICE, run_scenario
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings

T = TypeVar("T")
SEEK_SLACK = 20
OTHERS = ("0180", "1281", "1480", "2480", "0380", "1880")  # Stockholm, Lund, Göteborg...
EVERY_QUERY = [
    DIALOGUES,
    OBSERVATIONS,
    ISSUES,
    PROMISES,
    AUDIT_HEAD,
    TERMS,
    activities_sql(3),
    follow_ups_sql(3),
    passed_sql(3),
    feedback_sql(3),
]


class World:
    def __init__(self, folder: Path) -> None:
        self.settings = Settings(database_url=f"sqlite:///{folder / 'loften.sqlite3'}")
        self.clock = FakeClock(date(2025, 2, 10))
        self.app = open_application(self.settings, self.clock)
        self.projections = Projections(
            self.app, SQLiteViewStore(self.settings.sibling_sqlite("views"))
        )
        run_scenario(self.app, self.clock)
        self.projections.catch_up()

    def measure(self, read: Callable[[sqlite3.Cursor], T]) -> tuple[T, int]:
        """The read's result and how many VM steps SQLite took for it."""
        self.projections.catch_up()
        connection = sqlite3.connect(self.projections.store.path)
        connection.row_factory = sqlite3.Row
        steps = 0

        def count() -> int:
            nonlocal steps
            steps += 1
            return 0

        try:
            connection.set_progress_handler(count, 1)
            return read(connection.cursor()), steps
        finally:
            connection.close()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    built = World(tmp_path)
    yield built
    built.projections.close()
    built.app.close()


def add_other_history(app: Loftesboken, clock: FakeClock) -> None:
    """Much history that is not Malmö's 2025: other municipalities, and Malmö's other years."""
    clock.set(date(2025, 12, 31))
    for round_ in range(5):
        for code in OTHERS:
            dialogue = app.hold_dialogue(
                municipality=code,
                kind=DialogueKind.CITIZEN_DIALOGUE,
                held_on=date(2025, 1 + round_, 15),
                title="Medborgardialog",
                participants=40,
                actor=POLICE,
            )
            app.record_observations(
                dialogue.id,
                [ObservationInput(theme=Theme.DRUGS, summary="Handel", count=3)] * 4,
                actor=POLICE,
            )
            issue = app.identify_issue(
                municipality=code,
                title="Narkotika",
                theme=Theme.DRUGS,
                description="Oro.",
                evidence=[SourceEvidence(SourceType.STATISTICS, "BRÅ")],
                identified_on=date(2025, 1 + round_, 20),
                actor=POLICE,
            )
            app.prioritise_issue(issue.id, priority=1, rationale="Viktigt", actor=POLICE)
            if round_ == 0:
                _issued_promise(app, code, issue.id)
        for year in range(2018, 2024):  # Malmö, other years
            old = app.hold_dialogue(
                municipality=MALMO,
                kind=DialogueKind.SAFETY_WALK,
                held_on=date(year, 5 + round_, 3),
                title="Trygghetsvandring",
                participants=10,
                actor=POLICE,
            )
            app.record_observations(
                old.id,
                [ObservationInput(theme=Theme.TRAFFIC, summary="Buskörning", count=2)] * 3,
                actor=POLICE,
            )
            app.identify_issue(
                municipality=MALMO,
                title="Trafik",
                theme=Theme.TRAFFIC,
                description="Buskörning.",
                evidence=[SourceEvidence(SourceType.STATISTICS, "NTU")],
                identified_on=date(year, 6, 1),
                actor=POLICE,
            )


def _issued_promise(app: Loftesboken, code: str, issue_id: UUID) -> None:
    promise = app.draft_promise(
        municipalities=[code],
        police_district="LPO",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        title="Medborgarlöfte 2025",
        text="Vi lovar ...",
        addresses=[issue_id],
        activities=[
            ActivityInput(
                description="Kontroller", responsible=Responsible.POLICE, due_on=date(2025, 6, 30)
            )
        ],
        actor=POLICE,
    )
    signer = {"name": "Chef", "title": "Chef", "signed_on": date(2025, 2, 1), "actor": POLICE}
    app.sign_promise(promise.id, party=Party.POLICE, **signer)  # type: ignore[arg-type]
    app.sign_promise(promise.id, party=Party.MUNICIPALITY, municipality=code, **signer)  # type: ignore[arg-type]
    app.issue_promise(promise.id, issued_on=date(2025, 2, 5), actor=POLICE)


def _old_promises(app: Loftesboken) -> None:
    """Promises whose periods ended long ago, in many municipalities (drafts suffice)."""
    for index, code in enumerate(OTHERS * 3):
        issue = app.identify_issue(
            municipality=code,
            title="Gammalt",
            theme=Theme.VIOLENCE,
            description="Förr.",
            evidence=[SourceEvidence(SourceType.STATISTICS, "BRÅ")],
            identified_on=date(2010, 1, 1),
            actor=POLICE,
        )
        app.prioritise_issue(issue.id, priority=1, rationale="Då", actor=POLICE)
        app.draft_promise(
            municipalities=[code],
            police_district="LPO",
            starts_on=date(2010 + index % 8, 1, 1),
            ends_on=date(2011 + index % 8, 12, 31),
            title="Gammalt löfte",
            text="...",
            addresses=[issue.id],
            activities=[],
            actor=POLICE,
        )


def test_every_report_query_searches_an_index(world: World) -> None:
    connection = sqlite3.connect(world.projections.store.path)
    try:
        for sql in EVERY_QUERY:
            plan = connection.execute(
                "EXPLAIN QUERY PLAN " + sql, [None] * sql.count("?")
            ).fetchall()
            details = [row[3] for row in plan]
            assert details, sql
            for detail in details:
                assert detail.startswith("SEARCH") and " USING " in detail, (sql, detail)
    finally:
        connection.close()


def test_the_annual_report_reads_as_much_whatever_else_the_store_holds(world: World) -> None:
    def read(cursor: sqlite3.Cursor) -> object:
        return read_annual_facts(cursor, MALMO, 2025, upto=10**9)

    before, steps_before = world.measure(read)
    add_other_history(world.app, world.clock)
    _old_promises(world.app)
    after, steps_after = world.measure(read)
    assert world.app.recorder.max_notification_id() > 400  # the store has grown a lot
    assert after.dialogues == before.dialogues  # type: ignore[attr-defined]
    assert after.observations == before.observations  # type: ignore[attr-defined]
    assert after.issues == before.issues  # type: ignore[attr-defined]
    assert after.promises == before.promises  # type: ignore[attr-defined]
    assert steps_before <= steps_after <= steps_before + SEEK_SLACK


def test_the_national_report_reads_as_much_whatever_else_the_store_holds(world: World) -> None:
    before, steps_before = world.measure(
        lambda cursor: read_promise_terms(cursor, date(2025, 1, 1), date(2025, 12, 31))
    )
    today_before, today_steps = world.measure(lambda c: read_in_force_on(c, date(2025, 4, 20)))
    _old_promises(world.app)
    for code in OTHERS:  # and the other municipalities' dialogues and issues
        world.app.hold_dialogue(
            municipality=code,
            kind=DialogueKind.SURVEY,
            held_on=date(2025, 3, 1),
            title="Enkät",
            actor=POLICE,
        )
    after, steps_after = world.measure(
        lambda cursor: read_promise_terms(cursor, date(2025, 1, 1), date(2025, 12, 31))
    )
    today_after, today_steps_after = world.measure(lambda c: read_in_force_on(c, date(2025, 4, 20)))
    assert after == before
    assert steps_before <= steps_after <= steps_before + SEEK_SLACK
    assert today_after == today_before == ["1280", "1415", "1419", "1421"]
    assert today_steps <= today_steps_after <= today_steps + SEEK_SLACK
