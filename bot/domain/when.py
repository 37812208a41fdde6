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

import contextlib
import re
import warnings
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dateparser.date

from bot.domain.clock_words import ClockError, TypedTime, day_words, find_time, with_meridiem
from bot.domain.problems import N_, ProblemError, Words

MAX_TEXT = 80  # longer than any date people type; keeps the parser's work bounded
# Further ahead than anything a group plans (and "32 Mar" read as 2032 is a typo): refusing it
# also keeps every date computed from a typed one (horizons, reminders) far from year 9999.
MAX_AHEAD = timedelta(days=5 * 366)
EXAMPLES = Words(N_("“tomorrow 2pm”, “3 Dec 14:00” or “next Tuesday 10:30”"))


class WhenError(ProblemError):
    """Raised with a template and its values (bot/domain/problems.py) for the person who
    typed the date; `.message` is its English."""


@dataclass(frozen=True, slots=True)
class Moment:
    """A moment named in a problem: written out in the reader's language by the view."""

    at: datetime
    zone: str

    def __str__(self) -> str:
        return describe_when(self.at, self.zone)


@dataclass(frozen=True, slots=True)
class Day:
    """A local day named in a problem ("Sunday 29 March 2026")."""

    on: datetime

    def __str__(self) -> str:
        return _day_words(self.on)


@dataclass(frozen=True, slots=True)
class TypedBack:
    """What the person typed with the time made plain, to type straight back: "10pm" in
    English, "22:00" in languages that write the 24-hour clock."""

    twelve_hour: str
    day_clock: str

    def __str__(self) -> str:
        return self.twelve_hour


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
            N_(
                "{clock} does not exist on {day} in {place}: the clocks go forward that night. "
                "Please choose another time, such as an hour later."
            ),
            clock=f"{naive:%H:%M}",
            day=Day(naive),
            place=zone_label(zone.key),
        )
    return local.astimezone(UTC)


def _resolve_lenient(naive: datetime, zone: ZoneInfo) -> datetime:
    # For times we compute ourselves (presets) nobody typed, so nothing to refuse: fold=0 puts
    # a missing wall time an hour later (after the jump) and an ambiguous one at its first.
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)


class AmbiguousTimeError(WhenError):
    """A bare hour that could be morning or evening ("tomorrow at 10"): the person is asked
    which. `readings` holds both, morning first, each a valid future minute."""

    def __init__(self, template: str, readings: tuple[datetime, datetime], **values: object):
        super().__init__(template, **values)
        self.readings = readings


def parse_when(text: str, zone_name: str, now: datetime) -> datetime:
    """Parse a date and time typed by a person, in the zone, as a future aware UTC datetime.

    ``now`` is passed in (aware), so "tomorrow" is reproducible in tests. Raises WhenError
    for nonsense, a day without a time, a time that has passed or does not exist, and
    AmbiguousTimeError (a WhenError) for a bare hour that could be morning or evening.

    The time of day is read first (bot/domain/clock_words.py), the rest as the day by
    dateparser, so "tomorrow at 10" is 10:00 and "next Tuesday at 10" is not the 10th.
    """
    cleaned = " ".join(_plain_script(text).split())
    if not cleaned:
        raise WhenError(N_("Please type a date and time, like {examples}."), examples=EXAMPLES)
    if len(cleaned) > MAX_TEXT:
        raise WhenError(
            N_("That is too long for a date. Please type something like {examples}."),
            examples=EXAMPLES,
        )
    zone = zone_of(zone_name)
    now_utc = _aware_utc(now)
    local_now = now_utc.astimezone(zone).replace(tzinfo=None)
    lowered = cleaned.lower()
    try:
        typed = find_time(lowered)
    except ClockError:
        raise WhenError(_UNREADABLE, examples=EXAMPLES) from None
    try:
        if typed is not None:
            day = _read_day(day_words(lowered, typed), local_now)
            if day is not None:
                # Suggestions are made in the person's own spelling where the spans allow.
                shown = cleaned if len(cleaned) == len(lowered) else lowered
                return _choose(shown, typed, day, zone_name, now_utc)
        return _whole_text(cleaned, zone_name, now_utc, local_now, has_time=typed is not None)
    except OverflowError:
        # Near year 1 or 9999 a zone's offset runs off the calendar: no real date is there.
        raise WhenError(_UNREADABLE, examples=EXAMPLES) from None


# Arabic-Indic digits as ASCII ("٣" is 3), and Arabic short vowels dropped ("مساءً" is "مساء"),
# as people type them either way.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")


def _plain_script(text: str) -> str:
    return _ARABIC_MARKS.sub("", text.translate(_DIGITS))


_UNREADABLE = N_("Sorry, I could not read that as a date and time. Try {examples}.")
# Short forms dateparser does not know, and words it stumbles on.
_DAY_SPELLINGS = (
    (re.compile(r"\bweds\b"), "wednesday"),
    (re.compile(r"\bthurs?\b"), "thursday"),
    (re.compile(r"\btues\b"), "tuesday"),
    (re.compile(r"\b(this|next) coming\b"), r"\1"),
    (re.compile(r"\bcoming\b"), "this"),
    # Polish "next Tuesday" and Arabic "Tuesday next", "the day Tuesday": the weekday alone is
    # the next one.
    (re.compile(r"\b(w\s+)?(przyszły|przyszłą|przyszłe|następny|następną|następne)\s+"), ""),
    (re.compile(r"\s+القادم[ةه]?\b"), ""),
    (re.compile(r"\bيوم\s+"), ""),
)
_MONTH = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\d{1,2}\s*[/.-]\s*\d{1,2}"
)
_YEAR = re.compile(r"\b\d{4}\b|\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}")
# "in 3 days", "in a week": a span from now, so the clock time now is meant.
_DURATION = re.compile(r"\bin\s+(\d+|a|an|one|two|three|four|five|six|seven)\s+[a-z]")
# A day and month without a year, up to this long ago, is a mistake to point out ("3/12" on
# the 4th of December has passed); further back it means next year ("5 Jan" in December).
_RECENT_PAST = timedelta(days=183)


def _parser(local_now: datetime, prefer: str) -> dateparser.date.DateDataParser:
    return dateparser.date.DateDataParser(
        # English first, so English reads as it always did; then the languages the bot
        # speaks, for "jutro o 15" and "غدا الساعة 3 مساء" (issue 15.5).
        languages=["en", "pl", "ar"],
        settings={
            "RELATIVE_BASE": local_now,
            "PREFER_DATES_FROM": prefer,
            "RETURN_TIME_AS_PERIOD": True,
            "DATE_ORDER": "DMY",  # UK: 3/12 is the 3rd of December
        },
    )


def _date_data(text: str, local_now: datetime, prefer: str) -> Any:
    with warnings.catch_warnings():
        # dateparser's dependencies warn about their own internals; nothing for a person here.
        warnings.simplefilter("ignore")
        return _parser(local_now, prefer).get_date_data(text)


def _read_day(text: str, local_now: datetime) -> tuple[date, tzinfo | None] | None:
    """The day named by `text` once the time of day is taken out; today when nothing is
    left; None when dateparser cannot read it as a plain day (the whole text is tried then).

    A weekday or a relative day ("Tuesday", "tomorrow") is the next one. A day and month
    keep this year unless that is more than half a year ago: "3/12" typed on the 3rd of
    December is today (so 04:00 at 06:53 has passed), not a year ahead. A zone named with
    the day ("UTC tomorrow") comes back with it: the time is then in that zone."""
    if not text:
        return local_now.date(), None
    for pattern, spelling in _DAY_SPELLINGS:
        text = pattern.sub(spelling, text)
    calendar = _MONTH.search(text) is not None
    found = _date_data(text, local_now, "current_period" if calendar else "future")
    parsed: datetime | None = found.date_obj
    if parsed is None or found.period == "time":
        return None  # another time in it ("in 2 hours at 10"): read the whole text as before
    day = parsed.date()
    long_ago = local_now.date() - day > _RECENT_PAST
    if calendar and long_ago and _YEAR.search(text) is None:
        with contextlib.suppress(ValueError):  # 29 February: next year has none
            day = day.replace(year=day.year + 1)
    return day, parsed.tzinfo


def _choose(
    text: str,
    typed: TypedTime,
    day: tuple[date, tzinfo | None],
    zone_name: str,
    now_utc: datetime,
) -> datetime:
    """The moment meant: the one reading of the time that is plausible and in the future,
    or AmbiguousTimeError to ask when both are."""
    zone = zone_of(zone_name)
    local_now = now_utc.astimezone(zone).replace(tzinfo=None)
    time_alone = not day_words(text, typed)
    moments = []
    on_day, named_zone = day
    for reading in typed.plausible:
        on = on_day
        if time_alone and datetime.combine(on, reading) <= local_now:
            on += timedelta(days=1)  # a time alone is the next one: "at 10" at 15:00
        if named_zone is not None:
            # The person named a zone ("3pm UTC tomorrow"): an exact moment already.
            moments.append(datetime.combine(on, reading, tzinfo=named_zone).astimezone(UTC))
        else:
            moments.append(resolve_local(datetime.combine(on, reading), zone))
    ahead = [m for m in moments if m > now_utc]
    if len(ahead) == 2:
        # Both readings go through the same checks as one: a day five years off is refused
        # before anyone is asked "morning or evening?" about it.
        _checked_future(ahead[1], zone_name, now_utc)
        morning, evening = typed.plausible
        raise AmbiguousTimeError(
            N_(
                "Do you mean {clock} in the morning or in the evening? "
                "Please type “{morning}” or “{evening}”."
            ),
            (ahead[0], ahead[1]),
            clock=typed.spoken,
            morning=_typed_back(text, typed, morning),
            evening=_typed_back(text, typed, evening),
        )
    return _checked_future(ahead[0] if ahead else moments[0], zone_name, now_utc)


def _typed_back(text: str, typed: TypedTime, reading: time) -> TypedBack:
    day_clock = f"{text[: typed.start]}{reading:%H:%M}{text[typed.end :]}"
    return TypedBack(with_meridiem(text, typed, reading), day_clock)


def _whole_text(
    cleaned: str, zone_name: str, now_utc: datetime, local_now: datetime, *, has_time: bool
) -> datetime:
    """dateparser reads all of the text: there is no time of day of ours in it ("tomorrow
    morning", "in 2 hours"), or its day is not one dateparser reads alone ("3pm UTC
    tomorrow"; `has_time`: a time of day was typed, so the one dateparser found is it)."""
    found = _date_data(cleaned, local_now, "future")
    parsed: datetime | None = found.date_obj
    if parsed is None:
        raise WhenError(_UNREADABLE, examples=EXAMPLES)
    clock_meant = (
        has_time or found.period == "part_of_day" or _DURATION.search(cleaned.lower()) is not None
    )
    return _future_moment(parsed, found.period, zone_name, now_utc, clock_meant=clock_meant)


def _future_moment(
    parsed: datetime, period: str | None, zone_name: str, now_utc: datetime, *, clock_meant: bool
) -> datetime:
    """The parsed date as a minute in the future, or WhenError saying why it cannot be."""
    zone = zone_of(zone_name)
    if period != "time" and (parsed.time() == time(0) or not clock_meant):
        # A day alone ("3 Dec", "tomorrow", "next week"): not midnight, nor the clock's time
        # now (dateparser's answer for "tomorrow"), by guess. "In 3 days" is a span of time.
        raise WhenError(
            N_("Please add a time as well as the day, like “Friday 17:00” or “3 Dec 2pm”.")
        )
    if parsed.tzinfo is not None:
        # The person named a zone ("3pm UTC"): that is an exact moment already.
        moment = parsed.astimezone(UTC).replace(second=0, microsecond=0)
    else:
        moment = resolve_local(parsed.replace(second=0, microsecond=0), zone)
    return _checked_future(moment, zone_name, now_utc)


def _checked_future(moment: datetime, zone_name: str, now_utc: datetime) -> datetime:
    """The moment, if it is ahead and not too far; WhenError saying why not otherwise."""
    if moment <= now_utc:
        raise WhenError(
            N_("{moment} has already passed. Please choose a time in the future."),
            moment=Moment(moment, zone_name),
        )
    if moment - now_utc > MAX_AHEAD:
        raise WhenError(
            N_("{moment} is more than five years away. Please choose a nearer time."),
            moment=Moment(moment, zone_name),
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
