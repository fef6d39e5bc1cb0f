"""When follow-ups fall due: the cadence rule of the contract, as a pure function.

One follow-up on each calendar period end E of the cadence with
starts_on <= E <= ends_on and E > issued_on, plus always a final one on
ends_on + 31 days, so the last period can be reported after it has ended.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from domain.values import Cadence

PERIOD_END_MONTHS: dict[Cadence, tuple[int, ...]] = {
    Cadence.QUARTERLY: (3, 6, 9, 12),
    Cadence.BIANNUAL: (6, 12),
    Cadence.ANNUAL: (12,),
}

FINAL_FOLLOW_UP_DELAY = timedelta(days=31)


def period_ends(cadence: Cadence, first: date, last: date) -> list[date]:
    """Every period end of the cadence from `first` to `last`, both inclusive."""
    ends: list[date] = []
    for year in range(first.year, last.year + 1):
        for month in PERIOD_END_MONTHS[cadence]:
            end = date(year, month, calendar.monthrange(year, month)[1])
            if first <= end <= last:
                ends.append(end)
    return ends


def follow_up_dates(
    cadence: Cadence, starts_on: date, ends_on: date, issued_on: date
) -> tuple[list[date], date]:
    """The regular due dates and the final one for a promise issued on `issued_on`."""
    regular = [end for end in period_ends(cadence, starts_on, ends_on) if end > issued_on]
    return regular, ends_on + FINAL_FOLLOW_UP_DELAY


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year.

    Past the calendar's last year the answer is `date.max`, so that period checks on
    absurd dates refuse them as too long instead of failing.
    """
    if day.year + years > date.max.year:
        return date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
