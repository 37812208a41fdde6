"""Items for facilitators survive Telegram's bad moments, and the group learns nothing from
their timing: no notice as an item arrives, a retry by the sweep, each sent once."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeMessage
from bot.scheduling.feedback_sweep import sweep
from tests.e2e.feedback_helpers import send_feedback, set_delivery, stored
from tests.e2e.poll_helpers import Circle, context_of, joined_circle

CRISIS = "Some days I want to die"


def to_fiona(bot: SandboxBot, circle: Circle, words: str) -> list[FakeMessage]:
    return [m for m in bot.tg.messages(bot.private(circle.fiona)) if words in (m.text or "")]


async def test_a_timeout_listing_facilitators_is_retried_by_the_sweep(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture
) -> None:
    circle = await joined_circle(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    context_of(bot).facilitators.forget(circle.group.id)  # so Telegram is asked
    bot.tg.faults.inject("getChatAdministrators", "timeout")
    told = await send_feedback(bot, sam, CRISIS)
    assert "marked urgent" in told  # the person is answered; nothing crashed
    assert bot.tg.faults.pending() == 0
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert to_fiona(bot, circle, CRISIS) == []
    await sweep(context_of(bot))
    await sweep(context_of(bot))  # once reached, never again
    (urgent,) = to_fiona(bot, circle, CRISIS)
    assert "URGENT" in (urgent.text or "")
    assert not any(CRISIS in (m.text or "") for m in bot.tg.messages(circle.group))


async def test_a_telegram_500_sending_to_the_facilitator_is_retried_once(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    chat = bot.private(sam)
    await bot.say(sam, chat, "/feedback")
    await bot.say(sam, chat, "The room is too cold")
    bot.tg.faults.inject("sendMessage", "500", times=1)
    await bot.press(sam, bot.last(chat), text="Send")
    assert bot.tg.faults.pending() == 0
    assert to_fiona(bot, circle, "too cold") == []
    # Two sweeps (or two processes) at once: the lease lets one of them send it.
    await asyncio.gather(sweep(context_of(bot)), sweep(context_of(bot)))
    await sweep(context_of(bot))
    (moderation,) = to_fiona(bot, circle, "too cold")
    await bot.press(circle.fiona, moderation, text="Publish in the group")
    assert "Anonymous feedback #1" in bot.last_text(circle.group)
    (item,) = await stored(bot)
    assert item.status == "published"


async def test_a_crisis_in_digest_mode_says_nothing_in_the_group_when_it_arrives(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    await set_delivery(bot, circle, "Once a day")
    sam = circle.members[Role.SERVICE_USER][0]
    circle.fiona.blocked_bot = True  # no facilitator can be reached
    before = len(bot.tg.messages(circle.group))
    at = datetime(2031, 1, 14, 15, 0, tzinfo=UTC)
    with time_machine.travel(at, tick=False):
        await send_feedback(bot, sam, CRISIS)
        await sweep(context_of(bot))
    with time_machine.travel(at + timedelta(hours=2), tick=False):
        await sweep(context_of(bot))
    assert bot.tg.messages(circle.group)[before:] == []
    # The next morning, at the notice hour, a notice that says nothing of what or when.
    with time_machine.travel(at + timedelta(hours=19, minutes=5), tick=False):
        await sweep(context_of(bot))
    (notice,) = bot.tg.messages(circle.group)[before:]
    assert "anonymous feedback is waiting" in (notice.text or "")
    assert "urgent" not in (notice.text or "").lower() and CRISIS not in (notice.text or "")
