"""Series in local time: 10:00 stays 10:00 across the clock changes; monthly rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from bot.domain.meeting_rules import (
    MeetingInputError,
    parse_meeting_line,
    parse_offsets,
    reminder_times,
)
from bot.domain.recurrence import Recurrence, describe_recurrence, local_starts

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2027, 10, 1, 12, 0, tzinfo=UTC)


def wall(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time with no zone, as a series keeps its start (naive on purpose)."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC).replace(tzinfo=None)


def _series(recurrence: Recurrence, start: datetime, until_days: int = 60) -> list[datetime]:
    found = local_starts(
        recurrence, start, "Europe/London", after=NOW, until=NOW + timedelta(days=until_days)
    )
    return [moment for _, moment in found]


def test_weekly_10am_stays_10am_local_across_the_end_of_october() -> None:
    # The clocks go back on Sunday 31 October 2027.
    starts = _series(Recurrence.WEEKLY, wall(2027, 10, 19, 10, 0), until_days=40)
    assert [s.astimezone(LONDON).hour for s in starts] == [10] * len(starts)
    by_day = {s.astimezone(LONDON).date().isoformat(): s.hour for s in starts}
    assert by_day["2027-10-26"] == 9  # BST: 10:00 local is 09:00 UTC
    assert by_day["2027-11-02"] == 10  # GMT: 10:00 local is 10:00 UTC


def test_weekly_10am_stays_10am_local_across_the_end_of_march() -> None:
    # The clocks go forward on Sunday 26 March 2028.
    after = datetime(2028, 3, 1, tzinfo=UTC)
    found = local_starts(
        Recurrence.WEEKLY,
        wall(2028, 3, 14, 10, 0),
        "Europe/London",
        after=after,
        until=after + timedelta(days=30),
    )
    assert [local.hour for local, _ in found] == [10] * len(found)
    by_day = {local.date().isoformat(): moment.hour for local, moment in found}
    assert by_day["2028-03-21"] == 10 and by_day["2028-03-28"] == 9


def test_a_missing_time_in_a_series_lands_after_the_jump() -> None:
    # Weekly on Sundays at 01:30: on 26 March 2028 there is no 01:30 in London.
    after = datetime(2028, 3, 1, tzinfo=UTC)
    found = local_starts(
        Recurrence.WEEKLY,
        wall(2028, 3, 19, 1, 30),
        "Europe/London",
        after=after,
        until=after + timedelta(days=30),
    )
    moments = {local.date().isoformat(): moment for local, moment in found}
    assert moments["2028-03-26"].astimezone(LONDON).hour == 2  # 02:30 BST, not a crash


def test_a_typed_0130_on_the_spring_forward_day_is_refused_clearly() -> None:
    with pytest.raises(MeetingInputError, match="does not exist"):
        parse_meeting_line("26 Mar 2028 01:30 | Planning", "Europe/London", NOW)


def test_monthly_rules() -> None:
    first_tuesday = _series(Recurrence.MONTHLY_WEEKDAY, wall(2027, 10, 5, 10, 0), 120)
    days = [s.astimezone(LONDON) for s in first_tuesday]
    assert all(d.weekday() == 1 and d.day <= 7 and d.hour == 10 for d in days)
    assert len(days) == 4  # Oct, Nov, Dec, Jan
    assert describe_recurrence(Recurrence.MONTHLY_WEEKDAY, wall(2027, 10, 5, 10)) == (
        "on the first Tuesday of each month"
    )
    by_date = _series(Recurrence.MONTHLY_DATE, wall(2027, 10, 31, 10, 0), 120)
    assert [s.astimezone(LONDON).month for s in by_date] == [10, 12]  # no 31 November
    fortnightly = _series(Recurrence.FORTNIGHTLY, wall(2027, 10, 5, 10, 0), 40)
    assert [(b - a).days for a, b in pairwise(fortnightly)] == [14, 14]


def test_the_horizon_is_bounded() -> None:
    weekly = _series(Recurrence.WEEKLY, wall(2027, 10, 5, 10, 0), until_days=365)
    assert len(weekly) == 12


def test_reminder_offsets() -> None:
    assert parse_offsets("1 day, 1 hour") == (1440, 60)
    assert parse_offsets("2d 30m") == (2880, 30)
    with pytest.raises(MeetingInputError):
        parse_offsets("soon")
    start = NOW + timedelta(hours=5)
    assert reminder_times(start, (1440, 60), now=NOW) == [(60, start - timedelta(hours=1))]


def test_meeting_line_rules() -> None:
    line = parse_meeting_line("5 Oct 2027 14:00 | Working group | Room 3", "Europe/London", NOW)
    assert line.starts_at == datetime(2027, 10, 5, 13, 0, tzinfo=UTC)
    assert (line.title, line.place) == ("Working group", "Room 3")
    with pytest.raises(MeetingInputError, match="under 120"):
        parse_meeting_line(f"5 Oct 2027 14:00 | {'x' * 121}", "Europe/London", NOW)
    with pytest.raises(MeetingInputError, match="already passed"):
        parse_meeting_line("1 Sep 2027 14:00 | Late", "Europe/London", NOW)
