"""The dating rules: which facts belong to a report's year.

API.md dates dialogues, their observations and follow-ups done by `held_on`, issues
by `identified_on`, follow-ups not done by their current `due_on`, feedback by
`published_on`, and promises by their period. Only issued and concluded promises
are public and count; drafts and withdrawn promises never do.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from domain.values import PromiseStatus

COUNTED_STATUSES = frozenset({PromiseStatus.ISSUED, PromiseStatus.CONCLUDED})


class HasTerm(Protocol):
    """Anything with a promise's status and period (a `PromiseFact` or a `PromiseTerm`)."""

    @property
    def status(self) -> PromiseStatus: ...

    @property
    def starts_on(self) -> date: ...

    @property
    def ends_on(self) -> date: ...


def in_year(day: date, year: int) -> bool:
    """Whether the day falls in the calendar year."""
    return day.year == year


def counts(promise: HasTerm) -> bool:
    """Whether the promise is on the public record: issued or concluded."""
    return promise.status in COUNTED_STATUSES


def in_force(promise: HasTerm, year: int) -> bool:
    """Issued or concluded, with a period that overlaps the calendar year."""
    return (
        counts(promise)
        and promise.starts_on <= date(year, 12, 31)
        and promise.ends_on >= date(year, 1, 1)
    )
