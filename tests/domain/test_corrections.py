"""Corrections: given an aggregate, when a correction, then one event with only the fields
it changes, the reason and the actor, the original untouched; or the exact refusal."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from domain.dialogue import Dialogue
from domain.errors import DomainError, InvalidValue, UnknownFeedback, UnknownObservation
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
    ObservationInput,
    Outcome,
    Party,
    Responsible,
    Role,
    Theme,
)
from tests.support.refusal import refused

POLICE = Actor("Kommunpolis Malmö", Role.POLICE)
TODAY = date(2025, 6, 1)
REASON = "Fel i registreringen."


def walk() -> Dialogue:
    dialogue = Dialogue.hold(
        municipality_code="1280",
        kind=DialogueKind.SAFETY_WALK,
        held_on=date(2025, 2, 4),
        title="Trygghetsvandring i Lindangen",
        place="Lindängen",
        participants=23,
        organisers=["Kommunpolis Malmö"],
        today=TODAY,
        actor=POLICE,
    )
    dialogue.record_observations(
        [ObservationInput(Theme.DRUGS, "Mörk gångtunnel vid skolan", count=9, note="Intern")],
        POLICE,
    )
    dialogue.collect_events()
    return dialogue


def issue() -> Issue:
    found = Issue.identify(
        municipality_code="1280",
        title="Otrygg gångtunel",
        theme=Theme.DRUGS,
        description="Många undviker tunneln.",
        identified_on=date(2025, 2, 5),
        evidence=[DialogueEvidence(uuid4())],
        today=TODAY,
        actor=POLICE,
    )
    found.collect_events()
    return found


def draft() -> Promise:
    promise = Promise.draft(
        municipalities=["1280"],
        police_district="LPO Malmö Söder",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        title="Medborgarlöfte Lindängen 2025",
        text="Under 2025 lovar polisen och Malmö stad att göra gångtunneln tryggare.",
        addresses=[uuid4()],
        activities=[
            ActivityInput("Belysning i tunneln", Responsible.MUNICIPALITY, date(2025, 6, 30))
        ],
        follow_up_cadence=Cadence.QUARTERLY,
        actor=POLICE,
    )
    for party, code in ((Party.POLICE, None), (Party.MUNICIPALITY, "1280")):
        promise.sign(
            party=party,
            municipality=code,
            name="Lena Lind",
            title="Lokalpolisområdeschef",
            signed_on=date(2025, 2, 7),
            today=TODAY,
            actor=POLICE,
        )
    promise.collect_events()
    return promise


def issued() -> Promise:
    promise = draft()
    promise.issue(issued_on=date(2025, 2, 10), today=TODAY, actor=POLICE)
    march = next(iter(promise.follow_ups.values()))
    [activity] = promise.activities
    promise.record_follow_up(
        follow_up_id=march.id,
        held_on=date(2025, 3, 28),
        summary="Beställd.",
        activities=[ActivityReport(activity, ActivityStatus.IN_PROGRESS)],
        today=TODAY,
        actor=POLICE,
    )
    promise.publish_feedback(
        published_on=date(2025, 4, 2),
        channel="malmo.se",
        summary="Belysningen är beställd.",
        today=TODAY,
        actor=POLICE,
    )
    promise.collect_events()
    return promise


def state(event: object) -> dict[str, object]:
    return {k: v for k, v in vars(event).items() if k not in ("originator_id", "timestamp")}


# -- dialogues and observations ---------------------------------------------------------


def test_a_dialogue_correction_records_only_the_fields_it_changes():
    dialogue = walk()
    dialogue.correct(
        changes={"title": "Trygghetsvandring i Lindängen", "participants": 23, "place": None},
        reason=REASON,
        today=TODAY,
        actor=POLICE,
    )
    [event] = dialogue.collect_events()
    assert type(event).__name__ == "DialogueCorrected"
    assert state(event) == {
        "title": "Trygghetsvandring i Lindängen",
        "place": None,
        "reason": REASON,
        "actor": POLICE,
        "originator_version": 3,
    }
    assert (dialogue.title, dialogue.place, dialogue.participants) == (
        "Trygghetsvandring i Lindängen",
        None,
        23,
    )


def test_a_dialogue_correction_keeps_to_the_date_rules_and_the_counts():
    dialogue = walk()
    with refused(
        DomainError,
        "The dialogue was held on 1999-12-31, before 2000-01-01, the earliest date the record "
        "accepts.",
        dialogue,
    ):
        dialogue.correct(
            changes={"held_on": date(1999, 12, 31)}, reason=REASON, today=TODAY, actor=POLICE
        )
    with refused(
        DomainError,
        "The observation's count 9 is more than the dialogue's 8 participants.",
        dialogue,
    ):
        dialogue.correct(changes={"participants": 8}, reason=REASON, today=TODAY, actor=POLICE)
    with refused(
        DomainError,
        "The issue was identified on 2025-02-05, before the dialogue 'Trygghetsvandring i "
        "Lindangen' it cites was held on 2025-02-06.",
        dialogue,
    ):
        dialogue.correct(
            changes={"held_on": date(2025, 2, 6)},
            reason=REASON,
            today=TODAY,
            actor=POLICE,
            cited_by=[date(2025, 2, 5)],
        )


def test_a_correction_without_a_reason_or_a_change_is_refused():
    dialogue = walk()
    with refused(InvalidValue, "Say why it is corrected: the reason is required.", dialogue):
        dialogue.correct(changes={"title": "Ny"}, reason=" ", today=TODAY, actor=POLICE)
    with refused(InvalidValue, "Name at least one field to correct besides the reason.", dialogue):
        dialogue.correct(changes={}, reason=REASON, today=TODAY, actor=POLICE)
    with refused(
        DomainError, "Nothing to correct: participants already has the values given.", dialogue
    ):
        dialogue.correct(changes={"participants": 23}, reason=REASON, today=TODAY, actor=POLICE)


def test_an_observation_correction_and_a_retraction():
    dialogue = walk()
    [observation_id] = dialogue.observations
    dialogue.correct_observation(
        observation_id=observation_id,
        changes={"theme": Theme.PUBLIC_ENVIRONMENT, "note": None},
        reason="Fel tema.",
        actor=POLICE,
    )
    dialogue.retract_observation(observation_id=observation_id, reason="Dubblett.", actor=POLICE)
    corrected, retracted = dialogue.collect_events()
    assert state(corrected) == {
        "observation_id": observation_id,
        "theme": Theme.PUBLIC_ENVIRONMENT,
        "note": None,
        "reason": "Fel tema.",
        "actor": POLICE,
        "originator_version": 3,
    }
    assert type(retracted).__name__ == "ObservationRetracted"
    observation = dialogue.observations[observation_id]
    assert (observation.theme, observation.note, observation.retracted) == (
        Theme.PUBLIC_ENVIRONMENT,
        None,
        True,
    )
    assert dialogue.standing_observations() == []
    message = (
        "Cannot {} the observation 'Mörk gångtunnel vid skolan': it was retracted (Dubblett.)."
    )
    with refused(DomainError, message.format("retract"), dialogue):
        dialogue.retract_observation(observation_id=observation_id, reason="Igen", actor=POLICE)
    with refused(DomainError, message.format("correct"), dialogue):
        dialogue.correct_observation(
            observation_id=observation_id, changes={"count": 2}, reason=REASON, actor=POLICE
        )
    missing = uuid4()
    with refused(UnknownObservation, f"The dialogue has no observation {missing}.", dialogue):
        dialogue.retract_observation(observation_id=missing, reason=REASON, actor=POLICE)


def test_an_observation_count_corrected_past_the_participants_is_refused():
    dialogue = walk()
    [observation_id] = dialogue.observations
    with refused(
        DomainError,
        "The observation's count 24 is more than the dialogue's 23 participants.",
        dialogue,
    ):
        dialogue.correct_observation(
            observation_id=observation_id, changes={"count": 24}, reason=REASON, actor=POLICE
        )


# -- issues -----------------------------------------------------------------------------


def test_an_issue_correction_and_its_limits_once_a_signed_promise_addresses_it():
    found = issue()
    binding = [AddressingPromise("Medborgarlöfte Lindängen 2025", concluded=False)]
    found.correct(
        changes={"title": "Otrygg gångtunnel"},
        reason=REASON,
        today=TODAY,
        actor=POLICE,
        addressed_by=binding,
    )
    [event] = found.collect_events()
    assert type(event).__name__ == "IssueCorrected" and event.changed() == {
        "title": "Otrygg gångtunnel"
    }
    with refused(
        DomainError,
        "The theme of the issue 'Otrygg gångtunnel' cannot be corrected: the issued promise "
        "'Medborgarlöfte Lindängen 2025' addresses it.",
        found,
    ):
        found.correct(
            changes={"theme": Theme.PUBLIC_ENVIRONMENT},
            reason=REASON,
            today=TODAY,
            actor=POLICE,
            addressed_by=binding,
        )
    with refused(
        DomainError,
        "The issue was identified on 2025-02-03, before the dialogue 'Trygghetsvandring i "
        "Lindängen' it cites was held on 2025-02-04.",
        found,
    ):
        found.correct(
            changes={"identified_on": date(2025, 2, 3)},
            reason=REASON,
            today=TODAY,
            actor=POLICE,
            cited_dialogues=[CitedDialogue("Trygghetsvandring i Lindängen", date(2025, 2, 4))],
        )


# -- promises ---------------------------------------------------------------------------


def test_an_amendment_of_a_draft_clears_and_lists_its_signatures():
    promise = draft()
    promise.amend(changes={"text": "Ny text."}, reason="KS ville ändra.", actor=POLICE)
    [event] = promise.collect_events()
    assert type(event).__name__ == "PromiseAmended"
    assert event.changed() == {"text": "Ny text."}
    assert [s["party"] for s in event.signatures_cleared] == ["police", "municipality"]
    assert promise.signatures == [] and promise.text == "Ny text."
    assert promise.missing_for_issuance() == [
        "the police signature",
        "the signature of municipality 1280",
    ]
    with refused(
        DomainError,
        "The activity is due on 2025-06-30, after the promise ends on 2025-05-31.",
        promise,
    ):
        promise.amend(changes={"ends_on": date(2025, 5, 31)}, reason=REASON, actor=POLICE)


def test_an_issued_promise_cannot_be_amended():
    promise = issued()
    with refused(
        DomainError,
        "Cannot amend the promise: it was issued on 2025-02-10 and its signed text is fixed. "
        "Withdraw it and draft a new one to change it.",
        promise,
    ):
        promise.amend(changes={"title": "Nytt"}, reason=REASON, actor=POLICE)


def test_a_follow_up_correction_restates_the_activities_and_keeps_the_date_rules():
    promise = issued()
    march = next(iter(promise.follow_ups.values()))
    [activity] = promise.activities
    promise.correct_follow_up(
        follow_up_id=march.id,
        changes={
            "held_on": date(2025, 3, 27),
            "activities": [ActivityReport(activity, ActivityStatus.DONE, "Klart")],
        },
        reason="Fel datum och status.",
        today=TODAY,
        actor=POLICE,
    )
    [event] = promise.collect_events()
    assert set(event.changed()) == {"held_on", "activities"}
    assert march.held_on == date(2025, 3, 27)
    assert (promise.activities[activity].status, promise.activities[activity].comment) == (
        ActivityStatus.DONE,
        "Klart",
    )
    with refused(
        DomainError,
        "The follow-up was held on 2025-02-01, before the promise was issued on 2025-02-10.",
        promise,
    ):
        promise.correct_follow_up(
            follow_up_id=march.id,
            changes={"held_on": date(2025, 2, 1)},
            reason=REASON,
            today=TODAY,
            actor=POLICE,
        )
    june = list(promise.follow_ups.values())[1]
    with refused(
        DomainError,
        f"The follow-up due {june.due_on} is not recorded yet: record it rather than correct it.",
        promise,
    ):
        promise.correct_follow_up(
            follow_up_id=june.id, changes={"summary": "?"}, reason=REASON, today=TODAY, actor=POLICE
        )


def test_the_final_follow_up_of_a_concluded_promise_is_not_moved_past_the_conclusion():
    promise = issued()
    final = promise.final_follow_up
    assert final is not None
    promise.record_follow_up(
        follow_up_id=final.id,
        held_on=date(2026, 2, 2),
        summary="Klart.",
        activities=[],
        today=date(2026, 2, 3),
        actor=POLICE,
    )
    promise.conclude(
        outcome=Outcome.FULFILLED,
        summary="Tunneln är upplyst.",
        concluded_on=date(2026, 2, 3),
        today=date(2026, 2, 3),
        actor=POLICE,
    )
    promise.collect_events()
    with refused(
        DomainError,
        "The promise was concluded on 2026-02-03, before its final follow-up was held on "
        "2026-02-04.",
        promise,
    ):
        promise.correct_follow_up(
            follow_up_id=final.id,
            changes={"held_on": date(2026, 2, 4)},
            reason=REASON,
            today=date(2026, 3, 1),
            actor=POLICE,
        )


def test_a_feedback_correction():
    promise = issued()
    [feedback] = promise.feedback
    promise.correct_feedback(
        feedback_id=feedback.id,
        changes={"channel": "malmo.se och Lindängens medborgarkontor"},
        reason=REASON,
        today=TODAY,
        actor=POLICE,
    )
    [event] = promise.collect_events()
    assert event.feedback_id == feedback.id
    assert event.changed() == {"channel": "malmo.se och Lindängens medborgarkontor"}
    assert feedback.channel == "malmo.se och Lindängens medborgarkontor"
    with refused(
        DomainError,
        "The feedback was published on 2025-02-09, before the promise was issued on 2025-02-10.",
        promise,
    ):
        promise.correct_feedback(
            feedback_id=feedback.id,
            changes={"published_on": date(2025, 2, 9)},
            reason=REASON,
            today=TODAY,
            actor=POLICE,
        )
    missing = uuid4()
    with refused(UnknownFeedback, f"The promise has no feedback {missing}.", promise):
        promise.correct_feedback(
            feedback_id=missing, changes={"summary": "?"}, reason=REASON, today=TODAY, actor=POLICE
        )
