"""Found by trying it as a new user would (issue 18, section 5): a double tap on Send or
Publish leaves what was done in place, a long item keeps its "Published in" line, and
rejected and urgent texts are not kept for ever."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeChat, FakeMessage, FakeTelegram, FakeUser
from bot.scheduling.housekeeping import forget_old_feedback_texts, housekeep
from tests.conftest import make_settings
from tests.e2e.feedback_helpers import labels, posted, stored, write
from tests.e2e.poll_helpers import button, context_of, joined_circle
from tests.e2e.privacy_helpers import sqlite_files


def for_fiona(bot: SandboxBot, chat: FakeChat, words: str) -> list[FakeMessage]:
    return [m for m in bot.tg.messages(chat) if words in (m.text or "")]


async def test_a_double_tapped_send_stores_once_and_leaves_sent_in_place(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    preview = await write(bot, sam, "The lift is broken again")
    send, cancel = button(preview, "Send"), button(preview, "Cancel")
    # Both taps are on their way before the bot sees the first.
    first = bot.tg.press(sam, preview, data=send)
    second = bot.tg.press(sam, preview, data=send)
    await bot.deliver()
    assert len(await stored(bot)) == 1
    shown = bot.tg.find_message(preview.chat_id, preview.message_id)
    assert shown is not None
    assert "Sent" in (shown.text or "") and "nothing was sent" not in (shown.text or "")
    answers = [bot.tg.callback_answer(u["callback_query"]["id"]) for u in (first, second)]
    assert answers[0] is not None and answers[0]["text"] == "Sent"
    assert answers[1] is not None and "Already sent" in str(answers[1]["text"])
    # Cancel pressed a moment later on the same preview: still "Sent", nothing cancelled.
    await bot.press_raw(sam, bot.private(sam), preview.message_id, cancel)
    shown = bot.tg.find_message(preview.chat_id, preview.message_id)
    assert shown is not None and "Sent" in (shown.text or "")
    # A preview that was never sent still says so.
    old = await write(bot, sam, "Another thought")
    await write(bot, sam, "A better thought")
    await bot.press_raw(sam, bot.private(sam), old.message_id, button(old, "Send"))
    shown = bot.tg.find_message(old.chat_id, old.message_id)
    assert shown is not None and "nothing was sent" in (shown.text or "")
    assert len(await stored(bot)) == 1


async def test_a_double_tapped_publish_keeps_published_and_another_facilitator_is_told(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    gita = bot.tg.create_user("Gita")  # a second facilitator
    circle.group.statuses[gita.id] = "administrator"
    await bot.start(gita)
    sam = circle.members[Role.SERVICE_USER][0]
    preview = await write(bot, sam, "More evening sessions please")
    await bot.press(sam, preview, text="Send")
    fiona_chat, gita_chat = bot.private(circle.fiona), bot.private(gita)
    (copy,) = for_fiona(bot, fiona_chat, "More evening sessions please")
    publish = button(copy, "Publish")
    reject = button(copy, "Reject")  # the same data is on every organiser's copy
    first = bot.tg.press(circle.fiona, copy, data=publish)
    second = bot.tg.press(circle.fiona, copy, data=publish)
    await bot.deliver()
    assert posted(bot, circle) == ["Anonymous feedback #1\n\nMore evening sessions please"]
    shown = bot.tg.find_message(copy.chat_id, copy.message_id)
    assert shown is not None
    text = shown.text or ""
    assert "Published in Co-production as Anonymous feedback #1" in text
    assert "Another facilitator" not in text
    answers = [bot.tg.callback_answer(u["callback_query"]["id"]) for u in (first, second)]
    assert answers[0] is not None and answers[0]["text"] == "Published"
    assert answers[1] is not None and "Already published" in str(answers[1]["text"])
    # Gita's copy lost its buttons and says it was dealt with; a Reject pressed on it before
    # it changed (sent again, as a slow phone does) is told so too.
    (theirs,) = for_fiona(bot, gita_chat, "More evening sessions please")
    shown = bot.tg.find_message(theirs.chat_id, theirs.message_id)
    assert shown is not None and "Another organiser dealt with this" in (shown.text or "")
    assert shown.buttons == []
    answer = await bot.press_raw(gita, gita_chat, theirs.message_id, reject)
    assert answer is not None and "already dealt with" in str(answer["text"])
    shown = bot.tg.find_message(theirs.chat_id, theirs.message_id)
    assert shown is not None and "already dealt with" in (shown.text or "")
    assert posted(bot, circle) == ["Anonymous feedback #1\n\nMore evening sessions please"]


async def test_a_long_item_split_for_the_facilitator_keeps_its_published_line(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    # 2,000 characters that Telegram counts twice (each is two UTF-16 units): too long for
    # one message with its heading and buttons.
    long_text = "🙂" * 1990 + " the end"
    fiona_chat = bot.private(circle.fiona)
    before = len(bot.tg.messages(fiona_chat))
    await write(bot, sam, long_text)
    await bot.press(sam, bot.last(bot.private(sam)), text="Send")
    copy = bot.tg.messages(fiona_chat)[before:]
    assert len(copy) >= 2  # the text, then what to do with it
    assert [labels(m) for m in copy][-1] == ["Publish in the group", "Reject"]
    assert all(not labels(m) for m in copy[:-1])
    await bot.press(circle.fiona, copy[-1], text="Publish in the group")
    assert posted(bot, circle) == [f"Anonymous feedback #1\n\n{long_text}"]
    shown = [bot.tg.find_message(m.chat_id, m.message_id) for m in copy]
    assert shown[-1] is not None
    assert "Published in Co-production as Anonymous feedback #1" in (shown[-1].text or "")
    # The text is all still there for the facilitator, once.
    together = "".join((m.text or "") for m in shown if m is not None)
    assert together.count("🙂") == 1990 and together.count("the end") == 1


async def _item_with(bot: SandboxBot, user: FakeUser, text: str) -> None:
    await write(bot, user, text)
    await bot.press(user, bot.last(bot.private(user)), text="Send")


async def test_rejected_and_urgent_texts_are_deleted_after_the_retention_period(
    tg: FakeTelegram, sqlite_url: str
) -> None:
    settings = make_settings(tg, sqlite_url, feedback_retention_days=30)
    async with SandboxBot(tg, settings) as bot:
        circle = await joined_circle(bot)
        sam, cara = circle.members[Role.SERVICE_USER][0], circle.members[Role.CARER][0]
        await _item_with(bot, sam, "Rejected words about the garden")
        await _item_with(bot, cara, "Published words about the bus")
        await _item_with(bot, sam, "Urgent words: I want to die")
        await _item_with(bot, cara, "Pending words about parking")
        fiona_chat = bot.private(circle.fiona)
        (garden,) = for_fiona(bot, fiona_chat, "Rejected words")
        await bot.press(circle.fiona, garden, text="Reject")
        (bus,) = for_fiona(bot, fiona_chat, "Published words")
        await bot.press(circle.fiona, bus, text="Publish in the group")
        before = {item.status: item.text for item in await stored(bot)}
        assert set(before) == {"rejected", "published", "urgent", "pending"}

        # Not yet: 29 days on, everything is as it was.
        with time_machine.travel(datetime.now(UTC) + timedelta(days=29), tick=False):
            assert await forget_old_feedback_texts(context_of(bot)) == 0
        # 31 days on, the rejected and urgent texts go; the rows keep their status.
        with time_machine.travel(datetime.now(UTC) + timedelta(days=31), tick=False):
            await housekeep(context_of(bot))
            assert await forget_old_feedback_texts(context_of(bot)) == 0  # once
        after = {item.status: (item.text, item.role_tag) for item in await stored(bot)}
        assert after == {
            "rejected": ("", None),
            "urgent": ("", None),
            "published": ("Published words about the bus", None),
            "pending": ("Pending words about parking", None),
        }
        # Gone from the database's files too, write-ahead log included.
        for path in sqlite_files(sqlite_url):
            data = path.read_bytes()
            assert b"Rejected words" not in data and b"Urgent words" not in data, path.name


async def test_by_default_rejected_and_urgent_texts_are_kept_90_days(bot: SandboxBot) -> None:
    """FEEDBACK_RETENTION_DAYS unset: 90 days, as the issue and README say."""
    assert bot.settings.feedback_retention_days == 90
    circle = await joined_circle(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    await _item_with(bot, sam, "Rejected words about the lift")
    await _item_with(bot, sam, "Urgent words: I want to die")
    (lift,) = for_fiona(bot, bot.private(circle.fiona), "Rejected words")
    await bot.press(circle.fiona, lift, text="Reject")
    with time_machine.travel(datetime.now(UTC) + timedelta(days=89), tick=False):
        await housekeep(context_of(bot))
    assert sorted(item.text for item in await stored(bot)) == [
        "Rejected words about the lift",
        "Urgent words: I want to die",
    ]
    with time_machine.travel(datetime.now(UTC) + timedelta(days=91), tick=False):
        await housekeep(context_of(bot))
    assert sorted((item.status, item.text) for item in await stored(bot)) == [
        ("rejected", ""),
        ("urgent", ""),
    ]
