"""When facilitators are reminded of an urgent item that nobody has marked as seen."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

DEFAULT_REMINDER_MINUTES = 30
# Waking hours in the group's own zone: 08:00 until 22:00.
WAKING_FROM, WAKING_UNTIL = time(8), time(22)


class ReminderHours(StrEnum):
    """Remind at any hour, or only in the group's waking hours (a deployment setting)."""

    ALWAYS = "always"
    WAKING = "waking"


def reminder_time(due: datetime, zone: ZoneInfo, hours: ReminderHours) -> datetime:
    """`due` itself, or in waking hours only, the next 08:00 in the group's zone when `due`
    falls at night. UTC in, UTC out."""
    if hours is ReminderHours.ALWAYS:
        return due
    local = due.astimezone(zone)
    if WAKING_FROM <= local.time() < WAKING_UNTIL:
        return due
    day = local.date() if local.time() < WAKING_FROM else local.date() + timedelta(days=1)
    # 08:00 exists on every day in every zone (clocks change at night, not at eight).
    return datetime.combine(day, WAKING_FROM, tzinfo=zone).astimezone(UTC)
