"""A time zone's clock changes as RFC 5545 VTIMEZONE observances, read from the tz database.

Pure: no telegram, no database. Calendar files say when each clock change happens; the block
icalendar writes lists every change as RDATEs (which some readers cut short) and puts spring
changes an hour late (Europe/London's 2027 change at 02:00 UTC instead of 01:00). Here the
changes are found in zoneinfo itself, to the minute, and written the way RFC 5545 means:
the onset in the local time of the offset in force BEFORE the change, and a yearly RRULE
("last Sunday of March") when the same rule gives every change of the years checked.
A zone whose changes follow no such rule gets them listed for the years checked instead.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Years checked after the first one: a rule must give every change of them to be written as
# a rule (and the listed fallback covers them).
YEARS_CHECKED = 12
_STEP = timedelta(hours=6)  # clock changes are far more than six hours apart


@dataclass(frozen=True, slots=True)
class Change:
    """One clock change: when (UTC), the offsets around it, and the name after it."""

    at: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str
    daylight: bool

    @property
    def onset(self) -> datetime:
        """The change in the local time of the offset before it, naive (RFC 5545 3.6.5)."""
        return (self.at + self.offset_from).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class Observance:
    """A STANDARD or DAYLIGHT block: its first onset, its offsets and when it recurs."""

    daylight: bool
    start: datetime  # naive local time, in offset_from
    offset_from: timedelta
    offset_to: timedelta
    name: str
    rule: dict[str, object] | None = None  # a yearly RRULE, as icalendar takes it
    dates: tuple[datetime, ...] = field(default=())  # later onsets, when there is no rule


def _offset(zone: ZoneInfo, moment: datetime) -> timedelta:
    found = moment.astimezone(zone).utcoffset()
    assert found is not None
    return found


def changes(zone_name: str, first_year: int, last_year: int) -> list[Change]:
    """Every clock change from 1 January of `first_year` to the end of `last_year`."""
    zone = ZoneInfo(zone_name)
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    found: list[Change] = []
    while moment < end:
        later = moment + _STEP
        before, after = _offset(zone, moment), _offset(zone, later)
        if before != after:
            low, high = moment, later  # the change is in (low, high]: halve to the second
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _offset(zone, middle) == before:
                    low = middle
                else:
                    high = middle
            at = high.replace(microsecond=0)
            local = at.astimezone(zone)
            # DAYLIGHT is the change forward, as readers expect, even where the tz database
            # calls winter the "daylight" half (Europe/Dublin's negative summer time).
            found.append(Change(at, before, after, local.tzname() or "", after > before))
        moment = later
    return found


def _nth_weekday(day: datetime, nth: int) -> bool:
    """Whether `day` is the nth (1..4, or -1 for last) of its weekday in its month."""
    if nth == -1:
        return day.day + 7 > calendar.monthrange(day.year, day.month)[1]
    return (day.day - 1) // 7 + 1 == nth


def _yearly_rule(onsets: list[datetime]) -> dict[str, object] | None:
    """The one RRULE that gives every onset (same month, weekday, ordinal and time), if any."""
    first = onsets[0]
    same = all(
        (o.month, o.weekday(), o.time()) == (first.month, first.weekday(), first.time())
        for o in onsets
    )
    years = [o.year for o in onsets]
    if not same or years != list(range(years[0], years[0] + len(years))):
        return None
    weekday = WEEKDAYS[first.weekday()]
    for nth in (-1, 1, 2, 3, 4):
        if all(_nth_weekday(o, nth) for o in onsets):
            return {"freq": "yearly", "bymonth": first.month, "byday": f"{nth}{weekday}"}
    # "The first Sunday on or after the 2nd" (Chile), "the Friday before the last Sunday"
    # (Israel): that weekday within one run of seven days.
    for first_day in range(1, 26):
        week = range(first_day, first_day + 7)
        if all(o.day in week for o in onsets):
            return {
                "freq": "yearly",
                "bymonth": first.month,
                "bymonthday": list(week),
                "byday": weekday,
            }
    return None


@lru_cache(maxsize=64)
def observances(zone_name: str, first_year: int) -> tuple[Observance, ...]:
    """The VTIMEZONE blocks for dates from `first_year` on: one per kind of change, each with
    a yearly rule where one fits, else its onsets listed for the years checked."""
    found = changes(zone_name, first_year, first_year + YEARS_CHECKED)
    if not found:
        # No clock changes: one block, its offset the same on both sides.
        moment = datetime(first_year, 1, 1, tzinfo=UTC).astimezone(ZoneInfo(zone_name))
        offset = moment.utcoffset() or timedelta(0)
        start = datetime(first_year, 1, 1)  # noqa: DTZ001 (a local wall time, as RFC 5545 wants)
        return (Observance(False, start, offset, offset, moment.tzname() or ""),)
    kinds: dict[tuple[bool, timedelta, timedelta, str], list[datetime]] = {}
    for change in found:
        key = (change.daylight, change.offset_from, change.offset_to, change.name)
        kinds.setdefault(key, []).append(change.onset)
    blocks = []
    for (daylight, offset_from, offset_to, name), onsets in kinds.items():
        rule = _yearly_rule(onsets) if len(onsets) == YEARS_CHECKED + 1 else None
        later = () if rule is not None else tuple(onsets[1:])
        blocks.append(Observance(daylight, onsets[0], offset_from, offset_to, name, rule, later))
    return tuple(blocks)
