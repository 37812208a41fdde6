"""'Close poll' sits where every member's thumb can reach it: it asks first, Yes or No."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.roles import Role
from bot.harness import SandboxBot
from storage.models import Poll
from tests.e2e.poll_helpers import button, joined_circle, post_poll, results_posts, vote


async def status(bot: SandboxBot) -> str:
    async with bot.uow() as uow:
        return str(await uow.session.scalar(select(Poll.status)))


async def test_close_asks_first_and_only_a_facilitators_yes_closes(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    poll = await post_poll(bot, circle, "Meet monthly? | Yes | No")
    sam = circle.members[Role.SERVICE_USER][0]
    assert "organisers" in await vote(bot, sam, poll, "Close poll")  # as before: refused
    before = len(bot.tg.messages(circle.group))
    await vote(bot, circle.fiona, poll, "Close poll")
    assert await status(bot) == "open"  # one press closes nothing
    question = bot.last(circle.group)
    assert len(bot.tg.messages(circle.group)) == before + 1
    assert "Close the poll “Meet monthly?” now?" in (question.text or "")

    # A member's Yes is refused privately; No keeps it open; a facilitator's Yes closes it.
    assert "organisers" in await vote(bot, sam, question, "Yes, close it now")
    await vote(bot, circle.fiona, question, "No, keep it open")
    assert await status(bot) == "open" and "stays open" in (question.text or "")
    await vote(bot, circle.fiona, poll, "Close poll")
    question = bot.last(circle.group)
    yes = button(question, "Yes, close it now")
    assert "closed" in await vote(bot, circle.fiona, question, "Yes, close it now")
    assert await status(bot) == "closed"
    assert "Closed by an organiser" in (question.text or "")
    # A second Yes (a double tap that got through) closes nothing twice.
    answer = await bot.press_raw(circle.fiona, circle.group, question.message_id, yes)
    assert answer is not None and "closed" in str(answer.get("text")).lower()
    assert len(results_posts(bot.tg, circle.group)) == 1
