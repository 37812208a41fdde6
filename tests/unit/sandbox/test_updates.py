"""getUpdates semantics: offset confirms, limit, long-poll timeout, allowed_updates."""

from __future__ import annotations

import asyncio
import time

from telegram import Bot, Update

from bot.sandbox import FakeTelegram


async def test_offset_confirms_and_limit(tg: FakeTelegram, bot: Bot) -> None:
    users = [tg.create_user(f"U{i}") for i in range(3)]
    sent = [tg.start_bot(u) for u in users]
    ids = [u["update_id"] for u in sent]
    assert ids == sorted(ids)
    assert len(set(ids)) == 3
    first = await bot.get_updates(limit=2)
    assert [u.update_id for u in first] == ids[:2]
    # Without an offset nothing is confirmed: the same updates come again.
    assert [u.update_id for u in await bot.get_updates()] == ids
    rest = await bot.get_updates(offset=ids[1] + 1)
    assert [u.update_id for u in rest] == ids[2:]
    assert await bot.get_updates(offset=ids[2] + 1) == ()
    assert tg.pending_updates() == []


async def test_long_poll_returns_when_an_update_arrives(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.create_user("Late")

    async def later() -> None:
        await asyncio.sleep(0.05)
        tg.start_bot(user)

    task = asyncio.create_task(later())
    started = time.monotonic()
    updates = await bot.get_updates(timeout=5)
    await task
    assert time.monotonic() - started < 2
    assert updates[0].message is not None
    assert updates[0].message.text == "/start"


async def test_long_poll_times_out_empty(tg: FakeTelegram, bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert time.monotonic() - started >= 0.9


async def test_allowed_updates_filter(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.create_user("Ann")
    tg.start_bot(user)
    tg.block_bot(user)  # a my_chat_member update
    updates = await bot.get_updates(allowed_updates=["message"])
    assert [u.message is not None for u in updates] == [True]


async def test_take_updates_feeds_ptb_directly(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.create_user("Ann", "ann")
    returned = tg.start_bot(user, payload="g-12")
    queued = tg.take_updates()
    assert queued == [returned]
    assert tg.take_updates() == []
    update = Update.de_json(queued[0], bot)
    assert update.message is not None
    assert update.message.text == "/start g-12"
    assert update.message.entities[0].type == "bot_command"
    assert update.effective_user is not None
    assert update.effective_user.username == "ann"


async def test_privacy_mode_hides_plain_group_chatter(tg: FakeTelegram, bot: Bot) -> None:
    admin, member = tg.create_user("Admin"), tg.create_user("Member")
    group = tg.create_group("G", admins=[admin], members=[member])
    added = tg.add_bot_to_group(group, by=admin)
    assert [next(k for k in u if k != "update_id") for u in added] == ["my_chat_member", "message"]
    assert added[1]["message"]["new_chat_members"][0]["id"] == tg.bot_id
    tg.take_updates()
    tg.send_text(member, group, "just chatting")
    tg.send_text(member, group, "/vote@equalsay_bot now")
    tg.send_text(member, group, "/other@another_bot")
    seen = [u["message"]["text"] for u in tg.take_updates()]
    assert seen == ["/vote@equalsay_bot now"]
    tg.make_bot_admin(group)
    tg.take_updates()
    tg.send_text(member, group, "admins see everything")
    assert [u["message"]["text"] for u in tg.take_updates()] == ["admins see everything"]
    assert len(tg.messages(group, from_bot=False)) == 5  # the join notice and 4 texts


async def test_edited_message_update(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.create_user("Ann")
    tg.start_bot(user)
    tg.send_text(user, tg.private_chat(user), "helo")
    message = tg.messages(tg.private_chat(user), from_bot=False)[-1]
    update = tg.edit_user_message(user, message, "hello")
    parsed = Update.de_json(update, bot)
    assert parsed.edited_message is not None
    assert parsed.edited_message.text == "hello"
    assert message.history == ["helo"]
