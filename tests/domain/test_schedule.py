"""When follow-ups fall due, and how long a promise may run: the pure date rules of API.md."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import DomainError
from domain.promise import check_period
from domain.schedule import add_years, follow_up_dates, period_ends
from domain.values import Cadence
from tests.support.refusal import refused

Y2025 = (date(2025, 1, 1), date(2025, 12, 31))


@pytest.mark.parametrize(
    ("cadence", "regular"),
    [
        (
            Cadence.QUARTERLY,
            [date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31)],
        ),
        (Cadence.BIANNUAL, [date(2025, 6, 30), date(2025, 12, 31)]),
        (Cadence.ANNUAL, [date(2025, 12, 31)]),
    ],
)
def test_each_cadence_over_a_calendar_year(cadence: Cadence, regular: list[date]):
    assert follow_up_dates(cadence, *Y2025, issued_on=date(2025, 1, 20)) == (
        regular,
        date(2026, 1, 31),
    )


def test_ends_on_on_a_period_end_is_a_regular_follow_up_and_the_final_still_comes_31_days_later():
    regular, final = follow_up_dates(
        Cadence.ANNUAL, date(2024, 1, 1), date(2025, 12, 31), issued_on=date(2023, 12, 1)
    )
    assert regular == [date(2024, 12, 31), date(2025, 12, 31)]
    assert final == date(2026, 1, 31)


def test_a_period_starting_mid_quarter_counts_period_ends_from_its_start():
    regular, final = follow_up_dates(
        Cadence.QUARTERLY, date(2025, 5, 15), date(2026, 5, 14), issued_on=date(2025, 5, 2)
    )
    assert regular == [date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31), date(2026, 3, 31)]
    assert final == date(2026, 6, 14)


def test_a_period_starting_mid_half_year_biannual():
    regular, final = follow_up_dates(
        Cadence.BIANNUAL, date(2025, 8, 1), date(2027, 7, 31), issued_on=date(2025, 6, 20)
    )
    assert regular == [date(2025, 12, 31), date(2026, 6, 30), date(2026, 12, 31), date(2027, 6, 30)]
    assert final == date(2027, 8, 31)


def test_period_ends_on_or_before_issuance_are_skipped():
    regular, _ = follow_up_dates(Cadence.QUARTERLY, *Y2025, issued_on=date(2025, 7, 1))
    assert regular == [date(2025, 9, 30), date(2025, 12, 31)]
    regular, _ = follow_up_dates(Cadence.QUARTERLY, *Y2025, issued_on=date(2025, 6, 30))
    assert regular == [date(2025, 9, 30), date(2025, 12, 31)]


def test_a_promise_issued_after_its_period_has_only_the_final_follow_up():
    assert follow_up_dates(Cadence.QUARTERLY, *Y2025, issued_on=date(2026, 1, 5)) == (
        [],
        date(2026, 1, 31),
    )


def test_a_start_on_a_period_end_counts_that_end():
    regular, final = follow_up_dates(
        Cadence.QUARTERLY, date(2025, 3, 31), date(2025, 8, 15), issued_on=date(2025, 3, 1)
    )
    assert regular == [date(2025, 3, 31), date(2025, 6, 30)]
    assert final == date(2025, 9, 15)


def test_a_short_period_between_two_period_ends_has_only_the_final_follow_up():
    assert follow_up_dates(
        Cadence.QUARTERLY, date(2025, 4, 1), date(2025, 6, 29), issued_on=date(2025, 3, 1)
    ) == ([], date(2025, 7, 30))


def test_three_years_quarterly_has_twelve_regular_follow_ups():
    regular, final = follow_up_dates(
        Cadence.QUARTERLY, date(2025, 1, 1), date(2027, 12, 31), issued_on=date(2024, 12, 20)
    )
    assert len(regular) == 12
    assert (regular[0], regular[-1]) == (date(2025, 3, 31), date(2027, 12, 31))
    assert final == date(2028, 1, 31)


def test_period_ends_respects_month_lengths():
    assert period_ends(Cadence.QUARTERLY, date(2024, 1, 1), date(2024, 12, 31)) == [
        date(2024, 3, 31),
        date(2024, 6, 30),
        date(2024, 9, 30),
        date(2024, 12, 31),
    ]


def test_adding_years_to_29_february_lands_on_28_february_in_a_common_year():
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2025, 3, 1), 3) == date(2028, 3, 1)


def test_a_period_from_29_february_may_run_to_28_february_three_years_on_but_no_further():
    check_period(date(2024, 2, 29), date(2027, 2, 28))
    with refused(
        DomainError,
        "A promise runs for at most 3 years: ends_on 2027-03-01 is after 2027-02-28.",
    ):
        check_period(date(2024, 2, 29), date(2027, 3, 1))


def test_a_period_may_be_short_but_must_run_forwards():
    check_period(date(2025, 1, 1), date(2025, 1, 2))
    with refused(
        DomainError,
        "The period must end after it starts: ends_on 2024-12-31 is not after "
        "starts_on 2025-01-01.",
    ):
        check_period(date(2025, 1, 1), date(2024, 12, 31))


def test_add_years_past_the_calendars_end_is_the_last_day() -> None:
    assert add_years(date(9998, 6, 1), 3) == date.max
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)


def test_a_period_near_the_calendars_end_is_judged_not_crashed() -> None:
    assert check_period(date(9999, 1, 1), date(9999, 12, 31)) is None  # one year: accepted
    with refused(  # three years on from 9996-01-01 is 9999-01-01, still within the calendar
        DomainError,
        "A promise runs for at most 3 years: ends_on 9999-12-31 is after 9999-01-01.",
    ):
        check_period(date(9996, 1, 1), date(9999, 12, 31))
    with refused(  # a start whose three years pass the calendar's end is capped, not crashed
        DomainError,
        "The period must end after it starts: ends_on 9999-06-01 is not after "
        "starts_on 9999-12-31.",
    ):
        check_period(date(9999, 12, 31), date(9999, 6, 1))
