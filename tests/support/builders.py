"""Builders shared by tests of several layers: the actors of the Malmö tests, a numbered
dialogue (a write load) and an issued promise.

Kept in a module rather than a conftest, so a test names where its builder comes from.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.values import (
    ActivityInput,
    Actor,
    Cadence,
    DialogueKind,
    ObservationInput,
    Party,
    Responsible,
    Role,
    SourceEvidence,
    SourceType,
    Theme,
)
from workflow.application import Loftesboken

POLICE = Actor(label="Kommunpolis Malmö", role=Role.POLICE)
MUNICIPALITY = Actor(label="Trygghetssamordnare Malmö", role=Role.MUNICIPALITY)


def numbered_dialogue(app: Loftesboken, n: int) -> UUID:
    """The n-th of a run of Malmö citizen dialogues, one event each: a steady write load."""
    return app.hold_dialogue(
        municipality="1280",
        kind=DialogueKind.CITIZEN_DIALOGUE,
        held_on=date(2025, 1, 15),
        title=f"Medborgardialog {n}",
        actor=POLICE,
    ).id


def issued_promise(app: Loftesboken, cadence: Cadence = Cadence.QUARTERLY) -> UUID:
    """A Malmö promise for 2025, issued on 2025-02-10 (the fixture clock's today)."""
    dialogue = app.hold_dialogue(
        municipality="1280",
        kind=DialogueKind.CITIZEN_DIALOGUE,
        held_on=date(2025, 1, 20),
        title="Medborgardialog Rosengård",
        actor=POLICE,
    )
    app.record_observations(
        dialogue.id,
        [ObservationInput(Theme.DRUGS, "Öppen narkotikahandel vid torget")],
        actor=POLICE,
    )
    issue = app.identify_issue(
        municipality="1280",
        title="Narkotikahandel i centrala Rosengård",
        theme=Theme.DRUGS,
        description="Boende beskriver öppen handel kvällstid.",
        evidence=[SourceEvidence(SourceType.STATISTICS, "Polisens lägesbild 2024")],
        actor=POLICE,
    )
    app.prioritise_issue(issue.id, priority=1, rationale="Återkommer i alla dialoger", actor=POLICE)
    promise = app.draft_promise(
        municipalities=["1280"],
        police_district="LPO Malmö Öster",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        title="Tryggare Rosengård 2025",
        text="Polisen och Malmö stad lovar att ...",
        addresses=[issue.id],
        activities=[
            ActivityInput("Minst tio trygghetsvandringar", Responsible.POLICE, date(2025, 12, 1))
        ],
        follow_up_cadence=cadence,
        actor=POLICE,
    )
    app.sign_promise(
        promise.id,
        party=Party.POLICE,
        name="Anna Lind",
        title="Lokalpolisområdeschef",
        signed_on=date(2025, 2, 10),
        actor=POLICE,
    )
    app.sign_promise(
        promise.id,
        party=Party.MUNICIPALITY,
        municipality="1280",
        name="Karin Berg",
        title="Kommunstyrelsens ordförande",
        signed_on=date(2025, 2, 10),
        actor=MUNICIPALITY,
    )
    app.issue_promise(promise.id, issued_on=date(2025, 2, 10), actor=POLICE)
    return promise.id
