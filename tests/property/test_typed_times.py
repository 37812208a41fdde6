"""Times as people type them, read as they meant them: a property test over the usual forms.

Each example is built from parts whose meaning is known (a day: "tomorrow", "next Tuesday",
"3/12" in UK order, "5 January 2027" or none; a time: "14:00", "2pm", "at 10", "half 2",
"quarter to 7", "noon", a bare hour after a day word), so the expected answer is worked out
from the parts, not by the parser: the one plausible reading, a question when morning and
evening are both plausible, or "has passed" for a time earlier today (never next year).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from bot.domain.clock_words import PLAUSIBLE
from bot.domain.when import AmbiguousTimeError, WhenError, parse_when

CI = settings.get_profile("ci")
LONDON = ZoneInfo("Europe/London")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SHORT_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


@dataclass(frozen=True)
class Day:
    text: str  # "" for none
    # The date meant, given today's local date.
    resolve: str  # "today", "tomorrow", "weekday", "day_month", "full"
    weekday: int = 0
    day: int = 1
    month: int = 1
    year: int = 0

    def on(self, today: date) -> date | None:
        if self.resolve in {"none", "today"}:
            return today
        if self.resolve == "tomorrow":
            return today + timedelta(days=1)
        if self.resolve == "weekday":  # the next one, a week ahead if it is today
            return today + timedelta(days=(self.weekday - today.weekday() - 1) % 7 + 1)
        year = self.year or today.year
        try:
            meant = date(year, self.month, self.day)
        except ValueError:
            return None
        if not self.year and (today - meant).days > 183:
            try:
                meant = meant.replace(year=year + 1)  # "5 Jan" typed in December
            except ValueError:
                return None
        return meant


@dataclass(frozen=True)
class Clock:
    text: str
    readings: tuple[time, ...]  # one when the text says which; morning and evening if not
    bare_number: bool = False  # a number alone: only after a day word, or on its own


days = st.one_of(
    st.just(Day("", "none")),
    st.just(Day("today", "today")),
    st.just(Day("tomorrow", "tomorrow")),
    st.builds(
        lambda i, style: Day(
            {0: WEEKDAYS[i], 1: f"next {WEEKDAYS[i]}", 2: f"on {WEEKDAYS[i]}", 3: SHORT_DAYS[i]}[
                style
            ],
            "weekday",
            weekday=i,
        ),
        st.integers(0, 6),
        st.integers(0, 3),
    ),
    st.builds(
        lambda d, m, style: Day(
            {0: f"{d}/{m}", 1: f"{d} {MONTHS[m - 1][:3]}", 2: f"{d} {MONTHS[m - 1]}"}[style],
            "day_month",
            day=d,
            month=m,
        ),
        st.integers(1, 28),
        st.integers(1, 12),
        st.integers(0, 2),
    ),
    st.builds(
        lambda d, m, y: Day(f"{d} {MONTHS[m - 1]} {y}", "full", day=d, month=m, year=y),
        st.integers(1, 28),
        st.integers(1, 12),
        st.integers(2026, 2029),
    ),
)


def _both(hour: int, minute: int) -> tuple[time, ...]:
    return (time(hour % 12, minute), time(hour % 12 + 12, minute))


def _twelve(hour: int, pm: bool) -> int:
    return hour % 12 + (12 if pm else 0)


clocks = st.one_of(
    st.builds(
        lambda h, m: Clock(f"{h:02d}:{m:02d}", (time(h, m),)),
        st.integers(0, 23),
        st.sampled_from((0, 15, 30, 45)),
    ),
    st.builds(
        lambda h, pm, space: Clock(
            f"{h}{' ' if space else ''}{'pm' if pm else 'am'}", (time(_twelve(h, pm), 0),)
        ),
        st.integers(1, 12),
        st.booleans(),
        st.booleans(),
    ),
    st.builds(lambda h: Clock(f"at {h}", (time(h, 0),)), st.integers(13, 23)),
    st.builds(lambda h: Clock(f"at {h}", _both(h, 0)), st.integers(1, 12)),
    st.builds(lambda h: Clock(f"{h}", _both(h, 0), bare_number=True), st.integers(1, 12)),
    st.builds(
        lambda h, word, past: Clock(
            f"half {'past ' if past else ''}{WORDS[h - 1] if word else h}", _both(h, 30)
        ),
        st.integers(1, 10),
        st.booleans(),
        st.booleans(),
    ),
    st.builds(lambda h: Clock(f"quarter past {h}", _both(h, 15)), st.integers(1, 12)),
    st.builds(
        lambda h: Clock(f"quarter to {h}", _both(12 if h == 1 else h - 1, 45)),
        st.integers(1, 12),
    ),
    st.builds(lambda h: Clock(f"{h} o'clock", _both(h, 0)), st.integers(1, 12)),
    st.sampled_from((Clock("noon", (time(12, 0),)), Clock("midday", (time(12, 0),)))),
)
halves = st.sampled_from(("", " in the morning", " in the evening"))
nows = st.datetimes(
    min_value=datetime(2026, 1, 1),  # noqa: DTZ001
    max_value=datetime(2027, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


def _local(day: date, at: time) -> datetime | None:
    """The UTC moment of a local wall time; None on the days the clocks change, where
    when.py's own tests check the gap and the repeated hour."""
    first, last = (datetime.combine(day, t, tzinfo=LONDON) for t in (time(0), time(23, 59)))
    if first.utcoffset() != last.utcoffset():
        return None
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


@settings(CI, max_examples=600)
@given(day=days, clock=clocks, half=halves, at_word=st.booleans(), now=nows)
@example(  # the cases: 06:53 on 3 December
    day=Day("tomorrow", "tomorrow"),
    clock=Clock("at 10", _both(10, 0)),
    half="",
    at_word=False,
    now=datetime(2026, 12, 3, 6, 53, tzinfo=UTC),
)
@example(
    day=Day("next tuesday", "weekday", weekday=1),
    clock=Clock("at 10", _both(10, 0)),
    half=" in the morning",
    at_word=False,
    now=datetime(2026, 12, 3, 6, 53, tzinfo=UTC),
)
@example(
    day=Day("3/12", "day_month", day=3, month=12),
    clock=Clock("04:00", (time(4, 0),)),
    half="",
    at_word=False,
    now=datetime(2026, 12, 3, 6, 53, tzinfo=UTC),
)
@example(
    day=Day("", "none"),
    clock=Clock("half 2", _both(2, 30)),
    half="",
    at_word=False,
    now=datetime(2026, 12, 3, 6, 53, tzinfo=UTC),
)
def test_the_forms_people_type_are_read_as_meant(
    day: Day, clock: Clock, half: str, at_word: bool, now: datetime
) -> None:
    if clock.bare_number:
        # A number alone is an hour only on its own or after a day word ("tomorrow 10").
        assume(day.resolve in {"none", "today", "tomorrow", "weekday"})
    joiner = " at " if at_word and not clock.text.startswith("at ") else " "
    typed = f"{day.text}{joiner}{clock.text}".strip() + half

    today = now.astimezone(LONDON).date()
    readings = clock.readings
    if len(readings) == 2 and half:
        readings = readings[:1] if "morning" in half else readings[1:]
    if len(readings) == 2:
        plausible = tuple(t for t in readings if t.hour in PLAUSIBLE)
        readings = plausible or readings[:1]
    expected: list[datetime] = []
    for at in readings:
        on = day.on(today)
        assume(on is not None)
        assert on is not None
        if day.resolve == "none" and datetime.combine(on, at, tzinfo=LONDON) <= now:
            on += timedelta(days=1)  # a time alone is the next one
        moment = _local(on, at)
        assume(moment is not None)
        assert moment is not None
        expected.append(moment)
    ahead = [m for m in expected if m > now]

    kind, got, message = _outcome(typed, now)
    if kind == "asked":
        assert len(ahead) == 2, f"{typed!r} asked, but only {ahead} could be meant"
        assert got == (ahead[0], ahead[1])
        assert "in the morning or in the evening" in message
    elif kind == "refused":
        assert not ahead, f"{typed!r} refused ({message}) but {ahead} was meant"
        assert "passed" in message, message
    else:
        assert len(ahead) == 1, f"{typed!r} read as {got}, expected {ahead}"
        assert got == (ahead[0],), f"{typed!r} read as {got}, expected {ahead[0]}"


def _outcome(typed: str, now: datetime) -> tuple[str, tuple[datetime, ...], str]:
    """("read", (moment,), ""), ("asked", (morning, evening), question) or ("refused", (), why)."""
    try:
        return "read", (parse_when(typed, "Europe/London", now),), ""
    except AmbiguousTimeError as asked:
        return "asked", asked.readings, asked.message
    except WhenError as refused:
        return "refused", (), refused.message
