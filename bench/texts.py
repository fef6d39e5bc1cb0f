"""Swedish texts for the generated history: places, observations, issues, activities, names.

Templates, not real records: they read like what a kommunpolis or a trygghetssamordnare
writes, and hold no personal data (signatories are invented names of office holders).
"""

from __future__ import annotations

from random import Random

from domain.values import ActivityStatus, DialogueKind, Responsible, Theme

PLACES = (
    "centrum",
    "resecentrum",
    "stationsområdet",
    "torget",
    "centrumparken",
    "idrottsplatsen",
    "badplatsen",
    "hamnen",
    "gång- och cykeltunneln vid skolan",
    "busstationen",
    "köpcentret",
    "motionsspåret",
    "skolgården",
    "fritidsgården",
    "biblioteket",
    "industriområdet",
    "campingplatsen",
    "lekparken",
    "kyrkogården",
    "parkeringshuset",
    "infarten norrut",
    "villaområdet i väster",
    "flerbostadsområdet i öster",
    "landsvägen genom byarna",
    "pendelparkeringen",
    "strandpromenaden",
    "nöjesstråket",
    "vårdcentralen",
)

SURVEY_TOPICS: dict[Theme, str] = {
    Theme.DRUGS: "oroar sig för narkotikaförsäljning",
    Theme.VIOLENCE: "har undvikit platsen av rädsla för våld",
    Theme.YOUTH_CRIME: "upplever problem med ungdomsgäng",
    Theme.BURGLARY: "oroar sig för inbrott i bostaden",
    Theme.FRAUD: "har utsatts för försök till bedrägeri",
    Theme.TRAFFIC: "upplever hastighetsöverträdelser och vårdslös körning",
    Theme.VANDALISM: "ser skadegörelse och klotter",
    Theme.PUBLIC_DISORDER: "störs av berusade personer och stök",
    Theme.PUBLIC_ENVIRONMENT: "känner sig otrygga på grund av dålig belysning",
    Theme.DOMESTIC_VIOLENCE: "känner till våld i nära relationer i sin omgivning",
    Theme.ORGANISED_CRIME: "upplever att kriminella nätverk påverkar området",
    Theme.OTHER: "tar upp andra trygghetsfrågor",
}

DIALOGUE_SAYINGS: dict[Theme, tuple[str, ...]] = {
    Theme.DRUGS: (
        "Öppen narkotikahandel vid {place} på kvällstid",
        "Föräldrar oroar sig för att unga erbjuds cannabis vid {place}",
        "Sprutor och förpackningar hittas vid {place}",
    ),
    Theme.VIOLENCE: (
        "Bråk och misshandel vid {place} under helgnätter",
        "Unga känner sig hotade på väg hem förbi {place}",
    ),
    Theme.YOUTH_CRIME: (
        "Grupper av unga samlas vid {place} och kastar sten på bussar",
        "Rån mellan ungdomar vid {place} efter skoltid",
        "EPA-traktorer och mopeder kör vårdslöst kring {place}",
    ),
    Theme.BURGLARY: (
        "Flera inbrott i förråd och garage kring {place}",
        "Boende efterfrågar grannsamverkan mot inbrott vid {place}",
    ),
    Theme.FRAUD: (
        "Äldre boende har fått bedrägerisamtal från falska bankanställda",
        "Falska hantverkare knackar dörr i området kring {place}",
    ),
    Theme.TRAFFIC: (
        "Höga hastigheter på vägen förbi {place}",
        "Farliga korsningar för skolbarn vid {place}",
        "Buskörning med bil på parkeringen vid {place} på kvällarna",
    ),
    Theme.VANDALISM: (
        "Klotter och krossade rutor vid {place}",
        "Bränder i papperskorgar och containrar vid {place}",
    ),
    Theme.PUBLIC_DISORDER: (
        "Nedskräpning och störande fester vid {place}",
        "Berusade personer vid {place} skapar otrygghet",
    ),
    Theme.PUBLIC_ENVIRONMENT: (
        "Trasig belysning gör {place} mörkt och otryggt",
        "Buskage skymmer sikten vid {place}",
        "Kvinnor undviker {place} efter mörkrets inbrott",
    ),
    Theme.DOMESTIC_VIOLENCE: (
        "Behov av mer information om stöd vid våld i nära relationer",
        "Personal på {place} efterfrågar rutiner vid oro för våld i hemmet",
    ),
    Theme.ORGANISED_CRIME: (
        "Näringsidkare vid {place} vittnar om påtryckningar",
        "Oro för att unga rekryteras av kriminella nätverk vid {place}",
    ),
    Theme.OTHER: (
        "Önskemål om mer synlig polis vid {place}",
        "Boende vill veta vart de ska vända sig med tips",
    ),
}

NOTES = (
    "Deltagare nämnde en specifik adress; uppgiften finns i ärendet hos lokalpolisområdet.",
    "Uppgiften lämnades muntligt efter mötet och är inte bekräftad.",
    "Tips vidarebefordrat till områdespolisen.",
    "Samma iakttagelse kom in via kommunens felanmälan.",
)

ISSUE_TITLES: dict[Theme, str] = {
    Theme.DRUGS: "Narkotikaförsäljning vid {place}",
    Theme.VIOLENCE: "Våld i offentlig miljö vid {place}",
    Theme.YOUTH_CRIME: "Ungdomsbrottslighet kring {place}",
    Theme.BURGLARY: "Bostadsinbrott i området kring {place}",
    Theme.FRAUD: "Bedrägerier mot äldre",
    Theme.TRAFFIC: "Trafiksäkerhet vid {place}",
    Theme.VANDALISM: "Skadegörelse vid {place}",
    Theme.PUBLIC_DISORDER: "Ordningsstörningar vid {place}",
    Theme.PUBLIC_ENVIRONMENT: "Otrygg miljö vid {place}",
    Theme.DOMESTIC_VIOLENCE: "Våld i nära relationer",
    Theme.ORGANISED_CRIME: "Kriminella nätverks påverkan på lokalsamhället",
    Theme.OTHER: "Synlighet och tillgänglighet för polis och kommun",
}

ACTIVITIES: dict[Theme, tuple[tuple[str, Responsible], ...]] = {
    Theme.DRUGS: (
        ("Genomföra minst {n} riktade narkotikainsatser vid {place}", Responsible.POLICE),
        (
            "Erbjuda föräldrautbildning om droger på samtliga högstadieskolor",
            Responsible.MUNICIPALITY,
        ),
    ),
    Theme.VIOLENCE: (
        ("Ha synlig polisnärvaro vid {place} minst {n} helgnätter", Responsible.POLICE),
        ("Utöka nattvandringarna vid {place} tillsammans med föreningslivet", Responsible.OTHER),
    ),
    Theme.YOUTH_CRIME: (
        ("Starta en social insatsgrupp för unga i riskzon", Responsible.MUNICIPALITY),
        ("Genomföra minst {n} kontroller av EPA-traktorer och mopeder", Responsible.POLICE),
        ("Hålla fritidsgården vid {place} öppen fredagar och lördagar", Responsible.MUNICIPALITY),
    ),
    Theme.BURGLARY: (
        ("Starta grannsamverkan i minst {n} nya bostadsområden", Responsible.POLICE),
        ("Informera om inbrottsskydd vid {n} tillfällen", Responsible.MUNICIPALITY),
    ),
    Theme.FRAUD: (
        ("Hålla minst {n} informationsträffar om bedrägerier för äldre", Responsible.POLICE),
        (
            "Skicka information om bedrägerier till alla hushåll över 70 år",
            Responsible.MUNICIPALITY,
        ),
    ),
    Theme.TRAFFIC: (
        ("Genomföra minst {n} hastighetskontroller vid {place}", Responsible.POLICE),
        ("Bygga om korsningen vid {place} med upphöjt övergångsställe", Responsible.MUNICIPALITY),
    ),
    Theme.VANDALISM: (
        ("Sanera klotter vid {place} inom 24 timmar", Responsible.MUNICIPALITY),
        ("Kameraövervaka {place} efter tillstånd", Responsible.POLICE),
    ),
    Theme.PUBLIC_DISORDER: (
        ("Genomföra minst {n} tillsyner av serveringsställen", Responsible.MUNICIPALITY),
        ("Patrullera {place} under sommarhelgerna", Responsible.POLICE),
    ),
    Theme.PUBLIC_ENVIRONMENT: (
        ("Genomföra minst {n} trygghetsvandringar vid {place}", Responsible.MUNICIPALITY),
        ("Byta belysning och röja buskage vid {place}", Responsible.MUNICIPALITY),
    ),
    Theme.DOMESTIC_VIOLENCE: (
        (
            "Utbilda personal i skola och socialtjänst om våld i nära relationer",
            Responsible.MUNICIPALITY,
        ),
        (
            "Följa upp samtliga anmälningar om våld i nära relationer inom en vecka",
            Responsible.POLICE,
        ),
    ),
    Theme.ORGANISED_CRIME: (
        ("Genomföra minst {n} gemensamma myndighetskontroller av verksamheter", Responsible.POLICE),
        ("Stärka rutinerna mot välfärdsbrott vid upphandling", Responsible.MUNICIPALITY),
    ),
    Theme.OTHER: (
        ("Hålla öppet hus med kommunpolisen minst {n} gånger", Responsible.POLICE),
        ("Publicera en lägesbild för kommunen varje halvår", Responsible.MUNICIPALITY),
    ),
}

REPORT_COMMENTS: dict[ActivityStatus, tuple[str, ...]] = {
    ActivityStatus.NOT_STARTED: ("Planeras till nästa period.", "Ej påbörjad."),
    ActivityStatus.IN_PROGRESS: ("Pågår enligt plan.", "Hälften genomfört.", "Pågår."),
    ActivityStatus.DONE: ("Genomfört.", "Genomfört enligt plan.", "Klart, fler än planerat."),
    ActivityStatus.DELAYED: (
        "Försenat på grund av personalbrist.",
        "Försenat: resurserna behövdes vid ett allvarligt händelseförlopp.",
    ),
    ActivityStatus.CANCELLED: ("Ersatt av en annan åtgärd.", "Stoppat: tillstånd gavs inte."),
}

DIALOGUE_TITLES: dict[DialogueKind, str] = {
    DialogueKind.CITIZEN_DIALOGUE: "Medborgardialog om tryggheten i {name} {year}",
    DialogueKind.STAFF_DIALOGUE: "Medarbetardialog lokalpolisområdet {name} {year}",
    DialogueKind.SAFETY_WALK: "Trygghetsvandring vid {place}, {name}",
    DialogueKind.SURVEY: "Trygghetsmätning {name} {year}",
    DialogueKind.OTHER: "Samråd med näringslivet i {name} {year}",
}

FEEDBACK_CHANNELS = (
    "Kommunens webbplats",
    "Lokaltidningen",
    "Polisens webbplats",
    "Facebook",
    "Öppet möte i kommunhuset",
)

FIRST_NAMES = (
    "Anna", "Maria", "Karin", "Sara", "Lena", "Emma", "Eva", "Johanna", "Malin", "Sofia",
    "Erik", "Lars", "Anders", "Johan", "Per", "Karl", "Mikael", "Peter", "Jonas", "Fredrik",
)  # fmt: skip

SURNAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Holm",
    "Berg", "Lundqvist", "Sandberg", "Forsberg", "Åberg", "Öberg",
)  # fmt: skip

MUNICIPAL_SIGNATORY_TITLES = ("Kommunstyrelsens ordförande", "Kommunalråd", "Kommundirektör")


def person(rng: Random) -> str:
    """An invented name for an office holder who signs."""
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def survey_summary(theme: Theme, place: str, share: int) -> str:
    return f"{share} % av de svarande kring {place} {SURVEY_TOPICS[theme]}"


def saying(rng: Random, theme: Theme, place: str) -> str:
    return rng.choice(DIALOGUE_SAYINGS[theme]).format(place=place)


def activity_text(rng: Random, theme: Theme, place: str) -> tuple[str, Responsible]:
    template, responsible = rng.choice(ACTIVITIES[theme])
    return template.format(place=place, n=rng.choice((2, 3, 4, 5, 6, 10, 12, 20))), responsible
