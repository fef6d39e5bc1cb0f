"""The demo's Malmö chapter: one promise for the city centre, from dialogues to feedback."""

from __future__ import annotations

from demo.story import (
    KOMMUN_MALMO,
    MALMO,
    POLIS_MALMO,
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
    citizens, (c_drugs, c_dark, c_mopeds, _) = s.dialogue(
        MALMO,
        DialogueKind.CITIZEN_DIALOGUE,
        s.day(9, 18, -1),
        "Medborgardialog om tryggheten kring Möllevången",
        place="Folkets park, Malmö",
        participants=64,
        organisers=["Kommunpolis Malmö Centrum", "Trygghetssamordnare Malmö stad"],
        actor=POLIS_MALMO,
        observations=[
            obs(Theme.DRUGS, "Öppen narkotikaförsäljning kring torget kvällstid", 21),
            obs(Theme.PUBLIC_ENVIRONMENT, "Mörka gångtunnlar och dålig belysning", 17),
            obs(Theme.TRAFFIC, "Mopedbilar i hög fart på Amiralsgatan", 9),
            obs(Theme.PUBLIC_DISORDER, "Nedskräpning och störande fester sommartid", 6),
        ],
    )
    walk, (w_tunnel, w_square, _) = s.dialogue(
        MALMO,
        DialogueKind.SAFETY_WALK,
        s.day(10, 9, -1),
        "Trygghetsvandring Möllevången",
        place="Möllevångstorget – Nobeltorget",
        participants=18,
        organisers=["Trygghetssamordnare Malmö stad", "Fastighetsägare Syd", "Kommunpolis"],
        actor=KOMMUN_MALMO,
        observations=[
            obs(
                Theme.PUBLIC_ENVIRONMENT,
                "Fyra gångtunnlar saknar fungerande belysning",
                4,
                "Gångtunnlarna vid Nobelvägen",
                "Felanmält till gatukontoret under vandringen",
            ),
            obs(
                Theme.DRUGS,
                "Platser för narkotikaförsäljning vid torgets södra del",
                6,
                "Möllevångstorget",
                "Deltagare pekade ut två portar; uppgiften lämnad till områdespolisen",
            ),
            obs(Theme.VANDALISM, "Klotter och krossade lampor i parken", 3, "Folkets park"),
        ],
    )
    s.dialogue(
        MALMO,
        DialogueKind.STAFF_DIALOGUE,
        s.day(10, 24, -1),
        "Medarbetardialog LPO Malmö Centrum",
        place="Polishuset Malmö",
        participants=27,
        organisers=["Lokalpolisområdeschef", "Kommunpolis Malmö Centrum"],
        actor=POLIS_MALMO,
        observations=[
            obs(Theme.DRUGS, "Narkotikahandeln flyttar mellan torget och parken", 11),
            obs(Theme.ORGANISED_CRIME, "Unga rekryteras som langare", 7, note="Se lägesbild"),
        ],
    )
    survey, (s_drugs, s_places, _, _) = s.dialogue(
        MALMO,
        DialogueKind.SURVEY,
        s.day(11, 15, -1),
        f"Polisens trygghetsmätning {s.year - 1}, Malmö centrum",
        place="Malmö centrum (enkät)",
        participants=1846,
        organisers=["Polisregion Syd"],
        actor=POLIS_MALMO,
        observations=[
            obs(Theme.DRUGS, "Ser narkotikaförsäljning i sitt område", 412),
            obs(Theme.PUBLIC_ENVIRONMENT, "Undviker vissa platser kvällstid av oro", 655),
            obs(Theme.BURGLARY, "Oroar sig för inbrott i bostaden", 187),
            obs(Theme.PUBLIC_DISORDER, "Störs av berusade personer utomhus", 298),
        ],
    )

    drugs = s.issue(
        MALMO,
        "Öppen narkotikahandel kring Möllevångstorget",
        Theme.DRUGS,
        "Boende, medarbetare och trygghetsmätningen pekar ut torget som en plats för öppen "
        "narkotikaförsäljning kvällstid.",
        identified_on=s.day(12, 5, -1),
        evidence=[
            DialogueEvidence(citizens, c_drugs),
            DialogueEvidence(walk, w_square),
            DialogueEvidence(survey, s_drugs),
            SourceEvidence(SourceType.STATISTICS, f"Anmälda narkotikabrott Malmö {s.year - 1}"),
        ],
        actor=POLIS_MALMO,
        priority=1,
        rationale="Störst oro i alla kunskapskällor och tydligast i statistiken.",
    )
    dark = s.issue(
        MALMO,
        "Otrygga och mörka gångtunnlar",
        Theme.PUBLIC_ENVIRONMENT,
        "Gångtunnlarna mellan Möllevången och Nobeltorget saknar belysning och undviks.",
        identified_on=s.day(12, 5, -1),
        evidence=[
            DialogueEvidence(citizens, c_dark),
            DialogueEvidence(walk, w_tunnel),
            DialogueEvidence(survey, s_places),
        ],
        actor=KOMMUN_MALMO,
        priority=2,
        rationale="Går att åtgärda snabbt och märks av många.",
    )
    s.issue(
        MALMO,
        "Mopedbilar i hög fart på Amiralsgatan",
        Theme.TRAFFIC,
        "Boende beskriver mopedbilar som kör fort och på trottoaren.",
        identified_on=s.day(12, 5, -1),
        evidence=[DialogueEvidence(citizens, c_mopeds)],
        actor=KOMMUN_MALMO,
        rejection="Hanteras i trafiknämndens ordinarie arbete och polisens trafikplan.",
    )

    promise = s.app.draft_promise(
        municipalities=[MALMO],
        police_district="LPO Malmö Centrum",
        starts_on=s.day(1, 1),
        ends_on=s.day(12, 31),
        title=f"Medborgarlöfte Malmö Centrum {s.year}",
        text=(
            f"Under {s.year} lovar polisen att arbeta synligt och riktat mot den öppna "
            "narkotikahandeln kring Möllevångstorget. Malmö stad lovar att göra "
            "gångtunnlarna tryggare och att bjuda in till trygghetsvandringar."
        ),
        addresses=[drugs, dark],
        activities=[
            ActivityInput(
                "Minst 50 riktade insatser mot narkotikahandel kring Möllevångstorget",
                Responsible.POLICE,
                s.day(12, 15),
                "LPO Malmö Centrum",
            ),
            ActivityInput(
                "Ny belysning i fyra gångtunnlar vid Nobelvägen",
                Responsible.MUNICIPALITY,
                s.day(9, 30),
                "Gatukontoret",
            ),
            ActivityInput(
                "Minst två trygghetsvandringar med boende och fastighetsägare",
                Responsible.MUNICIPALITY,
                s.day(11, 30),
                "Trygghetssamordnare Malmö stad",
            ),
        ],
        follow_up_cadence=Cadence.QUARTERLY,
        actor=POLIS_MALMO,
    )
    s.sign(
        promise.id,
        Party.POLICE,
        "Jonas Ekström",
        "Lokalpolisområdeschef",
        s.day(2, 24),
        POLIS_MALMO,
    )
    s.sign(
        promise.id,
        Party.MUNICIPALITY,
        "Helena Berg",
        "Kommunstyrelsens ordförande",
        s.day(2, 27),
        KOMMUN_MALMO,
        MALMO,
    )
    s.issue_promise(promise.id, s.day(3, 3), POLIS_MALMO)
    # The safety team's shared mailbox hears about every follow-up before it falls due.
    s.app.set_reminder_addresses(MALMO, ["trygghet@malmo.se"], actor=KOMMUN_MALMO)

    raids, lights, walks = "Minst 50", "Ny belysning", "Minst två"
    s.follow_up(
        promise.id,
        s.day(3, 31),
        held_on=s.day(3, 26),
        summary="Insatserna har startat; belysningen är upphandlad.",
        reports={
            raids: (ActivityStatus.IN_PROGRESS, "9 insatser hittills"),
            lights: (ActivityStatus.IN_PROGRESS, "Upphandlad"),
            walks: (ActivityStatus.NOT_STARTED, None),
        },
        actor=POLIS_MALMO,
    )
    s.follow_up(
        promise.id,
        s.day(6, 30),
        held_on=s.day(7, 8),
        summary="Uppföljningen sköts upp en vecka över midsommar. Första vandringen gjord.",
        reports={
            raids: (ActivityStatus.IN_PROGRESS, "24 insatser hittills"),
            lights: (ActivityStatus.DELAYED, "Leveransen av armaturer är försenad"),
            walks: (ActivityStatus.IN_PROGRESS, "En vandring i maj med 22 deltagare"),
        },
        actor=KOMMUN_MALMO,
    )
    s.feedback(
        promise.id,
        s.day(7, 15),
        "Malmö stads webbplats",
        "Ni sa att torget och gångtunnlarna känns otrygga. Polisen har gjort 24 insatser mot "
        "narkotikahandeln och kommunen har bjudit in till en första trygghetsvandring.",
        KOMMUN_MALMO,
    )
    s.follow_up(
        promise.id,
        s.day(9, 30),
        held_on=s.day(9, 29),
        summary="Belysningen är på plats i alla fyra tunnlarna.",
        reports={
            raids: (ActivityStatus.IN_PROGRESS, "41 insatser hittills"),
            lights: (ActivityStatus.DONE, "Klart i september"),
            walks: (ActivityStatus.DONE, "Två vandringar genomförda"),
        },
        actor=KOMMUN_MALMO,
    )
    s.feedback(
        promise.id,
        s.day(10, 14),
        "Dialogmöte i Folkets park",
        "Gångtunnlarna vid Nobelvägen har fått ny belysning och två trygghetsvandringar har "
        "genomförts. Insatserna mot narkotikahandeln fortsätter året ut.",
        POLIS_MALMO,
    )
    s.follow_up(
        promise.id,
        s.day(12, 31),
        held_on=s.day(12, 17),
        summary="Årets sista kvartalsuppföljning före julledigheterna.",
        reports={raids: (ActivityStatus.DONE, "56 insatser under året")},
        actor=POLIS_MALMO,
    )
