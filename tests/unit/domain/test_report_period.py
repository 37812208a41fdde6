"""The report's periods: whole calendar months before today, and two typed dates."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.report_period import Period, PeriodChoice, PeriodError, chosen_period, typed_period

TODAY = date(2026, 2, 14)


@pytest.mark.parametrize(
    ("choice", "first", "last"),
    [
        (PeriodChoice.LAST_MONTH, date(2026, 1, 1), date(2026, 1, 31)),
        (PeriodChoice.LAST_QUARTER, date(2025, 10, 1), date(2025, 12, 31)),
        (PeriodChoice.LAST_YEAR, date(2025, 2, 1), date(2026, 1, 31)),
    ],
)
def test_chosen_periods_are_whole_months_before_this_one(
    choice: PeriodChoice, first: date, last: date
) -> None:
    assert chosen_period(choice, TODAY) == Period(first, last)


@pytest.mark.parametrize(
    "typed",
    [
        "1 Jan 2026 to 31 Jan 2026",
        "2026-01-01 - 2026-01-31",
        "1/1/2026 – 31/1/2026",
        "1 Jan to 31 Jan",
    ],
)
def test_typed_dates_are_read_day_first(typed: str) -> None:
    assert typed_period(typed, TODAY) == Period(date(2026, 1, 1), date(2026, 1, 31))


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("next month", "first and last day"),
        ("1 Feb 2026 to 1 Jan 2026", "comes before the first"),
        ("1 Mar 2026 to 1 Apr 2026", "has not started yet"),
        ("1 Jan 2020 to 1 Jan 2026", "at most two years"),
        ("banana to 1 Jan 2026", "could not read"),
        ("x" * 200, "first and last day"),
    ],
)
def test_bad_dates_get_a_kind_message(typed: str, says: str) -> None:
    with pytest.raises(PeriodError) as raised:
        typed_period(typed, TODAY)
    assert says in raised.value.message


def test_months_lists_every_month_the_period_touches() -> None:
    assert Period(date(2025, 11, 20), date(2026, 2, 1)).months() == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
