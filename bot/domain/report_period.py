"""The period a board report covers: last month, last quarter, the last 12 months, or two dates
a facilitator types ("1 Jan 2026 to 31 Mar 2026"). Pure: dates in, dates out.

A period is whole local days, first and last included; the service turns it into UTC bounds in
the group's time zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import IntEnum
from zoneinfo import ZoneInfo

from dateutil import parser as date_parser

from bot.domain.problems import N_, ProblemError, Words

MAX_TEXT = 80
# Longer than any board cycle; keeps one report (and the work to build it) bounded.
MAX_DAYS = 2 * 366
EXAMPLE = Words(N_("“1 Jan 2026 to 31 Mar 2026”"))
_SEPARATORS = re.compile(r"\s+(?:to|until|till)\s+|\s+[-–—]\s+|\s*[–—]\s*", re.IGNORECASE)


class PeriodChoice(IntEnum):
    """The buttons; the values travel in callback data."""

    LAST_MONTH = 0
    LAST_QUARTER = 1
    LAST_YEAR = 2
    CUSTOM = 3


class PeriodError(ProblemError):
    """Raised with a template and its values (bot/domain/problems.py) for the person who
    typed the dates; `.message` is its English."""


@dataclass(frozen=True, slots=True)
class Period:
    first: date
    last: date  # included

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes: local midnight of the first day to the one after
        the last day."""
        start = datetime.combine(self.first, time(0), zone)
        end = datetime.combine(self.last + timedelta(days=1), time(0), zone)
        return start, end

    def label(self) -> str:
        return f"{_day(self.first)} to {_day(self.last)}"

    def months(self) -> list[str]:
        """'2026-01', ... every calendar month the period touches, in order."""
        out: list[str] = []
        year, month = self.first.year, self.first.month
        while (year, month) <= (self.last.year, self.last.month):
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _months_back(day: date, months: int) -> date:
    """The first of the month `months` before the month of `day`."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def chosen_period(choice: PeriodChoice, today: date) -> Period:
    """The full calendar month or quarter before today's, or the 12 whole months before."""
    this_month = _month_start(today)
    if choice is PeriodChoice.LAST_MONTH:
        return Period(_months_back(today, 1), this_month - timedelta(days=1))
    if choice is PeriodChoice.LAST_QUARTER:
        quarter_start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        return Period(_months_back(quarter_start, 3), quarter_start - timedelta(days=1))
    if choice is PeriodChoice.LAST_YEAR:
        return Period(_months_back(today, 12), this_month - timedelta(days=1))
    raise ValueError("a custom period is typed, not chosen")


def _parse_day(text: str, today: date) -> date:
    try:
        parsed = date_parser.parse(
            text, dayfirst=True, default=datetime(today.year, 1, 1, tzinfo=UTC)
        )
    except (ValueError, OverflowError) as error:
        raise PeriodError(
            N_("I could not read “{text}” as a date. Try {example}."), text=text, example=EXAMPLE
        ) from error
    return parsed.date()


def typed_period(text: str, today: date) -> Period:
    """Two dates typed as people do, first and last day included."""
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > MAX_TEXT:
        raise PeriodError(
            N_("Please type the first and last day, like {example}."), example=EXAMPLE
        )
    parts = [p for p in _SEPARATORS.split(cleaned, maxsplit=1) if p.strip()]
    if len(parts) != 2:
        raise PeriodError(
            N_("Please type the first and last day, like {example}."), example=EXAMPLE
        )
    first, last = (_parse_day(p.strip(), today) for p in parts)
    if last < first:
        raise PeriodError(N_("The last day comes before the first. Please type them again."))
    if first > today:
        raise PeriodError(N_("That period has not started yet. Please choose one in the past."))
    period = Period(first, last)
    if period.days > MAX_DAYS:
        raise PeriodError(N_("Please choose at most two years at a time."))
    return period
