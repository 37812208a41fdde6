"""Calendar files (.ics, RFC 5545) for one meeting date or a whole series.

Times carry their TZID with a VTIMEZONE block, so a calendar in any zone shows the meeting
at the right moment, and a weekly series stays at 10:00 local across clock changes (the
RRULE is in local time, as the bot's own series is).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from bot.domain.recurrence import Recurrence, week_of_month
from bot.domain.when import zone_of
from bot.services.meetings import OccurrenceView

DURATION = timedelta(hours=1)  # meetings have no end time here; an hour is a fair block
_RULES: dict[Recurrence, dict[str, object]] = {
    Recurrence.WEEKLY: {"freq": "weekly"},
    Recurrence.FORTNIGHTLY: {"freq": "weekly", "interval": 2},
}


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Equal Say//Meetings//EN")
    calendar.add("version", "2.0")
    return calendar


def _event(view: OccurrenceView, start: datetime, uid: str, now: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("summary", view.title)
    event.add("dtstart", start)
    event.add("dtend", start + DURATION)
    if view.place:
        event.add("location", view.place)
    if view.agenda:
        event.add("description", "Agenda:\n" + "\n".join(f"- {item}" for item in view.agenda))
    return event


def _rule(view: OccurrenceView) -> dict[str, object]:
    local = view.start_local
    if view.recurrence is Recurrence.MONTHLY_DATE:
        return {"freq": "monthly", "bymonthday": local.day}
    if view.recurrence is Recurrence.MONTHLY_WEEKDAY:
        day = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[local.weekday()]
        return {"freq": "monthly", "byday": f"{week_of_month(local.day)}{day}"}
    return _RULES[view.recurrence]


def occurrence_ics(view: OccurrenceView, *, now: datetime) -> bytes:
    """One date, in the meeting's zone."""
    start = view.starts_at.astimezone(zone_of(view.zone))
    calendar = _calendar()
    uid = f"meeting-{view.meeting_id}-{view.occurrence_id}@equalsay"
    calendar.add_component(_event(view, start, uid, now))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def series_ics(
    view: OccurrenceView,
    *,
    cancelled_local: list[datetime],
    moved: list[tuple[datetime, datetime]],
    now: datetime,
) -> bytes:
    """The series as one recurring event in local time, with cancelled dates excluded and
    moved dates as overrides: (the date it would have been, where it is now), both local."""
    if not view.repeats:
        return occurrence_ics(view, now=now)
    zone = zone_of(view.zone)
    uid = f"meeting-{view.meeting_id}@equalsay"
    calendar = _calendar()
    series = _event(view, view.start_local.replace(tzinfo=zone), uid, now)
    series.add("rrule", _rule(view))
    for local in cancelled_local:
        series.add("exdate", local.replace(tzinfo=zone))
    calendar.add_component(series)
    for original, now_at in moved:
        override = _event(view, now_at.replace(tzinfo=zone), uid, now)
        override.add("recurrence-id", original.replace(tzinfo=zone))
        calendar.add_component(override)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
