"""Calendar files (.ics, RFC 5545) for one meeting date or a whole series.

Times carry their TZID with a VTIMEZONE block made from the tz database
(bot/domain/zone_rules.py: yearly rules, changes at the right hour), so a calendar in any zone
shows the meeting at the right moment, and a weekly series stays at 10:00 local across clock
changes (the RRULE is in local time, as the bot's own series is).

A date keeps one UID for life, and so does a series; every move or cancellation raises the
SEQUENCE (the `revision` counters), so a file made later replaces the copy already in
people's calendars. A cancelled date or series comes as METHOD:CANCEL with STATUS:CANCELLED,
which calendars take as "remove it".

Its words (the description, the file's name) are in the language of whoever asked for it,
current when it is made; SUMMARY and DESCRIPTION say which (LANGUAGE), for calendars that
read it aloud.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from bot.domain.recurrence import Recurrence, week_of_month
from bot.domain.when import zone_of
from bot.domain.zone_rules import observances
from bot.i18n import _, current_language
from bot.i18n.catalogues import RLM
from bot.services.meetings import OccurrenceView

DURATION = timedelta(hours=1)  # meetings have no end time here; an hour is a fair block
_RULES: dict[Recurrence, dict[str, object]] = {
    Recurrence.WEEKLY: {"freq": "weekly"},
    Recurrence.FORTNIGHTLY: {"freq": "weekly", "interval": 2},
}


def _calendar(*, cancel: bool) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Equal Say//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "PUBLISH")
    return calendar


def _timezone(zone_name: str, dates: Iterable[datetime]) -> Timezone:
    """The zone's VTIMEZONE, its rules starting the year before the earliest date."""
    block = Timezone()
    block.add("tzid", zone_name)
    for observance in observances(zone_name, min(d.year for d in dates) - 1):
        part = TimezoneDaylight() if observance.daylight else TimezoneStandard()
        part.add("dtstart", observance.start)
        part.add("tzoffsetfrom", observance.offset_from)
        part.add("tzoffsetto", observance.offset_to)
        if observance.name:
            part.add("tzname", observance.name)
        if observance.rule is not None:
            part.add("rrule", observance.rule)
        for onset in observance.dates:  # one per line: some readers cut long lists short
            part.add("rdate", onset)
        block.add_component(part)
    return block


def _event(view: OccurrenceView, start: datetime, uid: str, now: datetime, sequence: int) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("sequence", sequence)
    language = {"language": current_language()}
    event.add("summary", view.title, parameters=language)
    event.add("dtstart", start)
    event.add("dtend", start + DURATION)
    if view.place:
        event.add("location", view.place)
    lines = [_("Planned with Equal Say. Say if you can come on the meeting's message.")]
    if view.agenda:
        lines += ["", _("Agenda:"), *(f"- {item}" for item in view.agenda)]
    event.add("description", "\n".join(lines), parameters=language)
    return event


def file_name() -> str:
    """The file's name, in the reader's words: people see it in the chat and in Files."""
    return _("meeting").lstrip(RLM) + ".ics"


def series_file_name() -> str:
    return _("meeting-series").lstrip(RLM) + ".ics"


def _rule(view: OccurrenceView) -> dict[str, object]:
    local = view.start_local
    if view.recurrence is Recurrence.MONTHLY_DATE:
        return {"freq": "monthly", "bymonthday": local.day}
    if view.recurrence is Recurrence.MONTHLY_WEEKDAY:
        day = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[local.weekday()]
        return {"freq": "monthly", "byday": f"{week_of_month(local.day)}{day}"}
    return _RULES[view.recurrence]


def _finish(calendar: Calendar, zone_name: str, dates: Iterable[datetime]) -> bytes:
    calendar.add_component(_timezone(zone_name, dates))
    return bytes(calendar.to_ical())


def occurrence_ics(view: OccurrenceView, *, now: datetime) -> bytes:
    """One date, in the meeting's zone; cancelled, it takes the date out of calendars."""
    start = view.starts_at.astimezone(zone_of(view.zone))
    calendar = _calendar(cancel=view.cancelled)
    uid = f"meeting-{view.meeting_id}-{view.occurrence_id}@equalsay"
    event = _event(view, start, uid, now, view.revision)
    if view.cancelled:
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    return _finish(calendar, view.zone, [start])


def series_ics(
    view: OccurrenceView,
    *,
    cancelled_local: list[datetime],
    moved: list[tuple[datetime, datetime]],
    now: datetime,
) -> bytes:
    """The series as one recurring event in local time, with cancelled dates excluded and
    moved dates as overrides: (the date it would have been, where it is now), both local.
    A cancelled series comes as its cancellation."""
    if not view.repeats:
        return occurrence_ics(view, now=now)
    zone = zone_of(view.zone)
    uid = f"meeting-{view.meeting_id}@equalsay"
    calendar = _calendar(cancel=view.series_cancelled)
    start = view.start_local.replace(tzinfo=zone)
    series = _event(view, start, uid, now, view.series_revision)
    series.add("rrule", _rule(view))
    if view.series_cancelled:
        series.add("status", "CANCELLED")
        calendar.add_component(series)
        return _finish(calendar, view.zone, [start])
    for local in cancelled_local:
        series.add("exdate", local.replace(tzinfo=zone))
    calendar.add_component(series)
    dates = [start]
    for original, now_at in moved:
        override = _event(view, now_at.replace(tzinfo=zone), uid, now, view.series_revision)
        override.add("recurrence-id", original.replace(tzinfo=zone))
        calendar.add_component(override)
        dates += [original, now_at]
    return _finish(calendar, view.zone, dates)
