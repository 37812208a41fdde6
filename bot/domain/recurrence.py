"""How a meeting repeats, computed in local wall-clock time (DESIGN section 5).

Pure: no telegram, no database. A series is a naive local start ("Tuesday 10:00") plus a
zone and a rule; dateutil's rrule steps through LOCAL dates, and only then is each
occurrence turned into UTC, so 10:00 stays 10:00 when the clocks change. An occurrence that
lands in a spring-forward gap is moved past the jump (nobody typed it, so there is nothing
to refuse); an ambiguous one takes the first (summer-time) reading, as when.py does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

from bot.domain.when import zone_of

HORIZON = timedelta(days=90)  # how far ahead occurrences exist as rows
MAX_AHEAD = 12  # and at most this many of them


class Recurrence(StrEnum):
    NONE = "none"
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY_DATE = "monthly_date"  # the 3rd of each month
    MONTHLY_WEEKDAY = "monthly_weekday"  # the first Tuesday of each month


# Numbers for buttons. Append only: buttons already sent carry these numbers.
RECURRENCES: tuple[Recurrence, ...] = tuple(Recurrence)

ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


def week_of_month(day: int) -> int:
    """1 for days 1-7, 2 for 8-14, ...; the fifth week is called 'last' (-1), which every
    month has, so a series started on the 29th still happens each month."""
    n = (day - 1) // 7 + 1
    return -1 if n == 5 else n


def _rule(recurrence: Recurrence, start: datetime) -> rrule | None:
    if recurrence is Recurrence.WEEKLY:
        return rrule(WEEKLY, dtstart=start)
    if recurrence is Recurrence.FORTNIGHTLY:
        return rrule(WEEKLY, interval=2, dtstart=start)
    if recurrence is Recurrence.MONTHLY_DATE:
        # Months without that date (the 31st in June) are skipped, as calendars do.
        return rrule(MONTHLY, bymonthday=start.day, dtstart=start)
    if recurrence is Recurrence.MONTHLY_WEEKDAY:
        return rrule(
            MONTHLY, byweekday=weekday(start.weekday(), week_of_month(start.day)), dtstart=start
        )
    return None


def to_utc(local_naive: datetime, zone: ZoneInfo) -> datetime:
    """A computed local time as UTC: a missing one lands after the jump, an ambiguous one first."""
    return local_naive.replace(tzinfo=zone, fold=0).astimezone(UTC)


def local_starts(
    recurrence: Recurrence,
    start_local: datetime,
    zone_name: str,
    *,
    after: datetime,
    until: datetime,
    limit: int = MAX_AHEAD,
) -> list[tuple[datetime, datetime]]:
    """(local naive start, UTC start) of each occurrence strictly after ``after`` and no later
    than ``until`` (both aware), at most ``limit`` of them, in order."""
    zone = zone_of(zone_name)
    start = start_local.replace(tzinfo=None, second=0, microsecond=0)
    rule = _rule(recurrence, start)
    # Local bounds a day wide on each side: the UTC check below is the exact one.
    low = after.astimezone(zone).replace(tzinfo=None) - timedelta(days=1)
    high = until.astimezone(zone).replace(tzinfo=None) + timedelta(days=1)
    candidates: list[datetime] = (
        [start] if rule is None else list(rule.between(low, high, inc=True))
    )
    found: list[tuple[datetime, datetime]] = []
    for local in candidates:
        moment = to_utc(local, zone)
        if after < moment <= until:
            found.append((local, moment))
            if len(found) >= limit:
                break
    return found


def describe_recurrence(recurrence: Recurrence, start_local: datetime) -> str:
    """'every Tuesday', 'every other Tuesday', 'on the 3rd of each month', ..."""
    day_name = f"{start_local:%A}"
    if recurrence is Recurrence.WEEKLY:
        return f"every {day_name}"
    if recurrence is Recurrence.FORTNIGHTLY:
        return f"every other {day_name}"
    if recurrence is Recurrence.MONTHLY_DATE:
        return f"on the {ordinal_day(start_local.day)} of each month"
    if recurrence is Recurrence.MONTHLY_WEEKDAY:
        which = ORDINALS[week_of_month(start_local.day)]
        return f"on the {which} {day_name} of each month"
    return "once"


def ordinal_day(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"
