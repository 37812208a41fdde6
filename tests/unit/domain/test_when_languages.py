"""Dates typed in Polish and Arabic read like the English (issue 15.5)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.when import AmbiguousTimeError, parse_when

# Friday 4 December 2026, 09:00 in London (UTC in winter).
NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("tomorrow at 3pm", datetime(2026, 12, 5, 15, 0, tzinfo=UTC)),
        ("jutro o 15", datetime(2026, 12, 5, 15, 0, tzinfo=UTC)),
        ("Jutro o godz. 15:30", datetime(2026, 12, 5, 15, 30, tzinfo=UTC)),
        ("jutro 15", datetime(2026, 12, 5, 15, 0, tzinfo=UTC)),
        ("w piątek o 10 rano", datetime(2026, 12, 11, 10, 0, tzinfo=UTC)),
        ("jutro o 7 wieczorem", datetime(2026, 12, 5, 19, 0, tzinfo=UTC)),
        ("w przyszły wtorek o 18", datetime(2026, 12, 8, 18, 0, tzinfo=UTC)),
        ("12 grudnia o 14", datetime(2026, 12, 12, 14, 0, tzinfo=UTC)),
        ("غدا الساعة 3 مساء", datetime(2026, 12, 5, 15, 0, tzinfo=UTC)),
        ("غداً الساعة ٣ مساءً", datetime(2026, 12, 5, 15, 0, tzinfo=UTC)),  # as phones type it
        ("الثلاثاء القادم الساعة 10 صباحا", datetime(2026, 12, 8, 10, 0, tzinfo=UTC)),
    ],
)
def test_a_day_and_time_in_any_of_the_bots_languages(typed: str, meant: datetime) -> None:
    assert parse_when(typed, "Europe/London", NOW) == meant


@pytest.mark.parametrize("typed", ["jutro o 10", "غدا الساعة 10"])
def test_a_bare_hour_that_could_be_morning_or_evening_is_asked_about(typed: str) -> None:
    with pytest.raises(AmbiguousTimeError):
        parse_when(typed, "Europe/London", NOW)
