"""The demo: a believable year of medborgarlöften, loaded through the application's commands.

Five real municipalities tell the story: Malmö (one promise for the city centre);
Stenungsund, Orust and Tjörn (one promise shared through LPO Södra Fyrbodal); and
Kiruna (one promise in force and next year's still a draft). Dialogues in the autumn
before lead to issues, prioritised (one rejected) in the winter, promises signed and
issued in the spring, follow-ups (one done late, one missed) and feedback to
citizens during the year.

Every date is relative to the real clock (`app.today`), so the demo never records a
date in the future: the story's year is this year from November on, else last year.
Follow-ups the story says were held are recorded only if that day has come; those
not held are left scheduled, and missed ones are marked overdue at the end.
Signatories' names are invented; observation summaries hold no personal data and
notes hold internal detail without names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from domain.values import (
    SYSTEM_ACTOR,
    ActivityInput,
    ActivityReport,
    ActivityStatus,
    Actor,
    Cadence,
    DialogueEvidence,
    DialogueKind,
    Evidence,
    ObservationInput,
    Party,
    Responsible,
    Role,
    SourceEvidence,
    SourceType,
    Theme,
)
from workflow.application import Loftesboken

# The story's year starts in this month: from then on the year's autumn has passed.
STORY_COMPLETE_FROM_MONTH = 11

MALMO, STENUNGSUND, ORUST, TJORN, KIRUNA = "1280", "1415", "1421", "1419", "2584"

POLIS_MALMO = Actor("Kommunpolis Malmö Centrum", Role.POLICE)
KOMMUN_MALMO = Actor("Trygghetssamordnare Malmö stad", Role.MUNICIPALITY)
POLIS_FYRBODAL = Actor("Kommunpolis LPO Södra Fyrbodal", Role.POLICE)
KOMMUN_STENUNGSUND = Actor("Brottsförebyggande samordnare Stenungsunds kommun", Role.MUNICIPALITY)
KOMMUN_ORUST = Actor("Trygghetssamordnare Orusts kommun", Role.MUNICIPALITY)
KOMMUN_TJORN = Actor("Brottsförebyggande samordnare Tjörns kommun", Role.MUNICIPALITY)
POLIS_KIRUNA = Actor("Kommunpolis Kiruna", Role.POLICE)
KOMMUN_KIRUNA = Actor("Trygghetssamordnare Kiruna kommun", Role.MUNICIPALITY)


class DemoAlreadyLoaded(Exception):
    """The store already holds events; the demo loads only into an empty store."""


def demo_year(today: date) -> int:
    """The year the story is told for: this year once its autumn is over, else last year."""
    return today.year if today.month >= STORY_COMPLETE_FROM_MONTH else today.year - 1


def load_demo(app: Loftesboken) -> str:
    """Load the demo year into an empty store and say in one paragraph what it holds."""
    if app.recorder.max_notification_id():
        raise DemoAlreadyLoaded(
            "The store already holds events; the demo loads only into an empty store. "
            "Point LOFTEN_DATABASE_URL at a new database to load it."
        )
    story = _Story(app, demo_year(app.today))
    _malmo(story)
    _sodra_fyrbodal(story)
    _kiruna(story)
    story.mark_missed_follow_ups()
    return story.summary()


@dataclass
class _Counts:
    dialogues: int = 0
    observations: int = 0
    issues: int = 0
    prioritised: int = 0
    rejected: int = 0
    promises_issued: int = 0
    promises_draft: int = 0
    follow_ups_done: int = 0
    follow_ups_late: int = 0
    overdue: int = 0
    feedback: int = 0
    municipalities: set[str] = field(default_factory=set)


class _Story:
    """Runs the story's commands through the application and counts what it recorded."""

    def __init__(self, app: Loftesboken, year: int) -> None:
        self.app = app
        self.year = year
        self.today = app.today
        self.counts = _Counts()
        self.issued: list[UUID] = []

    def day(self, month: int, day: int, years: int = 0) -> date:
        """A date in the story's year (or `years` from it)."""
        return date(self.year + years, month, day)

    def dialogue(
        self,
        municipality: str,
        kind: DialogueKind,
        held_on: date,
        title: str,
        *,
        place: str,
        participants: int,
        organisers: list[str],
        actor: Actor,
        observations: list[ObservationInput],
    ) -> tuple[UUID, list[UUID]]:
        dialogue = self.app.hold_dialogue(
            municipality=municipality,
            kind=kind,
            held_on=held_on,
            title=title,
            place=place,
            participants=participants,
            organisers=organisers,
            actor=actor,
        )
        _, ids = self.app.record_observations(dialogue.id, observations, actor=actor)
        self.counts.dialogues += 1
        self.counts.observations += len(ids)
        self.counts.municipalities.add(municipality)
        return dialogue.id, ids

    def issue(
        self,
        municipality: str,
        title: str,
        theme: Theme,
        description: str,
        *,
        identified_on: date,
        evidence: list[Evidence],
        actor: Actor,
        priority: int | None = None,
        rationale: str = "",
        rejection: str | None = None,
    ) -> UUID:
        issue = self.app.identify_issue(
            municipality=municipality,
            title=title,
            theme=theme,
            description=description,
            identified_on=identified_on,
            evidence=evidence,
            actor=actor,
        )
        self.counts.issues += 1
        if priority is not None:
            self.app.prioritise_issue(issue.id, priority=priority, rationale=rationale, actor=actor)
            self.counts.prioritised += 1
        if rejection is not None:
            self.app.reject_issue(issue.id, reason=rejection, actor=actor)
            self.counts.rejected += 1
        return issue.id

    def sign(
        self,
        promise_id: UUID,
        party: Party,
        name: str,
        title: str,
        signed_on: date,
        actor: Actor,
        municipality: str | None = None,
    ) -> None:
        self.app.sign_promise(
            promise_id,
            party=party,
            municipality=municipality,
            name=name,
            title=title,
            signed_on=signed_on,
            actor=actor,
        )

    def issue_promise(self, promise_id: UUID, issued_on: date, actor: Actor) -> None:
        self.app.issue_promise(promise_id, issued_on=issued_on, actor=actor)
        self.issued.append(promise_id)
        self.counts.promises_issued += 1

    def activity(self, promise_id: UUID, starts_with: str) -> UUID:
        promise = self.app.get_promise(promise_id)
        return next(
            a.id for a in promise.activities.values() if a.description.startswith(starts_with)
        )

    def follow_up(
        self,
        promise_id: UUID,
        due_on: date,
        *,
        held_on: date,
        summary: str,
        reports: dict[str, tuple[ActivityStatus, str | None]],
        actor: Actor,
    ) -> None:
        """Record the follow-up due on `due_on` as held on `held_on`, if that day has come."""
        if held_on > self.today:
            return
        promise = self.app.get_promise(promise_id)
        follow_up = next(f for f in promise.follow_ups.values() if f.due_on == due_on)
        self.app.record_follow_up(
            promise_id,
            follow_up.id,
            held_on=held_on,
            summary=summary,
            activities=[
                ActivityReport(self.activity(promise_id, key), status, comment)
                for key, (status, comment) in reports.items()
            ],
            actor=actor,
        )
        self.counts.follow_ups_done += 1
        self.counts.follow_ups_late += held_on > due_on

    def reschedule(
        self, promise_id: UUID, due_on: date, new_due_on: date, reason: str, actor: Actor
    ) -> None:
        promise = self.app.get_promise(promise_id)
        follow_up = next(f for f in promise.follow_ups.values() if f.due_on == due_on)
        self.app.reschedule_follow_up(
            promise_id, follow_up.id, due_on=new_due_on, reason=reason, actor=actor
        )

    def feedback(
        self, promise_id: UUID, published_on: date, channel: str, summary: str, actor: Actor
    ) -> None:
        if published_on > self.today:
            return
        self.app.publish_feedback(
            promise_id, published_on=published_on, channel=channel, summary=summary, actor=actor
        )
        self.counts.feedback += 1

    def mark_missed_follow_ups(self) -> None:
        """What the deadline watcher would do: mark follow-ups whose day has passed unheld."""
        for promise_id in self.issued:
            self.counts.overdue += len(self.app.mark_overdue(promise_id, actor=SYSTEM_ACTOR))

    def summary(self) -> str:
        c = self.counts
        return (
            f"Demodata för {self.year}: Malmö; Stenungsund, Orust och Tjörn med ett gemensamt "
            f"medborgarlöfte; Kiruna. {c.dialogues} dialoger med {c.observations} "
            f"iakttagelser, {c.issues} problem (prioriterade: {c.prioritised}, avförda: "
            f"{c.rejected}), utfärdade medborgarlöften: {c.promises_issued}, utkast: "
            f"{c.promises_draft}, uppföljningar gjorda: {c.follow_ups_done} (sena: "
            f"{c.follow_ups_late}), försenade: {c.overdue}, återkopplingar: {c.feedback}. "
            f"Demo data for {self.year} loaded for {len(c.municipalities)} municipalities: "
            f"{c.dialogues} dialogues, {c.observations} observations, {c.issues} issues, "
            f"{c.promises_issued} issued promises and {c.promises_draft} draft, "
            f"{c.follow_ups_done} follow-ups done ({c.follow_ups_late} late), {c.overdue} "
            f"overdue, {c.feedback} feedback items."
        )


def obs(
    theme: Theme, summary: str, count: int = 1, place: str | None = None, note: str | None = None
) -> ObservationInput:
    return ObservationInput(theme=theme, summary=summary, place=place, count=count, note=note)


# -- Malmö ------------------------------------------------------------------------------------


def _malmo(s: _Story) -> None:
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


# -- Stenungsund, Orust and Tjörn: one promise through LPO Södra Fyrbodal -----------------------


def _sodra_fyrbodal(s: _Story) -> None:
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


# -- Kiruna -----------------------------------------------------------------------------------


def _kiruna(s: _Story) -> None:
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
