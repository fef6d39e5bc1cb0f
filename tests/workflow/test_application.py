"""The application on a real SQLite store: rules across aggregates, If-Match, not found,
the whole process end to end, a restart, and concurrent writers."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.errors import DomainError, UnknownEvidence, UnknownIssue
from domain.issue import Issue
from domain.values import (
    SYSTEM_ACTOR,
    ActivityInput,
    ActivityReport,
    ActivityStatus,
    Actor,
    Cadence,
    DialogueEvidence,
    DialogueKind,
    FollowUpStatus,
    IssueStatus,
    ObservationInput,
    Outcome,
    Party,
    PromiseStatus,
    Responsible,
    Role,
    SourceEvidence,
    SourceType,
    Theme,
)
from infra.bootstrap import open_application
from tests.support.builders import MUNICIPALITY, POLICE
from workflow.application import Loftesboken
from workflow.clock import FakeClock
from workflow.errors import NotFound, VersionMismatch
from workflow.settings import Settings
from workflow.turns import WriteTurns

KIRUNA_POLICE = Actor("Kommunpolis Kiruna", Role.POLICE)


def stored(app: Loftesboken) -> int:
    """How many events the store holds: a refused command must leave it unchanged."""
    return app.recorder.max_notification_id() or 0


def walk_with_observation(app: Loftesboken, municipality: str = "1280") -> tuple[UUID, UUID]:
    dialogue = app.hold_dialogue(
        municipality=municipality,
        kind=DialogueKind.SAFETY_WALK,
        held_on=date(2025, 1, 28),
        title="Trygghetsvandring",
        participants=12,
        actor=POLICE,
    )
    _, [observation_id] = app.record_observations(
        dialogue.id,
        [ObservationInput(Theme.PUBLIC_ENVIRONMENT, "Mörk gångtunnel", count=5)],
        actor=POLICE,
    )
    return dialogue.id, observation_id


def prioritised_issue(app: Loftesboken, municipality: str = "1280") -> Issue:
    issue = app.identify_issue(
        municipality=municipality,
        title="Narkotikahandel vid stationen",
        theme=Theme.DRUGS,
        description="Återkommande i polisens lägesbild.",
        evidence=[SourceEvidence(SourceType.STATISTICS, "Anmälda narkotikabrott 2024")],
        actor=POLICE,
    )
    return app.prioritise_issue(issue.id, priority=1, rationale="Högst i lägesbilden", actor=POLICE)


def draft(app: Loftesboken, addresses: list[UUID], municipalities: list[str] | None = None) -> Any:
    return app.draft_promise(
        municipalities=municipalities or ["1280"],
        police_district="LPO Malmö Norr",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        title="Medborgarlöfte Malmö norr 2025",
        text="Polisen och Malmö stad lovar att ...",
        addresses=addresses,
        activities=[
            ActivityInput("Minst två trygghetsvandringar", Responsible.POLICE, date(2025, 6, 1))
        ],
        actor=POLICE,
    )


# -- evidence must name an existing dialogue and observation of the same municipality --------


def test_evidence_naming_an_unknown_dialogue_is_refused_and_nothing_recorded(app: Loftesboken):
    before = stored(app)
    missing = uuid4()
    with pytest.raises(UnknownEvidence) as info:
        app.identify_issue(
            municipality="1280",
            title="Inbrott",
            theme=Theme.BURGLARY,
            description="...",
            evidence=[DialogueEvidence(missing)],
            actor=POLICE,
        )
    assert info.value.message == f"No dialogue with id {missing}."
    assert stored(app) == before


def test_evidence_naming_a_dialogue_of_another_municipality_is_refused(app: Loftesboken):
    dialogue_id, observation_id = walk_with_observation(app, "1280")
    before = stored(app)
    with pytest.raises(UnknownEvidence) as info:
        app.identify_issue(
            municipality="2584",
            title="Otrygg miljö",
            theme=Theme.PUBLIC_ENVIRONMENT,
            description="...",
            evidence=[DialogueEvidence(dialogue_id, observation_id)],
            actor=KIRUNA_POLICE,
        )
    assert info.value.message == (
        f"Dialogue {dialogue_id} was held in municipality 1280, not 2584."
    )
    assert stored(app) == before


def test_evidence_naming_an_observation_the_dialogue_does_not_have_is_refused(app: Loftesboken):
    dialogue_id, _ = walk_with_observation(app)
    _, other_observation = walk_with_observation(app)
    with pytest.raises(UnknownEvidence) as info:
        app.identify_issue(
            municipality="1280",
            title="Otrygg miljö",
            theme=Theme.PUBLIC_ENVIRONMENT,
            description="...",
            evidence=[DialogueEvidence(dialogue_id, other_observation)],
            actor=POLICE,
        )
    assert info.value.message == f"Dialogue {dialogue_id} has no observation {other_observation}."


def test_evidence_naming_an_issue_as_a_dialogue_is_refused(app: Loftesboken):
    issue = prioritised_issue(app)
    with pytest.raises(UnknownEvidence) as info:
        app.add_evidence(issue.id, DialogueEvidence(issue.id), actor=POLICE)
    assert info.value.message == f"No dialogue with id {issue.id}."


def test_added_evidence_is_checked_like_evidence_at_identification(app: Loftesboken):
    issue = prioritised_issue(app, "2584")
    dialogue_id, observation_id = walk_with_observation(app, "1280")
    before = stored(app)
    with pytest.raises(UnknownEvidence):
        app.add_evidence(issue.id, DialogueEvidence(dialogue_id, observation_id), actor=POLICE)
    assert stored(app) == before
    assert app.get_issue(issue.id).version == issue.version

    kiruna_walk, kiruna_observation = walk_with_observation(app, "2584")
    after = app.add_evidence(
        issue.id, DialogueEvidence(kiruna_walk, kiruna_observation), actor=KIRUNA_POLICE
    )
    assert after.evidence[-1] == DialogueEvidence(kiruna_walk, kiruna_observation)
    assert app.get_issue(issue.id).version == issue.version + 1


# -- a promise addresses prioritised, non-rejected issues of its own municipalities ------------


def test_a_promise_addressing_an_unknown_issue_is_refused(app: Loftesboken):
    missing = uuid4()
    before = stored(app)
    with pytest.raises(UnknownIssue) as info:
        draft(app, [missing])
    assert info.value.message == f"No issue with id {missing}."
    assert stored(app) == before


def test_a_promise_addressing_a_dialogue_id_as_an_issue_is_refused(app: Loftesboken):
    dialogue_id, _ = walk_with_observation(app)
    with pytest.raises(UnknownIssue) as info:
        draft(app, [dialogue_id])
    assert info.value.message == f"No issue with id {dialogue_id}."


def test_a_promise_addressing_an_issue_of_another_municipality_is_refused(app: Loftesboken):
    kiruna_issue = prioritised_issue(app, "2584")
    with pytest.raises(UnknownIssue) as info:
        draft(app, [kiruna_issue.id], ["1280"])
    assert info.value.message == (
        "Issue 'Narkotikahandel vid stationen' belongs to municipality 2584, which is not a "
        "party to the promise."
    )


def test_a_promise_addressing_a_rejected_or_unprioritised_issue_is_refused(app: Loftesboken):
    issue = prioritised_issue(app)
    app.reject_issue(issue.id, reason="Ingår i ett annat löfte", actor=MUNICIPALITY)
    with pytest.raises(DomainError) as info:
        draft(app, [issue.id])
    assert type(info.value) is DomainError
    assert info.value.message == (
        "Issue 'Narkotikahandel vid stationen' was rejected and cannot be addressed by a promise."
    )

    identified = app.identify_issue(
        municipality="1280",
        title="Klotter",
        theme=Theme.VANDALISM,
        description="...",
        evidence=[SourceEvidence(SourceType.REPORT, "Fastighetsägarnas rapport")],
        actor=MUNICIPALITY,
    )
    with pytest.raises(DomainError) as info:
        draft(app, [identified.id])
    assert type(info.value) is DomainError
    assert info.value.message == (
        "Issue 'Klotter' is not prioritised yet: prioritise it before a promise addresses it."
    )


def test_a_shared_promise_may_address_issues_of_each_of_its_municipalities(app: Loftesboken):
    issues = [prioritised_issue(app, code).id for code in ("1415", "1421", "1419")]
    promise = draft(app, issues, ["1415", "1421", "1419"])
    assert app.get_promise(promise.id).addresses == issues


def test_issuance_refuses_a_promise_whose_issue_was_rejected_after_drafting(app: Loftesboken):
    issue = prioritised_issue(app)
    promise = draft(app, [issue.id])
    sign_all(app, promise.id)
    app.reject_issue(issue.id, reason="Problemet är löst", actor=MUNICIPALITY)
    before = stored(app)
    with pytest.raises(DomainError) as info:
        app.issue_promise(promise.id, issued_on=date(2025, 2, 10), actor=POLICE)
    assert info.value.message == (
        "Issue 'Narkotikahandel vid stationen' was rejected and cannot be addressed by a promise."
    )
    assert stored(app) == before
    assert app.get_promise(promise.id).status is PromiseStatus.DRAFT


def sign_all(app: Loftesboken, promise_id: UUID, signed_on: date = date(2025, 2, 10)) -> None:
    app.sign_promise(
        promise_id,
        party=Party.POLICE,
        name="Lokalpolisområdeschefen",
        title="Lokalpolisområdeschef",
        signed_on=signed_on,
        actor=POLICE,
    )
    for code in app.get_promise(promise_id).municipalities:
        app.sign_promise(
            promise_id,
            party=Party.MUNICIPALITY,
            municipality=code,
            name="Kommunstyrelsens ordförande",
            title="Kommunstyrelsens ordförande",
            signed_on=signed_on,
            actor=MUNICIPALITY,
        )


# -- If-Match and not found ------------------------------------------------------------------


def test_a_stale_expected_version_is_refused_and_nothing_recorded(app: Loftesboken):
    issue = prioritised_issue(app)
    promise = draft(app, [issue.id])
    seen = promise.version
    app.sign_promise(
        promise.id,
        party=Party.POLICE,
        name="Lokalpolisområdeschefen",
        title="Lokalpolisområdeschef",
        signed_on=date(2025, 2, 1),
        actor=POLICE,
        expected_version=seen,
    )
    before = stored(app)
    with pytest.raises(VersionMismatch) as info:
        app.withdraw_promise(promise.id, reason="Fel text", actor=POLICE, expected_version=seen)
    assert (info.value.expected, info.value.actual) == (seen, seen + 1)
    assert stored(app) == before
    assert app.get_promise(promise.id).status is PromiseStatus.DRAFT

    with pytest.raises(VersionMismatch):
        app.prioritise_issue(
            issue.id, priority=2, rationale="?", actor=POLICE, expected_version=issue.version - 1
        )
    assert app.get_issue(issue.id).priority == 1

    withdrawn = app.withdraw_promise(
        promise.id, reason="Fel text", actor=POLICE, expected_version=seen + 1
    )
    assert withdrawn.version == seen + 2


def test_unknown_ids_and_ids_of_another_kind_are_not_found(app: Loftesboken):
    dialogue_id, _ = walk_with_observation(app)
    issue = prioritised_issue(app)
    missing = uuid4()
    for call in (
        lambda: app.get_dialogue(missing),
        lambda: app.get_promise(dialogue_id),
        lambda: app.get_dialogue(issue.id),
        lambda: app.prioritise_issue(dialogue_id, priority=1, rationale="?", actor=POLICE),
        lambda: app.add_evidence(
            missing, SourceEvidence(SourceType.OTHER, "Insändare"), actor=POLICE
        ),
        lambda: app.record_observations(
            issue.id, [ObservationInput(Theme.OTHER, "?")], actor=POLICE
        ),
        lambda: app.publish_feedback(
            issue.id, published_on=date(2025, 2, 1), channel="Webb", summary="?", actor=POLICE
        ),
    ):
        before = stored(app)
        with pytest.raises(NotFound):
            call()
        assert stored(app) == before
    with pytest.raises(NotFound) as info:
        app.get_promise(dialogue_id)
    assert info.value.message == f"No promise with id {dialogue_id}."


# -- the whole process -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cadence", "starts_on", "ends_on", "regular"),
    [
        (
            Cadence.QUARTERLY,
            date(2025, 1, 1),
            date(2025, 12, 31),
            [date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31)],
        ),
        (
            Cadence.QUARTERLY,  # starts mid-quarter, runs into the next year
            date(2025, 2, 15),
            date(2026, 2, 14),
            [date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31)],
        ),
        (
            Cadence.BIANNUAL,
            date(2025, 1, 1),
            date(2026, 12, 31),
            [date(2025, 6, 30), date(2025, 12, 31), date(2026, 6, 30), date(2026, 12, 31)],
        ),
        (
            Cadence.ANNUAL,
            date(2025, 1, 1),
            date(2027, 12, 31),
            [date(2025, 12, 31), date(2026, 12, 31), date(2027, 12, 31)],
        ),
    ],
)
def test_the_whole_process_from_dialogue_to_conclusion(
    app: Loftesboken,
    clock: FakeClock,
    cadence: Cadence,
    starts_on: date,
    ends_on: date,
    regular: list[date],
):
    # Knowledge comes in: a dialogue and what was said there.
    clock.set(date(2025, 1, 20))
    dialogue = app.hold_dialogue(
        municipality="1280",
        kind=DialogueKind.CITIZEN_DIALOGUE,
        held_on=date(2025, 1, 15),
        title="Medborgardialog Seved",
        place="Sevedsskolan",
        participants=40,
        organisers=["Kommunpolis Malmö"],
        actor=POLICE,
    )
    dialogue, (drugs, dark) = app.record_observations(
        dialogue.id,
        [
            ObservationInput(Theme.DRUGS, "Narkotikaförsäljning vid gången", count=9),
            ObservationInput(Theme.PUBLIC_ENVIRONMENT, "Dålig belysning", note="Internt"),
        ],
        actor=POLICE,
        expected_version=1,
    )
    assert dialogue.version == 3

    # The problembild: an issue citing the dialogue, prioritised.
    issue = app.identify_issue(
        municipality="1280",
        title="Öppen narkotikahandel på Seved",
        theme=Theme.DRUGS,
        description="Nämns av många i dialogen och syns i statistiken.",
        evidence=[
            DialogueEvidence(dialogue.id, drugs),
            SourceEvidence(SourceType.STATISTICS, "Polisens lägesbild 2024"),
        ],
        actor=POLICE,
    )
    assert issue.identified_on == date(2025, 1, 20)
    issue = app.prioritise_issue(
        issue.id, priority=1, rationale="Störst oro", actor=POLICE, expected_version=1
    )

    # The promise: drafted, signed by each party, issued.
    promise = app.draft_promise(
        municipalities=["1280"],
        police_district="LPO Malmö Söder",
        starts_on=starts_on,
        ends_on=ends_on,
        title="Tryggare Seved",
        text="Polisen lovar ... Malmö stad lovar ...",
        addresses=[issue.id],
        activities=[
            ActivityInput("Minst 50 trafikkontroller", Responsible.POLICE, date(2025, 11, 30))
        ],
        follow_up_cadence=cadence,
        actor=POLICE,
    )
    promise, lights = app.plan_activity(
        promise.id,
        ActivityInput("Ny belysning i gången", Responsible.MUNICIPALITY, date(2025, 9, 1)),
        actor=MUNICIPALITY,
        expected_version=promise.version,
    )
    clock.set(date(2025, 2, 10))
    sign_all(app, promise.id, signed_on=date(2025, 2, 5))
    promise = app.issue_promise(promise.id, issued_on=date(2025, 2, 10), actor=POLICE)
    assert promise.status is PromiseStatus.ISSUED
    follow_ups = sorted(promise.follow_ups.values(), key=lambda f: f.due_on)
    assert [f.due_on for f in follow_ups] == [*regular, ends_on + timedelta(days=31)]
    assert [f.final for f in follow_ups] == [False] * len(regular) + [True]

    # Follow-ups: the first on time, the second missed, marked overdue, then done late.
    checks = next(a for a in promise.activities if a != lights)
    first, second = follow_ups[0], follow_ups[1]
    clock.set(first.due_on)
    app.record_follow_up(
        promise.id,
        first.id,
        held_on=first.due_on,
        summary="Kontrollerna har börjat",
        activities=[ActivityReport(checks, ActivityStatus.IN_PROGRESS)],
        actor=POLICE,
    )
    clock.set(second.due_on + timedelta(days=3))
    assert app.mark_overdue(promise.id, actor=SYSTEM_ACTOR) == [second.id]
    assert app.mark_overdue(promise.id, actor=SYSTEM_ACTOR) == []
    app.record_follow_up(
        promise.id,
        second.id,
        held_on=app.today,
        summary="Belysningen är på plats",
        activities=[ActivityReport(lights, ActivityStatus.DONE, "Klart i augusti")],
        actor=MUNICIPALITY,
    )
    promise, feedback_id = app.publish_feedback(
        promise.id,
        published_on=app.today,
        channel="Malmö stads webbplats",
        summary="Ni sa: mörkt och otryggt. Vi gjorde: ny belysning.",
        actor=MUNICIPALITY,
    )
    done = promise.follow_ups
    assert done[first.id].status is FollowUpStatus.DONE and not done[first.id].late
    assert done[second.id].status is FollowUpStatus.DONE and done[second.id].late
    assert promise.activities[lights].status is ActivityStatus.DONE
    assert promise.activities[checks].status is ActivityStatus.IN_PROGRESS
    assert [f.id for f in promise.feedback] == [feedback_id]

    # The rest of the period passes; the final follow-up closes it.
    final = follow_ups[-1]
    clock.set(final.due_on)
    with pytest.raises(DomainError, match=r"^The promise cannot be concluded before its final"):
        app.conclude_promise(
            promise.id,
            outcome=Outcome.FULFILLED,
            summary="?",
            concluded_on=app.today,
            actor=POLICE,
        )
    missed = app.mark_overdue(promise.id, actor=SYSTEM_ACTOR)
    assert set(missed) == {f.id for f in follow_ups[2:-1]}
    app.record_follow_up(
        promise.id,
        final.id,
        held_on=final.due_on,
        summary="Slutuppföljning",
        activities=[ActivityReport(checks, ActivityStatus.DONE, "62 kontroller")],
        actor=POLICE,
    )
    promise = app.conclude_promise(
        promise.id,
        outcome=Outcome.FULFILLED,
        summary="Båda aktiviteterna genomförda",
        concluded_on=final.due_on,
        actor=POLICE,
    )
    assert promise.status is PromiseStatus.CONCLUDED
    assert promise.outcome is Outcome.FULFILLED

    names = [type(e).__name__ for e in app.aggregate_events(promise.id)]
    assert names[:6] == [
        "PromiseDrafted",
        "ActivityPlanned",
        "ActivityPlanned",
        "PromiseSigned",
        "PromiseSigned",
        "PromiseIssued",
    ]
    assert names.count("FollowUpScheduled") == len(regular) + 1
    assert names.count("FollowUpOverdue") == 1 + len(follow_ups[2:-1])
    assert names.count("FollowUpRecorded") == 3
    assert names[-1] == "PromiseConcluded"
    versions = [e.originator_version for e in app.aggregate_events(promise.id)]
    assert versions == list(range(1, len(versions) + 1)) == list(range(1, promise.version + 1))
    assert all(e.actor.label for e in app.aggregate_events(promise.id))
    assert app.get_issue(issue.id).status is IssueStatus.PRIORITISED
    assert app.get_dialogue(dialogue.id).observations[dark].note == "Internt"


# -- persistence -----------------------------------------------------------------------------


def test_a_new_application_on_the_same_file_finds_every_aggregate_identical(
    settings: Settings, clock: FakeClock
):
    first = open_application(settings, clock)
    dialogue_id, observation_id = walk_with_observation(first)
    issue = first.identify_issue(
        municipality="1280",
        title="Mörka gångtunnlar",
        theme=Theme.PUBLIC_ENVIRONMENT,
        description="...",
        evidence=[DialogueEvidence(dialogue_id, observation_id), DialogueEvidence(dialogue_id)],
        actor=POLICE,
    )
    first.prioritise_issue(issue.id, priority=2, rationale="Många nämnde det", actor=POLICE)
    rejected = prioritised_issue(first)
    first.reject_issue(rejected.id, reason="Ingår i LPO:s eget arbete", actor=POLICE)
    promise = draft(first, [issue.id])
    sign_all(first, promise.id)
    promise = first.issue_promise(promise.id, issued_on=date(2025, 2, 10), actor=POLICE)
    march = min(promise.follow_ups.values(), key=lambda f: f.due_on)
    clock.set(date(2025, 4, 3))
    first.mark_overdue(promise.id, actor=SYSTEM_ACTOR)
    first.reschedule_follow_up(
        promise.id, march.id, due_on=date(2025, 4, 20), reason="Påsklov", actor=POLICE
    )
    first.publish_feedback(
        promise.id, published_on=date(2025, 4, 2), channel="Webb", summary="...", actor=POLICE
    )
    june = sorted(promise.follow_ups.values(), key=lambda f: f.due_on)[1]
    walks = next(iter(promise.activities))
    first.record_follow_up(
        promise.id,
        june.id,
        held_on=date(2025, 4, 3),
        summary="Tidig uppföljning",
        activities=[ActivityReport(walks, ActivityStatus.DELAYED, "Väntar på våren")],
        actor=MUNICIPALITY,
    )
    withdrawn = draft(first, [issue.id])
    first.withdraw_promise(withdrawn.id, reason="Dubblett", actor=POLICE)

    ids = {
        first.get_dialogue: [dialogue_id],
        first.get_issue: [issue.id, rejected.id],
        first.get_promise: [promise.id, withdrawn.id],
    }
    before = {i: vars(get(i)) for get, group in ids.items() for i in group}
    first.close()

    second = open_application(settings, clock)
    getters = {
        first.get_dialogue: second.get_dialogue,
        first.get_issue: second.get_issue,
        first.get_promise: second.get_promise,
    }
    after = {i: vars(getters[get](i)) for get, group in ids.items() for i in group}
    second.close()
    assert after == before
    assert after[promise.id]["follow_ups"][march.id].reschedulings[0].reason == "Påsklov"
    assert after[promise.id]["follow_ups"][march.id].overdue_marked_for == [date(2025, 3, 31)]
    assert after[dialogue_id]["kind"] is DialogueKind.SAFETY_WALK
    assert after[promise.id]["follow_ups"][june.id].reports == [
        ActivityReport(walks, ActivityStatus.DELAYED, "Väntar på våren")
    ]
    assert after[promise.id]["activities"][walks].status is ActivityStatus.DELAYED


# -- concurrent writers ----------------------------------------------------------------------


def test_concurrent_feedback_on_one_promise_loses_no_event(settings: Settings, clock: FakeClock):
    setup = open_application(settings, clock)
    promise = draft(setup, [prioritised_issue(setup).id])
    sign_all(setup, promise.id)
    promise = setup.issue_promise(promise.id, issued_on=date(2025, 2, 10), actor=POLICE)
    start_version = promise.version

    writers, per_writer = 3, 6
    apps = [open_application(settings, clock) for _ in range(writers)]
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def publish(app: Loftesboken, writer: int) -> None:
        try:
            barrier.wait()
            for n in range(per_writer):
                app.publish_feedback(
                    promise.id,
                    published_on=date(2025, 2, 10),
                    channel=f"Kanal {writer}",
                    summary=f"Återkoppling {writer}-{n}",
                    actor=POLICE,
                )
        except BaseException as exc:  # reported below, so a failing thread fails the test
            errors.append(exc)

    threads = [threading.Thread(target=publish, args=(a, w)) for w, a in enumerate(apps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for a in apps:
        a.close()
    assert errors == []

    final = setup.get_promise(promise.id)
    summaries = sorted(f.summary for f in final.feedback)
    assert summaries == sorted(
        f"Återkoppling {w}-{n}" for w in range(writers) for n in range(per_writer)
    )
    assert final.version == start_version + writers * per_writer
    versions = [e.originator_version for e in setup.aggregate_events(promise.id)]
    assert versions == list(range(1, final.version + 1))
    setup.close()


def test_a_race_lost_under_if_match_is_a_version_mismatch_with_the_stored_version(
    settings: Settings, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
):
    app = open_application(settings, clock)
    rival = open_application(settings, clock)
    # A rival that takes no turns (a writer the turns cannot hold back): only then can
    # it write between our read and our save, the case the retry is the backstop for.
    rival.turns = WriteTurns(recorder=None)
    promise = draft(app, [prioritised_issue(app).id])
    sign_all(app, promise.id)
    seen = app.get_promise(promise.id).version
    save = app.save

    def save_after_rival(*aggregates: Any, **kwargs: Any) -> Any:
        # The rival writes between our read and our save: ours must lose, not overwrite.
        rival.withdraw_promise(promise.id, reason="Dubblett", actor=POLICE)
        monkeypatch.setattr(app, "save", save)
        return save(*aggregates, **kwargs)

    monkeypatch.setattr(app, "save", save_after_rival)
    with pytest.raises(VersionMismatch) as info:
        app.issue_promise(
            promise.id, issued_on=date(2025, 2, 10), actor=POLICE, expected_version=seen
        )
    assert (info.value.expected, info.value.actual) == (seen, seen + 1)
    stored_promise = app.get_promise(promise.id)
    assert stored_promise.status is PromiseStatus.WITHDRAWN
    assert stored_promise.version == seen + 1
    app.close()
    rival.close()
