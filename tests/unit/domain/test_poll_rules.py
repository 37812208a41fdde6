"""Input rules for making and answering polls."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.poll_rules import (
    OPTION_MAX_LEN,
    OPTIONS_MAX,
    PROPOSAL_OPTIONS,
    QUESTION_MAX_LEN,
    SCALE_OPTIONS,
    PollDraft,
    PollInputError,
    PollKind,
    Visibility,
    fixed_options,
    normalise_option,
    normalise_question,
    parse_poll_line,
    results_visible,
    scale_value,
    validate_draft,
    validate_selection,
)


def test_parse_simple_line() -> None:
    draft = parse_poll_line("Should we meet monthly? | Yes | No | Not sure")
    assert draft == PollDraft(
        question="Should we meet monthly?",
        options=("Yes", "No", "Not sure"),
        kind=PollKind.SINGLE,
        max_choices=1,
        visibility=Visibility.AFTER_CLOSE,
    )


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_line_explains_with_example(text: str) -> None:
    with pytest.raises(PollInputError) as err:
        parse_poll_line(text)
    assert "/poll Should we meet monthly? | Yes | No" in err.value.message


def test_question_without_options_asks_for_two() -> None:
    with pytest.raises(PollInputError, match="at least 2 options"):
        parse_poll_line("Should we meet monthly?")


def test_one_option_is_not_enough() -> None:
    with pytest.raises(PollInputError, match="at least 2 options"):
        parse_poll_line("Meet? | Yes")


@pytest.mark.parametrize("n", range(2, OPTIONS_MAX + 1))
def test_two_to_ten_options_accepted(n: int) -> None:
    opts = [f"Option {i}" for i in range(n)]
    draft = parse_poll_line(" | ".join(["Q?", *opts]))
    assert draft.options == tuple(opts)


def test_eleven_options_rejected() -> None:
    opts = [f"Option {i}" for i in range(OPTIONS_MAX + 1)]
    with pytest.raises(PollInputError, match="at most 10 options"):
        parse_poll_line(" | ".join(["Q?", *opts]))


def test_missing_question() -> None:
    with pytest.raises(PollInputError, match="needs a question"):
        parse_poll_line(" | Yes | No")


def test_question_length_limit() -> None:
    ok = "x" * QUESTION_MAX_LEN
    assert parse_poll_line(f"{ok} | a | b").question == ok
    with pytest.raises(PollInputError, match="301 characters"):
        parse_poll_line(f"{ok}y | a | b")


def test_option_length_limit() -> None:
    ok = "o" * OPTION_MAX_LEN
    assert parse_poll_line(f"Q | {ok} | b").options[0] == ok
    with pytest.raises(PollInputError, match="Option 1 is 101 characters"):
        parse_poll_line(f"Q | {ok}o | b")


@pytest.mark.parametrize("line", ["Q | Yes | | No", "Q | Yes | No |", "Q |   | No"])
def test_empty_option_rejected(line: str) -> None:
    with pytest.raises(PollInputError, match="is empty"):
        parse_poll_line(line)


@pytest.mark.parametrize(
    "line",
    ["Q | Yes | yes", "Q | Not  sure | not sure", "Q | A | B | \tA ", "Q | Straße | STRASSE"],
)
def test_duplicates_rejected_case_and_space_insensitive(line: str) -> None:
    with pytest.raises(PollInputError, match="are the same"):
        parse_poll_line(line)


def test_whitespace_is_tidied() -> None:
    draft = parse_poll_line("  Meet   when?  |  Mon   day |\tTues\tday  ")
    assert draft.question == "Meet when?"
    assert draft.options == ("Mon day", "Tues day")


def test_question_keeps_newlines_but_not_other_controls() -> None:
    q = normalise_question("Line one\r\nLine\x00 two\x07\n\n\n\nEnd")
    assert q == "Line one\nLine two\n\nEnd"


def test_option_loses_all_controls() -> None:
    assert normalise_option("a\nb\x1bc\x7f") == "a bc"


def test_html_and_emoji_kept_as_text() -> None:
    draft = parse_poll_line("<b>Bold</b> & co? | <i>yes</i> 👍 | no 👩‍👩‍👧 &amp;")
    assert draft.question == "<b>Bold</b> & co?"
    # The zero-width joiners inside the family emoji must survive (they are Cf, not Cc).
    assert draft.options == ("<i>yes</i> 👍", "no 👩‍👩‍👧 &amp;")


def test_guided_flow_multiple_default_max_choices() -> None:
    d = validate_draft("Which days?", ["Mon", "Tue", "Wed"], PollKind.MULTIPLE)
    assert d.max_choices == 3
    d2 = validate_draft("Which days?", ["Mon", "Tue", "Wed"], PollKind.MULTIPLE, max_choices=1)
    assert d2.max_choices == 1


@pytest.mark.parametrize("bad", [0, 4, -1])
def test_guided_flow_multiple_bad_max_choices(bad: int) -> None:
    with pytest.raises(PollInputError, match="between 1 and 3"):
        validate_draft("Which days?", ["Mon", "Tue", "Wed"], PollKind.MULTIPLE, max_choices=bad)


def test_single_cannot_have_max_choices() -> None:
    with pytest.raises(PollInputError, match="multiple-choice"):
        validate_draft("Q", ["a", "b"], PollKind.SINGLE, max_choices=2)


@pytest.mark.parametrize(
    ("kind", "fixed"), [(PollKind.PROPOSAL, PROPOSAL_OPTIONS), (PollKind.SCALE, SCALE_OPTIONS)]
)
def test_fixed_option_kinds(kind: PollKind, fixed: tuple[str, ...]) -> None:
    d = validate_draft("We should meet monthly", kind=kind, visibility=Visibility.LIVE)
    assert d.options == fixed
    assert d.max_choices == 1
    assert d.visibility is Visibility.LIVE
    assert fixed_options(kind) == fixed
    assert validate_draft("Q", fixed, kind).options == fixed
    with pytest.raises(PollInputError, match="always has the options"):
        validate_draft("Q", ["Yes", "No"], kind)


def test_proposal_and_scale_values() -> None:
    assert PROPOSAL_OPTIONS == ("Agree", "Unsure", "Disagree", "Block")
    assert [scale_value(i) for i in range(5)] == [1, 2, 3, 4, 5]
    with pytest.raises(ValueError, match="out of range"):
        scale_value(5)
    assert fixed_options(PollKind.SINGLE) is None


@pytest.mark.parametrize("kind", [PollKind.SINGLE, PollKind.PROPOSAL, PollKind.SCALE])
def test_selection_single_answer(kind: PollKind) -> None:
    validate_selection(kind, 5, 1, frozenset({2}))
    with pytest.raises(PollInputError, match="choose one"):
        validate_selection(kind, 5, 1, frozenset())
    with pytest.raises(PollInputError, match="choose one"):
        validate_selection(kind, 5, 1, frozenset({0, 1}))


def test_selection_multiple() -> None:
    validate_selection(PollKind.MULTIPLE, 4, 2, frozenset({0}))
    validate_selection(PollKind.MULTIPLE, 4, 2, frozenset({0, 3}))
    with pytest.raises(PollInputError, match="at least one"):
        validate_selection(PollKind.MULTIPLE, 4, 2, frozenset())
    with pytest.raises(PollInputError, match="up to 2 options"):
        validate_selection(PollKind.MULTIPLE, 4, 2, frozenset({0, 1, 2}))


def test_selection_out_of_range() -> None:
    with pytest.raises(PollInputError, match="no longer part"):
        validate_selection(PollKind.SINGLE, 2, 1, frozenset({2}))


def test_results_are_seen_only_once_a_poll_closes_whatever_it_was_set_to() -> None:
    for visibility in Visibility:
        for voted in (False, True):
            assert not results_visible(visibility, closed=False, has_voted=voted)
            assert results_visible(visibility, closed=True, has_voted=voted)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_parse_never_crashes_and_output_obeys_limits(text: str) -> None:
    try:
        draft = parse_poll_line(text)
    except PollInputError as err:
        message = err.message
        assert message  # every refusal explains itself
        return
    assert 1 <= len(draft.question) <= QUESTION_MAX_LEN
    assert 2 <= len(draft.options) <= OPTIONS_MAX
    keys = {o.casefold() for o in draft.options}
    assert len(keys) == len(draft.options)
    for o in draft.options:
        assert 1 <= len(o) <= OPTION_MAX_LEN
        assert o == o.strip()
        assert not any(ord(c) < 32 or c == "\x7f" for c in o)
