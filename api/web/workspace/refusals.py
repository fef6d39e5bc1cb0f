"""The domain's and workflow's refusals in Swedish, with the very values they name.

The rules of the process speak English (`domain.errors`, `workflow.errors`); a Swedish
page should not. Each refusal sentence is matched against a regular expression made
from its English wording, with a named group for every value it carries, and rewritten
by a Swedish template holding the same names. A value that is itself a word of the
rule (a verb, a state, the start of a sentence) is looked up in a small table; a
refusal with no pattern, or a word the table lacks, gives None so the caller keeps the
English sentence (marked `lang="en"`). tests/workspace/test_refusals.py walks the
domain and workflow source so that a new rule cannot silently stay English.

One piece on purpose, though long: the pattern table and the small word table it
draws on are one translation, read and checked together (the test walks them as one),
and the few functions that apply them are meaningless apart from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

#: What a promise, issue or observation is refused for ("Cannot {verb} the promise").
VERBS: dict[str, str] = {
    "add evidence to": "lägga till underlag i",
    "prioritise": "prioritera",
    "add an activity to": "lägga till en aktivitet i",
    "reject": "avfärda",
    "amend": "ändra",
    "sign": "underteckna",
    "issue": "utfärda",
    "record a follow-up of": "registrera en uppföljning av",
    "reschedule a follow-up of": "flytta en uppföljning av",
    "publish feedback on": "publicera återkoppling om",
    "conclude": "avsluta",
    "withdraw": "återkalla",
    "correct": "rätta",
    "retract": "dra tillbaka",
}

#: How a sentence about something after issuance begins ("The follow-up was held on").
AFTER_ISSUANCE: dict[str, str] = {
    "The follow-up was held on": "Uppföljningen hölls",
    "The feedback was published on": "Återkopplingen publicerades",
    "The promise was concluded on": "Löftet avslutades",
}

#: Single words a refusal names as a value.
WORDS: dict[str, str] = {
    "issued": "utfärdade",
    "concluded": "avslutade",
    "respondents": "svarande",
    "participants": "deltagare",
    "the police": "polisen",
    "dialogue": "dialog",
    "issue": "problem",
    "promise": "löfte",
    "reminder recipients": "påminnelsemottagare",
    "theme": "tema",
    "identified_on": "identifieringsdatum",
}

#: What the store has none of ("No promise with id …"), with the Swedish word for "no".
NONE_OF: dict[str, str] = {
    "dialogue": "ingen dialog",
    "issue": "inget problem",
    "promise": "inget löfte",
    "reminder recipients": "inga påminnelsemottagare",
}

#: What a draft still needs before it can be issued, one item at a time.
_NEEDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"the police signature"), "polisens underskrift"),
    (re.compile(r"the signature of municipality (?P<code>.+)"), "underskrift av kommun {code}"),
    (re.compile(r"at least one activity"), "minst en aktivitet"),
)

Word = Callable[[str], str | None]


def _word(table: Mapping[str, str]) -> Word:
    return table.get


def _signer(text: str) -> str | None:
    """ "the police" or "municipality 1280" (who a signature is for)."""
    if text.startswith("municipality "):
        return "kommun " + text.removeprefix("municipality ")
    return WORDS.get(text)


def _needs(text: str) -> str | None:
    """Items joined by "; ", each rewritten; None if one is unknown."""
    shown: list[str] = []
    for item in text.split("; "):
        for pattern, template in _NEEDS:
            match = pattern.fullmatch(item)
            if match:
                shown.append(template.format(**match.groupdict()))
                break
        else:
            return None
    return "; ".join(shown)


#: Groups whose value is a word of the rule and must itself be translated.
_TRANSLATED: dict[str, Word] = {
    "verb": _word(VERBS),
    "what": _word(AFTER_ISSUANCE),
    "state": _word(WORDS),
    "who": _signer,
    "people": _word(WORDS),
    "kind": _word(WORDS),
    "name": _word(WORDS),
    "needs": _needs,
    "none_of": _word(NONE_OF),
}


def _p(english: str, swedish: str) -> tuple[re.Pattern[str], str]:
    """A pattern from an English sentence where `<name>` stands for a value and `[name]`
    for a value without spaces (a date), where a value before it could take any words."""
    regex = re.escape(english)
    regex = re.sub(r"<(\w+)>", r"(?P<\1>.+?)", regex)
    regex = re.sub(r"\\\[(\w+)\\\]", r"(?P<\1>\\S+)", regex)
    return re.compile(regex, re.DOTALL), swedish


#: (English sentence as a pattern, Swedish template), most specific first.
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Corrections
    _p(
        "Name at least one field to correct besides the reason.",
        "Ange minst ett fält att rätta utöver skälet.",
    ),
    _p("These fields cannot be corrected: <fields>.", "De här fälten kan inte rättas: {fields}."),
    _p(
        "Nothing to correct: <fields> already has the values given.",
        "Inget att rätta: {fields} har redan de angivna värdena.",
    ),
    _p(
        "Nothing to correct: <fields> already have the values given.",
        "Inget att rätta: {fields} har redan de angivna värdena.",
    ),
    _p(
        "Say why it is corrected: the reason is required.",
        "Ange varför uppgiften rättas: skälet måste fyllas i.",
    ),
    # Dialogues and observations
    _p(
        "The dialogue was held on <held_on>, before <earliest>, the earliest date the record"
        " accepts.",
        "Dialogen hölls {held_on}, före {earliest}, som är det tidigaste datum registret tar emot.",
    ),
    _p(
        "A dialogue cannot be recorded before it is held: held_on <held_on> is after today"
        " (<today>).",
        "En dialog kan inte registreras innan den har hållits: datumet {held_on} är efter"
        " dagens datum ({today}).",
    ),
    _p(
        "The observation's count <count> is more than the dialogue's <participants> <people>.",
        "Iakttagelsens antal ({count}) är större än dialogens {participants} {people}.",
    ),
    _p("participants cannot be negative", "Antalet deltagare kan inte vara negativt."),
    _p("Give at least one observation.", "Ange minst en iakttagelse."),
    _p(
        "Cannot <verb> the observation '<summary>': it was retracted (<reason>).",
        "Det går inte att {verb} iakttagelsen ”{summary}”: den har dragits tillbaka ({reason}).",
    ),
    _p("Name at least one field to erase.", "Ange minst ett fält att radera."),
    _p(
        "An observation's count is how many participants raised it: at least 1.",
        "En iakttagelses antal är hur många deltagare som tog upp den: minst 1.",
    ),
    _p("The dialogue has no observation <id>.", "Dialogen har ingen iakttagelse {id}."),
    _p(
        "A dialogue's field <field> cannot be erased: only <allowed>.",
        "Dialogens fält {field} kan inte raderas, bara {allowed}.",
    ),
    _p(
        "An observation's field <field> cannot be erased: only <allowed>.",
        "Iakttagelsens fält {field} kan inte raderas, bara {allowed}.",
    ),
    # Issues
    _p(
        "The issue was identified on <identified_on>, before the dialogue '<dialogue>' it cites"
        " was held on <held_on>.",
        "Problemet identifierades {identified_on}, före den dialog det hänvisar till,"
        " ”{dialogue}”, som hölls {held_on}.",
    ),
    _p(
        "An issue must rest on evidence: cite at least one dialogue, observation, statistic,"
        " survey or report.",
        "Ett problem måste vila på underlag: hänvisa till minst en dialog, iakttagelse,"
        " statistik, enkät eller rapport.",
    ),
    _p("The same evidence is cited twice.", "Samma underlag anges två gånger."),
    _p(
        "This issue already cites that evidence.",
        "Problemet hänvisar redan till det underlaget.",
    ),
    _p(
        "priority runs from 1 (highest) to 5 (lowest)",
        "Prioriteten går från 1 (högst) till 5 (lägst).",
    ),
    _p(
        "The issue '<title>' cannot be rejected: the <state> promise '<promise>' addresses it.",
        "Problemet ”{title}” kan inte avfärdas: det {state} löftet ”{promise}” bygger på det.",
    ),
    _p(
        "Cannot <verb> the issue '<title>': it was rejected (<reason>). Identify a new issue if"
        " the problem is back.",
        "Det går inte att {verb} problemet ”{title}”: det har avfärdats ({reason})."
        " Identifiera ett nytt problem om det har kommit tillbaka.",
    ),
    _p(
        "The <name> of the issue '<title>' cannot be corrected: the <state> promise '<promise>'"
        " addresses it.",
        "Problemets {name} (”{title}”) kan inte rättas: det {state} löftet ”{promise}”"
        " bygger på det.",
    ),
    # Dates in the future (field names as the domain writes them)
    _p(
        "identified_on <day> is in the future (today is <today>).",
        "Datumet då problemet identifierades, {day}, ligger i framtiden (i dag är det {today}).",
    ),
    _p(
        "signed_on <day> is in the future (today is <today>).",
        "Underskriftsdatumet {day} ligger i framtiden (i dag är det {today}).",
    ),
    _p(
        "issued_on <day> is in the future (today is <today>).",
        "Utfärdandedatumet {day} ligger i framtiden (i dag är det {today}).",
    ),
    _p(
        "held_on <day> is in the future (today is <today>).",
        "Datumet för uppföljningen, {day}, ligger i framtiden (i dag är det {today}).",
    ),
    _p(
        "published_on <day> is in the future (today is <today>).",
        "Publiceringsdatumet {day} ligger i framtiden (i dag är det {today}).",
    ),
    _p(
        "concluded_on <day> is in the future (today is <today>).",
        "Avslutsdatumet {day} ligger i framtiden (i dag är det {today}).",
    ),
    # Promises
    _p("The promise has no feedback <id>.", "Löftet har ingen återkoppling {id}."),
    _p(
        "A promise is made with at least one municipality.",
        "Ett löfte ges tillsammans med minst en kommun.",
    ),
    _p(
        "A municipality is named twice in the promise.",
        "En kommun anges två gånger i löftet.",
    ),
    _p(
        "A promise must address at least one prioritised issue: say which problems it answers.",
        "Ett löfte måste bygga på minst ett prioriterat problem: ange vilka problem det svarar på.",
    ),
    _p("An issue is addressed twice.", "Ett problem anges två gånger."),
    _p(
        "The promise cannot be issued yet: it needs <needs>.",
        "Löftet kan inte utfärdas ännu: det saknar {needs}.",
    ),
    _p(
        "The promise was issued on <issued_on>, before it was signed on <signed_on>.",
        "Löftet utfärdades {issued_on}, före underskriften {signed_on}.",
    ),
    _p(
        "The promise was issued on <issued_on>, after its period ended on <ends_on>.",
        "Löftet utfärdades {issued_on}, efter att dess period slutade {ends_on}.",
    ),
    _p(
        "The follow-up due <due_on> was already recorded (held <held_on>); a follow-up is"
        " recorded once.",
        "Uppföljningen med sista dag {due_on} är redan registrerad (hölls {held_on});"
        " en uppföljning registreras en gång.",
    ),
    _p(
        "The follow-up due <due_on> is not recorded yet: record it rather than correct it.",
        "Uppföljningen med sista dag {due_on} är inte registrerad ännu: registrera den i stället"
        " för att rätta den.",
    ),
    _p(
        "The follow-up due <due_on> is already done; it cannot be moved.",
        "Uppföljningen med sista dag {due_on} är redan gjord och kan inte flyttas.",
    ),
    _p("The follow-up is already due on <due_on>.", "Uppföljningen har redan sista dag {due_on}."),
    _p("Say why the follow-up is moved.", "Ange varför uppföljningen flyttas."),
    _p(
        "The follow-up cannot be moved to <due_on>, past the final follow-up due on <final>.",
        "Uppföljningen kan inte flyttas till {due_on}, efter den sista uppföljningen som ska"
        " göras senast {final}.",
    ),
    _p(
        "The promise cannot be concluded before its final follow-up (due <due_on>) is recorded.",
        "Löftet kan inte avslutas förrän den sista uppföljningen (senast {due_on}) är registrerad.",
    ),
    _p(
        "The promise cannot be concluded before its final follow-up is recorded.",
        "Löftet kan inte avslutas förrän den sista uppföljningen är registrerad.",
    ),
    _p(
        "The promise was concluded on <concluded_on>, before its final follow-up was held on"
        " <held_on>.",
        "Löftet avslutades {concluded_on}, före den sista uppföljningen som hölls {held_on}.",
    ),
    _p("Say why the promise is withdrawn.", "Ange varför löftet återkallas."),
    _p(
        "<what> [day], before the promise was issued on <issued_on>.",
        "{what} {day}, före löftets utfärdande {issued_on}.",
    ),
    _p(
        "Cannot <verb> the promise: it was withdrawn (<reason>).",
        "Det går inte att {verb} löftet: det har återkallats ({reason}).",
    ),
    _p(
        "Cannot <verb> the promise: it was concluded on <concluded_on>.",
        "Det går inte att {verb} löftet: det avslutades {concluded_on}.",
    ),
    _p(
        "Cannot <verb> the promise: it was issued on <issued_on> and its signed text is fixed."
        " Withdraw it and draft a new one to change it.",
        "Det går inte att {verb} löftet: det utfärdades {issued_on} och den undertecknade"
        " texten ligger fast. Återkalla det och skriv ett nytt utkast för att ändra det.",
    ),
    _p(
        "Cannot <verb> the promise: it is still a draft. Sign and issue it first.",
        "Det går inte att {verb} löftet: det är fortfarande ett utkast. Underteckna och utfärda"
        " det först.",
    ),
    _p(
        "A municipality signature must say which municipality signs.",
        "En kommuns underskrift måste ange vilken kommun som skriver under.",
    ),
    _p(
        "Municipality <code> is not a party to this promise (its municipalities are <codes>).",
        "Kommun {code} är inte part i det här löftet (dess kommuner är {codes}).",
    ),
    _p(
        "Only a municipality signature names a municipality.",
        "Bara en kommuns underskrift anger en kommun.",
    ),
    _p("The promise has no activity <id>.", "Löftet har ingen aktivitet {id}."),
    _p("Activity <id> is reported twice.", "Aktiviteten {id} redovisas två gånger."),
    _p(
        "The final follow-up cannot be moved to <due_on>: at most a year past its first due date"
        " <first_due_on>, so <latest> at the latest.",
        "Den sista uppföljningen kan inte flyttas till {due_on}: högst ett år efter dess första"
        " sista dag {first_due_on}, alltså senast {latest}.",
    ),
    _p("The promise has no follow-up <id>.", "Löftet har ingen uppföljning {id}."),
    _p(
        "The promise is already signed for <who> (by <signer>).",
        "Löftet är redan undertecknat för {who} (av {signer}).",
    ),
    _p(
        "The period must end after it starts: ends_on <ends_on> is not after starts_on"
        " <starts_on>.",
        "Perioden måste sluta efter att den börjar: slutdatumet {ends_on} är inte efter"
        " startdatumet {starts_on}.",
    ),
    _p(
        "A promise runs for at most <years> years: ends_on <ends_on> is after <latest>.",
        "Ett löfte gäller i högst {years} år: slutdatumet {ends_on} är efter {latest}.",
    ),
    _p(
        "The activity is due on <due_on>, before the promise starts on <starts_on>.",
        "Aktiviteten ska vara klar {due_on}, innan löftet börjar gälla {starts_on}.",
    ),
    _p(
        "The activity is due on <due_on>, after the promise ends on <ends_on>.",
        "Aktiviteten ska vara klar {due_on}, efter att löftet slutar gälla {ends_on}.",
    ),
    # Reference data and reminders
    _p(
        "'<code>' is not a Swedish municipality code (kommunkod), e.g. '1280' for Malmö",
        "”{code}” är inte en svensk kommunkod, till exempel ”1280” för Malmö.",
    ),
    _p(
        "At most <count> addresses per municipality.",
        "Högst {count} adresser per kommun.",
    ),
    _p(
        "<address> is not an e-mail address (name@domain.se).",
        "{address} är inte en e-postadress (namn@domän.se).",
    ),
    _p(
        "A reminder is <upcoming> or <missed>, not <given>.",
        "En påminnelse är {upcoming} eller {missed}, inte {given}.",
    ),
    # Workflow: the store and cross-aggregate rules
    _p(
        "The <kind> <id> is changing too fast; try again.",
        "För många ändras samtidigt i {kind} {id} just nu; försök igen.",
    ),
    _p(
        "The reminder addresses of <municipality> are changing too fast.",
        "Påminnelseadresserna för {municipality} ändras för snabbt just nu.",
    ),
    _p(
        "Dialogue <id> was held in municipality <held_in>, not <municipality>.",
        "Dialogen {id} hölls i kommun {held_in}, inte {municipality}.",
    ),
    _p(
        "Dialogue <id> has no observation <observation>.",
        "Dialogen {id} har ingen iakttagelse {observation}.",
    ),
    _p(
        "Issue '<title>' belongs to municipality <municipality>, which is not a party to the"
        " promise.",
        "Problemet ”{title}” hör till kommun {municipality}, som inte är part i löftet.",
    ),
    _p(
        "Issue '<title>' was rejected and cannot be addressed by a promise.",
        "Problemet ”{title}” har avfärdats och kan inte ligga till grund för ett löfte.",
    ),
    _p(
        "Issue '<title>' is not prioritised yet: prioritise it before a promise addresses it.",
        "Problemet ”{title}” är inte prioriterat ännu: prioritera det innan ett löfte"
        " bygger på det.",
    ),
    _p("No <none_of> with id <id>.", "Det finns {none_of} med id {id}."),
    _p(
        "The resource is at version <actual>, not <expected>: read it again and retry.",
        "Uppgifterna har version {actual}, inte {expected}: läs in dem igen och försök på nytt.",
    ),
)


def need_in_swedish(item: str) -> str | None:
    """One thing a draft still needs before issuance (`Promise.missing_for_issuance`)."""
    return _needs(item)


def matching(text: str) -> tuple[re.Pattern[str], str] | None:
    """The first pattern the English sentence fits whole, with its template."""
    for pattern, template in PATTERNS:
        if pattern.fullmatch(text):
            return pattern, template
    return None


def in_swedish(text: str) -> str | None:
    """The refusal as a Swedish sentence, or None if it has no translation yet."""
    for pattern, template in PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        values: dict[str, str] = {}
        for name, value in match.groupdict().items():
            translate = _TRANSLATED.get(name)
            shown = translate(value) if translate else value
            if shown is None:
                return None
            values[name] = shown
        return template.format(**values)
    return None
