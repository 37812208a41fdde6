"""Test-side actions: groups, members, topics, forwards, files, commands, pins."""

from __future__ import annotations

import pytest
from telegram import Bot, BotCommand, BotCommandScopeAllGroupChats, Update
from telegram import InlineKeyboardButton as Btn
from telegram import InlineKeyboardMarkup as Kb
from telegram.error import BadRequest

from bot.sandbox import Button, FakeTelegram, SentFile


async def test_ids_look_like_telegram(tg: FakeTelegram) -> None:
    users = [tg.create_user(f"U{i}") for i in range(5)]
    assert len({u.id for u in users}) == 5
    assert all(u.id > 0 and len(str(u.id)) == 10 for u in users)
    group = tg.create_group("G")
    supergroup = tg.create_group("S", supergroup=True)
    assert group.id < 0
    assert str(supergroup.id).startswith("-100")


async def test_membership_and_admins(tg: FakeTelegram, bot: Bot) -> None:
    owner, admin, member = (tg.create_user(n) for n in ("Owner", "Admin", "Member"))
    group = tg.create_group("G", admins=[owner, admin], members=[member])
    tg.add_bot_to_group(group, by=owner)
    statuses = [(await bot.get_chat_member(group.id, u.id)).status for u in (owner, admin, member)]
    assert statuses == ["creator", "administrator", "member"]
    assert [a.user.id for a in await bot.get_chat_administrators(group.id)] == [owner.id, admin.id]
    tg.make_bot_admin(group)
    admins = await bot.get_chat_administrators(group.id)
    assert admins[-1].user.id == tg.bot_id
    assert await bot.get_chat_member_count(group.id) == 4
    newcomer = tg.create_user("New")
    joined = tg.add_member(group, newcomer)
    assert joined["message"]["new_chat_members"][0]["id"] == newcomer.id
    tg.remove_member(group, member)
    assert (await bot.get_chat_member(group.id, member.id)).status == "left"
    tg.remove_member(group, newcomer, banned=True)
    assert (await bot.get_chat_member(group.id, newcomer.id)).status == "kicked"


async def test_member_changes_reach_admin_bots_that_ask_for_them(tg: FakeTelegram) -> None:
    """As Telegram: `chat_member` only to an admin bot that listed it in allowed_updates; the
    "X left" service message to any bot in the group, unless the group hides it."""
    owner, member, other = (tg.create_user(n) for n in ("Owner", "Member", "Other"))
    group = tg.create_group("G", admins=[owner], members=[member, other])
    tg.add_bot_to_group(group, by=owner)
    tg.allowed_updates = ["message", "chat_member", "my_chat_member"]
    tg.take_updates()

    def kinds() -> list[str]:
        return [next(k for k in u if k != "update_id") for u in tg.take_updates()]

    tg.remove_member(group, member)
    assert kinds() == ["message"]  # a plain member bot: the service message only
    tg.add_member(group, member, announced=False)
    tg.remove_member(group, member, announced=False)
    assert kinds() == []  # and nothing at all when the group hides them
    tg.make_bot_admin(group)
    tg.take_updates()
    tg.remove_member(group, other, banned=True, announced=False)
    update = tg.pending_updates()
    assert kinds() == ["chat_member"]
    assert update[0]["chat_member"]["new_chat_member"]["status"] == "kicked"
    tg.allowed_updates = None  # not asked for by name: never sent
    tg.add_member(group, other, announced=False)
    assert kinds() == []


async def test_topics_and_thread_replies(tg: FakeTelegram, bot: Bot) -> None:
    admin = tg.create_user("Admin")
    forum = tg.create_group("Forum", admins=[admin], forum=True)
    tg.add_bot_to_group(forum, by=admin)
    tg.make_bot_admin(forum)
    topic = tg.create_topic(forum, "Agenda")
    tg.take_updates()
    update = Update.de_json(tg.send_text(admin, forum, "/agenda", thread_id=topic), bot)
    assert update.message is not None
    assert update.message.message_thread_id == topic
    assert update.message.is_topic_message
    await update.message.reply_text("Here it is")  # PTB replies in the same thread
    assert [m.text for m in tg.messages(forum, thread_id=topic)] == ["Here it is"]
    with pytest.raises(BadRequest, match="Message thread not found"):
        await bot.send_message(forum.id, "x", message_thread_id=99999)


async def test_forwarded_copy_keeps_buttons(tg: FakeTelegram, bot: Bot) -> None:
    admin, friend = tg.create_user("Admin"), tg.create_user("Friend")
    group = tg.create_group("G", admins=[admin])
    tg.add_bot_to_group(group, by=admin)
    keyboard = Kb([[Btn("Yes", callback_data="v:1:y"), Btn("Site", url="https://x.org")]])
    await bot.send_message(group.id, "Vote", reply_markup=keyboard)
    original = tg.last_message(group)
    assert original.buttons == [[Button("Yes", "v:1:y"), Button("Site", None, "https://x.org")]]
    tg.start_bot(friend)
    tg.take_updates()
    copy = tg.forward(friend, original, tg.private_chat(friend))
    assert copy.chat_id == friend.id
    assert copy.buttons == original.buttons
    forwarded = tg.take_updates()[0]["message"]
    assert forwarded["forward_origin"]["sender_user"]["id"] == tg.bot_id
    pressed = Update.de_json(tg.press(friend, copy, data="v:1:y"), bot)
    assert pressed.callback_query is not None
    assert pressed.callback_query.message is not None
    assert pressed.callback_query.message.chat.id == friend.id


async def test_press_raw_on_missing_message(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.create_user("Ann")
    tg.start_bot(user)
    update = Update.de_json(tg.press_raw(user, tg.private_chat(user), 777, "forged"), bot)
    assert update.callback_query is not None
    assert update.callback_query.data == "forged"
    assert update.callback_query.message is not None
    assert update.callback_query.message.message_id == 777


async def test_files_sent_by_the_bot(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.create_user("Ann")
    tg.start_bot(user)
    sent = await bot.send_document(
        user.id, b"BEGIN:VCALENDAR", filename="meet.ics", caption="<b>Cal</b>", parse_mode="HTML"
    )
    message = tg.last_message(tg.private_chat(user))
    assert message.document == SentFile("meet.ics", "text/calendar", b"BEGIN:VCALENDAR")
    assert message.caption == "Cal"
    assert sent.document is not None
    # The returned file_id can be sent again.
    await bot.send_document(user.id, sent.document.file_id)
    assert tg.last_message(tg.private_chat(user)).document == message.document
    await bot.send_photo(user.id, b"\xff\xd8jpeg")
    assert tg.last_message(tg.private_chat(user)).photo == b"\xff\xd8jpeg"
    assert await bot.send_chat_action(user.id, "typing")


async def test_user_media_updates_parse(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.create_user("Ann")
    chat = tg.private_chat(user)
    photo = Update.de_json(tg.send_photo(user, chat), bot)
    voice = Update.de_json(tg.send_voice(user, chat), bot)
    doc = Update.de_json(tg.send_document(user, chat, "notes.txt", b"hi"), bot)
    assert photo.message is not None
    assert photo.message.photo
    assert voice.message is not None
    assert voice.message.voice is not None
    assert doc.message is not None
    assert doc.message.document is not None
    assert doc.message.document.file_name == "notes.txt"
    assert user.started_bot  # writing to the bot counts as starting it


async def test_commands_per_scope(tg: FakeTelegram, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Start")])
    await bot.set_my_commands([BotCommand("vote", "Vote")], scope=BotCommandScopeAllGroupChats())
    assert tg.commands("default") == [{"command": "start", "description": "Start"}]
    assert tg.commands("all_group_chats") == [{"command": "vote", "description": "Vote"}]
    assert [c.command for c in await bot.get_my_commands()] == ["start"]
    await bot.delete_my_commands(scope=BotCommandScopeAllGroupChats())
    assert tg.commands("all_group_chats") == []


async def test_pin_needs_admin_and_leave_chat(tg: FakeTelegram, bot: Bot) -> None:
    admin = tg.create_user("Admin")
    group = tg.create_group("G", admins=[admin], supergroup=True)
    tg.add_bot_to_group(group, by=admin)
    sent = await bot.send_message(group.id, "Agenda", disable_notification=True)
    assert tg.last_message(group).silent
    with pytest.raises(BadRequest, match="Not enough rights"):
        await bot.pin_chat_message(group.id, sent.message_id)
    tg.make_bot_admin(group)
    assert await bot.pin_chat_message(group.id, sent.message_id)
    chat = await bot.get_chat(group.id)
    assert chat.pinned_message is not None
    assert chat.pinned_message.text == "Agenda"
    assert await bot.unpin_chat_message(group.id)
    assert await bot.leave_chat(group.id)
    with pytest.raises(Exception, match="not a member"):
        await bot.send_message(group.id, "still here?")


async def test_reply_parameters(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.create_user("Ann")
    tg.start_bot(user)
    first = await bot.send_message(user.id, "one")
    second = await bot.send_message(user.id, "two", reply_to_message_id=first.message_id)
    assert second.reply_to_message is not None
    assert second.reply_to_message.message_id == first.message_id
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(user.id, "three", reply_to_message_id=999)
