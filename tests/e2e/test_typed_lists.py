"""/poll and /meeting typed one item per line: `|` is on a phone's second symbol page."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.harness import SandboxBot
from storage.models import Poll
from tests.e2e.poll_helpers import Circle, joined_circle


@pytest.fixture
async def circle(bot: SandboxBot) -> Circle:
    return await joined_circle(bot)


def option_labels(bot: SandboxBot, circle: Circle) -> list[str]:
    poll = bot.last(circle.group)
    return [b.text for row in poll.buttons for b in row][:-3]  # less Withdraw, Who has voted, Close


@pytest.mark.parametrize(
    "typed",
    [
        "Should we meet monthly?\nYes\nNo\nNot sure",
        "Should we meet monthly?\n\n- Yes\n- No\n- Not sure\n",  # a list, blank lines
        "Should we meet monthly?\n1. Yes\n2) No\n3. Not sure",
        "Should we meet monthly? | Yes | No | Not sure",  # the one-line form still works
    ],
)
async def test_a_poll_typed_one_item_per_line_is_read_as_question_and_options(
    bot: SandboxBot, circle: Circle, typed: str
) -> None:
    await bot.say(circle.fiona, circle.group, f"/poll\n{typed}")
    poll = bot.last(circle.group)
    assert (poll.text or "").startswith("Should we meet monthly?")
    assert option_labels(bot, circle) == ["1. Yes", "2. No", "3. Not sure"]


async def test_an_option_that_starts_with_a_dash_keeps_it_unless_all_do(
    bot: SandboxBot, circle: Circle
) -> None:
    await bot.say(circle.fiona, circle.group, "/poll Which change?\n- 10 minutes\n+ 10 minutes")
    assert option_labels(bot, circle) == ["1. - 10 minutes", "2. + 10 minutes"]


async def test_a_question_alone_is_refused_with_both_ways_shown(
    bot: SandboxBot, circle: Circle
) -> None:
    await bot.say(circle.fiona, circle.group, "/poll Should we meet monthly?\n\n")
    text = bot.last_text(circle.group)
    assert "at least 2 options" in text and "new line" in text
    assert "Should we meet monthly?\nYes\nNo" in text  # the example typed one per line
    async with bot.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Poll)) == 0


async def test_a_meeting_typed_one_item_per_line_is_confirmed_as_read(
    bot: SandboxBot, circle: Circle
) -> None:
    await bot.say(
        circle.fiona, circle.group, "/meeting\nnext Tuesday 14:30\nWorking group\nRoom 3, Hounslow"
    )
    confirmation = bot.last_text(circle.group)
    assert "Please check the meeting" in confirmation
    assert "Working group" in confirmation
    assert "at 14:30" in confirmation and "Tuesday" in confirmation
    assert "Where: Room 3, Hounslow" in confirmation
    await bot.say(circle.fiona, circle.group, "/meeting\nnext Tuesday 14:30")
    assert "each of the three on its own line" in bot.last_text(circle.group)
