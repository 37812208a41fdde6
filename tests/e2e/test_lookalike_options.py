"""Options that look the same on a phone are refused, in /poll and in the guided set-up.

Attack (issue 13, point 12): "Yes", "Yes" with a zero-width space, a Cyrillic "Yеs" and a
right-to-left override as options of one poll, splitting a vote between buttons nobody can
tell apart.
"""

from __future__ import annotations

import pytest

from bot.harness import SandboxBot
from tests.e2e.poll_helpers import joined_circle
from tests.e2e.test_poll_wizard import (
    draft_snapshot,
    group_with_facilitator,
    open_wizard,
    poll_count,
)


@pytest.mark.parametrize(
    ("lookalike", "refusal"),
    [
        ("Y\u0435s", "Options 1 and 3 look the same on a phone"),
        ("Yes\u200b", 'Options 1 and 3 are the same ("Yes")'),  # the hidden space is dropped
        ("\u202eYes", 'Options 1 and 3 are the same ("Yes")'),
    ],
)
async def test_poll_refuses_lookalike_options_kindly(
    bot: SandboxBot, lookalike: str, refusal: str
) -> None:
    circle = await joined_circle(bot)
    await bot.say(circle.fiona, circle.group, f"/poll Meet in June? | Yes | No | {lookalike}")
    assert refusal in bot.last_text(circle.group)
    assert await poll_count(bot) == 0


async def test_poll_stores_no_hidden_characters(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    await bot.say(circle.fiona, circle.group, "/poll Meet in June? | \u202eYes\u200b | No")
    poll = bot.last(circle.group)
    assert "1. Yes\n" in (poll.text or "")
    assert [b.text for row in poll.buttons for b in row][:2] == ["1. Yes", "2. No"]


async def test_guided_setup_refuses_a_lookalike_and_changes_nothing(bot: SandboxBot) -> None:
    fiona, _, group = await group_with_facilitator(bot)
    dm = await open_wizard(bot, fiona, group)
    await bot.press(fiona, bot.last(dm), text="Single choice")
    await bot.say(fiona, dm, "Meet in June?")
    await bot.say(fiona, dm, "Yes\nNo")
    before = await draft_snapshot(bot, fiona)
    for lookalike, refusal in [
        ("Y\u0435s", "“Yеs” and “Yes” look the same on a phone"),
        ("Ｙｅｓ", "“Yes” is already an option"),
        ("Yes\u200b", "“Yes” is already an option"),
        ("\u202eYes", "“Yes” is already an option"),
    ]:
        await bot.say(fiona, dm, f"Maybe\n{lookalike}")
        assert refusal in bot.last_text(dm), bot.last_text(dm)
        assert await draft_snapshot(bot, fiona) == before
    await bot.say(fiona, dm, "\u200b")
    assert "empty" in bot.last_text(dm)
    assert await draft_snapshot(bot, fiona) == before
