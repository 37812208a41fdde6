"""Dates, times and spans in the reader's language, formatted by Babel (issue 15.1).

English keeps the project's own wording (bot/domain/when.py, recurrence.py): its tests and
people already know it. Other languages take Babel's (CLDR's) names of days and months and its
order of words, so "Tuesday 1 December 2026 at 14:00" is "wtorek, 1 grudnia 2026 14:00" and
"الثلاثاء، 1 ديسمبر 2026 14:00".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from babel.dates import format_date, format_datetime, format_timedelta

from bot.domain.meeting_rules import describe_offset
from bot.domain.recurrence import Recurrence, describe_recurrence
from bot.domain.when import describe_when, is_ambiguous, zone_label, zone_of
from bot.i18n.catalogues import DEFAULT_LANGUAGE, _, current_language


def when_words(moment: datetime, zone_name: str) -> str:
    """A meeting's or deadline's moment, in full, in the group's zone."""
    language = current_language()
    if language == DEFAULT_LANGUAGE:
        return describe_when(moment, zone_name)
    zone = zone_of(zone_name)
    local = moment.astimezone(zone)
    day = _("{day}, {clock}").format(
        day=format_date(local, format="full", locale=language), clock=f"{local:%H:%M}"
    )
    words = _("{moment} ({place} time)").format(moment=day, place=zone_label(zone_name))
    if is_ambiguous(local.replace(tzinfo=None).replace(tzinfo=zone)):
        which = _("the first") if local.fold == 0 else _("the second")
        words += " " + _("({which} {clock}: the clocks go back that night)").format(
            which=which, clock=f"{local:%H:%M}"
        )
    return words


def span_words(minutes: int) -> str:
    """How long, for reminders: "1 day", "2 hours" ("1 dzień", "2 godziny")."""
    language = current_language()
    if language == DEFAULT_LANGUAGE:
        return describe_offset(minutes)
    return format_timedelta(timedelta(minutes=minutes), threshold=1, locale=language, format="long")


def repeat_words(recurrence: Recurrence, start_local: datetime) -> str:
    """How a series repeats ("every Tuesday"), its day named in the language."""
    language = current_language()
    if language == DEFAULT_LANGUAGE:
        return describe_recurrence(recurrence, start_local)
    day = format_date(start_local, "EEEE", locale=language)
    templates = {
        Recurrence.NONE: _("once"),
        Recurrence.WEEKLY: _("every week ({day})"),
        Recurrence.FORTNIGHTLY: _("every two weeks ({day})"),
        Recurrence.MONTHLY_DATE: _("every month, on day {number}"),
        Recurrence.MONTHLY_WEEKDAY: _("every month, on the same week and day ({day})"),
    }
    return templates[recurrence].format(day=day, number=start_local.day)


def _local(moment: datetime, zone_name: str, english: str, pattern: str) -> str:
    """A moment in the group's zone: strftime's `english`, or the CLDR `pattern`."""
    local = moment.astimezone(zone_of(zone_name))
    language = current_language()
    if language == DEFAULT_LANGUAGE:
        return local.strftime(english)
    return format_datetime(local, pattern, locale=language)


def day_and_clock(moment: datetime, zone_name: str) -> str:
    """A moment within the coming week, short: "Fri 14:00" ("pt. 14:00", "الجمعة 14:00")."""
    return _local(moment, zone_name, "%a %H:%M", "EEE HH:mm")


def short_day(moment: datetime, zone_name: str) -> str:
    """A recent day, short, for a button: "04 Dec" ("04 gru")."""
    return _local(moment, zone_name, "%d %b", "dd MMM")


def date_words(day: date) -> str:
    """A day in full, without the weekday: "4 December 2026" ("4 grudnia 2026")."""
    language = current_language()
    if language == DEFAULT_LANGUAGE:
        return f"{day.day} {day:%B %Y}"
    return format_date(day, "d MMMM y", locale=language)
