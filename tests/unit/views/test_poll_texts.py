"""Button answers, reminders and the /polls list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.poll_rules import PollKind
from bot.views import poll_acks
from bot.views.limits import CALLBACK_ANSWER_LIMIT, utf16_length
from bot.views.poll_acks import ballot_ack
from bot.views.polls import polls_list, reminder_text

from .builders import CA, DEADLINE, NOW, ST, SU, assert_telegram_html, snapshot


def test_ballot_ack_names_the_choice_and_the_deadline_in_local_time() -> None:
    ack = ballot_ack(
        ["Yes"], kind=PollKind.SINGLE, deadline=DEADLINE, timezone="Europe/London", changed=False
    )
    assert ack == "You chose: Yes. You can change it until Tue 1 Dec 17:00."
    summer = datetime(2027, 7, 1, 16, 0, tzinfo=UTC)
    ack = ballot_ack(
        ["No"], kind=PollKind.SINGLE, deadline=summer, timezone="Europe/London", changed=True
    )
    assert ack == "Changed. You now chose: No. You can change it until Thu 1 Jul 17:00."


def test_ballot_ack_without_deadline_and_for_multiple_choice() -> None:
    ack = ballot_ack(
        ["A", "B"], kind=PollKind.MULTIPLE, deadline=None, timezone="UTC", changed=False
    )
    assert ack == "Your choices: A and B. You can change it until the poll closes."
    empty = ballot_ack([], kind=PollKind.MULTIPLE, deadline=None, timezone="UTC", changed=True)
    assert "no options chosen" in empty


def test_ballot_ack_fits_even_with_ten_long_labels() -> None:
    labels = ["🧩" * 100] * 10
    ack = ballot_ack(
        labels, kind=PollKind.MULTIPLE, deadline=DEADLINE, timezone="Europe/London", changed=True
    )
    assert utf16_length(ack) <= CALLBACK_ANSWER_LIMIT
    assert ack.endswith("until Tue 1 Dec 17:00.")


@pytest.mark.parametrize(
    "make",
    [
        poll_acks.withdrawn_ack,
        lambda: poll_acks.already_chosen_ack("x" * 300),
        lambda: poll_acks.too_many_ack(3),
        poll_acks.poll_closed_ack,
        poll_acks.wrong_chat_ack,
        poll_acks.join_first_ack,
        poll_acks.join_to_vote_ack,
        poll_acks.facilitators_only_ack,
        poll_acks.no_vote_to_withdraw_ack,
        poll_acks.results_after_close_ack,
        poll_acks.results_sent_ack,
    ],
)
def test_every_ack_fits_a_callback_answer(make: Callable[[], str]) -> None:
    assert 0 < utf16_length(make()) <= CALLBACK_ANSWER_LIMIT


def test_fixed_acks_say_what_the_brief_says() -> None:
    assert poll_acks.wrong_chat_ack() == (
        "This button only works in the group where the poll was posted."
    )
    assert poll_acks.join_first_ack() == "Please join the group first: I will open a private chat."
    assert poll_acks.too_many_ack(1).startswith("You can choose up to 1 option.")


def test_a_reminder_counts_voters_never_roles() -> None:
    """A group message that lost "no carers yet" just after someone pressed would tell their
    role; facilitators ask privately with "Who has voted?" instead."""
    s = snapshot({SU: [0] * 4, ST: [1] * 5}, closed=False, question="Room <b> & time?")
    text = assert_telegram_html(reminder_text(s, now=DEADLINE - timedelta(hours=3)))
    assert text.startswith("Reminder: the poll Room <b> & time? closes in about 3 hours.")
    assert "9 people have voted so far." in text
    assert "carer" not in text and "staff" not in text and "service" not in text


def test_reminder_with_nobody_and_no_deadline() -> None:
    s = snapshot({}, closed=False, deadline=None)
    text = assert_telegram_html(reminder_text(s, now=NOW))
    assert "is still open" in text and "Nobody has voted yet." in text


def test_polls_list_shows_open_then_closed_and_fits() -> None:
    open_polls = [
        snapshot({SU: [0]}, closed=False, question=f"Open {i} " + "&" * 290) for i in range(40)
    ]
    closed = [
        snapshot(
            {SU: [0] * 3, CA: [0] * 3, ST: [1] * 3}, question="&" * 300, options=("<" * 100,) * 2
        )
        for _ in range(40)
    ]
    text = assert_telegram_html(polls_list(open_polls, closed, now=NOW))
    assert text.startswith("Open polls\n• Open 0")
    assert "(closes Tue 1 Dec 17:00, 1 vote)" in text
    assert "Recently closed\n…and 40 more." in text


def test_polls_list_with_only_closed_and_with_none() -> None:
    closed = [snapshot({SU: [0] * 3, CA: [0] * 3, ST: [1] * 3}, question="Done?")]
    text = assert_telegram_html(polls_list([], closed, now=NOW))
    assert "Recently closed\n• Done?: The roles agree" not in text  # staff chose Beta
    assert "On equal weight: Alpha." in text
    assert "No poll is open right now." in text
    assert "no polls" in assert_telegram_html(polls_list([], [], now=NOW))
