"""Texts rendered from hostile input fit Telegram, as Telegram's HTML parser reads them.

- `split_message` cuts any text into messages that fit, never empty, between lines, losing no
  line that fits (and shortening, with an ellipsis, one that cannot);
- the poll message, its results (in the group and in private), the /polls list, the reminder
  and the button answers, made from questions, options and reasons of any text and any votes,
  are valid HTML for Telegram line by line, fit in one message (or 200 characters), and show
  the question (or as much of it as fits).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import escape

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.domain.poll_rules import (
    OPTIONS_MAX,
    PROPOSAL_OPTIONS,
    SCALE_OPTIONS,
    PollInputError,
    PollKind,
    Visibility,
    validate_draft,
)
from bot.domain.poll_snapshot import PollSnapshot
from bot.domain.roles import ROLES
from bot.sandbox.entities_html import parse_html
from bot.views import poll_acks, poll_results
from bot.views import polls as poll_views
from bot.views.limits import (
    CALLBACK_ANSWER_LIMIT,
    MESSAGE_LIMIT,
    shorten,
    split_message,
    utf16_length,
    visible_length,
)
from bot.views.poll_wording import FIT_LEVELS
from tests.property.strategies import any_text, atom, exactly, hostile_text
from tests.unit.views.builders import assert_telegram_html, snapshot

CI = settings.get_profile("ci")
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

lines_of_html = st.lists(
    st.one_of(
        hostile_text(max_size=8).map(escape),
        # The views open and close a tag on one line (bold_lines): never a newline inside.
        hostile_text(max_size=8).map(lambda t: f"<b>{escape(t.replace(chr(10), ' '))}</b>"),
        exactly(900).map(escape),
        st.just(""),
    ),
    max_size=30,
).map("\n".join)


@settings(CI, max_examples=1000)
@given(text=st.one_of(lines_of_html, any_text()), limit=st.sampled_from((MESSAGE_LIMIT, 200, 50)))
@example(text="\n\n\n", limit=MESSAGE_LIMIT)
@example(text="x" + "&amp;" * 1999, limit=MESSAGE_LIMIT)  # feedback of 2,000 "&": one message
def test_split_message_fits_every_part_and_keeps_every_line(text: str, limit: int) -> None:
    parts = split_message(text, limit)
    assert parts
    for part in parts:
        assert visible_length(part) <= limit
    lines = text.split("\n")
    if all(visible_length(line) <= limit for line in lines):
        kept = [line for part in parts for line in part.split("\n") if line]
        assert kept == [line for line in lines if line] or not any(lines)
    if visible_length(text) <= limit and text.strip("\n"):
        assert parts == [text.strip("\n")]  # what fits in one message is one message


@settings(CI, max_examples=500)
@given(text=lines_of_html, limit=st.sampled_from((MESSAGE_LIMIT, 200, 50)))
@example(text="x" + "&amp;" * 1999, limit=MESSAGE_LIMIT)
@example(text="<b>" + "&lt;" * 60 + "</b>", limit=50)
def test_split_html_is_valid_html_in_every_part(text: str, limit: int) -> None:
    for part in split_message(text, limit):
        if part.strip():
            parsed = parse_html(part)
            assert utf16_length(parsed.text) <= limit


@st.composite
def polls(draw: st.DrawFn) -> PollSnapshot:
    """A poll as stored (its text passed the input rules), with any ballots and reasons."""
    kind = draw(st.sampled_from(list(PollKind)))
    question = draw(st.one_of(hostile_text(max_size=12), exactly(300), exactly(299)))
    options: list[str] = []
    if kind in (PollKind.SINGLE, PollKind.MULTIPLE):
        drawn = draw(
            st.lists(
                st.one_of(hostile_text(max_size=5), exactly(100), exactly(99), atom),
                min_size=2,
                max_size=OPTIONS_MAX,
            )
        )
        options = [f"{i}{o}"[:100] for i, o in enumerate(drawn)]
    try:
        draft = validate_draft(question, options, kind, None, Visibility.LIVE)
    except PollInputError:
        draft = validate_draft("?", [str(i) for i in range(len(options))], kind)
    n = len(draft.options)
    ballot: st.SearchStrategy[int | set[int]] = (
        st.sets(st.integers(0, n - 1), min_size=1, max_size=n)
        if kind is PollKind.MULTIPLE
        else st.integers(0, n - 1)
    )
    votes = {
        role: draw(st.lists(ballot, max_size=draw(st.sampled_from((0, 1, 2, 3, 7)))))
        for role in ROLES
    }
    reasons: tuple[tuple[int, str], ...] = ()
    if kind is PollKind.PROPOSAL:
        reason = st.tuples(st.sampled_from((2, 3)), st.one_of(any_text(), exactly(300)))
        reasons = tuple(draw(st.lists(reason, max_size=30)))
    return snapshot(
        votes,
        options=draft.options,
        kind=draft.kind,
        question=draft.question,
        visibility=draw(st.sampled_from(list(Visibility))),
        closed=draw(st.booleans()),
        max_choices=draft.max_choices,
        reasons=reasons,
        deadline=NOW + timedelta(days=2),
    )


@settings(CI, max_examples=300)
@given(s=polls())
def test_every_poll_text_is_valid_html_that_fits(s: PollSnapshot) -> None:
    shown = assert_telegram_html(poll_views.poll_message(s, now=NOW))
    # The question opens the message, or as much of it as fits, cut with an ellipsis.
    assert any(
        shown.startswith(shorten(s.question, limit).split("\n", 1)[0].rstrip("…"))
        for limit, _ in FIT_LEVELS
    ), shown[:80]
    open_polls, closed_polls = ([], [s] * 5) if s.closed else ([s] * 20, [])
    for text in (
        poll_results.results_message(s),
        poll_results.private_results(s),
        poll_views.polls_list(open_polls, closed_polls, now=NOW),
        poll_views.reminder_text(s, now=NOW),
    ):
        assert_telegram_html(text)
    chosen = s.options[:3]
    for answer in (
        poll_acks.ballot_ack(
            chosen, kind=s.kind, deadline=s.deadline, timezone="UTC", changed=True
        ),
        poll_acks.already_chosen_ack(chosen[0]),
    ):
        assert 0 < len(answer) <= CALLBACK_ANSWER_LIMIT
    keyboard = poll_views.poll_keyboard(s)
    assert keyboard is not None
    for row in keyboard.inline_keyboard:
        for button in row:
            assert button.text.strip()
            assert len(str(button.callback_data).encode()) <= 64


def test_the_fixed_options_are_what_the_kinds_say() -> None:
    # The strategy above leaves proposal and scale options to the rules: these are they.
    assert validate_draft("?", (), PollKind.PROPOSAL).options == PROPOSAL_OPTIONS
    assert validate_draft("?", (), PollKind.SCALE).options == SCALE_OPTIONS
