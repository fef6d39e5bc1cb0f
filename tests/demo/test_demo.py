"""The demo year: it loads a believable, non-trivial record once, and never twice."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from demo.load import DemoAlreadyLoaded, demo_year, load_demo
from domain.dialogue import Dialogue
from domain.issue import Issue
from domain.promise import Promise
from domain.values import (
    DialogueEvidence,
    DialogueKind,
    FollowUpStatus,
    IssueStatus,
    Party,
    PromiseStatus,
    Role,
)
from entrypoints.cli import cli
from infra.bootstrap import open_application
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.settings import Settings

SODRA_FYRBODAL = {"1415", "1421", "1419"}


def aggregates(app: Loftesboken, name: str) -> list[Any]:
    """Every aggregate whose creation event is `name`, in the order they were created."""
    notifications = app.recorder.select_notifications(
        start=1, limit=10_000, topics=[f"loften:{name}"]
    )
    return [app.repository.get(n.originator_id) for n in notifications]


def loaded(settings: Settings, today: date) -> Loftesboken:
    app = open_application(settings, FakeClock(today))
    load_demo(app)
    return app


@pytest.fixture
def demo(settings: Settings) -> Any:
    app = loaded(settings, date(2026, 11, 25))
    yield app
    app.close()


def test_the_story_year_is_this_year_from_november_else_last_year():
    assert demo_year(date(2026, 11, 1)) == 2026
    assert demo_year(date(2026, 10, 31)) == 2025
    assert demo_year(date(2027, 1, 15)) == 2026


def test_the_demo_covers_each_municipality_with_every_kind_of_dialogue(demo: Loftesboken):
    dialogues: list[Dialogue] = aggregates(demo, "Dialogue.DialogueHeld")
    per_municipality = Counter(d.municipality for d in dialogues)
    assert set(per_municipality) == {"1280", "2584", *SODRA_FYRBODAL}
    assert per_municipality["1280"] >= 4
    assert per_municipality["2584"] >= 2
    assert {d.kind for d in dialogues} >= {
        DialogueKind.CITIZEN_DIALOGUE,
        DialogueKind.STAFF_DIALOGUE,
        DialogueKind.SAFETY_WALK,
        DialogueKind.SURVEY,
    }
    survey = next(d for d in dialogues if d.kind is DialogueKind.SURVEY)
    assert survey.participants is not None and survey.participants > 1000
    assert all(o.count > 100 for o in survey.observations.values())
    assert sum(len(d.observations) for d in dialogues) >= 20
    assert all(d.held_on < date(2026, 11, 1) for d in dialogues)


def test_issues_rest_on_dialogues_and_statistics_and_one_is_rejected(demo: Loftesboken):
    issues: list[Issue] = aggregates(demo, "Issue.IssueIdentified")
    statuses = Counter(i.status for i in issues)
    assert statuses[IssueStatus.REJECTED] == 1
    assert statuses[IssueStatus.PRIORITISED] >= 6
    assert Counter(i.municipality for i in issues).keys() == {"1280", "2584", *SODRA_FYRBODAL}
    cited = [e for i in issues for e in i.evidence]
    assert any(isinstance(e, DialogueEvidence) and e.observation_id for e in cited)
    assert any(not isinstance(e, DialogueEvidence) for e in cited)
    for issue in issues:
        for evidence in issue.evidence:
            if isinstance(evidence, DialogueEvidence):
                dialogue = demo.get_dialogue(evidence.dialogue_id)
                assert dialogue.municipality == issue.municipality
                assert evidence.observation_id in dialogue.observations


def test_the_shared_promise_covers_three_municipalities_with_four_signatures(demo: Loftesboken):
    promises: list[Promise] = aggregates(demo, "Promise.PromiseDrafted")
    [shared] = [p for p in promises if len(p.municipalities) > 1]
    assert set(shared.municipalities) == SODRA_FYRBODAL
    assert shared.police_district == "LPO Södra Fyrbodal"
    assert shared.status is PromiseStatus.ISSUED
    assert len(shared.signatures) == 4
    police = [s for s in shared.signatures if s.party is Party.POLICE]
    assert [s.title for s in police] == ["Lokalpolisområdeschef"]
    assert {s.municipality for s in shared.signatures if s.party is Party.MUNICIPALITY} == (
        SODRA_FYRBODAL
    )
    assert any("Minst 50 trafikkontroller" in a.description for a in shared.activities.values())


def test_the_year_has_follow_ups_done_late_due_and_overdue_feedback_and_a_draft(
    demo: Loftesboken,
):
    promises: list[Promise] = aggregates(demo, "Promise.PromiseDrafted")
    statuses = Counter(p.status for p in promises)
    assert statuses[PromiseStatus.ISSUED] == 3
    assert statuses[PromiseStatus.DRAFT] == 1
    follow_ups = [f for p in promises for f in p.follow_ups.values()]
    done = [f for f in follow_ups if f.status is FollowUpStatus.DONE]
    assert len(done) >= 4
    assert len([f for f in done if f.late]) == 1
    assert any(f.status is FollowUpStatus.OVERDUE for f in follow_ups)
    assert any(f.status is FollowUpStatus.SCHEDULED for f in follow_ups)
    assert any(f.reschedulings for f in follow_ups)
    assert sum(len(p.feedback) for p in promises) >= 3
    malmo = next(p for p in promises if p.municipalities == ["1280"])
    assert malmo.status is PromiseStatus.ISSUED
    assert malmo.signatures[1].title == "Kommunstyrelsens ordförande"


def test_every_actor_speaks_with_the_role_its_label_names(demo: Loftesboken):
    for notification in demo.recorder.select_notifications(start=1, limit=10_000):
        actor = demo.mapper.to_domain_event(notification).actor
        if actor.label.startswith("Kommunpolis"):
            assert actor.role is Role.POLICE
        elif actor.label == "deadline-watcher":
            assert actor.role is Role.SYSTEM
        else:
            assert actor.role is Role.MUNICIPALITY, actor


@pytest.mark.parametrize("today", [date(2026, 11, 1), date(2027, 5, 10), date(2028, 1, 2)])
def test_the_demo_loads_on_any_day_without_a_date_in_the_future(settings: Settings, today: date):
    app = loaded(settings, today)  # every command refuses a date after today
    promises: list[Promise] = aggregates(app, "Promise.PromiseDrafted")
    held = [f.held_on for p in promises for f in p.follow_ups.values() if f.held_on]
    assert held and max(held) <= today
    assert not any(
        f.status is FollowUpStatus.SCHEDULED and f.due_on < today
        for p in promises
        for f in p.follow_ups.values()
    )
    app.close()


def test_a_second_load_is_refused_and_records_nothing(demo: Loftesboken):
    before = demo.recorder.max_notification_id()
    with pytest.raises(DemoAlreadyLoaded):
        load_demo(demo)
    assert demo.recorder.max_notification_id() == before


def test_the_cli_loads_once_and_with_if_empty_does_nothing_on_a_full_store(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    runner = CliRunner()
    env = {"LOFTEN_DATABASE_URL": url}

    first = runner.invoke(cli, ["demo"], env=env)
    assert first.exit_code == 0, first.output
    assert "Malmö" in first.output

    app = open_application(Settings(database_url=url))
    loaded_events = app.recorder.max_notification_id()
    app.close()
    assert loaded_events

    again = runner.invoke(cli, ["demo", "--if-empty"], env=env)
    assert again.exit_code == 0, again.output
    assert "not loaded" in again.output

    refused = runner.invoke(cli, ["demo"], env=env)
    assert refused.exit_code == 1

    app = open_application(Settings(database_url=url))
    assert app.recorder.max_notification_id() == loaded_events
    app.close()
