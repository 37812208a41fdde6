"""Each Telegram error reaches PTB as the exception PTB raises for the real one."""

from __future__ import annotations

import datetime as dt

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, RetryAfter

from bot.sandbox import FakeTelegram, SandboxRequest
from bot.sandbox.errors import NOT_MODIFIED


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in pairs]])


async def test_get_me_identity(tg: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == tg.bot_id == 123456
    assert me.username == "equalsay_bot"
    assert me.first_name == "Equal Say"
    assert me.can_join_groups is True


async def test_wrong_token_is_unauthorized(tg: FakeTelegram) -> None:
    bad = Bot("999:WRONG", request=SandboxRequest(tg))
    with pytest.raises(InvalidToken):
        await bad.initialize()
    assert await tg.call("getMe", {}, token="999:WRONG") == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )


async def test_unknown_method_is_404(tg: FakeTelegram) -> None:
    status, body = await tg.call("sendDice", {"chat_id": 1})
    assert (status, body["description"]) == (404, "Not Found: method not found")


async def test_text_limits(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.create_user("Ann")
    tg.start_bot(user)
    await bot.send_message(user.id, "x" * 4096)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(user.id, "x" * 4097)
    # 2048 emoji are 4096 UTF-16 code units; one more is too long.
    await bot.send_message(user.id, "😀" * 2048)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(user.id, "😀" * 2048 + "x")
    # The limit applies after entity parsing: markup does not count.
    await bot.send_message(user.id, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(user.id, "<b> </b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_document(user.id, b"x", filename="a.txt", caption="c" * 1025)


async def test_bad_html_and_button_data(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.create_user("Ann")
    tg.start_bot(user)
    with pytest.raises(BadRequest, match="Can't parse entities: unsupported start tag"):
        await bot.send_message(user.id, "<p>hi</p>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(user.id, "vote", reply_markup=keyboard(("Yes", "x" * 65)))
    # 64 bytes is the limit in UTF-8 bytes, not characters.
    await bot.send_message(user.id, "vote", reply_markup=keyboard(("Yes", "x" * 64)))
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(user.id, "vote", reply_markup=keyboard(("Yes", "é" * 33)))


async def test_edit_not_modified_and_history(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.create_user("Ann")
    tg.start_bot(user)
    sent = await bot.send_message(user.id, "Yes: 0", reply_markup=keyboard(("Yes", "v:1")))
    with pytest.raises(BadRequest) as caught:
        await bot.edit_message_text(
            "Yes: 0", user.id, sent.message_id, reply_markup=keyboard(("Yes", "v:1"))
        )
    assert caught.value.message == NOT_MODIFIED.removeprefix("Bad Request: ").capitalize()
    await bot.edit_message_text(
        "Yes: 1", user.id, sent.message_id, reply_markup=keyboard(("Yes", "v:1"))
    )
    # Editing the text without reply_markup removes the keyboard, as on Telegram.
    await bot.edit_message_text("Yes: 1", user.id, sent.message_id)
    message = tg.last_message(tg.private_chat(user))
    assert message.text == "Yes: 1"
    assert message.history == ["Yes: 0", "Yes: 1"]
    assert message.edit_count == 2
    assert message.buttons == []
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(user.id, sent.message_id, reply_markup=None)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", user.id, 999)


async def test_delete_and_chat_not_found(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.create_user("Ann")
    tg.start_bot(user)
    sent = await bot.send_message(user.id, "bye")
    assert await bot.delete_message(user.id, sent.message_id)
    assert tg.messages(tg.private_chat(user)) == []
    assert tg.messages(tg.private_chat(user), include_deleted=True)[0].deleted
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(user.id, sent.message_id)
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(-42, "hello")


async def test_callback_query_answered_once(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.create_user("Ann")
    tg.start_bot(user)
    await bot.send_message(user.id, "vote", reply_markup=keyboard(("Yes", "v:1:y")))
    update = tg.press(user, tg.last_message(tg.private_chat(user)), text="Yes")
    query_id = update["callback_query"]["id"]
    assert tg.unanswered_callbacks() == [update["callback_query"]]
    assert update["callback_query"]["data"] == "v:1:y"
    with pytest.raises(BadRequest, match="Message_too_long"):
        await bot.answer_callback_query(query_id, text="x" * 201)
    await bot.answer_callback_query(query_id, text="Counted", show_alert=True)
    assert tg.callback_answer(query_id) == {
        "text": "Counted",
        "show_alert": True,
        "url": None,
        "cache_time": None,
    }
    assert tg.unanswered_callbacks() == []
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("123")


async def test_press_unknown_button_is_a_clear_assertion(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.create_user("Ann")
    tg.start_bot(user)
    await bot.send_message(user.id, "vote", reply_markup=keyboard(("Yes", "v:1:y")))
    with pytest.raises(AssertionError, match="no button text='No'"):
        tg.press(user, tg.last_message(tg.private_chat(user)), text="No")


async def test_forbidden_cases(tg: FakeTelegram, bot: Bot) -> None:
    stranger = tg.create_user("Stranger")
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(stranger.id, "hi")
    fan = tg.create_user("Fan")
    tg.start_bot(fan)
    tg.block_bot(fan)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(fan.id, "hi")
    admin = tg.create_user("Admin")
    group = tg.create_group("G", admins=[admin])
    tg.add_bot_to_group(group, by=admin)
    await bot.send_message(group.id, "hello")
    tg.remove_bot_from_group(group, by=admin)
    with pytest.raises(Forbidden, match="bot was kicked from the group chat"):
        await bot.send_message(group.id, "hello")
    supergroup = tg.create_group("S", admins=[admin], supergroup=True)
    tg.add_bot_to_group(supergroup, by=admin)
    tg.remove_bot_from_group(supergroup, by=admin)
    with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
        await bot.send_message(supergroup.id, "hello")


async def test_group_upgrade_gives_chat_migrated(tg: FakeTelegram, bot: Bot) -> None:
    admin, member = tg.create_user("Admin"), tg.create_user("Member")
    group = tg.create_group("G", admins=[admin], members=[member])
    tg.add_bot_to_group(group, by=admin)
    tg.take_updates()
    new = tg.upgrade_to_supergroup(group)
    assert str(new.id).startswith("-100")
    updates = tg.take_updates()
    assert updates[0]["message"]["migrate_to_chat_id"] == new.id
    assert updates[1]["message"]["migrate_from_chat_id"] == group.id
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(group.id, "hello")
    assert caught.value.new_chat_id == new.id
    await bot.send_message(new.id, "hello again")
    member_info = await bot.get_chat_member(new.id, member.id)
    assert member_info.status == "member"
    assert (await bot.get_chat_member(new.id, admin.id)).status == "creator"


async def test_flood_429_reaches_ptb_as_retry_after(
    tg: FakeTelegram, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # retry_after as timedelta, without deprecation
    admin = tg.create_user("Admin")
    group = tg.create_group("G", admins=[admin])
    tg.add_bot_to_group(group, by=admin)
    sent = await bot.send_message(group.id, "votes: 0")

    async def edit_forty_times() -> None:
        for count in range(1, 41):
            await bot.edit_message_text(f"votes: {count}", group.id, sent.message_id)

    with pytest.raises(RetryAfter) as caught:
        await edit_forty_times()
    assert tg.last_message(group).edit_count == 19  # the send plus 19 edits fill the 20
    retry_after = caught.value.retry_after
    assert isinstance(retry_after, dt.timedelta)
    assert retry_after.total_seconds() >= 1
    status, body = await tg.call(
        "editMessageText", {"chat_id": group.id, "message_id": sent.message_id, "text": "z"}
    )
    assert status == 429
    assert (
        body["description"] == f"Too Many Requests: retry after {body['parameters']['retry_after']}"
    )
