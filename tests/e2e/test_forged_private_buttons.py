"""Buttons that belong in the private chat do nothing when forged onto a group's message."""

from __future__ import annotations

import pytest

from bot.domain.roles import Role
from bot.harness import SandboxBot
from tests.e2e.poll_helpers import joined_circle, post_poll


@pytest.mark.parametrize("data", ["f:0", "f:1", "r:1:1", "rm:1"])
async def test_private_buttons_pressed_on_a_poll_change_nothing(bot: SandboxBot, data: str) -> None:
    circle = await joined_circle(bot)
    poll = await post_poll(bot, circle, "Meet monthly? | Yes | No")
    before = poll.text
    sam = circle.members[Role.SERVICE_USER][0]
    answer = await bot.press_raw(sam, circle.group, poll.message_id, data)
    assert answer is not None and "no longer in use" in str(answer["text"])
    assert poll.text == before and poll.edit_count == 0
    await bot.say(sam, bot.private(sam), "/mydata")
    assert "you are a service user" in bot.last_text(bot.private(sam))
