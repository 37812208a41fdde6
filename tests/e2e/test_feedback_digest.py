"""The daily digest: collected, posted together at the group's hour, exactly once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import time_machine

from bot.config import Settings
from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeTelegram
from bot.scheduling.feedback_sweep import sweep
from tests.e2e.feedback_helpers import posted, send_feedback, set_delivery, stored
from tests.e2e.poll_helpers import context_of, joined_circle


async def test_the_digest_posts_at_its_hour_with_a_frozen_clock(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    settings = await set_delivery(bot, circle, "Once a day")
    await bot.press(circle.fiona, settings, text="20:00")
    assert "Once a day, at 20:00" in bot.last_text(circle.group)
    # 10:00 in London in winter (GMT): the digest is due at 20:00 the same day.
    morning = datetime(2031, 1, 14, 10, 0, tzinfo=UTC)
    with time_machine.travel(morning, tick=False):
        told = await send_feedback(bot, circle.members[Role.CARER][0], "First thought")
        assert "at 20:00" in told
        await send_feedback(bot, circle.members[Role.STAFF][0], "Second thought")
    assert bot.app.job_queue is not None
    (alarm,) = bot.app.job_queue.get_jobs_by_name(f"feedback-digest:{(await _group_id(bot))}")
    assert alarm.next_t is not None
    assert alarm.next_t == datetime(2031, 1, 14, 20, 0, tzinfo=UTC)

    with time_machine.travel(morning + timedelta(hours=9, minutes=59), tick=False):
        await sweep(context_of(bot))
    assert posted(bot, circle) == []
    with time_machine.travel(morning + timedelta(hours=10, seconds=1), tick=False):
        await sweep(context_of(bot))
        await sweep(context_of(bot))  # a second sweep (or a second process) posts nothing more
    texts = posted(bot, circle)
    assert len(texts) == 2
    assert {t.split("\n\n", 1)[1] for t in texts} == {"First thought", "Second thought"}
    assert {t.split("\n", 1)[0] for t in texts} == {
        "Anonymous feedback #1",
        "Anonymous feedback #2",
    }
    headers = [m for m in bot.tg.messages(circle.group) if "since the last time" in (m.text or "")]
    assert len(headers) == 1
    assert {item.status for item in await stored(bot)} == {"published"}


async def test_two_sweeps_waking_together_post_one_header_for_every_item(bot: SandboxBot) -> None:
    """Two sweeps at the digest hour (the job and the minute sweep, or two replicas) share the
    round: one header that counts every item, never a header each for half of them."""
    circle = await joined_circle(bot)
    settings = await set_delivery(bot, circle, "Once a day")
    await bot.press(circle.fiona, settings, text="20:00")
    morning = datetime(2031, 1, 14, 10, 0, tzinfo=UTC)
    with time_machine.travel(morning, tick=False):
        for number, person in enumerate(circle.members[Role.CARER] + circle.members[Role.STAFF]):
            await send_feedback(bot, person, f"Thought {number}")
    with time_machine.travel(morning + timedelta(hours=10, seconds=1), tick=False):
        await asyncio.gather(*(sweep(context_of(bot)) for _ in range(3)))
    headers = [
        m.text for m in bot.tg.messages(circle.group) if "since the last time" in (m.text or "")
    ]
    items = posted(bot, circle)
    assert len(headers) == 1
    assert f"{len(items)} messages since the last time" in str(headers[0])
    assert len(items) == len(circle.members[Role.CARER] + circle.members[Role.STAFF])
    # The round is given back: tomorrow's digest is not held up by today's.
    async with bot.uow() as uow:
        assert (await uow.feedback.settings(await _group_id(bot))).digest_lease is None


async def _group_id(bot: SandboxBot) -> int:
    from sqlalchemy import select

    from storage.models import Group

    async with bot.uow() as uow:
        return int(await uow.session.scalar(select(Group.id)) or 0)


async def test_a_digest_missed_while_the_bot_was_down_is_posted_on_start(
    tg: FakeTelegram, settings: Settings
) -> None:
    start = datetime.now(UTC)
    async with SandboxBot(tg, settings) as first:
        circle = await joined_circle(first)
        await set_delivery(first, circle, "Once a day")
        await send_feedback(first, circle.members[Role.CARER][0], "While you were away")
        (item,) = await stored(first)
        assert item.status == "queued"
    with time_machine.travel(start + timedelta(days=1, hours=1), tick=False):
        async with SandboxBot(tg, settings) as second:
            # On start the sweep runs at once and posts what fell due.
            assert posted(second, circle) == ["Anonymous feedback #1\n\nWhile you were away"]
