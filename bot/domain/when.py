"""Dates and times as people type them ("tomorrow 2pm", "3 Dec 14:00"), in a group's time zone.

Pure: no telegram, no database. Used by the guided poll set-up for deadlines and meant for
meetings too. Everything returned is an aware UTC datetime; everything shown is local.

Daylight saving (DESIGN section 5): a local time can be missing (the clocks jump forward over
it) or happen twice (the clocks go back). A missing time is refused with a message, because
guessing which hour was meant could put a deadline an hour out. An ambiguous time resolves to
the FIRST occurrence (fold=0, still summer time): a poll that closes an hour early is noticed
and fixed; one that stays open an hour longer than announced can take late votes. The
confirmation text says which one was picked (see :func:`describe_when`).
"""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dateparser.date

MAX_TEXT = 80  # longer than any date people type; keeps the parser's work bounded
# Further ahead than anything a group plans (and "32 Mar" read as 2032 is a typo): refusing it
# also keeps every date computed from a typed one (horizons, reminders) far from year 9999.
MAX_AHEAD = timedelta(days=5 * 366)
EXAMPLES = "“tomorrow 2pm”, “3 Dec 14:00” or “next Tuesday 10:30”"


class WhenError(ValueError):
    """Raised with a plain-words message for the person who typed the date."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def zone_of(zone_name: str) -> ZoneInfo:
    try:
        return ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        # A bad zone is a deployment mistake, not the typist's: let it surface as one.
        raise ValueError(f"unknown time zone: {zone_name!r}") from error


def _aware_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return moment.astimezone(UTC)


def exists_locally(local: datetime) -> bool:
    """Whether this wall-clock time (with tzinfo) really happens; False in a spring-forward gap."""
    round_trip = local.astimezone(UTC).astimezone(local.tzinfo)
    return round_trip.replace(tzinfo=None, fold=0) == local.replace(tzinfo=None, fold=0)


def is_ambiguous(local: datetime) -> bool:
    """Whether this wall-clock time happens twice (the hour the clocks go back)."""
    first, second = local.replace(fold=0), local.replace(fold=1)
    return exists_locally(first) and first.utcoffset() != second.utcoffset()


def resolve_local(naive: datetime, zone: ZoneInfo) -> datetime:
    """A local wall-clock time as aware UTC; the first one if it is ambiguous.

    Raises WhenError if the time does not exist that day.
    """
    local = naive.replace(tzinfo=zone, fold=0)
    if not exists_locally(local):
        raise WhenError(
            f"{naive:%H:%M} does not exist on {_day_words(naive)} in {zone_label(zone.key)}: "
            "the clocks go forward that night. Please choose another time, such as an hour later."
        )
    return local.astimezone(UTC)


def _resolve_lenient(naive: datetime, zone: ZoneInfo) -> datetime:
    # For times we compute ourselves (presets) nobody typed, so nothing to refuse: fold=0 puts
    # a missing wall time an hour later (after the jump) and an ambiguous one at its first.
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)


def parse_when(text: str, zone_name: str, now: datetime) -> datetime:
    """Parse a date and time typed by a person, in the zone, as a future aware UTC datetime.

    ``now`` is passed in (aware), so "tomorrow" is reproducible in tests. Raises WhenError
    for nonsense, a day without a time, a time that has passed or does not exist.
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        raise WhenError(f"Please type a date and time, like {EXAMPLES}.")
    if len(cleaned) > MAX_TEXT:
        raise WhenError(f"That is too long for a date. Please type something like {EXAMPLES}.")
    zone = zone_of(zone_name)
    now_utc = _aware_utc(now)
    local_now = now_utc.astimezone(zone).replace(tzinfo=None)
    parser = dateparser.date.DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": local_now,
            "PREFER_DATES_FROM": "future",
            "RETURN_TIME_AS_PERIOD": True,
            "DATE_ORDER": "DMY",
        },
    )
    with warnings.catch_warnings():
        # dateparser's dependencies warn about their own internals; nothing for a person here.
        warnings.simplefilter("ignore")
        found = parser.get_date_data(cleaned)
    parsed: datetime | None = found.date_obj
    if parsed is None:
        raise WhenError(f"Sorry, I could not read that as a date and time. Try {EXAMPLES}.")
    try:
        return _future_moment(parsed, found.period, zone_name, now_utc)
    except OverflowError:
        # Near year 1 or 9999 a zone's offset runs off the calendar: no real date is there.
        raise WhenError(
            f"Sorry, I could not read that as a date and time. Try {EXAMPLES}."
        ) from None


def _future_moment(
    parsed: datetime, period: str | None, zone_name: str, now_utc: datetime
) -> datetime:
    """The parsed date as a minute in the future, or WhenError saying why it cannot be."""
    zone = zone_of(zone_name)
    if period != "time" and parsed.time() == time(0, 0):
        # A day alone, with or without a zone ("3 Dec", "3 Dec UTC"): not midnight by guess.
        raise WhenError("Please add a time as well as the day, like “Friday 17:00” or “3 Dec 2pm”.")
    if parsed.tzinfo is not None:
        # The person named a zone ("3pm UTC"): that is an exact moment already.
        moment = parsed.astimezone(UTC).replace(second=0, microsecond=0)
    else:
        moment = resolve_local(parsed.replace(second=0, microsecond=0), zone)
    if moment <= now_utc:
        raise WhenError(
            f"{describe_when(moment, zone_name)} has already passed. "
            "Please choose a time in the future."
        )
    if moment - now_utc > MAX_AHEAD:
        raise WhenError(
            f"{describe_when(moment, zone_name)} is more than five years away. "
            "Please choose a nearer time."
        )
    return moment


def tomorrow_at(now: datetime, zone_name: str, at: time) -> datetime:
    """Tomorrow (in the zone) at this wall-clock time, as aware UTC."""
    zone = zone_of(zone_name)
    local_now = _aware_utc(now).astimezone(zone)
    day = local_now.date() + timedelta(days=1)
    return _resolve_lenient(datetime.combine(day, at), zone)


def in_days(now: datetime, zone_name: str, days: int) -> datetime:
    """The same wall-clock time (to the minute) this many days later, so 10:00 stays 10:00
    across a daylight-saving change."""
    zone = zone_of(zone_name)
    local_now = _aware_utc(now).astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
    return _resolve_lenient(local_now + timedelta(days=days), zone)


def zone_label(zone_name: str) -> str:
    """'Europe/London' -> 'London', 'America/New_York' -> 'New York'."""
    return zone_name.rsplit("/", 1)[-1].replace("_", " ")


def _day_words(moment: datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def describe_when(moment: datetime, zone_name: str) -> str:
    """'Tuesday 1 December 2026 at 14:00, London time', saying which one if the clocks go back."""
    zone = zone_of(zone_name)
    local = _aware_utc(moment).astimezone(zone)
    words = f"{_day_words(local)} at {local:%H:%M}, {zone_label(zone_name)} time"
    naive = local.replace(tzinfo=None)
    if is_ambiguous(naive.replace(tzinfo=zone)):
        which = "first" if local.fold == 0 else "second"
        words += f" (the {which} {local:%H:%M}: the clocks go back that night)"
    return words
