"""The rules on a promise's dates that drafting and amending apply alike.

Pure functions of dates, apart from the aggregate so a draft and its amendment check
the same period and the same activity dates the same way.
"""

from __future__ import annotations

from datetime import date

from domain.errors import DomainError
from domain.schedule import add_years

MAX_PERIOD_YEARS = 3


def check_period(starts_on: date, ends_on: date) -> None:
    """A promise runs from `starts_on` to `ends_on`: forwards, and for at most three years."""
    if ends_on <= starts_on:
        raise DomainError(
            f"The period must end after it starts: ends_on {ends_on} is not after "
            f"starts_on {starts_on}."
        )
    latest = add_years(starts_on, MAX_PERIOD_YEARS)
    if ends_on > latest:
        raise DomainError(
            f"A promise runs for at most {MAX_PERIOD_YEARS} years: ends_on {ends_on} is after "
            f"{latest}."
        )


def check_activity_due(due_on: date, starts_on: date, ends_on: date) -> None:
    """An activity is promised for the promise's period, so it falls due within it."""
    if due_on < starts_on:
        raise DomainError(
            f"The activity is due on {due_on}, before the promise starts on {starts_on}."
        )
    if due_on > ends_on:
        raise DomainError(f"The activity is due on {due_on}, after the promise ends on {ends_on}.")
