"""Date rules that span aggregates, in the application on a real store: the workflow
finds the other aggregate's dates (a cited dialogue's held_on, the promises that
address an issue) and the refusal names them; nothing is recorded."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import DomainError
from domain.issue import Issue
from domain.promise import Promise
from domain.values import (
    ActivityInput,
    DialogueEvidence,
    DialogueKind,
    IssueStatus,
    ObservationInput,
    Outcome,
    Party,
    Responsible,
    Theme,
)
from tests.support.builders import MUNICIPALITY, POLICE
from workflow.application import Loftesboken
from workflow.clock import FakeClock


def stored(app: Loftesboken) -> int:
    return app.recorder.max_notification_id() or 0


def walk(app: Loftesboken) -> DialogueEvidence:
    dialogue = app.hold_dialogue(
        municipality="1280",
        kind=DialogueKind.SAFETY_WALK,
        held_on=date(2025, 2, 4),
        title="Trygghetsvandring i Lindängen",
        participants=23,
        actor=POLICE,
    )
    _, [observation_id] = app.record_observations(
        dialogue.id,
        [ObservationInput(Theme.PUBLIC_ENVIRONMENT, "Mörk gångtunnel vid skolan", count=9)],
        actor=POLICE,
    )
    return DialogueEvidence(dialogue.id, observation_id)


def identify(app: Loftesboken, evidence: DialogueEvidence, identified_on: date) -> Issue:
    return app.identify_issue(
        municipality="1280",
        title="Otrygg gångtunnel",
        theme=Theme.PUBLIC_ENVIRONMENT,
        description="Många undviker tunneln när det är mörkt.",
        evidence=[evidence],
        identified_on=identified_on,
        actor=POLICE,
    )


def issued_promise(app: Loftesboken, issue: Issue) -> Promise:
    promise = app.draft_promise(
        municipalities=["1280"],
        police_district="LPO Malmö Söder",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        title="Medborgarlöfte Lindängen 2025",
        text="Under 2025 lovar polisen och Malmö stad att göra gångtunneln tryggare.",
        addresses=[issue.id],
        activities=[
            ActivityInput("Belysning i tunneln", Responsible.MUNICIPALITY, date(2025, 6, 30))
        ],
        actor=POLICE,
    )
    app.sign_promise(
        promise.id,
        party=Party.POLICE,
        name="Lena Lind",
        title="Lokalpolisområdeschef",
        signed_on=date(2025, 2, 7),
        actor=POLICE,
    )
    app.sign_promise(
        promise.id,
        party=Party.MUNICIPALITY,
        municipality="1280",
        name="Karin Berg",
        title="Kommunstyrelsens ordförande",
        signed_on=date(2025, 2, 7),
        actor=MUNICIPALITY,
    )
    return app.issue_promise(promise.id, issued_on=date(2025, 2, 10), actor=POLICE)


def test_an_issue_identified_before_the_dialogue_it_cites_is_refused(app: Loftesboken):
    evidence = walk(app)
    before = stored(app)
    with pytest.raises(DomainError) as info:
        identify(app, evidence, date(2024, 1, 1))
    assert info.value.message == (
        "The issue was identified on 2024-01-01, before the dialogue 'Trygghetsvandring i "
        "Lindängen' it cites was held on 2025-02-04."
    )
    assert stored(app) == before


def test_evidence_added_later_may_cite_a_dialogue_held_after_identification(
    app: Loftesboken, clock: FakeClock
):
    issue = app.identify_issue(
        municipality="1280",
        title="Otrygg gångtunnel",
        theme=Theme.PUBLIC_ENVIRONMENT,
        description="Många undviker tunneln när det är mörkt.",
        evidence=[walk(app)],
        identified_on=date(2025, 2, 4),
        actor=POLICE,
    )
    clock.set(date(2025, 3, 20))
    later = app.hold_dialogue(
        municipality="1280",
        kind=DialogueKind.CITIZEN_DIALOGUE,
        held_on=date(2025, 3, 12),
        title="Medborgardialog i Lindängen",
        actor=POLICE,
    )
    after = app.add_evidence(issue.id, DialogueEvidence(later.id), actor=POLICE)
    assert after.evidence[-1] == DialogueEvidence(later.id)


def test_the_issue_behind_an_issued_or_concluded_promise_cannot_be_rejected(
    app: Loftesboken, clock: FakeClock
):
    issue = identify(app, walk(app), date(2025, 2, 5))
    app.prioritise_issue(issue.id, priority=1, rationale="Nämns av flest.", actor=MUNICIPALITY)
    promise = issued_promise(app, issue)
    before = stored(app)
    with pytest.raises(DomainError) as info:
        app.reject_issue(issue.id, reason="Inte längre aktuellt", actor=POLICE)
    assert info.value.message == (
        "The issue 'Otrygg gångtunnel' cannot be rejected: the issued promise "
        "'Medborgarlöfte Lindängen 2025' addresses it."
    )
    assert stored(app) == before

    clock.set(date(2026, 2, 3))
    final = promise.final_follow_up
    assert final is not None
    app.record_follow_up(
        promise.id,
        final.id,
        held_on=date(2026, 2, 2),
        summary="Klart.",
        activities=[],
        actor=POLICE,
    )
    app.conclude_promise(
        promise.id,
        outcome=Outcome.FULFILLED,
        summary="Tunneln är upplyst.",
        concluded_on=date(2026, 2, 3),
        actor=POLICE,
    )
    with pytest.raises(DomainError) as info:
        app.reject_issue(issue.id, reason="Inte längre aktuellt", actor=POLICE)
    assert (
        "the concluded promise 'Medborgarlöfte Lindängen 2025' addresses it" in info.value.message
    )
    assert app.get_issue(issue.id).status is IssueStatus.PRIORITISED


def test_the_issue_behind_a_draft_or_withdrawn_promise_may_be_rejected(app: Loftesboken):
    issue = identify(app, walk(app), date(2025, 2, 5))
    app.prioritise_issue(issue.id, priority=1, rationale="Nämns av flest.", actor=MUNICIPALITY)
    promise = issued_promise(app, issue)
    app.withdraw_promise(promise.id, reason="Ersätts av ett nytt löfte", actor=POLICE)
    rejected = app.reject_issue(issue.id, reason="Hanteras av skolan", actor=POLICE)
    assert rejected.status is IssueStatus.REJECTED


def test_corrections_keep_an_issue_after_the_dialogues_it_was_identified_from(
    app: Loftesboken,
) -> None:
    evidence = walk(app)
    issue = identify(app, evidence, date(2025, 2, 5))
    before = stored(app)
    with pytest.raises(DomainError) as info:
        app.correct_dialogue(
            evidence.dialogue_id,
            changes={"held_on": date(2025, 2, 6)},
            reason="Fel datum.",
            actor=POLICE,
        )
    assert info.value.message == (
        "The issue was identified on 2025-02-05, before the dialogue 'Trygghetsvandring i "
        "Lindängen' it cites was held on 2025-02-06."
    )
    with pytest.raises(DomainError) as info:
        app.correct_issue(
            issue.id, changes={"identified_on": date(2025, 2, 3)}, reason="Fel.", actor=POLICE
        )
    assert info.value.message == (
        "The issue was identified on 2025-02-03, before the dialogue 'Trygghetsvandring i "
        "Lindängen' it cites was held on 2025-02-04."
    )
    assert stored(app) == before
    moved = app.correct_dialogue(
        evidence.dialogue_id,
        changes={"held_on": date(2025, 2, 5)},
        reason="Vandringen hölls dagen efter.",
        actor=POLICE,
    )
    assert moved.held_on == date(2025, 2, 5)


def test_the_theme_of_an_issue_behind_an_issued_promise_stays(app: Loftesboken) -> None:
    issue = identify(app, walk(app), date(2025, 2, 5))
    app.prioritise_issue(issue.id, priority=1, rationale="Nämns av flest.", actor=MUNICIPALITY)
    issued_promise(app, issue)
    with pytest.raises(DomainError) as info:
        app.correct_issue(
            issue.id, changes={"theme": Theme.DRUGS}, reason="Fel tema.", actor=POLICE
        )
    assert info.value.message == (
        "The theme of the issue 'Otrygg gångtunnel' cannot be corrected: the issued promise "
        "'Medborgarlöfte Lindängen 2025' addresses it."
    )
    corrected = app.correct_issue(
        issue.id,
        changes={"title": "Otrygg gångtunnel vid skolan"},
        reason="Tydligare.",
        actor=POLICE,
    )
    assert corrected.title == "Otrygg gångtunnel vid skolan"
