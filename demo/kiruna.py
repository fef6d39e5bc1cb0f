"""The demo's Kiruna chapter: one promise in force and next year's still a draft."""

from __future__ import annotations

from datetime import timedelta

from demo.story import (
    KIRUNA,
    KOMMUN_KIRUNA,
    POLIS_KIRUNA,
    Story,
    obs,
)
from domain.values import (
    ActivityInput,
    ActivityStatus,
    Cadence,
    DialogueEvidence,
    DialogueKind,
    Party,
    Responsible,
    SourceEvidence,
    SourceType,
    Theme,
)


def tell(s: Story) -> None:
    centre, (k_centre, k_drink) = s.dialogue(
        KIRUNA,
        DialogueKind.CITIZEN_DIALOGUE,
        s.day(10, 8, -1),
        "Medborgardialog om tryggheten i nya centrum",
        place="Kiruna stadshus",
        participants=52,
        organisers=["Trygghetssamordnare Kiruna kommun", "Kommunpolis Kiruna"],
        actor=KOMMUN_KIRUNA,
        observations=[
            obs(Theme.PUBLIC_ENVIRONMENT, "Nya centrum är folktomt och otryggt kvällstid", 19),
            obs(Theme.TRAFFIC, "Oro för rattfylleri på vägarna kring gruvan", 11),
        ],
    )
    drink = s.issue(
        KIRUNA,
        "Rattfylleri på vägarna kring Kiruna",
        Theme.TRAFFIC,
        "Boende oroar sig för rattfylleri, särskilt vid skiftbyten och helger.",
        identified_on=s.day(1, 20),
        evidence=[
            DialogueEvidence(centre, k_drink),
            SourceEvidence(SourceType.STATISTICS, f"Rattfylleribrott i Kiruna {s.year - 1}"),
        ],
        actor=POLIS_KIRUNA,
        priority=1,
        rationale="Allvarlig risk; nykterhetskontroller ger effekt.",
    )
    empty_centre = s.issue(
        KIRUNA,
        "Otrygghet i nya stadskärnan kvällstid",
        Theme.PUBLIC_ENVIRONMENT,
        "Stadsflytten har lämnat nya centrum glest befolkat på kvällarna.",
        identified_on=s.day(1, 20),
        evidence=[DialogueEvidence(centre, k_centre)],
        actor=KOMMUN_KIRUNA,
        priority=2,
        rationale="Viktigt för tilliten under samhällsomvandlingen.",
    )

    promise = s.app.draft_promise(
        municipalities=[KIRUNA],
        police_district="LPO Kiruna",
        starts_on=s.day(3, 1),
        ends_on=s.day(3, 1, 1) - timedelta(days=1),
        title=f"Medborgarlöfte Kiruna {s.year}",
        text=(
            "Polisen lovar fler nykterhetskontroller; Kiruna kommun lovar att göra nya "
            "centrum tryggare kvällstid tillsammans med föreningslivet."
        ),
        addresses=[drink, empty_centre],
        activities=[
            ActivityInput(
                "Minst 40 nykterhetskontroller vid skiftbyten och helger",
                Responsible.POLICE,
                s.day(2, 28, 1),
                "LPO Kiruna",
            ),
            ActivityInput(
                "Nattvandringar med föreningslivet varje fredag i nya centrum",
                Responsible.OTHER,
                s.day(12, 31),
                "Föreningar i Kiruna",
            ),
        ],
        follow_up_cadence=Cadence.QUARTERLY,
        actor=POLIS_KIRUNA,
    )
    s.sign(
        promise.id,
        Party.POLICE,
        "Pär Lindgren",
        "Lokalpolisområdeschef",
        s.day(2, 20),
        POLIS_KIRUNA,
    )
    s.sign(
        promise.id,
        Party.MUNICIPALITY,
        "Maria Niemi",
        "Kommunstyrelsens ordförande",
        s.day(2, 21),
        KOMMUN_KIRUNA,
        KIRUNA,
    )
    s.issue_promise(promise.id, s.day(2, 25), POLIS_KIRUNA)

    checks, nights = "Minst 40", "Nattvandringar"
    s.follow_up(
        promise.id,
        s.day(3, 31),
        held_on=s.day(3, 31),
        summary="Första månaden: kontrollerna i gång, nattvandringarna startar i april.",
        reports={
            checks: (ActivityStatus.IN_PROGRESS, "6 kontroller"),
            nights: (ActivityStatus.NOT_STARTED, None),
        },
        actor=POLIS_KIRUNA,
    )
    s.reschedule(
        promise.id,
        s.day(6, 30),
        s.day(8, 20),
        "Samverkansgruppen har sommaruppehåll; uppföljningen flyttas till augusti.",
        KOMMUN_KIRUNA,
    )
    s.follow_up(
        promise.id,
        s.day(8, 20),
        held_on=s.day(8, 18),
        summary="Nattvandringarna har kommit i gång med tre föreningar.",
        reports={
            checks: (ActivityStatus.IN_PROGRESS, "19 kontroller"),
            nights: (ActivityStatus.IN_PROGRESS, "Varannan fredag hittills"),
        },
        actor=KOMMUN_KIRUNA,
    )
    s.feedback(
        promise.id,
        s.day(9, 4),
        "Kiruna kommuns webbplats",
        "Ni sa att nya centrum känns öde på kvällen. Nu nattvandrar föreningar där, och "
        "polisen har gjort 19 nykterhetskontroller.",
        KOMMUN_KIRUNA,
    )
    # The follow-up due 30 September was never held: the story leaves it to become overdue.

    # Next cycle: an autumn staff dialogue, a new issue and next year's promise, still a draft.
    staff, (k_youth,) = s.dialogue(
        KIRUNA,
        DialogueKind.STAFF_DIALOGUE,
        s.day(9, 17),
        "Medarbetardialog LPO Kiruna inför nästa medborgarlöfte",
        place="Polisstationen Kiruna",
        participants=12,
        organisers=["Lokalpolisområdeschef"],
        actor=POLIS_KIRUNA,
        observations=[obs(Theme.DRUGS, "Fler unga med narkotika vid kontroller", 7)],
    )
    youth = s.issue(
        KIRUNA,
        "Narkotika bland unga",
        Theme.DRUGS,
        "Polisen möter fler unga med narkotika; skolorna ser samma tendens.",
        identified_on=s.day(10, 1),
        evidence=[
            DialogueEvidence(staff, k_youth),
            SourceEvidence(SourceType.SURVEY, f"Skolenkät om droger i Kiruna {s.year}"),
        ],
        actor=POLIS_KIRUNA,
        priority=1,
        rationale="Tidiga insatser; kommunen och polisen prioriterar frågan nästa år.",
    )
    draft = s.app.draft_promise(
        municipalities=[KIRUNA],
        police_district="LPO Kiruna",
        starts_on=s.day(1, 1, 1),
        ends_on=s.day(12, 31, 1),
        title=f"Medborgarlöfte Kiruna {s.year + 1} (utkast)",
        text="Polisen och Kiruna kommun lovar att motverka narkotika bland unga.",
        addresses=[youth],
        activities=[
            ActivityInput(
                "Minst sex informationsträffar för föräldrar om narkotika",
                Responsible.MUNICIPALITY,
                s.day(12, 1, 1),
            )
        ],
        follow_up_cadence=Cadence.ANNUAL,
        actor=POLIS_KIRUNA,
    )
    s.sign(
        draft.id, Party.POLICE, "Pär Lindgren", "Lokalpolisområdeschef", s.day(10, 20), POLIS_KIRUNA
    )
    s.counts.promises_draft += 1
