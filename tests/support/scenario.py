"""A realistic year driven through the application, for the projection tests to read.

Malmö holds dialogues, identifies issues from them and issues a promise that is
followed up, rescheduled and partly missed; Stenungsund, Orust and Tjörn make one
promise together; an older Malmö promise runs its whole course to conclusion; a
draft stays a draft and another is withdrawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar
from uuid import UUID

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
    SourceEvidence,
    SourceType,
    Theme,
)
from tests.support.builders import MUNICIPALITY, POLICE
from workflow.application import Loftesboken
from workflow.clock import FakeClock

FYRBODAL = Actor(label="LPO Södra Fyrbodal", role=Role.POLICE)

MALMO, STENUNGSUND, TJORN, ORUST, KIRUNA = "1280", "1415", "1419", "1421", "2584"
SECRET_NOTE = "Anna Andersson säljer på Möllan"
NO_ID = UUID(int=0)
T = TypeVar("T")


@dataclass
class Ids:
    """The ids the tests look things up by."""

    citizen_dialogue: UUID = NO_ID
    walk: UUID = NO_ID
    fyrbodal_dialogue: UUID = NO_ID
    observations: list[UUID] = field(default_factory=list)
    drugs_issue: UUID = NO_ID
    dark_places_issue: UUID = NO_ID
    rejected_issue: UUID = NO_ID
    stenungsund_issue: UUID = NO_ID
    orust_issue: UUID = NO_ID
    malmo_promise: UUID = NO_ID
    fyrbodal_promise: UUID = NO_ID
    old_promise: UUID = NO_ID
    draft_promise: UUID = NO_ID
    withdrawn_promise: UUID = NO_ID


def activity(description: str, due_on: date) -> ActivityInput:
    return ActivityInput(description=description, responsible=Responsible.POLICE, due_on=due_on)


def run_scenario(
    app: Loftesboken, clock: FakeClock, after_each: Callable[[], object] = lambda: None
) -> Ids:
    """Drive the year through the application, calling `after_each` after every command."""
    ids = Ids()

    def step(result: T) -> T:
        after_each()
        return result

    d = app.hold_dialogue(
        municipality=MALMO,
        kind=DialogueKind.CITIZEN_DIALOGUE,
        held_on=date(2025, 1, 20),
        title="Medborgardialog Möllevången",
        participants=80,
        actor=POLICE,
    )
    ids.citizen_dialogue = step(d.id)
    _, observation_ids = app.record_observations(
        d.id,
        [
            ObservationInput(
                theme=Theme.DRUGS, summary="Öppen narkotikahandel", count=12, note=SECRET_NOTE
            ),
            ObservationInput(theme=Theme.PUBLIC_ENVIRONMENT, summary="Mörka gångtunnlar", count=30),
            ObservationInput(theme=Theme.TRAFFIC, summary="Mopedbuskörning", count=4),
        ],
        actor=MUNICIPALITY,
    )
    ids.observations = step(observation_ids)
    walk = app.hold_dialogue(
        municipality=MALMO,
        kind=DialogueKind.SAFETY_WALK,
        held_on=date(2024, 10, 3),
        title="Trygghetsvandring Sofielund",
        participants=15,
        actor=MUNICIPALITY,
    )
    ids.walk = step(walk.id)
    f = app.hold_dialogue(
        municipality=STENUNGSUND,
        kind=DialogueKind.SURVEY,
        held_on=date(2024, 11, 1),
        title="Trygghetsmätning 2024",
        actor=FYRBODAL,
    )
    ids.fyrbodal_dialogue = step(f.id)

    drugs = app.identify_issue(
        municipality=MALMO,
        title="Narkotikahandel på Möllan",
        theme=Theme.DRUGS,
        description="Öppen handel kvällstid.",
        evidence=[DialogueEvidence(d.id, observation_ids[0])],
        actor=POLICE,
    )
    ids.drugs_issue = step(drugs.id)
    step(
        app.add_evidence(
            drugs.id,
            SourceEvidence(SourceType.STATISTICS, "BRÅ NTU 2024"),
            actor=POLICE,
        )
    )
    step(app.prioritise_issue(drugs.id, priority=1, rationale="Flest röster", actor=POLICE))
    dark = app.identify_issue(
        municipality=MALMO,
        title="Otrygga gångtunnlar",
        theme=Theme.PUBLIC_ENVIRONMENT,
        description="Belysning saknas.",
        evidence=[DialogueEvidence(d.id), DialogueEvidence(walk.id)],
        actor=MUNICIPALITY,
    )
    ids.dark_places_issue = step(dark.id)
    step(app.prioritise_issue(dark.id, priority=2, rationale="Många nämnde", actor=MUNICIPALITY))
    rejected = app.identify_issue(
        municipality=MALMO,
        title="Mopeder",
        theme=Theme.TRAFFIC,
        description="Buskörning.",
        evidence=[DialogueEvidence(d.id, observation_ids[2])],
        actor=POLICE,
    )
    ids.rejected_issue = step(rejected.id)
    step(app.reject_issue(rejected.id, reason="Hanteras av trafikenheten", actor=POLICE))
    sten = app.identify_issue(
        municipality=STENUNGSUND,
        title="Narkotika bland unga",
        theme=Theme.DRUGS,
        description="Enkäten visar oro.",
        evidence=[DialogueEvidence(f.id)],
        actor=FYRBODAL,
    )
    ids.stenungsund_issue = step(sten.id)
    step(app.prioritise_issue(sten.id, priority=1, rationale="Enkäten", actor=FYRBODAL))
    orust = app.identify_issue(
        municipality=ORUST,
        title="EPA-traktorer",
        theme=Theme.TRAFFIC,
        description="Trafikfarligt.",
        evidence=[SourceEvidence(SourceType.REPORT, "Lägesbild Orust 2024")],
        actor=FYRBODAL,
    )
    ids.orust_issue = step(orust.id)
    step(app.prioritise_issue(orust.id, priority=2, rationale="Olyckor", actor=FYRBODAL))

    # Malmö's promise for 2025, issued and followed up.
    p = app.draft_promise(
        municipalities=[MALMO],
        police_district="LPO Malmö Centrum",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        title="Tryggare Möllan 2025",
        text="Under 2025 lovar polisen och kommunen ...",
        addresses=[drugs.id, dark.id],
        activities=[activity("Minst 20 narkotikakontroller", date(2025, 6, 30))],
        actor=POLICE,
    )
    ids.malmo_promise = step(p.id)
    step(app.plan_activity(p.id, activity("Belysa tre tunnlar", date(2025, 9, 30)), actor=POLICE))
    step(
        app.sign_promise(
            p.id,
            party=Party.POLICE,
            name="Anna Polis",
            title="LPO-chef",
            signed_on=date(2025, 2, 1),
            actor=POLICE,
        )
    )
    step(
        app.sign_promise(
            p.id,
            party=Party.MUNICIPALITY,
            municipality=MALMO,
            name="KSO",
            title="Kommunstyrelsens ordförande",
            signed_on=date(2025, 2, 3),
            actor=MUNICIPALITY,
        )
    )
    promise = step(app.issue_promise(p.id, issued_on=date(2025, 2, 5), actor=POLICE))
    follow_ups = sorted(promise.follow_ups.values(), key=lambda x: x.due_on)

    # Fyrbodal: one promise, three municipalities.
    fp = app.draft_promise(
        municipalities=[STENUNGSUND, ORUST, TJORN],
        police_district="LPO Södra Fyrbodal",
        starts_on=date(2025, 1, 1),
        ends_on=date(2026, 12, 31),
        title="Medborgarlöfte Stenungsund, Orust, Tjörn",
        text="Vi lovar ...",
        addresses=[sten.id, orust.id],
        activities=[activity("50 trafikkontroller i byarna", date(2025, 12, 31))],
        follow_up_cadence=Cadence.BIANNUAL,
        actor=FYRBODAL,
    )
    ids.fyrbodal_promise = step(fp.id)
    step(
        app.sign_promise(
            fp.id,
            party=Party.POLICE,
            name="Lars Polis",
            title="LPO-chef",
            signed_on=date(2025, 2, 1),
            actor=FYRBODAL,
        )
    )
    for code in (STENUNGSUND, ORUST, TJORN):
        step(
            app.sign_promise(
                fp.id,
                party=Party.MUNICIPALITY,
                municipality=code,
                name="KSO",
                title="KSO",
                signed_on=date(2025, 2, 2),
                actor=FYRBODAL,
            )
        )
    step(app.issue_promise(fp.id, issued_on=date(2025, 2, 4), actor=FYRBODAL))

    # An older Malmö promise, run to its end.
    old = app.draft_promise(
        municipalities=[MALMO],
        police_district="LPO Malmö Centrum",
        starts_on=date(2024, 1, 1),
        ends_on=date(2024, 6, 30),
        title="Trygg sommar 2024",
        text="Sommaren 2024 ...",
        addresses=[drugs.id],
        activities=[activity("Fotpatrull", date(2024, 6, 30))],
        actor=POLICE,
    )
    ids.old_promise = step(old.id)
    step(
        app.sign_promise(
            old.id,
            party=Party.POLICE,
            name="Anna Polis",
            title="LPO-chef",
            signed_on=date(2024, 1, 2),
            actor=POLICE,
        )
    )
    step(
        app.sign_promise(
            old.id,
            party=Party.MUNICIPALITY,
            municipality=MALMO,
            name="KSO",
            title="KSO",
            signed_on=date(2024, 1, 2),
            actor=MUNICIPALITY,
        )
    )
    issued_old = app.issue_promise(old.id, issued_on=date(2024, 1, 3), actor=POLICE)
    step(issued_old)
    old_activity = next(iter(issued_old.activities))
    for fu in sorted(issued_old.follow_ups.values(), key=lambda x: x.due_on):
        held = fu.due_on if not fu.final else date(2024, 8, 20)  # the final one is late
        step(
            app.record_follow_up(
                old.id,
                fu.id,
                held_on=held,
                summary=f"Uppföljning {fu.due_on}",
                activities=[ActivityReport(old_activity, ActivityStatus.DONE, "Klart")],
                actor=POLICE,
            )
        )
    step(
        app.publish_feedback(
            old.id,
            published_on=date(2024, 9, 1),
            channel="malmo.se",
            summary="Vi gjorde det vi lovade",
            actor=MUNICIPALITY,
        )
    )
    step(
        app.conclude_promise(
            old.id,
            outcome=Outcome.PARTLY_FULFILLED,
            summary="Nja",
            concluded_on=date(2024, 9, 2),
            actor=POLICE,
        )
    )

    # A draft that stays a draft, and one that is withdrawn.
    draft = app.draft_promise(
        municipalities=[MALMO],
        police_district="LPO Malmö Centrum",
        starts_on=date(2025, 3, 1),
        ends_on=date(2026, 2, 28),
        title="Utkast: Gångtunnlar",
        text="...",
        addresses=[dark.id],
        activities=[],
        actor=MUNICIPALITY,
    )
    ids.draft_promise = step(draft.id)
    gone = app.draft_promise(
        municipalities=[MALMO],
        police_district="LPO Malmö Centrum",
        starts_on=date(2025, 3, 1),
        ends_on=date(2025, 12, 31),
        title="Dragits tillbaka",
        text="...",
        addresses=[drugs.id],
        activities=[],
        actor=POLICE,
    )
    ids.withdrawn_promise = step(gone.id)
    step(app.withdraw_promise(gone.id, reason="Ersatt", actor=POLICE))

    # Time passes: the first quarter's follow-up is missed, then moved and missed again.
    clock.set(date(2025, 4, 2))
    first = follow_ups[0]
    step(app.mark_overdue(p.id, actor=POLICE))
    step(
        app.reschedule_follow_up(
            p.id, first.id, due_on=date(2025, 4, 15), reason="Sjukdom", actor=POLICE
        )
    )
    clock.set(date(2025, 4, 20))
    step(app.mark_overdue(p.id, actor=POLICE))
    step(
        app.record_follow_up(
            p.id,
            first.id,
            held_on=date(2025, 4, 18),
            summary="Sen uppföljning",
            activities=[],
            actor=POLICE,
        )
    )
    step(
        app.publish_feedback(
            p.id,
            published_on=date(2025, 4, 19),
            channel="Facebook",
            summary="Vi har börjat",
            actor=MUNICIPALITY,
        )
    )
    return ids
