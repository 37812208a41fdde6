"""Options that look the same on a phone are one option (issue 13, point 12)."""

from __future__ import annotations

import pytest

from bot.domain.lookalikes import skeleton, strip_hidden
from bot.domain.poll_rules import PollInputError, normalise_option, parse_poll_line

LOOK_ALIKES = [
    "Yes\u200b",  # zero-width space
    "Y\u0435s",  # Cyrillic small ie
    "\u202eYes",  # right-to-left override
    "\u2066Yes\u2069",  # a bidi isolate around it
    "Ｙｅｓ",  # full width
    "Y\u00ades",  # soft hyphen
    "YES",
    "\u0423es",  # Cyrillic capital u, for Y
    "Ye\ufeffs",  # zero-width no-break space
]


@pytest.mark.parametrize("lookalike", LOOK_ALIKES)
def test_each_lookalike_has_the_skeleton_of_yes(lookalike: str) -> None:
    assert skeleton(lookalike) == skeleton("Yes")


@pytest.mark.parametrize("lookalike", LOOK_ALIKES)
def test_a_poll_refuses_a_lookalike_option(lookalike: str) -> None:
    with pytest.raises(PollInputError, match="Options 1 and 3") as refused:
        parse_poll_line(f"Shall we? | Yes | No | {lookalike}")
    assert "the same" in refused.value.message


def test_different_options_stay_different() -> None:
    distinct = ["Yes", "No", "Café", "Cafe", "Monday", "Tuesday", "1", "2", "Room 101", "Room 102"]
    assert len({skeleton(option) for option in distinct}) == len(distinct)


def test_a_digit_and_a_letter_that_look_alike_are_one() -> None:
    assert skeleton("Room l0l") == skeleton("Room 101")
    assert skeleton("M\u043enday") == skeleton("Monday")  # Cyrillic o


def test_hidden_characters_are_not_stored_but_emoji_joiners_are() -> None:
    assert normalise_option("\u202eYes\u200b") == "Yes"
    family = "👨\u200d👩\u200d👧"  # one emoji, held together by zero-width joiners
    assert normalise_option(family) == family
    england = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"  # tag characters
    assert strip_hidden(england) == england
    assert normalise_option("Ｙｅｓ") == "Yes"


@pytest.mark.parametrize("hidden", ["\u200b", "\u200d", "\u202e\u200f", "\ufe0f"])
def test_an_option_of_invisible_characters_is_empty(hidden: str) -> None:
    with pytest.raises(PollInputError, match="is empty"):
        parse_poll_line(f"Shall we? | Yes | {hidden}")


def test_the_kind_message_names_what_looks_alike() -> None:
    with pytest.raises(PollInputError) as refused:
        parse_poll_line("Shall we? | Yes | Y\u0435s")
    assert refused.value.message == (
        "Options 1 and 2 look the same on a phone, so people could not tell which is which. "
        "Please make each option clearly different."
    )
