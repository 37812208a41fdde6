"""The same update delivered twice (a webhook retry, a replica, a restart) has one effect."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot.domain.poll_rules import PollKind, validate_draft
from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeMessage
from bot.scheduling.housekeeping import forget_old_claims
from bot.scheduling.poll_jobs import post_poll as post_poll_message
from bot.services import groups, polls, replays
from bot.services.replays import KEEP_CLAIMS
from storage.models import Ballot, Feedback, Poll, ProcessedUpdate
from tests.conftest import make_settings
from tests.e2e.feedback_helpers import set_delivery, write
from tests.e2e.poll_helpers import Circle, button, context_of, joined_circle, post_poll

SMALL = {Role.SERVICE_USER: 3, Role.CARER: 3, Role.STAFF: 3}


async def _count(bot: SandboxBot, model: type[Poll] | type[Ballot] | type[Feedback]) -> int:
    async with bot.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_poll_command_delivered_twice_posts_one_poll(bot_on: SandboxBot) -> None:
    bot = bot_on
    circle = await joined_circle(bot, SMALL)
    update = bot.tg.send_text(circle.fiona, circle.group, "/poll Where next? | Library | Park")
    await bot.deliver()
    posted = len(bot.tg.messages(circle.group))
    await bot.feed(update)  # Telegram retries: the answer to the first delivery was lost
    assert await _count(bot, Poll) == 1
    assert len(bot.tg.messages(circle.group)) == posted


async def test_a_replayed_press_does_not_undo_a_later_change_of_mind(bot: SandboxBot) -> None:
    circle = await joined_circle(bot, SMALL)
    poll = await post_poll(bot, circle, "Where next? | Library | Park")
    sam = circle.members[Role.CARER][0]
    first = bot.tg.press(sam, poll, data=button(poll, "Library"))
    await bot.deliver()
    await bot.press(sam, poll, data=button(poll, "Park"))
    answers = len(bot.tg.calls_to("answerCallbackQuery"))
    await bot.feed(first)  # the Library press arrives again, after Sam chose Park
    async with bot.uow() as uow:
        choices = list(await uow.session.scalars(select(Ballot.choices)))
    assert choices == [0b10], "Park stands, counted once"
    assert len(bot.tg.calls_to("answerCallbackQuery")) == answers, "no second answer"


async def test_a_replayed_send_posts_one_feedback(bot: SandboxBot) -> None:
    circle = await joined_circle(bot, SMALL)
    await set_delivery(bot, circle, "Straight to the group")
    sam = circle.members[Role.SERVICE_USER][0]
    preview = await write(bot, sam, "The room was too cold on Tuesday.")
    send = bot.tg.press(sam, preview, text="Send")
    await bot.deliver()
    group_messages = len(bot.tg.messages(circle.group))
    await bot.feed(send)
    assert await _count(bot, Feedback) == 1
    assert len(bot.tg.messages(circle.group)) == group_messages


async def test_two_replicas_given_the_same_update_act_once(bot_on: SandboxBot) -> None:
    """A second Application on the same database, as another replica behind a balancer.
    Ballot presses too, on PostgreSQL: replicas share PostgreSQL, never an SQLite file."""
    bot = bot_on
    circle = await joined_circle(bot, SMALL)
    poll = await post_poll(bot, circle, "Where next? | Library | Park")
    other_settings = make_settings(bot.tg, bot.settings.database_url)
    async with SandboxBot(bot.tg, other_settings) as replica:
        command = bot.tg.send_text(circle.fiona, circle.group, "/poll Lunch? | Soup | Salad")
        press = bot.tg.press(circle.members[Role.STAFF][0], poll, data=button(poll, "Park"))
        bot.tg.take_updates()  # delivered by hand below, to both replicas at once
        before = len(bot.tg.messages(circle.group))
        await asyncio.gather(bot.feed(command), replica.feed(command))
        assert await _count(bot, Poll) == 2
        assert len(bot.tg.messages(circle.group)) == before + 1
        if bot.settings.is_sqlite:
            return
        await asyncio.gather(bot.feed(press), replica.feed(press))
        assert await _count(bot, Ballot) == 1
        query_id = press["callback_query"]["id"]
        answers = [
            c for c in bot.tg.calls_to("answerCallbackQuery") if c["callback_query_id"] == query_id
        ]
        assert len(answers) == 1


async def test_a_tick_sent_again_after_a_restart_is_not_undone(bot_on: SandboxBot) -> None:
    """A multiple-choice tick toggles: handled again it would untick. After a restart
    Telegram sends again what it had not confirmed; every press's claim is in the database,
    so nothing the restarted process forgot matters."""
    bot = bot_on
    circle = await joined_circle(bot, SMALL)
    message = await _multiple_choice(bot, circle)
    sam = circle.members[Role.CARER][0]
    ticks = [bot.tg.press(sam, message, data=button(message, label)) for label in ("Mon", "Tue")]
    await bot.deliver()
    async with bot.uow() as uow:
        assert list(await uow.session.scalars(select(Ballot.choices))) == [0b011]
    for tick in ticks:
        await bot.feed(tick)
    async with bot.uow() as uow:
        assert list(await uow.session.scalars(select(Ballot.choices))) == [0b011]


async def _multiple_choice(bot: SandboxBot, circle: Circle) -> FakeMessage:
    async with bot.uow() as uow:
        info = await groups.find_group(uow, circle.group.id)
        assert info is not None
        draft = validate_draft("Which days?", ["Mon", "Tue", "Wed"], PollKind.MULTIPLE)
        poll_id = await polls.create_poll(uow, info.id, draft, now=datetime.now(UTC))
        await uow.commit()
    assert await post_poll_message(context_of(bot), info, poll_id, thread_id=None)
    return bot.last(circle.group)


async def test_claims_are_forgotten_after_two_days_and_only_then(bot: SandboxBot) -> None:
    sam = bot.tg.create_user("Sam")
    await bot.start(sam)
    now = datetime.now(UTC)
    async with bot.uow() as uow:
        claims = (
            await uow.session.execute(select(ProcessedUpdate.update_id, ProcessedUpdate.seen_at))
        ).all()
        assert claims, "the /start update was claimed"
        assert all(seen.minute == 0 and seen.second == 0 for _, seen in claims), "to the hour"
        uow.session.add(
            ProcessedUpdate(bot_id=bot.app.bot.id, update_id=1, seen_at=now - KEEP_CLAIMS * 2)
        )
        await uow.commit()
    assert await forget_old_claims(context_of(bot)) == 1
    async with bot.uow() as uow:
        left = (
            await uow.session.execute(select(ProcessedUpdate.update_id, ProcessedUpdate.seen_at))
        ).all()
    assert {update_id for update_id, _ in left} == {update_id for update_id, _ in claims}
    assert all(now - seen < timedelta(hours=2) for _, seen in left)


async def test_a_claim_that_fails_is_not_an_apology_for_what_was_done(
    bot: SandboxBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The database hiccups while claiming: the update is handled (unclaimed), once, and the
    person is not told "something went wrong" about a poll that was posted."""
    circle = await joined_circle(bot, SMALL)
    real = replays.first_delivery

    async def broken(*args: Any, **kwargs: Any) -> bool:
        monkeypatch.setattr(replays, "first_delivery", real)  # just this once
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(replays, "first_delivery", broken)
    await bot.say(circle.fiona, circle.group, "/poll Where next? | Library | Park")
    assert await _count(bot, Poll) == 1
    assert not [m for m in bot.tg.messages(circle.group) if "went wrong" in (m.text or "")]
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert "handling it unclaimed: OperationalError" in caplog.text
