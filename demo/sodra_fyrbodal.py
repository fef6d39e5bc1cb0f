"""The demo's Södra Fyrbodal chapter: Stenungsund, Orust and Tjörn share one promise."""

from __future__ import annotations

from demo.story import (
    KOMMUN_ORUST,
    KOMMUN_STENUNGSUND,
    KOMMUN_TJORN,
    ORUST,
    POLIS_FYRBODAL,
    STENUNGSUND,
    TJORN,
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
    stenungsund, (st_drugs, st_parents) = s.dialogue(
        STENUNGSUND,
        DialogueKind.CITIZEN_DIALOGUE,
        s.day(9, 26, -1),
        "Medborgardialog om unga, droger och trygghet",
        place="Stenungsunds kulturhus",
        participants=85,
        organisers=["Kommunpolis LPO Södra Fyrbodal", "Brottsförebyggande samordnare"],
        actor=POLIS_FYRBODAL,
        observations=[
            obs(Theme.DRUGS, "Unga erbjuds narkotika via sociala medier", 23),
            obs(Theme.YOUTH_CRIME, "Föräldrar efterfrågar stöd och kunskap om droger", 15),
        ],
    )
    staff, (staff_drugs, _, _) = s.dialogue(
        STENUNGSUND,
        DialogueKind.STAFF_DIALOGUE,
        s.day(10, 2, -1),
        "Medarbetardialog LPO Södra Fyrbodal",
        place="Polisstationen Stenungsund",
        participants=19,
        organisers=["Lokalpolisområdeschef"],
        actor=POLIS_FYRBODAL,
        observations=[
            obs(Theme.DRUGS, "Fler ärenden där unga köpt narkotika via sociala medier", 9),
            obs(Theme.TRAFFIC, "Trimmade EPA-traktorer på landsvägarna helgkvällar", 8),
            obs(Theme.VIOLENCE, "Bråk vid ungdomsfester sommartid", 5),
        ],
    )
    orust, (or_epa, _) = s.dialogue(
        ORUST,
        DialogueKind.SAFETY_WALK,
        s.day(10, 16, -1),
        "Trygghetsvandring i Henån",
        place="Henåns centrum och hamnen",
        participants=14,
        organisers=["Trygghetssamordnare Orusts kommun", "Kommunpolis"],
        actor=KOMMUN_ORUST,
        observations=[
            obs(Theme.TRAFFIC, "EPA-traktorer och mopeder kör fort genom centrum", 6, "Henån"),
            obs(
                Theme.PUBLIC_ENVIRONMENT,
                "Busstationen är mörk och otrygg kvällstid",
                4,
                "Henåns busstation",
                "Belysningsfrågan skickad till samhällsbyggnad",
            ),
        ],
    )
    tjorn, (tj_harass, _) = s.dialogue(
        TJORN,
        DialogueKind.CITIZEN_DIALOGUE,
        s.day(10, 22, -1),
        "Medborgardialog i Skärhamn",
        place="Skärhamns bibliotek",
        participants=41,
        organisers=["Brottsförebyggande samordnare Tjörns kommun", "Kommunpolis"],
        actor=KOMMUN_TJORN,
        observations=[
            obs(Theme.VIOLENCE, "Unga utsätts för trakasserier och hot vid skolan", 12),
            obs(Theme.DRUGS, "Oro för narkotika på fester", 8),
        ],
    )

    drugs = s.issue(
        STENUNGSUND,
        "Narkotika bland unga och stöd till föräldrar",
        Theme.DRUGS,
        "Unga får tag på narkotika via sociala medier; föräldrar vill ha mer kunskap.",
        identified_on=s.day(12, 12, -1),
        evidence=[
            DialogueEvidence(stenungsund, st_drugs),
            DialogueEvidence(stenungsund, st_parents),
            DialogueEvidence(staff, staff_drugs),
            SourceEvidence(SourceType.SURVEY, f"Drogvaneundersökning åk 9 och gy 2, {s.year - 1}"),
        ],
        actor=KOMMUN_STENUNGSUND,
        priority=1,
        rationale="Återkommer i dialogerna i alla tre kommunerna.",
    )
    epa = s.issue(
        ORUST,
        "EPA-traktorer och mopeder i trafiken",
        Theme.TRAFFIC,
        "Trimmade EPA-traktorer och mopeder skapar farliga situationer på landsvägarna.",
        identified_on=s.day(12, 12, -1),
        evidence=[
            DialogueEvidence(orust, or_epa),
            SourceEvidence(SourceType.STATISTICS, f"Trafikolyckor med EPA-traktor {s.year - 1}"),
        ],
        actor=POLIS_FYRBODAL,
        priority=2,
        rationale="Risk för allvarliga olyckor; polisen kan göra skillnad med kontroller.",
    )
    harassment = s.issue(
        TJORN,
        "Trakasserier och våld bland unga",
        Theme.VIOLENCE,
        "Unga berättar om trakasserier och hot i och kring skolan.",
        identified_on=s.day(1, 9),
        evidence=[
            DialogueEvidence(tjorn, tj_harass),
            SourceEvidence(SourceType.REPORT, f"Elevhälsans rapport om kränkningar {s.year - 1}"),
        ],
        actor=KOMMUN_TJORN,
        priority=2,
        rationale="Skolorna och polisen kan samverka tidigt.",
    )

    promise = s.app.draft_promise(
        municipalities=[STENUNGSUND, ORUST, TJORN],
        police_district="LPO Södra Fyrbodal",
        starts_on=s.day(1, 1),
        ends_on=s.day(12, 31, 1),
        title=f"Medborgarlöfte Stenungsund, Orust och Tjörn {s.year}–{s.year + 1}",
        text=(
            "Polisen i LPO Södra Fyrbodal och Stenungsunds, Orusts och Tjörns kommuner lovar "
            "att arbeta mot narkotika bland unga, stödja föräldrar, göra trafiken säkrare och "
            "motverka trakasserier och våld bland unga."
        ),
        addresses=[drugs, epa, harassment],
        activities=[
            ActivityInput(
                "Minst 50 trafikkontroller i byarna, med fokus på EPA-traktorer och mopeder",
                Responsible.POLICE,
                s.day(12, 31, 1),
                "LPO Södra Fyrbodal",
            ),
            ActivityInput(
                "Minst två trygghetsvandringar per år i varje kommun",
                Responsible.MUNICIPALITY,
                s.day(12, 31, 1),
            ),
            ActivityInput(
                "Minst fyra föräldraträffar om droger och sociala medier per år",
                Responsible.MUNICIPALITY,
                s.day(12, 31, 1),
                "Fältassistenterna",
            ),
            ActivityInput(
                "Polisen besöker varje högstadieskola minst en gång per termin",
                Responsible.POLICE,
                s.day(12, 31, 1),
            ),
        ],
        follow_up_cadence=Cadence.BIANNUAL,
        actor=POLIS_FYRBODAL,
    )
    s.sign(
        promise.id,
        Party.POLICE,
        "Mikael Strand",
        "Lokalpolisområdeschef",
        s.day(2, 3),
        POLIS_FYRBODAL,
    )
    for code, name, title, actor in (
        (STENUNGSUND, "Lena Öberg", "Kommunstyrelsens ordförande", KOMMUN_STENUNGSUND),
        (ORUST, "Anders Kjellberg", "Kommunstyrelsens ordförande", KOMMUN_ORUST),
        (TJORN, "Karin Johansson", "Kommundirektör", KOMMUN_TJORN),
    ):
        s.sign(promise.id, Party.MUNICIPALITY, name, title, s.day(2, 6), actor, code)
    s.issue_promise(promise.id, s.day(2, 10), POLIS_FYRBODAL)

    s.follow_up(
        promise.id,
        s.day(6, 30),
        held_on=s.day(6, 17),
        summary="Halvårsuppföljning i samverkansgruppen för de tre kommunerna.",
        reports={
            "Minst 50 trafikkontroller": (ActivityStatus.IN_PROGRESS, "31 kontroller"),
            "Minst två trygghetsvandringar": (
                ActivityStatus.IN_PROGRESS,
                "Gjorda i Henån och Skärhamn, Stenungsund i september",
            ),
            "Minst fyra föräldraträffar": (ActivityStatus.IN_PROGRESS, "Två träffar, 70 föräldrar"),
            "Polisen besöker": (ActivityStatus.DONE, "Alla skolor besökta under vårterminen"),
        },
        actor=POLIS_FYRBODAL,
    )
    s.feedback(
        promise.id,
        s.day(8, 28),
        "Kommunernas webbplatser och lokaltidningen",
        "Ni sa att trafiken och drogerna oroar. Polisen har gjort 31 trafikkontroller i byarna "
        "och besökt alla högstadieskolor; två föräldraträffar har hållits.",
        KOMMUN_STENUNGSUND,
    )
    s.follow_up(
        promise.id,
        s.day(12, 31),
        held_on=s.day(12, 10),
        summary="Helårsuppföljning: trafikkontrollerna och skolbesöken fortsätter nästa år.",
        reports={"Minst 50 trafikkontroller": (ActivityStatus.IN_PROGRESS, "48 kontroller")},
        actor=POLIS_FYRBODAL,
    )
