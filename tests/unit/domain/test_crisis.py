"""Crisis triage: whole words and phrases, any case, configurable."""

from __future__ import annotations

import pytest

from bot.domain.crisis import DEFAULT_CRISIS_PHRASES, is_crisis, words


@pytest.mark.parametrize(
    "text",
    [
        "I think about suicide a lot",
        "Some days I want to DIE",
        "i could KILL MYSELF over this rota",
        "Thinking of ending my life.",
        "I have been self-harming again",
        "self harm",
        "I don’t want to live like this",  # a phone's curly apostrophe
        "I dont want to live like this",
        "took an overdose last week",
        "I want to hurt myself",
    ],
)
def test_crisis_phrases_match(text: str) -> None:
    assert is_crisis(text, DEFAULT_CRISIS_PHRASES)


@pytest.mark.parametrize(
    "text",
    [
        "The new skill: myself and others",  # "skill myself" is not "kill myself"
        "The parking is killing me",
        "Overdosage of paperwork",  # a different word, not a partial match
        "I want to diet",
        "",
    ],
)
def test_ordinary_words_do_not_match(text: str) -> None:
    assert not is_crisis(text, DEFAULT_CRISIS_PHRASES)


def test_the_list_is_configurable() -> None:
    assert is_crisis("I feel hopeless", ["hopeless"])
    assert not is_crisis("I want to die", ["hopeless"])
    assert not is_crisis("anything", ["", "  "])


def test_words_split_hyphens_and_drop_apostrophes() -> None:
    assert words("Self-Harm, don't!") == (
        "selfharm",
        "dont",
    )  # split forms are joined, as in the phrase list


@pytest.mark.parametrize(
    "text",
    [
        "I keep wanting to die",
        "I self-harmed last night",
        "self harmed again",
        "I want to kill my self",
        "killing my self slowly",
        "I do not want to live any more",
        "I've thought about ending it all",
        "I have been overdosing",
        "I might hang myself",
        "I donʼt want to live",  # U+02BC, the modifier-letter apostrophe
        "I don＇t want to live",  # full-width apostrophe
        "thinking about sui\u00adcide",  # a soft hyphen inside the word
        "I can't go on like this",
    ],
)
def test_the_ways_people_actually_write_it_are_caught(text: str) -> None:
    assert is_crisis(text, DEFAULT_CRISIS_PHRASES)


@pytest.mark.parametrize("text", ["I love my self-care routine", "getting the hang of it"])
def test_near_misses_are_not_alarms(text: str) -> None:
    assert not is_crisis(text, DEFAULT_CRISIS_PHRASES)
