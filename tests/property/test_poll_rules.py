"""What a facilitator types for a poll, however hostile: a tidy poll or a kind refusal.

A poll made from any text has 2 to 10 different options, each one tidy line of 1 to 100
characters with no control characters; a question of 1 to 300 characters; and reading it back
gives the same poll. Anything else is PollInputError with a short message, never another error.
"""

from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.domain.poll_rules import (
    OPTION_MAX_LEN,
    OPTIONS_MAX,
    OPTIONS_MIN,
    QUESTION_MAX_LEN,
    SEPARATOR,
    PollDraft,
    PollInputError,
    PollKind,
    Visibility,
    normalise_option,
    normalise_question,
    parse_poll_line,
    validate_draft,
)
from tests.property.strategies import any_text, fair_poll_lines, hostile_text, poll_lines

CI = settings.get_profile("ci")


def _refusal(line: str) -> tuple[PollDraft | None, str | None]:
    try:
        return parse_poll_line(line), None
    except PollInputError as error:
        return None, error.message


def check_draft(draft: PollDraft) -> None:
    assert 1 <= len(draft.question) <= QUESTION_MAX_LEN
    assert normalise_question(draft.question) == draft.question
    assert all(unicodedata.category(ch) != "Cc" or ch == "\n" for ch in draft.question), (
        draft.question
    )
    assert OPTIONS_MIN <= len(draft.options) <= OPTIONS_MAX
    for option in draft.options:
        assert 1 <= len(option) <= OPTION_MAX_LEN
        assert normalise_option(option) == option
        assert option == option.strip()
        assert not any(unicodedata.category(ch) == "Cc" for ch in option), option
        assert SEPARATOR not in option
    folded = [normalise_option(o).casefold() for o in draft.options]
    assert len(set(folded)) == len(folded), draft.options
    assert draft.kind is PollKind.SINGLE
    assert draft.max_choices == 1


@settings(CI, max_examples=1000)
@given(line=st.one_of(poll_lines, fair_poll_lines, any_text(), hostile_text()))
@example(line="Q? | a | A")
@example(line="Q? | ß | ss")
@example(line="Q\x00? | a\x1b | b\u2028c")
@example(line="\u202e? | 👩‍👩‍👧 | 👩‍👩‍👦")
@example(line="<b>? | <i> | </i>")
def test_a_poll_line_is_a_tidy_poll_or_a_kind_refusal(line: str) -> None:
    draft, refusal = _refusal(line)
    if draft is None:
        assert refusal is not None and refusal.strip()
        assert len(refusal) <= 300
        return
    check_draft(draft)
    # Reading the stored poll back as a line makes the same poll: tidying is done once.
    again = parse_poll_line(SEPARATOR.join([draft.question, *draft.options]))
    assert again == draft


@settings(CI, max_examples=800)
@given(
    question=any_text(),
    options=st.lists(st.one_of(hostile_text(max_size=4), any_text(max_size=4)), max_size=12),
    kind=st.sampled_from(list(PollKind)),
    max_choices=st.one_of(st.none(), st.integers(-2, 12)),
    visibility=st.sampled_from(list(Visibility)),
)
def test_every_kind_of_poll_is_valid_or_refused_kindly(
    question: str,
    options: list[str],
    kind: PollKind,
    max_choices: int | None,
    visibility: Visibility,
) -> None:
    try:
        draft = validate_draft(question, options, kind, max_choices, visibility)
    except PollInputError as error:
        message = error.message
        assert message.strip()
        return
    assert draft.kind is kind
    if kind is PollKind.MULTIPLE:
        assert 1 <= draft.max_choices <= len(draft.options)
    else:
        assert draft.max_choices == 1
    assert OPTIONS_MIN <= len(draft.options) <= OPTIONS_MAX
