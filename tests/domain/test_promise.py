"""The Promise aggregate: given a promise built by commands, when a command, then new events
or the exact refusal."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from domain.errors import (
    DomainError,
    InvalidValue,
    UnknownActivity,
    UnknownFollowUp,
    UnknownMunicipality,
)
from domain.promise import FollowUp, Promise
from domain.values import (
    SYSTEM_ACTOR,
    ActivityInput,
    ActivityReport,
    ActivityStatus,
    Actor,
    Cadence,
    FollowUpStatus,
    Outcome,
    Party,
    PromiseStatus,
    Responsible,
    Role,
)
from tests.support.refusal import refused

POLICE = Actor("Kommunpolis Stenungsund", Role.POLICE)
MUNICIPALITY = Actor("Trygghetssamordnare Orust", Role.MUNICIPALITY)
SODRA_FYRBODAL = ["1415", "1421", "1419"]  # Stenungsund, Orust, Tjörn
TODAY = date(2025, 2, 10)
SIGNED_ON = date(2025, 2, 3)
WALKS = ActivityInput(
    "Minst två trygghetsvandringar i varje kommun", Responsible.MUNICIPALITY, date(2025, 10, 31)
)
CHECKS = ActivityInput(
    "Minst 50 trafikkontroller i byarna",
    Responsible.POLICE,
    date(2025, 12, 1),
    "LPO Södra Fyrbodal",
)


def draft(
    *,
    municipalities: list[str] | None = None,
    activities: list[ActivityInput] | None = None,
    starts_on: date = date(2025, 1, 1),
    ends_on: date = date(2025, 12, 31),
    cadence: Cadence = Cadence.QUARTERLY,
    addresses: list[UUID] | None = None,
) -> Promise:
    promise = Promise.draft(
        municipalities=SODRA_FYRBODAL if municipalities is None else municipalities,
        police_district="LPO Södra Fyrbodal",
        starts_on=starts_on,
        ends_on=ends_on,
        title="Medborgarlöfte Stenungsund, Orust och Tjörn 2025",
        text="Polisen och kommunerna lovar att ...",
        addresses=[uuid4(), uuid4()] if addresses is None else addresses,
        activities=[WALKS, CHECKS] if activities is None else activities,
        follow_up_cadence=cadence,
        actor=POLICE,
    )
    return promise


def sign_police(promise: Promise, signed_on: date = SIGNED_ON) -> None:
    promise.sign(
        party=Party.POLICE,
        municipality=None,
        name="Lokalpolisområdeschefen",
        title="Lokalpolisområdeschef",
        signed_on=signed_on,
        today=TODAY,
        actor=POLICE,
    )


def sign_municipality(promise: Promise, code: str, signed_on: date = SIGNED_ON) -> None:
    promise.sign(
        party=Party.MUNICIPALITY,
        municipality=code,
        name=f"KSO {code}",
        title="Kommunstyrelsens ordförande",
        signed_on=signed_on,
        today=TODAY,
        actor=MUNICIPALITY,
    )


def signed(**draft_changes: object) -> Promise:
    promise = draft(**draft_changes)  # type: ignore[arg-type]
    sign_police(promise)
    for code in promise.municipalities:
        sign_municipality(promise, code)
    promise.collect_events()
    return promise


def issued(**draft_changes: object) -> Promise:
    promise = signed(**draft_changes)
    promise.issue(issued_on=TODAY, today=TODAY, actor=POLICE)
    promise.collect_events()
    return promise


def follow_up_due(promise: Promise, due_on: date) -> FollowUp:
    return next(f for f in promise.follow_ups.values() if f.due_on == due_on)


def record(
    promise: Promise,
    follow_up: FollowUp,
    held_on: date,
    reports: list[ActivityReport] | None = None,
    today: date | None = None,
) -> None:
    promise.record_follow_up(
        follow_up_id=follow_up.id,
        held_on=held_on,
        summary="Uppföljning i samverkansgruppen",
        activities=[] if reports is None else reports,
        today=today or held_on,
        actor=POLICE,
    )


def activity_id(promise: Promise, description: str) -> UUID:
    return next(a.id for a in promise.activities.values() if a.description == description)


def concluded() -> Promise:
    promise = issued()
    record(promise, promise.final_follow_up, date(2026, 1, 20))  # type: ignore[arg-type]
    promise.conclude(
        outcome=Outcome.PARTLY_FULFILLED,
        summary="Trafikkontrollerna genomfördes, en trygghetsvandring ställdes in",
        concluded_on=date(2026, 2, 1),
        today=date(2026, 2, 1),
        actor=POLICE,
    )
    promise.collect_events()
    return promise


def withdrawn() -> Promise:
    promise = issued()
    promise.withdraw(reason="Ersätts av ett nytt löfte efter valet", actor=POLICE)
    promise.collect_events()
    return promise


# -- drafting --------------------------------------------------------------------------------


def test_drafting_records_promise_drafted_then_one_activity_planned_per_activity():
    addresses = [uuid4()]
    promise = draft(addresses=addresses)
    events = promise.collect_events()
    assert [type(e).__name__ for e in events] == [
        "PromiseDrafted",
        "ActivityPlanned",
        "ActivityPlanned",
    ]
    drafted = events[0]
    assert drafted.municipalities == SODRA_FYRBODAL
    assert drafted.police_district == "LPO Södra Fyrbodal"
    assert drafted.addresses == addresses
    assert drafted.follow_up_cadence is Cadence.QUARTERLY
    assert drafted.actor == POLICE
    assert events[2].description == CHECKS.description
    assert events[2].responsible is Responsible.POLICE
    assert events[2].responsible_name == "LPO Södra Fyrbodal"
    assert events[2].due_on == date(2025, 12, 1)
    assert set(promise.activities) == {events[1].activity_id, events[2].activity_id}
    assert promise.status is PromiseStatus.DRAFT


def test_a_period_ending_before_it_starts_is_refused():
    message = (
        "The period must end after it starts: ends_on 2024-12-31 is not after starts_on 2025-01-01."
    )
    with refused(DomainError, message):
        draft(ends_on=date(2024, 12, 31))
    with refused(
        DomainError,
        "The period must end after it starts: ends_on 2025-01-01 is not after "
        "starts_on 2025-01-01.",
    ):
        draft(ends_on=date(2025, 1, 1))


def test_a_period_longer_than_three_years_is_refused_and_exactly_three_is_accepted():
    with refused(
        DomainError,
        "A promise runs for at most 3 years: ends_on 2028-01-02 is after 2028-01-01.",
    ):
        draft(ends_on=date(2028, 1, 2))
    assert draft(ends_on=date(2028, 1, 1)).ends_on == date(2028, 1, 1)


def test_a_promise_without_municipalities_or_with_one_twice_or_unknown_is_refused():
    with refused(InvalidValue, "A promise is made with at least one municipality."):
        draft(municipalities=[])
    with refused(InvalidValue, "A municipality is named twice in the promise."):
        draft(municipalities=["1415", "1415"])
    with refused(
        UnknownMunicipality,
        "'1400' is not a Swedish municipality code (kommunkod), e.g. '1280' for Malmö",
    ):
        draft(municipalities=["1415", "1400"])


def test_a_promise_addressing_no_issue_or_one_twice_is_refused():
    with refused(
        DomainError,
        "A promise must address at least one prioritised issue: say which problems it answers.",
    ):
        draft(addresses=[])
    twice = uuid4()
    with refused(InvalidValue, "An issue is addressed twice."):
        draft(addresses=[twice, twice])


def test_planning_an_activity_on_a_draft_records_activity_planned():
    promise = signed()
    new_id = promise.plan_activity(
        ActivityInput("Föräldravandringar på fredagskvällar", Responsible.OTHER, date(2025, 9, 1)),
        MUNICIPALITY,
    )
    [event] = promise.collect_events()
    assert type(event).__name__ == "ActivityPlanned"
    assert event.activity_id == new_id
    assert event.actor == MUNICIPALITY


# -- signing ---------------------------------------------------------------------------------


def test_signing_records_promise_signed_for_each_party():
    promise = draft()
    promise.collect_events()
    sign_police(promise)
    sign_municipality(promise, "1421")
    promise.sign(
        party=Party.PARTNER,
        municipality=None,
        name="Bostadsbolaget",
        title="VD",
        signed_on=SIGNED_ON,
        today=TODAY,
        actor=MUNICIPALITY,
    )
    events = promise.collect_events()
    assert [type(e).__name__ for e in events] == ["PromiseSigned"] * 3
    assert [(e.party, e.municipality) for e in events] == [
        (Party.POLICE, None),
        (Party.MUNICIPALITY, "1421"),
        (Party.PARTNER, None),
    ]
    assert events[1].title == "Kommunstyrelsens ordförande"
    assert events[1].signed_on == SIGNED_ON


def test_a_second_police_signature_is_refused():
    promise = draft()
    sign_police(promise)
    with refused(
        DomainError,
        "The promise is already signed for the police (by Lokalpolisområdeschefen).",
        promise,
    ):
        sign_police(promise)


def test_a_second_signature_for_the_same_municipality_is_refused_but_not_for_another():
    promise = draft()
    sign_municipality(promise, "1415")
    with refused(
        DomainError, "The promise is already signed for municipality 1415 (by KSO 1415).", promise
    ):
        sign_municipality(promise, "1415")
    sign_municipality(promise, "1419")


def test_any_number_of_partners_may_sign():
    promise = draft()
    for name in ("Stenungsbostäder", "Orustbostäder"):
        promise.sign(
            party=Party.PARTNER,
            municipality=None,
            name=name,
            title="VD",
            signed_on=SIGNED_ON,
            today=TODAY,
            actor=MUNICIPALITY,
        )
    assert [s.name for s in promise.signatures] == ["Stenungsbostäder", "Orustbostäder"]


def test_a_signature_naming_the_wrong_municipality_or_none_is_refused():
    promise = draft()
    with refused(
        InvalidValue,
        "Municipality 1280 is not a party to this promise "
        "(its municipalities are 1415, 1421, 1419).",
        promise,
    ):
        sign_municipality(promise, "1280")
    with refused(
        InvalidValue, "A municipality signature must say which municipality signs.", promise
    ):
        promise.sign(
            party=Party.MUNICIPALITY,
            municipality=None,
            name="Kommundirektören",
            title="Kommundirektör",
            signed_on=SIGNED_ON,
            today=TODAY,
            actor=MUNICIPALITY,
        )
    with refused(InvalidValue, "Only a municipality signature names a municipality.", promise):
        promise.sign(
            party=Party.POLICE,
            municipality="1415",
            name="Lokalpolisområdeschefen",
            title="Lokalpolisområdeschef",
            signed_on=SIGNED_ON,
            today=TODAY,
            actor=POLICE,
        )


def test_a_signature_dated_in_the_future_is_refused():
    promise = draft()
    with refused(
        DomainError, "signed_on 2025-02-11 is in the future (today is 2025-02-10).", promise
    ):
        sign_police(promise, signed_on=date(2025, 2, 11))


# -- issuing ---------------------------------------------------------------------------------


def test_issuing_records_promise_issued_then_the_scheduled_follow_ups():
    promise = signed()
    promise.issue(issued_on=TODAY, today=TODAY, actor=POLICE)
    events = promise.collect_events()
    assert [type(e).__name__ for e in events] == ["PromiseIssued"] + ["FollowUpScheduled"] * 5
    assert events[0].issued_on == TODAY
    scheduled = [(e.due_on, e.final) for e in events[1:]]
    assert scheduled == [
        (date(2025, 3, 31), False),
        (date(2025, 6, 30), False),
        (date(2025, 9, 30), False),
        (date(2025, 12, 31), False),
        (date(2026, 1, 31), True),
    ]
    assert [e.follow_up_id for e in events[1:]] == list(promise.follow_ups)
    assert promise.status is PromiseStatus.ISSUED
    assert all(f.status is FollowUpStatus.SCHEDULED for f in promise.follow_ups.values())


def test_issuing_without_the_police_signature_names_it():
    promise = draft()
    for code in SODRA_FYRBODAL:
        sign_municipality(promise, code)
    with refused(
        DomainError, "The promise cannot be issued yet: it needs the police signature.", promise
    ):
        promise.issue(issued_on=TODAY, today=TODAY, actor=POLICE)


def test_issuing_without_one_signature_per_municipality_names_each_missing_one():
    promise = draft()
    sign_police(promise)
    sign_municipality(promise, "1421")
    with refused(
        DomainError,
        "The promise cannot be issued yet: it needs the signature of municipality 1415; "
        "the signature of municipality 1419.",
        promise,
    ):
        promise.issue(issued_on=TODAY, today=TODAY, actor=POLICE)


def test_partner_signatures_do_not_stand_in_for_a_municipality():
    promise = draft(municipalities=["1415"])
    sign_police(promise)
    promise.sign(
        party=Party.PARTNER,
        municipality=None,
        name="Stenungsbostäder",
        title="VD",
        signed_on=SIGNED_ON,
        today=TODAY,
        actor=MUNICIPALITY,
    )
    with refused(
        DomainError,
        "The promise cannot be issued yet: it needs the signature of municipality 1415.",
        promise,
    ):
        promise.issue(issued_on=TODAY, today=TODAY, actor=POLICE)


def test_issuing_without_an_activity_names_it():
    promise = signed(activities=[])
    with refused(
        DomainError, "The promise cannot be issued yet: it needs at least one activity.", promise
    ):
        promise.issue(issued_on=TODAY, today=TODAY, actor=POLICE)


def test_issuing_an_unsigned_empty_promise_names_everything_missing():
    promise = draft(municipalities=["2584"], activities=[])
    with refused(
        DomainError,
        "The promise cannot be issued yet: it needs the police signature; the signature of "
        "municipality 2584; at least one activity.",
        promise,
    ):
        promise.issue(issued_on=TODAY, today=TODAY, actor=POLICE)


def test_issuing_in_the_future_or_before_the_last_signature_is_refused():
    promise = draft(municipalities=["1415"])
    sign_police(promise, signed_on=date(2025, 2, 1))
    sign_municipality(promise, "1415", signed_on=date(2025, 2, 5))
    with refused(
        DomainError, "issued_on 2025-02-11 is in the future (today is 2025-02-10).", promise
    ):
        promise.issue(issued_on=date(2025, 2, 11), today=TODAY, actor=POLICE)
    with refused(
        DomainError,
        "The promise was issued on 2025-02-04, before it was signed on 2025-02-05.",
        promise,
    ):
        promise.issue(issued_on=date(2025, 2, 4), today=TODAY, actor=POLICE)
    promise.issue(issued_on=date(2025, 2, 5), today=TODAY, actor=POLICE)
    assert promise.issued_on == date(2025, 2, 5)


AFTER_ISSUANCE = (
    "Cannot {verb} the promise: it was issued on 2025-02-10 and its signed text is fixed. "
    "Withdraw it and draft a new one to change it."
)


def test_activities_after_issuance_are_refused():
    promise = issued()
    with refused(DomainError, AFTER_ISSUANCE.format(verb="add an activity to"), promise):
        promise.plan_activity(WALKS, POLICE)


def test_signatures_after_issuance_are_refused():
    promise = issued()
    with refused(DomainError, AFTER_ISSUANCE.format(verb="sign"), promise):
        promise.sign(
            party=Party.PARTNER,
            municipality=None,
            name="Tjörns bostadsbolag",
            title="VD",
            signed_on=TODAY,
            today=TODAY,
            actor=MUNICIPALITY,
        )


def test_issuing_twice_is_refused():
    promise = issued()
    with refused(DomainError, AFTER_ISSUANCE.format(verb="issue"), promise):
        promise.issue(issued_on=TODAY, today=TODAY, actor=POLICE)


# -- follow-ups ------------------------------------------------------------------------------


def test_recording_a_follow_up_records_follow_up_recorded_and_the_activities_latest_status():
    promise = issued()
    march = follow_up_due(promise, date(2025, 3, 31))
    walks = activity_id(promise, WALKS.description)
    checks = activity_id(promise, CHECKS.description)
    reports = [
        ActivityReport(walks, ActivityStatus.DONE, "Två vandringar i Stenungsund"),
        ActivityReport(checks, ActivityStatus.IN_PROGRESS),
    ]
    record(promise, march, date(2025, 3, 28), reports)
    [event] = promise.collect_events()
    assert type(event).__name__ == "FollowUpRecorded"
    assert event.follow_up_id == march.id
    assert event.held_on == date(2025, 3, 28)
    assert event.activities == reports
    assert march.status is FollowUpStatus.DONE
    assert not march.late
    assert promise.activities[walks].status is ActivityStatus.DONE
    assert promise.activities[walks].comment == "Två vandringar i Stenungsund"
    assert promise.activities[checks].status is ActivityStatus.IN_PROGRESS


def test_a_follow_up_held_after_its_due_date_is_done_late():
    promise = issued()
    march = follow_up_due(promise, date(2025, 3, 31))
    record(promise, march, date(2025, 4, 7))
    assert march.status is FollowUpStatus.DONE
    assert march.late


def test_the_follow_up_held_latest_speaks_for_an_activity_whatever_the_recording_order():
    promise = issued()
    checks = activity_id(promise, CHECKS.description)
    june = follow_up_due(promise, date(2025, 6, 30))
    march = follow_up_due(promise, date(2025, 3, 31))
    record(promise, june, date(2025, 6, 25), [ActivityReport(checks, ActivityStatus.DELAYED)])
    record(
        promise,
        march,
        date(2025, 7, 1),
        [ActivityReport(checks, ActivityStatus.IN_PROGRESS)],
    )
    record(
        promise,
        follow_up_due(promise, date(2025, 9, 30)),
        date(2025, 6, 28),
        [ActivityReport(checks, ActivityStatus.CANCELLED, "Resurser till annat")],
    )
    assert promise.activities[checks].status is ActivityStatus.IN_PROGRESS
    assert promise.activities[checks].reported_on == date(2025, 7, 1)


def test_recording_a_follow_up_twice_is_refused():
    promise = issued()
    march = follow_up_due(promise, date(2025, 3, 31))
    record(promise, march, date(2025, 3, 28))
    with refused(
        DomainError,
        "The follow-up due 2025-03-31 was already recorded (held 2025-03-28); "
        "a follow-up is recorded once.",
        promise,
    ):
        record(promise, march, date(2025, 3, 30))


def test_recording_a_follow_up_that_does_not_exist_is_refused():
    promise = issued()
    missing = uuid4()
    with refused(UnknownFollowUp, f"The promise has no follow-up {missing}.", promise):
        promise.record_follow_up(
            follow_up_id=missing,
            held_on=TODAY,
            summary="?",
            activities=[],
            today=TODAY,
            actor=POLICE,
        )


def test_a_follow_up_reporting_an_unknown_activity_or_one_twice_is_refused():
    promise = issued()
    march = follow_up_due(promise, date(2025, 3, 31))
    stranger = uuid4()
    with refused(UnknownActivity, f"The promise has no activity {stranger}.", promise):
        record(promise, march, TODAY, [ActivityReport(stranger, ActivityStatus.DONE)])
    walks = activity_id(promise, WALKS.description)
    with refused(InvalidValue, f"Activity {walks} is reported twice.", promise):
        record(
            promise,
            march,
            TODAY,
            [
                ActivityReport(walks, ActivityStatus.DONE),
                ActivityReport(walks, ActivityStatus.DELAYED),
            ],
        )


def test_a_follow_up_held_in_the_future_is_refused():
    promise = issued()
    march = follow_up_due(promise, date(2025, 3, 31))
    with refused(
        DomainError, "held_on 2025-03-31 is in the future (today is 2025-03-30).", promise
    ):
        record(promise, march, date(2025, 3, 31), today=date(2025, 3, 30))


def test_follow_ups_of_a_draft_are_refused():
    promise = signed()
    with refused(
        DomainError,
        "Cannot record a follow-up of the promise: it is still a draft. Sign and issue it first.",
        promise,
    ):
        promise.record_follow_up(
            follow_up_id=uuid4(),
            held_on=TODAY,
            summary="?",
            activities=[],
            today=TODAY,
            actor=POLICE,
        )


def test_rescheduling_records_the_old_and_new_dates_and_the_reason():
    promise = issued()
    march = follow_up_due(promise, date(2025, 3, 31))
    promise.reschedule_follow_up(
        follow_up_id=march.id,
        due_on=date(2025, 4, 15),
        reason="Samverkansgruppen möts efter påsk",
        today=TODAY,
        actor=MUNICIPALITY,
    )
    [event] = promise.collect_events()
    assert type(event).__name__ == "FollowUpRescheduled"
    assert event.follow_up_id == march.id
    assert (event.previous_due_on, event.due_on) == (date(2025, 3, 31), date(2025, 4, 15))
    assert event.reason == "Samverkansgruppen möts efter påsk"
    assert march.due_on == date(2025, 4, 15)
    assert [(r.previous_due_on, r.due_on) for r in march.reschedulings] == [
        (date(2025, 3, 31), date(2025, 4, 15))
    ]


def test_rescheduling_a_done_follow_up_is_refused():
    promise = issued()
    march = follow_up_due(promise, date(2025, 3, 31))
    record(promise, march, date(2025, 3, 20))
    with refused(
        DomainError,
        "The follow-up due 2025-03-31 is already done; it cannot be moved.",
        promise,
    ):
        promise.reschedule_follow_up(
            follow_up_id=march.id,
            due_on=date(2025, 5, 1),
            reason="?",
            today=date(2025, 3, 20),
            actor=POLICE,
        )


def test_rescheduling_to_the_same_date_without_a_reason_or_an_unknown_follow_up_is_refused():
    promise = issued()
    march = follow_up_due(promise, date(2025, 3, 31))
    with refused(DomainError, "The follow-up is already due on 2025-03-31.", promise):
        promise.reschedule_follow_up(
            follow_up_id=march.id, due_on=march.due_on, reason="x", today=TODAY, actor=POLICE
        )
    with refused(InvalidValue, "Say why the follow-up is moved.", promise):
        promise.reschedule_follow_up(
            follow_up_id=march.id, due_on=date(2025, 4, 2), reason="  ", today=TODAY, actor=POLICE
        )
    missing = uuid4()
    with refused(UnknownFollowUp, f"The promise has no follow-up {missing}.", promise):
        promise.reschedule_follow_up(
            follow_up_id=missing, due_on=date(2025, 4, 2), reason="x", today=TODAY, actor=POLICE
        )


# -- overdue ---------------------------------------------------------------------------------


def overdue_marks(promise: Promise) -> list[tuple[UUID, date]]:
    return [(e.follow_up_id, e.due_on) for e in promise.collect_events()]


def test_a_follow_up_is_overdue_only_after_its_due_date_and_marked_once():
    promise = issued()
    march = follow_up_due(promise, date(2025, 3, 31))
    assert promise.mark_overdue(today=date(2025, 3, 31), actor=SYSTEM_ACTOR) == []
    assert promise.mark_overdue(today=date(2025, 4, 1), actor=SYSTEM_ACTOR) == [march.id]
    [event] = promise.collect_events()
    assert type(event).__name__ == "FollowUpOverdue"
    assert (event.follow_up_id, event.due_on, event.actor) == (
        march.id,
        date(2025, 3, 31),
        SYSTEM_ACTOR,
    )
    assert march.status is FollowUpStatus.OVERDUE
    assert promise.mark_overdue(today=date(2025, 4, 20), actor=SYSTEM_ACTOR) == []
    assert promise.collect_events() == []


def test_a_done_follow_up_is_never_overdue_and_a_late_record_clears_overdue():
    promise = issued()
    march = follow_up_due(promise, date(2025, 3, 31))
    june = follow_up_due(promise, date(2025, 6, 30))
    record(promise, march, date(2025, 3, 25))
    promise.collect_events()
    promise.mark_overdue(today=date(2025, 7, 3), actor=SYSTEM_ACTOR)
    assert overdue_marks(promise) == [(june.id, date(2025, 6, 30))]
    record(promise, june, date(2025, 7, 3))
    assert june.status is FollowUpStatus.DONE
    assert june.late
    assert promise.mark_overdue(today=date(2025, 8, 1), actor=SYSTEM_ACTOR) == []


def test_a_rescheduled_overdue_follow_up_is_scheduled_again_and_marked_again_when_missed():
    promise = issued()
    march = follow_up_due(promise, date(2025, 3, 31))
    promise.mark_overdue(today=date(2025, 4, 2), actor=SYSTEM_ACTOR)
    promise.reschedule_follow_up(
        follow_up_id=march.id,
        due_on=date(2025, 4, 15),
        reason="Ny mötestid",
        today=date(2025, 4, 2),
        actor=POLICE,
    )
    assert march.status is FollowUpStatus.SCHEDULED
    assert promise.mark_overdue(today=date(2025, 4, 15), actor=SYSTEM_ACTOR) == []
    assert promise.mark_overdue(today=date(2025, 4, 16), actor=SYSTEM_ACTOR) == [march.id]
    events = promise.collect_events()
    assert [(type(e).__name__, e.due_on) for e in events] == [
        ("FollowUpOverdue", date(2025, 3, 31)),
        ("FollowUpRescheduled", date(2025, 4, 15)),
        ("FollowUpOverdue", date(2025, 4, 15)),
    ]


def test_an_overdue_follow_up_moved_to_a_date_already_past_stays_overdue():
    promise = issued()
    march = follow_up_due(promise, date(2025, 3, 31))
    promise.mark_overdue(today=date(2025, 4, 10), actor=SYSTEM_ACTOR)
    promise.reschedule_follow_up(
        follow_up_id=march.id,
        due_on=date(2025, 4, 5),
        reason="Rättat datum",
        today=date(2025, 4, 10),
        actor=POLICE,
    )
    assert march.status is FollowUpStatus.OVERDUE


def test_follow_ups_of_a_draft_withdrawn_or_concluded_promise_are_never_marked():
    late = date(2027, 1, 1)
    for promise in (signed(), withdrawn(), concluded()):
        assert promise.mark_overdue(today=late, actor=SYSTEM_ACTOR) == []
        assert promise.collect_events() == []


# -- feedback, conclusion, withdrawal --------------------------------------------------------


def test_feedback_is_recorded_any_number_of_times_while_issued():
    promise = issued()
    ids = [
        promise.publish_feedback(
            published_on=date(2025, 4, day),
            channel=channel,
            summary="Så här gick trygghetsvandringarna",
            today=date(2025, 4, 30),
            actor=MUNICIPALITY,
        )
        for day, channel in ((2, "Kommunens webbplats"), (9, "Lokaltidningen Tjörn"))
    ]
    events = promise.collect_events()
    assert [type(e).__name__ for e in events] == ["FeedbackPublished", "FeedbackPublished"]
    assert [e.feedback_id for e in events] == ids
    assert [f.channel for f in promise.feedback] == ["Kommunens webbplats", "Lokaltidningen Tjörn"]


def test_feedback_on_a_draft_or_dated_in_the_future_is_refused():
    promise = signed()
    with refused(
        DomainError,
        "Cannot publish feedback on the promise: it is still a draft. Sign and issue it first.",
        promise,
    ):
        promise.publish_feedback(
            published_on=TODAY, channel="Webb", summary="?", today=TODAY, actor=POLICE
        )
    promise = issued()
    with refused(
        DomainError, "published_on 2025-02-11 is in the future (today is 2025-02-10).", promise
    ):
        promise.publish_feedback(
            published_on=date(2025, 2, 11), channel="Webb", summary="?", today=TODAY, actor=POLICE
        )


def test_concluding_after_the_final_follow_up_records_promise_concluded():
    promise = issued()
    record(promise, promise.final_follow_up, date(2026, 1, 20))  # type: ignore[arg-type]
    promise.collect_events()
    promise.conclude(
        outcome=Outcome.FULFILLED,
        summary="Alla aktiviteter genomförda",
        concluded_on=date(2026, 1, 20),
        today=date(2026, 1, 21),
        actor=POLICE,
    )
    # The four quarterly follow-ups never recorded are marked overdue first (the same
    # command: tests/domain/test_follow_up_misses.py).
    *marks, event = promise.collect_events()
    assert [type(e).__name__ for e in marks] == ["FollowUpOverdue"] * 4
    assert type(event).__name__ == "PromiseConcluded"
    assert event.outcome is Outcome.FULFILLED
    assert event.concluded_on == date(2026, 1, 20)
    assert promise.status is PromiseStatus.CONCLUDED


def test_concluding_before_the_final_follow_up_is_done_is_refused():
    promise = issued()
    for follow_up in list(promise.follow_ups.values())[:-1]:
        record(promise, follow_up, follow_up.due_on)
    with refused(
        DomainError,
        "The promise cannot be concluded before its final follow-up (due 2026-01-31) is recorded.",
        promise,
    ):
        promise.conclude(
            outcome=Outcome.FULFILLED,
            summary="?",
            concluded_on=date(2026, 1, 5),
            today=date(2026, 1, 5),
            actor=POLICE,
        )


def test_concluding_a_draft_or_with_a_bad_date_is_refused():
    promise = signed()
    with refused(
        DomainError,
        "Cannot conclude the promise: it is still a draft. Sign and issue it first.",
        promise,
    ):
        promise.conclude(
            outcome=Outcome.NOT_FULFILLED,
            summary="?",
            concluded_on=TODAY,
            today=TODAY,
            actor=POLICE,
        )
    promise = issued()
    record(promise, promise.final_follow_up, date(2026, 1, 20))  # type: ignore[arg-type]
    with refused(
        DomainError, "concluded_on 2026-01-22 is in the future (today is 2026-01-21).", promise
    ):
        promise.conclude(
            outcome=Outcome.FULFILLED,
            summary="?",
            concluded_on=date(2026, 1, 22),
            today=date(2026, 1, 21),
            actor=POLICE,
        )
    with refused(
        DomainError,
        "The promise was concluded on 2026-01-19, before its final follow-up was held on "
        "2026-01-20.",
        promise,
    ):
        promise.conclude(
            outcome=Outcome.FULFILLED,
            summary="?",
            concluded_on=date(2026, 1, 19),
            today=date(2026, 1, 21),
            actor=POLICE,
        )


def test_withdrawing_records_promise_withdrawn_from_draft_or_issued():
    for promise in (signed(), issued()):
        promise.withdraw(reason="Ersätts av ett nytt löfte", actor=MUNICIPALITY)
        [event] = promise.collect_events()
        assert type(event).__name__ == "PromiseWithdrawn"
        assert event.reason == "Ersätts av ett nytt löfte"
        assert promise.status is PromiseStatus.WITHDRAWN


def test_withdrawing_without_a_reason_is_refused():
    promise = issued()
    with refused(InvalidValue, "Say why the promise is withdrawn.", promise):
        promise.withdraw(reason=" ", actor=POLICE)


def every_command(promise: Promise) -> dict[str, object]:
    """Each command of the promise, ready to run, by the verb its refusal names."""
    follow_up = next(iter(promise.follow_ups.values()))
    later = date(2026, 6, 1)
    return {
        "add an activity to": lambda: promise.plan_activity(WALKS, POLICE),
        "sign": lambda: sign_police(promise),
        "issue": lambda: promise.issue(issued_on=later, today=later, actor=POLICE),
        "record a follow-up of": lambda: record(promise, follow_up, later),
        "reschedule a follow-up of": lambda: promise.reschedule_follow_up(
            follow_up_id=follow_up.id, due_on=later, reason="x", today=later, actor=POLICE
        ),
        "publish feedback on": lambda: promise.publish_feedback(
            published_on=later, channel="Webb", summary="?", today=later, actor=POLICE
        ),
        "conclude": lambda: promise.conclude(
            outcome=Outcome.FULFILLED,
            summary="?",
            concluded_on=later,
            today=later,
            actor=POLICE,
        ),
        "withdraw": lambda: promise.withdraw(reason="Igen", actor=POLICE),
    }


@pytest.mark.parametrize(
    "verb",
    [
        "add an activity to",
        "sign",
        "issue",
        "record a follow-up of",
        "reschedule a follow-up of",
        "publish feedback on",
        "conclude",
        "withdraw",
    ],
)
def test_nothing_is_accepted_after_withdrawal(verb: str):
    promise = withdrawn()
    command = every_command(promise)[verb]
    with refused(
        DomainError,
        f"Cannot {verb} the promise: it was withdrawn (Ersätts av ett nytt löfte efter valet).",
        promise,
    ):
        command()  # type: ignore[operator]


@pytest.mark.parametrize(
    "verb",
    [
        "add an activity to",
        "sign",
        "issue",
        "record a follow-up of",
        "reschedule a follow-up of",
        "publish feedback on",
        "conclude",
        "withdraw",
    ],
)
def test_nothing_is_accepted_after_conclusion(verb: str):
    promise = concluded()
    command = every_command(promise)[verb]
    with refused(
        DomainError, f"Cannot {verb} the promise: it was concluded on 2026-02-01.", promise
    ):
        command()  # type: ignore[operator]


def test_a_follow_up_moved_back_to_a_due_date_already_marked_is_overdue_again():
    promise = issued()
    march = follow_up_due(promise, date(2025, 3, 31))
    promise.mark_overdue(today=date(2025, 4, 2), actor=SYSTEM_ACTOR)
    for due_on, reason in ((date(2025, 4, 15), "Ny mötestid"), (date(2025, 3, 31), "Ångrat")):
        promise.reschedule_follow_up(
            follow_up_id=march.id,
            due_on=due_on,
            reason=reason,
            today=date(2025, 4, 3),
            actor=POLICE,
        )
    assert march.status is FollowUpStatus.OVERDUE
    assert promise.mark_overdue(today=date(2025, 4, 3), actor=SYSTEM_ACTOR) == []
