"""People who join the group later are greeted: one short welcome with Join, coalesced, with
an offer to pin it where the bot may pin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from telegram import Update

from bot.context import AppContext
from bot.harness import SandboxBot
from bot.sandbox import FakeMessage
from tests.e2e.poll_helpers import Circle, button, joined_circle

WELCOME = "Press Join to choose your role"


@pytest.fixture
async def circle(bot: SandboxBot) -> Circle:
    return await joined_circle(bot)


def welcomes(bot: SandboxBot, circle: Circle) -> list[FakeMessage]:
    return [m for m in bot.tg.messages(circle.group) if WELCOME in (m.text or "")]


async def run_pending_welcomes(bot: SandboxBot) -> None:
    """What the JobQueue does when the window is over."""
    assert bot.app.job_queue is not None
    for job in bot.app.job_queue.jobs():
        if job.name and job.name.startswith("welcome:"):
            job.schedule_removal()
            await job.callback(AppContext.from_job(job, bot.app))


async def test_a_newcomer_is_welcomed_with_the_join_button_that_works(
    bot: SandboxBot, circle: Circle
) -> None:
    nadia = bot.tg.create_user("Nadia")
    bot.tg.add_member(circle.group, nadia)
    await bot.deliver()
    [welcome] = welcomes(bot, circle)
    assert "Co-production" in (welcome.text or "")
    assert "Nadia" not in (welcome.text or "")  # nobody is named
    labels = [b.text for b in welcome.all_buttons()]
    assert "Join" in labels and not [x for x in labels if "Pin" in x]  # the bot may not pin
    await bot.follow_join(nadia, welcome)
    assert "Which role fits you" in bot.last_text(bot.private(nadia))


async def test_arrivals_close_together_share_one_welcome_and_bots_get_none(
    bot: SandboxBot, circle: Circle
) -> None:
    # Where the bot is an admin Telegram also sends chat_member updates: same arrival, twice.
    bot.tg.allowed_updates = list(Update.ALL_TYPES)
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False):
        robot = bot.tg.create_user("Robot")
        robot.is_bot = True
        bot.tg.add_member(circle.group, robot)
        await bot.deliver()
        assert welcomes(bot, circle) == []
        for name in ("Ann", "Ben", "Cat"):
            bot.tg.add_member(circle.group, bot.tg.create_user(name))
        await bot.deliver()
        assert len(welcomes(bot, circle)) == 1  # Ann at once; Ben and Cat wait
        await run_pending_welcomes(bot)  # too early: the window is still open
        assert len(welcomes(bot, circle)) == 1
    with time_machine.travel(start + timedelta(minutes=5, seconds=1), tick=False):
        await run_pending_welcomes(bot)
    assert len(welcomes(bot, circle)) == 2  # Ben and Cat together, five minutes on


async def test_one_arrival_told_twice_is_welcomed_once(bot: SandboxBot, circle: Circle) -> None:
    bot.tg.allowed_updates = list(Update.ALL_TYPES)  # chat_member and the "joined" message
    bot.tg.add_member(circle.group, bot.tg.create_user("Dee"))
    await bot.deliver()
    await run_pending_welcomes(bot)
    assert len(welcomes(bot, circle)) == 1
    assert bot.app.job_queue is not None
    assert not [j for j in bot.app.job_queue.jobs() if (j.name or "").startswith("welcome:")]


async def test_a_facilitator_can_pin_the_welcome_where_the_bot_may_pin(
    bot: SandboxBot, circle: Circle
) -> None:
    bot.tg.make_bot_admin(circle.group)
    bot.tg.add_member(circle.group, bot.tg.create_user("Eve"))
    await bot.deliver()
    [welcome] = welcomes(bot, circle)
    pin = button(welcome, "Pin this message")
    member = circle.everyone()[0]
    answer = await bot.press(member, welcome, data=pin)
    assert answer is not None and "organisers" in str(answer.get("text"))
    chat = bot.tg.chats[circle.group.id]
    assert chat.pinned == []
    # Forged onto another message of the bot's (a poll, say), it pins nothing.
    await bot.say(circle.fiona, circle.group, "/poll Tea? | Yes | No")
    poll = bot.last(circle.group)
    await bot.press_raw(circle.fiona, circle.group, poll.message_id, pin)
    assert chat.pinned == []
    answer = await bot.press(circle.fiona, welcome, data=pin)
    assert answer is not None and "Pinned" in str(answer.get("text"))
    assert chat.pinned == [welcome.message_id]
    current = bot.tg.find_message(circle.group.id, welcome.message_id)
    assert current is not None
    labels = [b.text for b in current.all_buttons()]
    assert "Join" in labels and not [x for x in labels if "Pin" in x]
