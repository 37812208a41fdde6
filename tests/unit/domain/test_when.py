"""Typed dates and times, in the group's time zone, with daylight saving handled."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.domain.when import (
    WhenError,
    describe_when,
    in_days,
    is_ambiguous,
    parse_when,
    resolve_local,
    tomorrow_at,
    zone_label,
)

LONDON = "Europe/London"
NEW_YORK = "America/New_York"
# Thursday 26 November 2026, 15:00 in London (GMT, so UTC too).
NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow 2pm", utc(2026, 11, 27, 14, 0)),
        ("3 Dec 14:00", utc(2026, 12, 3, 14, 0)),
        ("next Tuesday 10:30", utc(2026, 12, 1, 10, 30)),
        ("Tuesday 10:30", utc(2026, 12, 1, 10, 30)),
        ("  tomorrow   at 17:00 ", utc(2026, 11, 27, 17, 0)),
        ("1/12 14:00", utc(2026, 12, 1, 14, 0)),  # day first, as in the UK
        ("in 3 days", utc(2026, 11, 29, 15, 0)),
        ("in 2 hours", utc(2026, 11, 26, 17, 0)),
        # A time alone that has passed today means tomorrow (dates from the future preferred).
        ("14:00", utc(2026, 11, 27, 14, 0)),
        ("3pm UTC tomorrow", utc(2026, 11, 27, 15, 0)),
    ],
)
def test_common_phrases_in_london_winter(text: str, expected: datetime) -> None:
    assert parse_when(text, LONDON, NOW) == expected


def test_the_result_is_aware_utc() -> None:
    moment = parse_when("tomorrow 2pm", LONDON, NOW)
    assert moment.tzinfo is UTC
    assert moment.second == 0 and moment.microsecond == 0


def test_summer_time_is_applied() -> None:
    summer_now = utc(2026, 7, 1, 12, 0)  # 13:00 BST
    assert parse_when("tomorrow 2pm", LONDON, summer_now) == utc(2026, 7, 2, 13, 0)
    # A date in winter typed in summer gets winter's offset.
    assert parse_when("3 Dec 14:00", LONDON, summer_now) == utc(2026, 12, 3, 14, 0)


def test_now_in_another_zone_but_same_instant_gives_same_answer() -> None:
    assert parse_when("tomorrow 2pm", LONDON, NOW.astimezone()) == utc(2026, 11, 27, 14, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow 2pm", utc(2026, 11, 27, 19, 0)),  # EST is UTC-5
        ("3 Dec 14:00", utc(2026, 12, 3, 19, 0)),
        ("next Tuesday 10:30", utc(2026, 12, 1, 15, 30)),
    ],
)
def test_new_york(text: str, expected: datetime) -> None:
    assert parse_when(text, NEW_YORK, NOW) == expected


def test_new_york_tomorrow_depends_on_new_yorks_date() -> None:
    # 02:00 UTC on the 27th is still the evening of the 26th in New York.
    late = utc(2026, 11, 27, 2, 0)
    assert parse_when("tomorrow 9am", NEW_YORK, late) == utc(2026, 11, 27, 14, 0)
    assert parse_when("tomorrow 9am", LONDON, late) == utc(2026, 11, 28, 9, 0)


@pytest.mark.parametrize("text", ["yesterday 2pm", "1 Dec 2025 14:00", "26 Nov 2026 09:00"])
def test_past_times_are_refused(text: str) -> None:
    with pytest.raises(WhenError, match="already passed"):
        parse_when(text, LONDON, NOW)


def test_now_itself_is_not_in_the_future() -> None:
    with pytest.raises(WhenError, match="already passed"):
        parse_when("now", LONDON, NOW)


@pytest.mark.parametrize("text", ["banana", "the third of never", "31 Feb 14:00", "25:00", "???"])
def test_nonsense_is_refused(text: str) -> None:
    with pytest.raises(WhenError, match="could not read"):
        parse_when(text, LONDON, NOW)


@pytest.mark.parametrize("text", ["", "   ", "x" * 200])
def test_empty_or_overlong_text_is_refused(text: str) -> None:
    with pytest.raises(WhenError):
        parse_when(text, LONDON, NOW)


def test_a_day_without_a_time_asks_for_one() -> None:
    with pytest.raises(WhenError, match="add a time"):
        parse_when("Friday", LONDON, NOW)
    with pytest.raises(WhenError, match="add a time"):
        parse_when("3 December", LONDON, NOW)


def test_a_time_skipped_by_the_clocks_going_forward_is_refused() -> None:
    # Sunday 28 March 2027: London's clocks jump from 01:00 to 02:00.
    with pytest.raises(WhenError, match="does not exist") as raised:
        parse_when("28 March 2027 01:30", LONDON, NOW)
    assert "clocks go forward" in raised.value.message
    # Either side of the gap is fine.
    assert parse_when("28 March 2027 00:30", LONDON, NOW) == utc(2027, 3, 28, 0, 30)
    assert parse_when("28 March 2027 02:30", LONDON, NOW) == utc(2027, 3, 28, 1, 30)


def test_new_yorks_gap_is_its_own() -> None:
    # Sunday 14 March 2027: New York jumps from 02:00 to 03:00; London does not.
    with pytest.raises(WhenError, match="does not exist"):
        parse_when("14 March 2027 02:30", NEW_YORK, NOW)
    assert parse_when("14 March 2027 02:30", LONDON, NOW) == utc(2027, 3, 14, 2, 30)


def test_an_ambiguous_time_is_the_first_one() -> None:
    # Sunday 25 October 2026: London's clocks go back from 02:00 BST to 01:00 GMT, so 01:30
    # happens twice. We pick the first (01:30 BST = 00:30 UTC), every time.
    early = utc(2026, 10, 1, 12, 0)
    moment = parse_when("25 Oct 2026 01:30", LONDON, early)
    assert moment == utc(2026, 10, 25, 0, 30)
    assert parse_when("25 October 2026 at 1:30am", LONDON, early) == moment
    words = describe_when(moment, LONDON)
    assert words.startswith("Sunday 25 October 2026 at 01:30, London time")
    assert "the first 01:30" in words
    # The second 01:30 exists too, and is described as such.
    assert "the second 01:30" in describe_when(utc(2026, 10, 25, 1, 30), LONDON)


def test_resolve_local_and_ambiguity_helpers() -> None:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(LONDON)
    assert is_ambiguous(datetime(2026, 10, 25, 1, 30, tzinfo=zone))
    assert not is_ambiguous(datetime(2026, 10, 25, 3, 30, tzinfo=zone))
    with pytest.raises(WhenError):
        resolve_local(datetime(2027, 3, 28, 1, 30), zone)  # noqa: DTZ001 (a wall-clock time)


def test_describe_when_in_full_words() -> None:
    assert describe_when(utc(2026, 12, 1, 14, 0), LONDON) == (
        "Tuesday 1 December 2026 at 14:00, London time"
    )
    assert describe_when(utc(2026, 12, 1, 19, 0), NEW_YORK) == (
        "Tuesday 1 December 2026 at 14:00, New York time"
    )
    assert zone_label("America/Argentina/Buenos_Aires") == "Buenos Aires"


def test_presets_keep_the_wall_clock_across_daylight_saving() -> None:
    before_spring = utc(2027, 3, 26, 10, 0)  # Friday 10:00 GMT
    assert in_days(before_spring, LONDON, 3) == utc(2027, 3, 29, 9, 0)  # Monday 10:00 BST
    assert tomorrow_at(before_spring, LONDON, time(17, 0)) == utc(2027, 3, 27, 17, 0)
    assert tomorrow_at(utc(2027, 3, 27, 12, 0), LONDON, time(17, 0)) == utc(2027, 3, 28, 16, 0)


def test_a_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("tomorrow 2pm", LONDON, datetime(2026, 11, 26, 15, 0))  # noqa: DTZ001


def test_an_unknown_zone_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        parse_when("tomorrow 2pm", "Mars/Olympus_Mons", NOW)
