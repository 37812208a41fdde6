"""Feedback that can be answered, still anonymous (issue 18, section 3): the writer may let
facilitators reply privately; replies and answers pass through the bot for 30 days, neither
side sees the other's name, the writer can stop it, and the chat id is kept only sealed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine
from sqlalchemy import select

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeChat, FakeMessage, FakeTelegram, FakeUser
from bot.scheduling.housekeeping import housekeep
from bot.views.callbacks import Action, encode
from storage.models import FeedbackReplyChannel
from tests.conftest import make_settings
from tests.e2e.feedback_helpers import labels, set_delivery, stored, write
from tests.e2e.poll_helpers import Circle, context_of, joined_circle
from tests.e2e.test_crisis_gate import stored_anywhere

ALLOW = "Let the organisers reply to me privately"
REPLY = "Reply privately"
CONTACTS = "Samaritans: call 116 123"


async def two_facilitators(bot: SandboxBot) -> tuple[Circle, FakeUser]:
    circle = await joined_circle(bot)
    gita = bot.tg.create_user("Gita", "gita_g")
    circle.group.statuses[gita.id] = "administrator"
    await bot.start(gita)
    return circle, gita


async def send_allowing_replies(bot: SandboxBot, user: FakeUser, text: str) -> None:
    preview = await write(bot, user, text)
    assert ALLOW in labels(preview)
    await bot.press(user, preview, text=ALLOW)
    preview = bot.last(bot.private(user))
    assert "reply to you here for 30 days" in (preview.text or "")
    await bot.press(user, preview, text="Send")
    assert "If an organiser replies" in bot.last_text(bot.private(user))


def with_words(bot: SandboxBot, chat: FakeChat, words: str) -> list[FakeMessage]:
    return [m for m in bot.tg.messages(chat) if words in (m.text or "")]


async def channels(bot: SandboxBot) -> list[FeedbackReplyChannel]:
    async with bot.uow() as uow:
        rows = list(await uow.session.scalars(select(FeedbackReplyChannel)))
        uow.session.expunge_all()
    return rows


async def reply_as(bot: SandboxBot, person: FakeUser, on: FakeMessage, text: str) -> str:
    await bot.press(person, on, text=REPLY)
    assert "Type your reply" in bot.last_text(bot.private(person))
    await bot.say(person, bot.private(person), text)
    return bot.last_text(bot.private(person))


async def test_replies_and_answers_pass_both_ways_without_names_and_survive_a_restart(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    settings = make_settings(tg, f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    async with SandboxBot(tg, settings) as bot:
        circle, gita = await two_facilitators(bot)
        sam = circle.members[Role.SERVICE_USER][0]
        cara = circle.members[Role.CARER][0]
        await send_allowing_replies(bot, sam, "The night staff are rude to us")
        (channel,) = await channels(bot)
        assert str(sam.id) not in channel.sealed_chat  # sealed, apart from the item's row
        fionas = with_words(bot, bot.private(circle.fiona), "night staff")[-1]
        assert REPLY in labels(fionas)
        said = await reply_as(bot, circle.fiona, fionas, "Thank you. Which ward is it?")
        assert "Sent privately" in said
        to_sam = bot.last(bot.private(sam))
        text = to_sam.text or ""
        assert "An organiser of Co-production replied" in text and "Which ward" in text
        assert "Fiona" not in text and "fiona" not in text
        assert labels(to_sam) == ["Answer", "Stop replies"]
        # Someone else forging the writer's buttons learns nothing and changes nothing.
        for action in (Action.REPLY_ANSWER, Action.REPLY_STOP):
            data = encode(action, channel.feedback_id)
            answer = await bot.press_raw(
                cara, bot.private(cara), bot.last(bot.private(cara)).message_id, data
            )
            assert answer is not None and "have ended" in str(answer["text"])
        assert len(await channels(bot)) == 1
        # A member forging "Reply privately" is refused.
        data = encode(Action.REPLY_START, channel.feedback_id)
        answer = await bot.press_raw(cara, bot.private(cara), to_sam.message_id, data)
        assert answer is not None and "organisers" in str(answer["text"])
        # Sam answers; both facilitators get it, with nobody's name.
        await bot.press(sam, to_sam, text="Answer")
        await bot.say(sam, bot.private(sam), "Ward 3, mostly at weekends")
        assert "Sent to the organisers" in bot.last_text(bot.private(sam))
        for person in (circle.fiona, gita):
            (answer_copy,) = with_words(bot, bot.private(person), "Ward 3")
            assert "The person who wrote" in (answer_copy.text or "")
            assert sam.first_name not in (answer_copy.text or "")
            assert labels(answer_copy) == [REPLY]
    async with SandboxBot(tg, settings) as bot:  # restarted: the channel was in the database
        (answer_copy,) = with_words(bot, bot.private(gita), "Ward 3")
        said = await reply_as(bot, gita, answer_copy, "We will raise it with the ward manager.")
        assert "Sent privately" in said
        to_sam = bot.last(bot.private(sam))
        assert "ward manager" in (to_sam.text or "") and "Gita" not in (to_sam.text or "")
        await bot.press(sam, to_sam, text="Stop replies")
        assert "Replies stopped" in bot.last_text(bot.private(sam))
        assert await channels(bot) == []
        late = await bot.press(circle.fiona, answer_copy_for(bot, circle.fiona), text=REPLY)
        assert late is not None and "have ended" in str(late["text"])
        assert len(await stored(bot)) == 1


def answer_copy_for(bot: SandboxBot, person: FakeUser) -> FakeMessage:
    (found,) = with_words(bot, bot.private(person), "Ward 3")
    return found


async def test_both_sides_are_rate_limited_and_replies_end_after_30_days(bot: SandboxBot) -> None:
    circle, _ = await two_facilitators(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    await send_allowing_replies(bot, sam, "Can we have later visiting hours?")
    copy = with_words(bot, bot.private(circle.fiona), "visiting hours")[-1]
    for n in range(5):
        assert "Sent privately" in await reply_as(bot, circle.fiona, copy, f"Reply {n}")
    assert "as many messages" in await reply_as(bot, circle.fiona, copy, "One too many")
    assert not with_words(bot, bot.private(sam), "One too many")
    for n in range(6):
        await bot.press(sam, with_words(bot, bot.private(sam), "Reply 4")[-1], text="Answer")
        await bot.say(sam, bot.private(sam), f"Answer {n}")
    assert "as many messages" in bot.last_text(bot.private(sam))
    assert len(with_words(bot, bot.private(circle.fiona), "Answer ")) == 5
    with time_machine.travel(datetime.now(UTC) + timedelta(days=1)):
        assert "Sent privately" in await reply_as(bot, circle.fiona, copy, "Next day")
    with time_machine.travel(datetime.now(UTC) + timedelta(days=31)):
        await housekeep(context_of(bot))
        assert await channels(bot) == []
        late = await bot.press(circle.fiona, copy, text=REPLY)
    assert late is not None and "have ended" in str(late["text"])


async def test_forgetme_ends_replies_and_direct_items_are_not_offered_them(
    bot: SandboxBot,
) -> None:
    circle, _ = await two_facilitators(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    await send_allowing_replies(bot, sam, "The garden needs benches")
    await bot.say(sam, bot.private(sam), "/mydata")
    assert "reply privately to 1 feedback" in bot.last_text(bot.private(sam))
    await bot.say(sam, bot.private(sam), "/forgetme")
    await bot.press(sam, bot.last(bot.private(sam)), text="Yes, erase my data")
    assert await channels(bot) == []
    # Straight to the group: no facilitator reads it first, so nobody could reply.
    await set_delivery(bot, circle, "Straight to the group")
    cara = circle.members[Role.CARER][0]
    preview = await write(bot, cara, "More tea please")
    assert ALLOW not in labels(preview)
    # ... unless it is urgent: that goes to the facilitators whatever the mode.
    preview = await write(bot, cara, "I want to die")
    assert ALLOW in labels(preview)


async def test_a_crisis_in_a_reply_passes_and_one_in_an_answer_goes_urgent(
    bot: SandboxBot,
) -> None:
    circle, gita = await two_facilitators(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    await send_allowing_replies(bot, sam, "Nobody listens on the ward")
    copy = with_words(bot, bot.private(circle.fiona), "Nobody listens")[-1]
    before = len(with_words(bot, bot.private(circle.fiona), CONTACTS))
    said = await reply_as(
        bot, circle.fiona, copy, "If you ever feel suicidal, please call Samaritans on 116 123."
    )
    assert "Sent privately" in said
    assert len(with_words(bot, bot.private(circle.fiona), CONTACTS)) == before
    to_sam = bot.last(bot.private(sam))
    assert "feel suicidal" in (to_sam.text or "")
    await bot.press(sam, to_sam, text="Answer")
    await bot.say(sam, bot.private(sam), "Honestly I want to kill myself")
    assert with_words(bot, bot.private(sam), CONTACTS)
    for person in (circle.fiona, gita):
        (urgent,) = with_words(bot, bot.private(person), "Honestly I want to kill myself")
        assert "URGENT" in (urgent.text or "")
    assert not with_words(bot, circle.group, "kill myself")


async def test_replies_end_at_30_days_on_both_sides_even_before_housekeeping(
    bot: SandboxBot,
) -> None:
    circle, _ = await two_facilitators(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    await send_allowing_replies(bot, sam, "The menu never changes")
    copy = with_words(bot, bot.private(circle.fiona), "menu never changes")[-1]
    assert "Sent privately" in await reply_as(bot, circle.fiona, copy, "Which meals?")
    to_sam = bot.last(bot.private(sam))
    start = datetime.now(UTC)
    # The item's hour plus 30 days: still open an hour before it.
    with time_machine.travel(start + timedelta(days=29, hours=22)):
        assert "Sent privately" in await reply_as(bot, circle.fiona, copy, "Still with us?")
        await bot.press(sam, to_sam, text="Answer")
        await bot.say(sam, bot.private(sam), "Yes, the suppers")
        assert "Sent to the organisers" in bot.last_text(bot.private(sam))
    # Replies and answers pass through; neither is kept.
    for words in ("Which meals?", "Still with us?", "Yes, the suppers"):
        assert await stored_anywhere(bot, words) == [], words
    # Just past it, nothing passes either way, though housekeeping has not run yet.
    with time_machine.travel(start + timedelta(days=30, hours=1)):
        for person, message, label in ((sam, to_sam, "Answer"), (circle.fiona, copy, REPLY)):
            late = await bot.press(person, message, text=label)
            assert late is not None and "have ended" in str(late["text"]), label
        assert len(await channels(bot)) == 1
        await housekeep(context_of(bot))
        assert await channels(bot) == []
