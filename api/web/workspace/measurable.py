"""Whether an activity says how much or by when: Brå recommends measurable activities.

"Minst två trygghetsvandringar" and "50 kontroller före 30 juni" can be followed up;
"införa metoder för sociala insatsgrupper" cannot. This is advice, never a refusal:
the workspace warns beside an activity that names neither a number nor a date.
"""

from __future__ import annotations

import re

_NUMBER_WORDS = [
    "två",
    "tre",
    "fyra",
    "fem",
    "sex",
    "sju",
    "åtta",
    "nio",
    "tio",
    "elva",
    "tolv",
    "tretton",
    "fjorton",
    "femton",
    "sexton",
    "sjutton",
    "arton",
    "nitton",
    "tjugo",
    "trettio",
    "fyrtio",
    "femtio",
    "sextio",
    "sjuttio",
    "åttio",
    "nittio",
    "hundra",
    "tusen",
    "dubbla",
    "hälften",
    "varje",
    "varannan",
    "dagligen",
    "veckovis",
    "månadsvis",
    "årligen",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "twelve",
    "twenty",
    "fifty",
    "hundred",
    "every",
    "weekly",
    "monthly",
]
_MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
    "january",
    "february",
    "march",
    "may",
    "june",
    "july",
    "august",
    "october",
]
_WORD = re.compile(r"[a-zåäöé]+")


def measurable(description: str) -> bool:
    """True when the text holds a digit, a number word, a frequency or a month."""
    if any(character.isdigit() for character in description):
        return True
    words = set(_WORD.findall(description.lower()))
    return bool(words & set(_NUMBER_WORDS)) or bool(words & set(_MONTHS))
