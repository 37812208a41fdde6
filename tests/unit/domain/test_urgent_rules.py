"""When an unseen urgent item's reminder goes: at once, or in the group's waking hours."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.urgent_rules import ReminderHours, reminder_time

LONDON = ZoneInfo("Europe/London")
AUCKLAND = ZoneInfo("Pacific/Auckland")


def at(zone: ZoneInfo, year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone).astimezone(UTC)


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (at(LONDON, 2026, 6, 1, 14, 0), at(LONDON, 2026, 6, 1, 14, 0)),  # daytime: at once
        (at(LONDON, 2026, 6, 1, 8, 0), at(LONDON, 2026, 6, 1, 8, 0)),  # 08:00 is waking
        (at(LONDON, 2026, 6, 1, 22, 0), at(LONDON, 2026, 6, 2, 8, 0)),  # 22:00 is night
        (at(LONDON, 2026, 6, 1, 3, 10), at(LONDON, 2026, 6, 1, 8, 0)),  # small hours
        # The night the clocks go forward (29 March 2026): 08:00 is summer time.
        (at(LONDON, 2026, 3, 28, 23, 30), at(LONDON, 2026, 3, 29, 8, 0)),
        # ... and back (25 October 2026): 01:30 happens twice; morning is still 08:00.
        (at(LONDON, 2026, 10, 25, 1, 30), at(LONDON, 2026, 10, 25, 8, 0)),
    ],
)
def test_waking_hours_put_a_night_reminder_off_until_eight(
    due: datetime, expected: datetime
) -> None:
    assert reminder_time(due, LONDON, ReminderHours.WAKING) == expected
    assert reminder_time(due, LONDON, ReminderHours.ALWAYS) == due


def test_waking_hours_are_the_groups_own() -> None:
    # Noon in London in June is 23:00 in Auckland: night there.
    due = at(LONDON, 2026, 6, 1, 12, 0)
    assert reminder_time(due, LONDON, ReminderHours.WAKING) == due
    assert reminder_time(due, AUCKLAND, ReminderHours.WAKING) == at(AUCKLAND, 2026, 6, 2, 8, 0)
