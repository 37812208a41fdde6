"""The poll message in the group and its buttons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from telegram import InlineKeyboardMarkup

from bot.domain.disclosure import SmallRoles
from bot.domain.disclosure_ladder import Rung
from bot.domain.poll_rules import PollKind, Visibility
from bot.domain.poll_snapshot import PollSnapshot
from bot.views.callbacks import MAX_CALLBACK_BYTES, Action, Press, decode
from bot.views.polls import poll_keyboard, poll_message

from .builders import CA, NOW, ST, SU, assert_telegram_html, snapshot

LONG_QUESTION = "Q&<" + "x" * 297
LONG_OPTIONS = tuple(f"{i}&<" + "y" * 97 for i in range(10))
WORST_OPTIONS = tuple(f"{i}" + "&" * 99 for i in range(10))  # escaping makes each 5x longer


def worked_example() -> PollSnapshot:
    """3 service users and 3 carers all chose Alpha; staff 1 Alpha, 9 Beta."""
    return snapshot({SU: [0, 0, 0], CA: [0, 0, 0], ST: [0] + [1] * 9})


def test_open_poll_says_how_to_vote_how_many_voted_and_when_it_closes() -> None:
    s = snapshot({SU: [0, 1, 1], ST: [0, 0]}, closed=False, rung=Rung.DECISION_AND_COUNT)
    text = assert_telegram_html(poll_message(s, now=NOW))
    assert "Which plan?" in text
    assert "1. Alpha" in text and "2. Beta" in text
    assert "press a button below. Nobody can see what you chose." in text
    assert "5 people have voted so far." in text
    assert "Closes Tuesday 1 December 2026 at 17:00 (London time)." in text
    assert (
        "When the poll closes, I will show what equal weight decides and the votes for each "
        "option. Nothing is shown while voting is open" in text
    )
    assert "%" not in text and "votes" not in text.replace("votes for each", "")


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("rung", list(Rung))
def test_an_open_poll_never_shows_a_count_per_role_or_a_figure(
    visibility: Visibility, rung: Rung
) -> None:
    """Whatever it was set to: a count per role that went up just after someone pressed would
    tell their role, and figures that change with each vote would tell their vote."""
    s = snapshot(
        {SU: [0], CA: [0, 1, 1], ST: [1, 1, 1]}, closed=False, visibility=visibility, rung=rung
    )
    text = assert_telegram_html(poll_message(s, now=NOW))
    assert "7 people have voted so far." in text
    before_the_promise = text.split("When the poll closes")[0]
    for word in ("service user", "carer", "staff", "%", "votes,", "leads", "equal weight"):
        assert word not in before_the_promise, word


def test_an_open_poll_with_notice_says_who_might_be_worked_out() -> None:
    s = snapshot({SU: [0]}, closed=False, rung=Rung.DECISION, notice_roles=frozenset({CA}))
    text = assert_telegram_html(poll_message(s, now=NOW))
    assert "I will show only what equal weight decides, without figures." in text
    assert "the result could sometimes let people work out how carers voted" in text


def test_an_open_protected_poll_says_it_shows_a_head_count() -> None:
    s = snapshot({SU: [0]}, closed=False, rung=Rung.HEAD_COUNT, small_roles=SmallRoles.PROTECT)
    text = assert_telegram_html(poll_message(s, now=NOW))
    assert "only the votes for each option (a head count)" in text
    assert "chose to protect small roles" in text


def test_closed_poll_says_so_and_summarises() -> None:
    text = assert_telegram_html(poll_message(worked_example(), now=NOW))
    assert "This poll is closed." in text
    assert "16 people voted: 3 service users, 3 carers and 10 staff." in text
    assert "1. Alpha: 7 votes, 70% equal weight" in text
    assert "2. Beta: 9 votes, 30% equal weight" in text
    assert "A show of hands would have picked Beta." in text
    assert "How to vote" not in text and "Closes" not in text


@pytest.mark.parametrize(
    ("kind", "max_choices", "expected"),
    [
        (PollKind.MULTIPLE, 2, "choose up to 2"),
        (PollKind.MULTIPLE, 2 + 8, "choose as many as you like"),
        (PollKind.PROPOSAL, 1, "A Block means a serious objection"),
        (PollKind.SCALE, 1, "1 = lowest, 5 = highest"),
    ],
)
def test_how_to_vote_fits_the_kind(kind: PollKind, max_choices: int, expected: str) -> None:
    options = tuple(f"Option {i}" for i in range(10))
    s = snapshot({}, kind=kind, options=options, max_choices=max_choices, closed=False)
    text = assert_telegram_html(poll_message(s, now=NOW))
    assert expected in text
    assert "Nobody has voted yet." in text


def test_time_zone_and_summer_time() -> None:
    july = datetime(2027, 7, 1, 16, 0, tzinfo=UTC)
    s = snapshot({}, closed=False, deadline=july)
    assert "Closes Thursday 1 July 2027 at 17:00 (London time)." in poll_message(s, now=NOW)
    s = snapshot({}, closed=False, deadline=july, timezone="America/New_York")
    assert "at 12:00 (New York time)" in poll_message(s, now=NOW)
    s = snapshot({}, closed=False, deadline=july, timezone="UTC")
    assert "at 16:00 (UTC)" in poll_message(s, now=NOW)


def test_passed_deadline_and_no_deadline() -> None:
    s = snapshot({}, closed=False, deadline=NOW - timedelta(minutes=1))
    assert "closing now" in poll_message(s, now=NOW)
    s = snapshot({}, closed=False, deadline=None)
    assert "Open until an organiser closes it." in poll_message(s, now=NOW)


def test_user_text_is_escaped_and_survives() -> None:
    question = "<b>Bold?</b> Fish & chips 👩‍👩‍👧 مرحبا بكم\nSecond line"
    options = ("a < b", "x &amp; y", "שלום 🎉", "=SUM(A1)")
    s = snapshot({}, question=question, options=options, closed=False)
    html = poll_message(s, now=NOW)
    text = assert_telegram_html(html)
    assert "<b>Bold?</b> Fish & chips 👩‍👩‍👧 مرحبا بكم" in text
    assert "2. x &amp; y" in text
    assert "<b>&lt;b&gt;Bold?" in html


@pytest.mark.parametrize("options", [LONG_OPTIONS, WORST_OPTIONS])
@pytest.mark.parametrize("closed", [False, True])
def test_longest_poll_fits_one_message(options: tuple[str, ...], closed: bool) -> None:
    votes = {SU: list(range(10)) * 2, CA: list(range(10)), ST: list(range(10)) * 3}
    s = snapshot(
        votes, question=LONG_QUESTION, options=options, closed=closed, visibility=Visibility.LIVE
    )
    assert_telegram_html(poll_message(s, now=NOW))


def _callbacks(markup: InlineKeyboardMarkup) -> list[str]:
    return [str(button.callback_data) for row in markup.inline_keyboard for button in row]


def test_keyboard_for_an_open_single_choice_poll() -> None:
    s = snapshot(
        {},
        options=LONG_OPTIONS,
        closed=False,
        visibility=Visibility.AFTER_VOTING,
        poll_id=2**31 - 1,
    )
    markup = poll_keyboard(s)
    assert markup is not None
    labels = [[b.text for b in row] for row in markup.inline_keyboard]
    assert labels[0][0].startswith("1. 0&<")
    assert all(len(row[0]) <= 32 for row in labels[:10])
    # No "See results" while open, whatever the poll was set to: facilitators ask privately
    # which roles have voted instead.
    assert labels[10:] == [
        ["Withdraw my vote"],
        ["Who has voted? (organisers)"],
        ["Close poll (organisers)"],
    ]
    presses = [decode(data) for data in _callbacks(markup)]
    assert all(len(data.encode()) <= MAX_CALLBACK_BYTES for data in _callbacks(markup))
    assert [p.args for p in presses if p and p.action is Action.VOTE] == [
        (2**31 - 1, i) for i in range(10)
    ]
    assert [p.action for p in presses[10:] if p] == [
        Action.WITHDRAW,
        Action.TURNOUT,
        Action.CLOSE,
    ]


def test_keyboard_layouts_for_scale_and_proposal() -> None:
    scale = poll_keyboard(snapshot({}, kind=PollKind.SCALE, closed=False))
    assert scale is not None
    assert [b.text for b in scale.inline_keyboard[0]] == ["1", "2", "3", "4", "5"]
    proposal = poll_keyboard(snapshot({}, kind=PollKind.PROPOSAL, closed=False))
    assert proposal is not None
    assert [[b.text for b in row] for row in proposal.inline_keyboard[:2]] == [
        ["Agree", "Unsure"],
        ["Disagree", "Block"],
    ]
    assert "See results" not in str(proposal.inline_keyboard)  # after-close by default


def test_closed_poll_offers_only_the_export() -> None:
    markup = poll_keyboard(snapshot({SU: [0]}, closed=True, poll_id=7))
    assert markup is not None
    (only,) = [b for row in markup.inline_keyboard for b in row]
    assert only.text == "Results as CSV (organisers)"
    assert decode(str(only.callback_data)) == Press(Action.EXPORT, (7,))


def test_open_poll_deadline_is_aware() -> None:
    # A naive "now" against an aware deadline is a bug upstream; it fails loudly, not silently.
    s = snapshot({}, closed=False)
    with pytest.raises(TypeError):
        poll_message(s, now=datetime(2026, 1, 1))  # noqa: DTZ001
