"""The words a reader sees in the HTML and PDF reports, in Swedish (default) and English."""

from __future__ import annotations

from enum import Enum
from typing import Literal

from domain.reference import THEME_LABELS
from domain.values import (
    ActivityStatus,
    DialogueKind,
    FollowUpStatus,
    Outcome,
    PromiseStatus,
    Responsible,
    Theme,
)

Lang = Literal["sv", "en"]
LANGS: tuple[Lang, ...] = ("sv", "en")


class UnsupportedLanguage(ValueError):
    """A report language other than Swedish (`sv`) or English (`en`)."""


def parse_lang(value: str | None) -> Lang:
    """`sv` when none is asked for; `UnsupportedLanguage` for anything but `sv` and `en`."""
    if value is None or value == "sv":
        return "sv"
    if value == "en":
        return "en"
    raise UnsupportedLanguage(f"Reports are in Swedish ('sv') or English ('en'), not {value!r}.")


_ENUMS: dict[Enum, tuple[str, str]] = {
    DialogueKind.CITIZEN_DIALOGUE: ("Medborgardialog", "Citizen dialogue"),
    DialogueKind.STAFF_DIALOGUE: ("Medarbetardialog", "Staff dialogue"),
    DialogueKind.SAFETY_WALK: ("Trygghetsvandring", "Safety walk"),
    DialogueKind.SURVEY: ("Trygghetsmätning / enkät", "Safety survey"),
    DialogueKind.OTHER: ("Annan dialog", "Other dialogue"),
    ActivityStatus.NOT_STARTED: ("Ej påbörjad", "Not started"),
    ActivityStatus.IN_PROGRESS: ("Pågår", "In progress"),
    ActivityStatus.DONE: ("Genomförd", "Done"),
    ActivityStatus.DELAYED: ("Försenad", "Delayed"),
    ActivityStatus.CANCELLED: ("Inställd", "Cancelled"),
    PromiseStatus.DRAFT: ("Utkast", "Draft"),
    PromiseStatus.ISSUED: ("Gällande", "In force"),
    PromiseStatus.CONCLUDED: ("Avslutat", "Concluded"),
    PromiseStatus.WITHDRAWN: ("Återkallat", "Withdrawn"),
    Outcome.FULFILLED: ("Uppfyllt", "Fulfilled"),
    Outcome.PARTLY_FULFILLED: ("Delvis uppfyllt", "Partly fulfilled"),
    Outcome.NOT_FULFILLED: ("Ej uppfyllt", "Not fulfilled"),
    Responsible.POLICE: ("Polisen", "The police"),
    Responsible.MUNICIPALITY: ("Kommunen", "The municipality"),
    Responsible.OTHER: ("Annan part", "Another party"),
    FollowUpStatus.SCHEDULED: ("Planerad", "Scheduled"),
    FollowUpStatus.DONE: ("Genomförd", "Done"),
    FollowUpStatus.OVERDUE: ("Försenad", "Overdue"),
    **{theme: labels for theme, labels in THEME_LABELS.items()},
}

_WORDS: dict[str, tuple[str, str]] = {
    "annual_title": (
        "Medborgarlöften {year}: årsredovisning för {name}",
        "Citizen promises {year}: annual report for {name}",
    ),
    "annual_intro": (
        "Så arbetade polisen och {name} under {year} med medborgarlöften: vad invånare och "
        "medarbetare berättade, vilka problem som pekades ut, vad som lovades, och hur "
        "löftena följdes upp och återkopplades.",
        "How the police and {name} worked with citizen promises in {year}: what residents "
        "and staff said, which problems were identified, what was promised, and how the "
        "promises were followed up and reported back.",
    ),
    "municipality": ("Kommun", "Municipality"),
    "county": ("Län", "County"),
    "police_region": ("Polisregion", "Police region"),
    "year": ("År", "Year"),
    "dialogues": ("Dialoger", "Dialogues"),
    "dialogues_total": ("Genomförda dialoger", "Dialogues held"),
    "participants": ("Deltagare", "Participants"),
    "kind": ("Slag", "Kind"),
    "held": ("Antal", "Held"),
    "observations": ("Iakttagelser per tema", "Observations by theme"),
    "theme": ("Tema", "Theme"),
    "observation_count": ("Iakttagelser", "Observations"),
    "mentions": ("Omnämnanden", "Mentions"),
    "mentions_note": (
        "Omnämnanden = hur många deltagare som tog upp temat.",
        "Mentions = how many participants raised the theme.",
    ),
    "no_observations": ("Inga iakttagelser under året.", "No observations during the year."),
    "issues": ("Problembild", "Problems identified"),
    "issues_identified": ("Identifierade problem", "Problems identified"),
    "issues_prioritised": ("varav nu prioriterade", "of which now prioritised"),
    "issues_rejected": ("varav nu avfärdade", "of which now rejected"),
    "promises": ("Gällande medborgarlöften", "Promises in force"),
    "no_promises": (
        "Inget medborgarlöfte gällde under året.",
        "No promise was in force during the year.",
    ),
    "period": ("Period", "Period"),
    "status": ("Status", "Status"),
    "issued_on": ("Utfärdat", "Issued"),
    "outcome": ("Utfall", "Outcome"),
    "no_outcome": ("Ännu inte avslutat", "Not concluded yet"),
    "police_district": ("Lokalpolisområde", "Local police district"),
    "with_municipalities": ("Tillsammans med", "Together with"),
    "activity": ("Aktivitet", "Activity"),
    "responsible": ("Ansvarig", "Responsible"),
    "due_on": ("Klart senast", "Due"),
    "latest_status": ("Senaste status", "Latest status"),
    "comment": ("Kommentar", "Comment"),
    "follow_ups": ("Uppföljning", "Follow-up"),
    "on_time": ("Genomförda i tid", "Done on time"),
    "late": ("Genomförda för sent", "Done late"),
    "overdue": ("Försenade, ej genomförda", "Overdue, not done"),
    "scheduled": ("Planerade", "Scheduled"),
    "missed": (
        "Missade datum (även flyttade eller gjorda sent)",
        "Missed a due date (also moved or done late)",
    ),
    "no_follow_ups": ("Ingen uppföljning under året.", "No follow-up during the year."),
    "feedback": ("Återkoppling till invånarna", "Feedback to residents"),
    "no_feedback": (
        "Ingen återkoppling publicerades under året.",
        "No feedback was published during the year.",
    ),
    "published_on": ("Publicerad", "Published"),
    "channel": ("Kanal", "Channel"),
    "promise": ("Löfte", "Promise"),
    "summary": ("Sammanfattning", "Summary"),
    "audit": ("Spårbarhet", "Verifiability"),
    "audit_position": ("Position i händelsekedjan", "Position in the event chain"),
    "audit_hash": ("Kontrollsumma (SHA-256)", "Checksum (SHA-256)"),
    "audit_text": (
        "Rapporten bygger på händelsekedjan för {name} fram till och med position {position}. "
        "Varje händelse i kedjan är hashad tillsammans med den föregående, så kontrollsumman "
        "ovan låser hela historiken fram till dess.",
        "This report rests on the event chain of {name} up to and including position "
        "{position}. Every event in the chain is hashed together with the one before it, so "
        "the checksum above locks the whole history up to then.",
    ),
    "national_title": (
        "Medborgarlöften i Sveriges kommuner {year}",
        "Citizen promises in Sweden's municipalities {year}",
    ),
    "national_intro": (
        "Hur många av Sveriges {total} kommuner som hade ett utfärdat medborgarlöfte som "
        "gällde någon gång under {year}.",
        "How many of Sweden's {total} municipalities had an issued citizen promise in force "
        "at some time during {year}.",
    ),
    "covered": ("Kommuner med medborgarlöfte", "Municipalities with a promise"),
    "share": ("Andel", "Share"),
    "total": ("Totalt", "Total"),
    "of": ("av", "of"),
    "by_police_region": ("Per polisregion", "By police region"),
    "by_county": ("Per län", "By county"),
    "region": ("Polisregion", "Police region"),
    "uncovered": ("Kommuner utan medborgarlöfte", "Municipalities without a promise"),
    "none_uncovered": (
        "Alla kommuner hade ett medborgarlöfte.",
        "Every municipality had a promise.",
    ),
    "chart_covered": ("Med löfte", "With a promise"),
    "chart_uncovered": ("Utan löfte", "Without a promise"),
    "made_at": ("Framställd", "Made"),
    "table": ("Tabell: {name}", "Table: {name}"),
    "municipality_page": (
        "Medborgarlöften i {name}: alla löften, dialoger och uppföljningar",
        "Citizen promises in {name}: every promise, dialogue and follow-up",
    ),
    "dialogues_held": ("Dialoger under året", "Dialogues of the year"),
    "participants_n": ("{n} deltagare", "{n} took part"),
    "signed_by": ("Undertecknat av", "Signed by"),
    "police": ("polisen", "the police"),
    "audit_check_before": (
        "Så kontrollerar vem som helst rapporten, utan inloggning: öppna",
        "Anyone can check this report, without logging in: open",
    ),
    "audit_check_after": (
        "– visar den samma kontrollsumma som ovan, har inget som rapporten bygger på ändrats; "
        "hela kedjan räknas om från grunden på",
        "– if it shows the same checksum as above, nothing this report rests on has changed; "
        "the whole chain is recomputed from scratch at",
    ),
    "audit_check_end": (
        ". Utan att lita på servern räknar programmet docs/verify.py i Löftesbokens "
        "källkod (bara Pythons standardbibliotek) om varje kontrollsumma i den publika "
        "kedjan och säger om den fortfarande når huvudet ovan:",
        ". Without trusting the server, the program docs/verify.py in Löftesboken's source "
        "(Python's standard library only) recomputes every checksum of the public chain "
        "and says whether it still reaches the head above:",
    ),
    "audit_check_same": (
        "(samma sak: loften verify med samma flaggor). Ett huvud som tryckts tidigare är det "
        "som avslöjar en historia som skrivits om i efterhand eller visas olika för olika "
        "läsare.",
        "(the same: loften verify with the same options). A head printed earlier is what "
        "exposes a history rewritten afterwards, or shown differently to different readers.",
    ),
    "covered_list": ("Kommuner med medborgarlöfte", "Municipalities with a promise"),
    "none_covered": ("Ingen kommun hade ett medborgarlöfte.", "No municipality had a promise."),
    "made_by": ("Framställd av Löftesboken", "Produced by Löftesboken"),
    "page": ("Sida", "Page"),
}


class Labels:
    """Look-ups in one language, handed to the templates and the charts."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self._index = LANGS.index(lang)

    def __call__(self, key: str, **values: object) -> str:
        """The phrase `key`, with `{name}`-style values filled in."""
        return _WORDS[key][self._index].format(**values)

    def of(self, member: Enum) -> str:
        """The label of a vocabulary member (a theme, a status, a kind)."""
        return _ENUMS[member][self._index]

    def theme(self, theme: Theme) -> str:
        return self.of(theme)

    def number(self, value: int) -> str:
        """An integer with thousands grouped as the language writes them."""
        grouped = f"{value:,}"
        return grouped.replace(",", "\u00a0") if self.lang == "sv" else grouped

    def percent(self, share: float) -> str:
        """A share as a percentage with one decimal (Swedish: decimal comma, space before %)."""
        text = f"{share * 100:.1f}"
        return f"{text.replace('.', ',')}\u00a0%" if self.lang == "sv" else f"{text}%"
