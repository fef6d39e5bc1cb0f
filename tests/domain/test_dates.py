"""Dates that must agree: given an aggregate built by commands, when a command gives a
business date that disagrees with another, then the exact refusal naming both, and
nothing recorded. The dates are compared with each other, never with the day of
recording, so a promise from 2023 can be entered in full afterwards."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from domain.dialogue import Dialogue
from domain.errors import DomainError
from domain.issue import AddressingPromise, CitedDialogue, Issue
from domain.promise import Promise
from domain.values import (
    ActivityInput,
    ActivityReport,
    ActivityStatus,
    Actor,
    Cadence,
    DialogueEvidence,
    DialogueKind,
    FollowUpStatus,
    ObservationInput,
    Outcome,
    Party,
    PromiseStatus,
    Responsible,
    Role,
    Theme,
)
from tests.support.refusal import refused

POLICE = Actor("Kommunpolis Malmö", Role.POLICE)
TODAY = date(2026, 12, 2)


def walk(participants: int | None = 23, kind: DialogueKind = DialogueKind.SAFETY_WALK) -> Dialogue:
    dialogue = Dialogue.hold(
        municipality_code="1280",
        kind=kind,
        held_on=date(2025, 2, 4),
        title="Trygghetsvandring i Lindängen",
        place="Lindängen",
        participants=participants,
        organisers=[],
        today=TODAY,
        actor=POLICE,
    )
    dialogue.collect_events()
    return dialogue


def hold(held_on: date) -> Dialogue:
    return Dialogue.hold(
        municipality_code="1280",
        kind=DialogueKind.CITIZEN_DIALOGUE,
        held_on=held_on,
        title="Medborgardialog i Rosengård",
        place=None,
        participants=None,
        organisers=[],
        today=TODAY,
        actor=POLICE,
    )


def observation(count: int) -> ObservationInput:
    return ObservationInput(Theme.PUBLIC_ENVIRONMENT, "Mörk gångtunnel vid skolan", count=count)


def identify(identified_on: date, cited: list[CitedDialogue]) -> Issue:
    return Issue.identify(
        municipality_code="1280",
        title="Otrygg gångtunnel",
        theme=Theme.PUBLIC_ENVIRONMENT,
        description="Många undviker tunneln när det är mörkt.",
        identified_on=identified_on,
        evidence=[DialogueEvidence(uuid4())],
        today=TODAY,
        actor=POLICE,
        cited_dialogues=cited,
    )


def draft(
    starts_on: date = date(2026, 1, 1),
    ends_on: date = date(2026, 12, 31),
    due_on: date = date(2026, 6, 30),
) -> Promise:
    promise = Promise.draft(
        municipalities=["1280"],
        police_district="LPO Malmö Söder",
        starts_on=starts_on,
        ends_on=ends_on,
        title="Medborgarlöfte Lindängen",
        text="Polisen och Malmö stad lovar att göra gångtunneln tryggare.",
        addresses=[uuid4()],
        activities=[ActivityInput("Belysning i tunneln", Responsible.MUNICIPALITY, due_on)],
        follow_up_cadence=Cadence.QUARTERLY,
        actor=POLICE,
    )
    promise.collect_events()
    return promise


def sign(promise: Promise, signed_on: date) -> None:
    promise.sign(
        party=Party.POLICE,
        municipality=None,
        name="Lena Lind",
        title="Lokalpolisområdeschef",
        signed_on=signed_on,
        today=TODAY,
        actor=POLICE,
    )
    promise.sign(
        party=Party.MUNICIPALITY,
        municipality="1280",
        name="Karin Berg",
        title="Kommunstyrelsens ordförande",
        signed_on=signed_on,
        today=TODAY,
        actor=POLICE,
    )
    promise.collect_events()


def issued(issued_on: date = date(2026, 2, 10)) -> Promise:
    promise = draft()
    sign(promise, date(2026, 2, 3))
    promise.issue(issued_on=issued_on, today=TODAY, actor=POLICE)
    promise.collect_events()
    return promise


# -- dialogues ---------------------------------------------------------------------------------


def test_a_dialogue_held_before_2000_is_refused_and_one_held_on_1_january_2000_is_kept():
    with refused(
        DomainError,
        "The dialogue was held on 1901-05-02, before 2000-01-01, the earliest date the record "
        "accepts.",
    ):
        hold(date(1901, 5, 2))
    assert hold(date(2000, 1, 1)).held_on == date(2000, 1, 1)


def test_a_dialogue_held_in_the_future_is_refused():
    with refused(
        DomainError,
        "A dialogue cannot be recorded before it is held: held_on 2026-12-03 is after "
        "today (2026-12-02).",
    ):
        hold(date(2026, 12, 3))


def test_an_observation_raised_by_more_people_than_took_part_is_refused():
    dialogue = walk(participants=23)
    with refused(
        DomainError,
        "The observation's count 5000 is more than the dialogue's 23 participants.",
        dialogue,
    ):
        dialogue.record_observations([observation(3), observation(5000)], POLICE)
    dialogue.record_observations([observation(23)], POLICE)
    [event] = dialogue.collect_events()
    assert event.count == 23


def test_a_survey_counts_respondents_and_a_dialogue_without_participants_takes_any_count():
    survey = walk(participants=400, kind=DialogueKind.SURVEY)
    with refused(
        DomainError,
        "The observation's count 401 is more than the dialogue's 400 respondents.",
        survey,
    ):
        survey.record_observations([observation(401)], POLICE)
    unknown = walk(participants=None)
    unknown.record_observations([observation(5000)], POLICE)
    assert [o.count for o in unknown.observations.values()] == [5000]


# -- issues ------------------------------------------------------------------------------------


def test_an_issue_identified_before_a_dialogue_it_cites_was_held_is_refused():
    cited = [
        CitedDialogue("Trygghetsmätning 2023", date(2023, 10, 1)),
        CitedDialogue("Trygghetsvandring i Lindängen", date(2025, 2, 4)),
    ]
    with refused(
        DomainError,
        "The issue was identified on 2024-01-01, before the dialogue 'Trygghetsvandring i "
        "Lindängen' it cites was held on 2025-02-04.",
    ):
        identify(date(2024, 1, 1), cited)
    assert identify(date(2025, 2, 4), cited).identified_on == date(2025, 2, 4)


def test_an_issue_addressed_by_an_issued_or_concluded_promise_cannot_be_rejected():
    issue = identify(date(2025, 2, 5), [])
    issue.collect_events()
    with refused(
        DomainError,
        "The issue 'Otrygg gångtunnel' cannot be rejected: the concluded promise "
        "'Medborgarlöfte Lindängen 2025' addresses it.",
        issue,
    ):
        issue.reject(
            "Inte längre aktuellt",
            POLICE,
            [AddressingPromise("Medborgarlöfte Lindängen 2025", concluded=True)],
        )
    with refused(
        DomainError,
        "The issue 'Otrygg gångtunnel' cannot be rejected: the issued promise "
        "'Medborgarlöfte Lindängen 2026' addresses it.",
        issue,
    ):
        issue.reject(
            "Inte längre aktuellt",
            POLICE,
            [AddressingPromise("Medborgarlöfte Lindängen 2026", concluded=False)],
        )
    issue.reject("Inte längre aktuellt", POLICE, [])
    [event] = issue.collect_events()
    assert type(event).__name__ == "IssueRejected"


# -- promises ----------------------------------------------------------------------------------


def test_an_activity_due_outside_the_promise_period_is_refused_at_drafting_and_after():
    with refused(
        DomainError, "The activity is due on 2027-06-30, after the promise ends on 2026-12-31."
    ):
        draft(due_on=date(2027, 6, 30))
    promise = draft()
    late = ActivityInput("Trafikkontroller", Responsible.POLICE, date(2025, 12, 31))
    with refused(
        DomainError,
        "The activity is due on 2025-12-31, before the promise starts on 2026-01-01.",
        promise,
    ):
        promise.plan_activity(late, POLICE)
    on_the_last_day = ActivityInput("Trafikkontroller", Responsible.POLICE, date(2026, 12, 31))
    promise.plan_activity(on_the_last_day, POLICE)
    assert [e.due_on for e in promise.collect_events()] == [date(2026, 12, 31)]


def test_issuing_before_the_last_signature_is_refused():
    promise = draft()
    sign(promise, date(2026, 2, 3))
    with refused(
        DomainError,
        "The promise was issued on 2026-02-02, before it was signed on 2026-02-03.",
        promise,
    ):
        promise.issue(issued_on=date(2026, 2, 2), today=TODAY, actor=POLICE)


def test_issuing_after_the_period_ended_is_refused():
    promise = draft(ends_on=date(2026, 11, 30), due_on=date(2026, 6, 30))
    sign(promise, date(2026, 2, 3))
    with refused(
        DomainError,
        "The promise was issued on 2026-12-01, after its period ended on 2026-11-30.",
        promise,
    ):
        promise.issue(issued_on=date(2026, 12, 1), today=TODAY, actor=POLICE)
    promise.issue(issued_on=date(2026, 11, 30), today=TODAY, actor=POLICE)
    assert promise.status is PromiseStatus.ISSUED


def test_a_follow_up_held_before_the_promise_was_issued_is_refused():
    promise = issued()
    first = next(iter(promise.follow_ups.values()))
    with refused(
        DomainError,
        "The follow-up was held on 2025-03-28, before the promise was issued on 2026-02-10.",
        promise,
    ):
        promise.record_follow_up(
            follow_up_id=first.id,
            held_on=date(2025, 3, 28),
            summary="Beställd.",
            activities=[],
            today=TODAY,
            actor=POLICE,
        )


def test_feedback_published_before_the_promise_was_issued_is_refused():
    promise = issued()
    with refused(
        DomainError,
        "The feedback was published on 2026-02-09, before the promise was issued on 2026-02-10.",
        promise,
    ):
        promise.publish_feedback(
            published_on=date(2026, 2, 9),
            channel="malmo.se",
            summary="Belysningen är beställd.",
            today=TODAY,
            actor=POLICE,
        )
    promise.publish_feedback(
        published_on=date(2026, 2, 10),
        channel="malmo.se",
        summary="Belysningen är beställd.",
        today=TODAY,
        actor=POLICE,
    )
    assert len(promise.feedback) == 1


def test_a_conclusion_before_issuance_or_before_the_final_follow_up_was_held_is_refused():
    promise = issued(issued_on=date(2026, 2, 10))
    final = promise.final_follow_up
    assert final is not None
    promise.record_follow_up(
        follow_up_id=final.id,
        held_on=date(2026, 2, 12),
        summary="Klart.",
        activities=[],
        today=date(2027, 2, 12),
        actor=POLICE,
    )
    promise.collect_events()

    def conclude(concluded_on: date) -> None:
        promise.conclude(
            outcome=Outcome.FULFILLED,
            summary="Tunneln är upplyst.",
            concluded_on=concluded_on,
            today=date(2027, 2, 12),
            actor=POLICE,
        )

    with refused(
        DomainError,
        "The promise was concluded on 2026-02-01, before the promise was issued on 2026-02-10.",
        promise,
    ):
        conclude(date(2026, 2, 1))
    with refused(
        DomainError,
        "The promise was concluded on 2026-02-11, before its final follow-up was held on "
        "2026-02-12.",
        promise,
    ):
        conclude(date(2026, 2, 11))


# -- backfill ----------------------------------------------------------------------------------


def test_a_2023_promise_recorded_in_2026_with_every_date_in_2023_is_accepted():
    """Nothing compares a business date with the day of recording but 'not in the future'."""
    dialogue = Dialogue.hold(
        municipality_code="1280",
        kind=DialogueKind.SAFETY_WALK,
        held_on=date(2023, 1, 24),
        title="Trygghetsvandring i Lindängen",
        place="Lindängen",
        participants=18,
        organisers=["Malmö stad"],
        today=TODAY,
        actor=POLICE,
    )
    dialogue.record_observations([observation(9)], POLICE)
    issue = identify(date(2023, 1, 30), [CitedDialogue(dialogue.title, dialogue.held_on)])
    promise = draft(
        starts_on=date(2023, 1, 1), ends_on=date(2023, 11, 30), due_on=date(2023, 6, 30)
    )
    sign(promise, date(2023, 2, 6))
    promise.issue(issued_on=date(2023, 2, 10), today=TODAY, actor=POLICE)
    [activity] = promise.activities
    for follow_up in list(promise.follow_ups.values()):
        promise.record_follow_up(
            follow_up_id=follow_up.id,
            held_on=follow_up.due_on,
            summary="Uppföljning i samverkansgruppen",
            activities=[ActivityReport(activity, ActivityStatus.DONE)],
            today=TODAY,
            actor=POLICE,
        )
    promise.publish_feedback(
        published_on=date(2023, 12, 5),
        channel="malmo.se",
        summary="Tunneln är upplyst.",
        today=TODAY,
        actor=POLICE,
    )
    promise.conclude(
        outcome=Outcome.FULFILLED,
        summary="Tunneln är upplyst.",
        concluded_on=date(2023, 12, 31),
        today=TODAY,
        actor=POLICE,
    )
    assert issue.identified_on == date(2023, 1, 30)
    assert promise.status is PromiseStatus.CONCLUDED
    assert [f.due_on for f in promise.follow_ups.values()] == [
        date(2023, 3, 31),
        date(2023, 6, 30),
        date(2023, 9, 30),
        date(2023, 12, 31),
    ]
    assert all(f.status is FollowUpStatus.DONE and not f.late for f in promise.follow_ups.values())
