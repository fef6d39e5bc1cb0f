"""The words of the web pages in Swedish (the default) and English, and how numbers and
dates are written in each.

A page's language comes from `?lang=en`; anything else is Swedish, so a shared link
never breaks. Vocabulary labels (themes, statuses, kinds) are the reports' own
(`projections.reports.labels`), so a page and a report name a thing alike.

Other web modules register their own phrases with `register(...)` at import time
(the workspace keeps its own dictionary), so one module's words never collide with
another's: a key registered twice is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date as Date
from enum import Enum
from typing import Literal

from projections.reports.labels import Labels

Lang = Literal["sv", "en"]
LANGS: tuple[Lang, ...] = ("sv", "en")

_MONTHS = {
    "sv": "januari februari mars april maj juni juli augusti september oktober november december",
    "en": "January February March April May June July August September October November December",
}

_PHRASES: dict[str, tuple[str, str]] = {}


def register(phrases: dict[str, tuple[str, str]]) -> None:
    """Add phrases `key -> (Swedish, English)`; a key that exists already is an error."""
    clash = sorted(set(phrases) & set(_PHRASES))
    if clash:
        raise ValueError(f"phrases registered twice: {', '.join(clash)}")
    _PHRASES.update(phrases)


def page_lang(value: str | None) -> Lang:
    """English for `en`, Swedish for anything else (the default)."""
    return "en" if value == "en" else "sv"


class Translator:
    """Look-ups in one language, handed to every template as `t`."""

    def __init__(self, lang: Lang) -> None:
        self.lang: Lang = lang
        self._index = LANGS.index(lang)
        self._labels = Labels(lang)

    def __call__(self, key: str, **values: object) -> str:
        """The phrase `key`, with `{name}`-style values filled in."""
        try:
            phrase = _PHRASES[key][self._index]
        except KeyError:
            raise KeyError(f"no phrase {key!r}") from None
        return phrase.format(**values) if values else phrase

    def of(self, member: Enum) -> str:
        """The label of a vocabulary member (a theme, a status, a kind)."""
        return self._labels.of(member)

    def number(self, value: int) -> str:
        return self._labels.number(value)

    def percent(self, share: float) -> str:
        return self._labels.percent(share)

    def date(self, day: Date | None) -> str:
        """A date as a reader writes it: `5 juli 2025`, `5 July 2025`."""
        if day is None:
            return ""
        return f"{day.day} {_MONTHS[self.lang].split()[day.month - 1]} {day.year}"

    def dates(self, days: Iterable[Date]) -> str:
        """Several dates, comma separated."""
        return ", ".join(self.date(day) for day in days)
