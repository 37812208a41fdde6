"""Dates as people type them: parse_when and the /meeting line never fail but kindly.

Whatever is typed, in whatever zone and at whatever moment, the parser either returns a minute
in the future (at most five years ahead) that exists on the local clock, or raises WhenError
(MeetingInputError for the meeting line) with a short plain message. Never another exception.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.domain.meeting_rules import (
    PLACE_MAX,
    TITLE_MAX,
    MeetingInputError,
    parse_meeting_line,
    parse_offsets,
)
from bot.domain.when import (
    MAX_AHEAD,
    WhenError,
    describe_when,
    exists_locally,
    parse_when,
    zone_of,
)
from tests.property.strategies import any_text, date_like, hostile_text

CI = settings.get_profile("ci")
T = TypeVar("T")
ZONES = (
    "Europe/London",
    "Europe/Dublin",  # "negative" summer time in the tz database
    "America/New_York",
    "America/St_Johns",  # half-hour offset
    "America/Santiago",
    "Asia/Kolkata",
    "Australia/Lord_Howe",  # a 30-minute clock change
    "Pacific/Chatham",  # +12:45 / +13:45
    "Pacific/Kiritimati",  # +14
    "Pacific/Pago_Pago",  # -11
    "Antarctica/Troll",  # a two-hour clock change
    "Africa/Casablanca",
    "UTC",
)
NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
# Hypothesis takes naive bounds and adds the zone itself.
moments = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001
    max_value=datetime(2100, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
typed = st.one_of(date_like(), hostile_text(max_size=12), any_text(max_size=6))
MESSAGE_MAX = 300  # a kind message is short


def outcome(parse: Callable[[], T], refusal: type[ValueError]) -> tuple[T | None, str | None]:
    """What parsing gave, or the message of the refusal; any other exception propagates."""
    try:
        return parse(), None
    except refusal as error:
        return None, str(getattr(error, "message", ""))


def check_refusal(message: str | None) -> None:
    assert message is not None and message.strip()
    assert len(message) <= MESSAGE_MAX


@settings(CI, max_examples=1000)
@given(text=typed, zone=st.sampled_from(ZONES), now=moments)
# Regressions: an offset named past the calendar's end raised OverflowError; a day with a zone
# but no time was taken as midnight; far-off years were accepted and broke later arithmetic.
@example(text="31 dec 9999 23:00 EST", zone="Europe/London", now=NOW)
@example(text="31/12/9999 23:00 -12:00", zone="Pacific/Kiritimati", now=NOW)
@example(text="31 dec 9999 23:00", zone="Pacific/Pago_Pago", now=NOW)
@example(text="1 jan 0001 00:30 +14:00", zone="Europe/London", now=NOW)
@example(text="3 mar UTC", zone="Europe/London", now=NOW)
@example(text="3 Dec 2032 14:00", zone="Europe/London", now=NOW)
@example(text="in 999999999 days", zone="Europe/London", now=NOW)
@example(text="29 Mar 2026 01:30", zone="Europe/London", now=datetime(2026, 1, 1, tzinfo=UTC))
@example(text="25 Oct 2026 01:30", zone="Europe/London", now=datetime(2026, 1, 1, tzinfo=UTC))
def test_parse_when_answers_every_text_with_a_future_minute_or_a_kind_refusal(
    text: str, zone: str, now: datetime
) -> None:
    moment, refused = outcome(lambda: parse_when(text, zone, now), WhenError)
    if moment is None:
        check_refusal(refused)
        return
    assert moment.tzinfo is not None
    assert moment.utcoffset() == timedelta(0)
    assert now < moment <= now + MAX_AHEAD
    assert moment.second == 0
    assert moment.microsecond == 0
    assert exists_locally(moment.astimezone(zone_of(zone)))
    assert describe_when(moment, zone)


def test_a_day_with_a_zone_but_no_time_asks_for_the_time() -> None:
    _, refused = outcome(lambda: parse_when("3 Mar UTC", "Europe/London", NOW), WhenError)
    assert refused is not None and "add a time" in refused


meeting_lines = st.one_of(
    st.builds(
        lambda when, title, place, seps: seps[0].join([when, title, place][: seps[1]]),
        date_like(),
        any_text(max_size=10),
        any_text(max_size=10),
        st.tuples(st.sampled_from(("|", " | ", "||", "｜")), st.integers(1, 4)),
    ),
    any_text(),
)


@settings(CI, max_examples=800)
@given(line=meeting_lines, zone=st.sampled_from(ZONES), now=moments)
@example(line="31 Dec 9999 23:00 | x", zone="UTC", now=NOW)
@example(line="31 dec 9999 23:00 EST | x", zone="UTC", now=NOW)
# A bare hour on a far day was offered as morning-or-evening 25 years ahead.
@example(line="1 Jan 2025 at 10|\u202e", zone="Europe/London", now=datetime(2000, 1, 1, tzinfo=UTC))
def test_the_meeting_line_is_parsed_or_refused_kindly(line: str, zone: str, now: datetime) -> None:
    parsed, refused = outcome(lambda: parse_meeting_line(line, zone, now), MeetingInputError)
    if parsed is None:
        check_refusal(refused)
        return
    assert now < parsed.starts_at <= now + MAX_AHEAD
    assert 0 < len(parsed.title) <= TITLE_MAX
    assert len(parsed.place) <= PLACE_MAX
    for text in (parsed.title, parsed.place):
        assert text == " ".join(text.split())  # one line, single spaces, no edges


@settings(CI, max_examples=600)
@given(text=st.one_of(date_like(), any_text(max_size=10)))
@example(text="999 days, 0 minutes")
def test_reminder_offsets_are_read_or_refused_kindly(text: str) -> None:
    offsets, refused = outcome(lambda: parse_offsets(text), MeetingInputError)
    if offsets is None:
        check_refusal(refused)
        return
    assert 1 <= len(offsets) <= 4
    assert list(offsets) == sorted(set(offsets), reverse=True)
    assert all(0 < minutes <= 14 * 24 * 60 for minutes in offsets)
