"""A date typed wrongly is explained in the reader's language (issue 15): bot/domain/when.py
raises a template and its values, never words, and the view says them (bot/views/problems.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.meeting_rules import MeetingInputError, parse_meeting_line
from bot.domain.when import AmbiguousTimeError, WhenError, parse_when
from bot.i18n import speaking
from bot.views.problems import problem_words

NOW = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)  # a Friday, two days before the clocks go forward
ZONE = "Europe/London"


def said(text: str, language: str) -> str:
    with pytest.raises(WhenError) as caught:
        parse_when(text, ZONE, NOW)
    with speaking(language):
        return problem_words(caught.value)


def test_english_is_the_message_the_domain_gives() -> None:
    with pytest.raises(WhenError) as caught:
        parse_when("jutr o 15", ZONE, NOW)
    assert problem_words(caught.value) == caught.value.message
    assert caught.value.message.startswith("Sorry, I could not read that as a date and time.")
    assert "“tomorrow 2pm”" in caught.value.message


def test_an_unreadable_date_is_explained_with_examples_in_the_language() -> None:
    polish = said("jutr o 15", "pl")
    assert polish.startswith("Przepraszam, nie rozumiem tej daty i godziny.")
    assert "„jutro o 14”" in polish and "tomorrow" not in polish
    arabic = said("غداا الساعه 3", "ar")
    assert "لم أفهم هذا كتاريخ ووقت" in arabic and "«غدا الساعة 2 مساء»" in arabic
    assert "tomorrow" not in arabic


def test_morning_or_evening_is_asked_with_the_24_hour_clock_outside_english() -> None:
    with pytest.raises(AmbiguousTimeError) as caught:
        parse_when("jutro o 10", ZONE, NOW)
    assert caught.value.message.endswith("“jutro o 10am” or “jutro o 10pm”.")
    with speaking("pl"):
        assert problem_words(caught.value) == (
            "Chodzi o 10 rano czy wieczorem? Wpisz „jutro o 10:00” albo „jutro o 22:00”."
        )
    with speaking("ar"):
        arabic = problem_words(caught.value)
    assert "صباحا أم مساء" in arabic and "«jutro o 22:00»" in arabic


def test_a_past_moment_and_a_missing_hour_are_named_in_the_language() -> None:
    past = said("wczoraj o 15", "pl")
    assert past.startswith("czwartek, 26 marca 2026, 15:00") and "już minęło" in past
    # 01:30 on Sunday 29 March 2026 does not happen in London: the clocks go forward.
    gap = said("29/03/2026 01:30", "pl")
    assert gap.startswith("Godzina 01:30 nie istnieje w dniu niedziela, 29 marca 2026")
    assert "March" not in gap and "Sunday" not in gap
    assert "الأحد" in said("29/03/2026 01:30", "ar")


def test_a_meeting_line_problem_carries_its_values_to_the_view() -> None:
    with pytest.raises(MeetingInputError) as caught:
        parse_meeting_line("jutro o 15 | " + "x" * 130, ZONE, NOW)
    assert caught.value.message == "That title is 130 characters long. Please keep it under 120."
    with speaking("pl"):
        assert problem_words(caught.value) == "Ta nazwa ma 130 znaków. Skróć ją do mniej niż 120."
