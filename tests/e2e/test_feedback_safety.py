"""Feedback's safeguards: crisis triage, the daily limit, refusals, unreachable facilitators."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import time_machine

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.scheduling.feedback_sweep import sweep
from bot.services import feedback
from bot.services.feedback import SendStatus
from tests.e2e.feedback_helpers import labels, posted, send_feedback, set_delivery, stored, write
from tests.e2e.poll_helpers import ROLE_BUTTON, context_of, joined_circle


async def test_a_crisis_is_answered_at_once_and_goes_only_to_facilitators(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    await set_delivery(bot, circle, "Straight to the group")  # even in the most open mode
    sam = circle.members[Role.SERVICE_USER][0]
    chat = bot.private(sam)
    await bot.say(sam, chat, "/feedback")
    before = len(bot.tg.messages(chat))
    await bot.say(sam, chat, "Honestly some days I WANT TO DIE.")
    crisis, preview = bot.tg.messages(chat)[before:]
    assert "Samaritans: call 116 123" in (crisis.text or "")  # at once, before any button
    assert "Shout: text SHOUT to 85258" in (crisis.text or "")
    assert "only to the group’s organisers" in (preview.text or "")
    await bot.press(sam, preview, text="Send")
    assert "will not be posted in the group" in bot.last_text(chat)

    urgent = bot.last(bot.private(circle.fiona))
    assert "URGENT" in (urgent.text or "") and "WANT TO DIE" in (urgent.text or "")
    # Nothing to publish; a way to answer it, and to mute a flood from whoever sent it.
    assert labels(urgent) == ["I’ve seen this", "🔕 Mute this sender for 24 hours"]
    await sweep(context_of(bot))
    assert posted(bot, circle) == []
    assert not any("WANT TO DIE" in (m.text or "") for m in bot.tg.messages(circle.group))
    (item,) = await stored(bot)
    assert item.urgent and item.status == "urgent"
    # A forged Publish press on an urgent item changes nothing.
    await bot.press_raw(circle.fiona, bot.private(circle.fiona), 1, f"fd:{item.id}:1")
    assert posted(bot, circle) == []


async def test_the_daily_limit_holds_and_lifts_the_next_day(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    await set_delivery(bot, circle, "Straight to the group")
    cara = circle.members[Role.CARER][0]
    start = datetime(2031, 3, 4, 10, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        for n in range(5):
            assert "now in the group" in await send_feedback(bot, cara, f"Point {n}")
        await bot.say(cara, bot.private(cara), "/feedback")
        assert "as many as I can take in one day" in bot.last_text(bot.private(cara))
        # Someone else is not held back by Cara's count.
        assert "now in the group" in await send_feedback(bot, circle.members[Role.CARER][1], "Mine")
    # Two previews written before the limit cannot both get through.
    with time_machine.travel(start + timedelta(days=1), tick=False):
        first = await write(bot, cara, "A new day")
        assert "now in the group" in (await _press_send(bot, cara, first))
    assert len(posted(bot, circle)) == 7
    # Counters of a day that is over everywhere (zones differ by up to a day) are deleted.
    with time_machine.travel(start + timedelta(days=2), tick=False):
        await sweep(context_of(bot))
    async with bot.uow() as uow:
        from sqlalchemy import select

        from storage.models import FeedbackCounter

        days = set(await uow.session.scalars(select(FeedbackCounter.day)))
    assert days == {(start + timedelta(days=1)).date()}


async def _press_send(bot: SandboxBot, user: object, preview: object) -> str:
    from bot.sandbox import FakeMessage, FakeUser

    assert isinstance(user, FakeUser) and isinstance(preview, FakeMessage)
    await bot.press(user, preview, text="Send")
    return bot.last_text(bot.private(user))


async def test_sending_at_the_limit_from_an_open_preview_is_refused(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    cara = circle.members[Role.CARER][0]
    preview = await write(bot, cara, "Written before the limit")
    # Meanwhile five items arrive from Cara by another way (another device, another process).
    for n in range(5):
        async with bot.uow() as uow:
            sent = await feedback.send(
                uow,
                bot.settings.hash_key,
                group_id=await _group_id(bot),
                user_id=cara.id,
                text=f"Elsewhere {n}",
                tag_role=False,
                now=datetime.now(UTC),
                min_cell=3,
                daily_limit=5,
                crisis_phrases=(),
            )
        assert sent.status is SendStatus.SENT
    await bot.press(cara, preview, text="Send")
    assert "as many as I can take" in bot.last_text(bot.private(cara))
    assert len(await stored(bot)) == 5


async def _group_id(bot: SandboxBot) -> int:
    from sqlalchemy import select

    from storage.models import Group

    async with bot.uow() as uow:
        return int(await uow.session.scalar(select(Group.id)) or 0)


async def test_non_members_media_empty_overlong_and_edits_are_handled_kindly(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    # Someone in the Telegram group who never joined, and someone outside it with a link.
    lurker, outsider = bot.tg.create_user("Lurker"), bot.tg.create_user("Outsider")
    bot.tg.add_member(circle.group, lurker)
    await bot.say(lurker, bot.private(lurker), "/feedback")
    assert "not joined a group" in bot.last_text(bot.private(lurker))
    welcome = next(m for m in bot.tg.messages(circle.group) if "Join" in labels(m))
    url = next(b.url for row in welcome.buttons for b in row if b.url and "feedback" in b.text)
    assert url is not None
    await bot.start(outsider, url.split("?start=", 1)[1])
    assert "Only members of that group" in bot.last_text(bot.private(outsider))
    await bot.start(outsider, "fz_AAAAAAAAAAAA")
    assert "could not use that feedback link" in bot.last_text(bot.private(outsider))
    # A member who left the Telegram group can no longer send to it.
    leaver = circle.members[Role.STAFF][3]
    preview = await write(bot, leaver, "Bye")
    bot.tg.remove_member(circle.group, leaver)
    await bot.press(leaver, preview, text="Send")
    assert "Only members" in bot.last_text(bot.private(leaver))

    sam = circle.members[Role.SERVICE_USER][0]
    chat = bot.private(sam)
    await bot.say(sam, chat, "/feedback")
    bot.tg.send_photo(sam, chat, caption="see this")
    await bot.deliver()
    assert "text only" in bot.last_text(chat) and "give away who you are" in bot.last_text(chat)
    bot.tg.send_voice(sam, chat)
    await bot.deliver()
    assert "voice notes" in bot.last_text(chat)
    await bot.say(sam, chat, "   ")
    assert "looks empty" in bot.last_text(chat)
    await bot.say(sam, chat, "x" * 2001)
    assert "a little long" in bot.last_text(chat) and "2001" in bot.last_text(chat)
    await bot.say(sam, chat, "x" * 2000)
    assert "Send" in labels(bot.last(chat))

    # Editing after sending changes nothing: not the stored text, not the group's post.
    await set_delivery(bot, circle, "Straight to the group")
    await bot.say(sam, chat, "/feedback")
    await bot.say(sam, chat, "Original words")
    mine = bot.tg.messages(chat, from_bot=False)[-1]
    await bot.press(sam, bot.last(chat), text="Send")
    in_group = len(bot.tg.messages(circle.group))
    bot.tg.edit_user_message(sam, mine, "Edited words")
    await bot.deliver()
    in_private = len(bot.tg.messages(chat))
    # An edit that sounds like a crisis passes the crisis gate (issue 18): the contacts come,
    # privately, and nothing that was sent changes.
    bot.tg.edit_user_message(sam, mine, "Edited words want to die")
    await bot.deliver()
    assert len(bot.tg.messages(circle.group)) == in_group
    answers = bot.tg.messages(chat)[in_private:]
    assert answers and "Samaritans" in (answers[0].text or "")
    assert [i.text for i in await stored(bot)] == ["Original words"]
    assert posted(bot, circle) == ["Anonymous feedback #1\n\nOriginal words"]


def _notices(bot: SandboxBot, group: object) -> list[str]:
    from bot.sandbox import FakeChat

    assert isinstance(group, FakeChat)
    return [
        m.text or ""
        for m in bot.tg.messages(group)
        if "anonymous feedback is waiting" in (m.text or "")
    ]


async def test_when_no_facilitator_can_be_reached_the_group_is_told_once_a_day(
    bot: SandboxBot,
) -> None:
    fiona = bot.tg.create_user("Fiona", "fiona_f")
    people = [bot.tg.create_user(f"P{n}") for n in range(3)]
    group = bot.tg.create_group("Quiet group", members=people, admins=[fiona])
    await bot.add_to_group(group, by=fiona)
    for person in people:
        await bot.follow_join(person, bot.last(group))
        await bot.press(person, bot.last(bot.private(person)), text=ROLE_BUTTON[Role.CARER])
    # 11:30 in London in winter: after today's notice hour (10:00).
    day = datetime(2031, 1, 14, 11, 30, tzinfo=UTC)
    with time_machine.travel(day, tick=False):
        # Fiona never started the bot: she is not even tried (Telegram would answer 403).
        await send_feedback(bot, people[0], "Is anyone reading this?")
        assert not [c for c in bot.tg.calls_to("sendMessage") if c["chat_id"] == fiona.id]
        # Nothing in the group when it arrives: that would say when someone wrote.
        assert _notices(bot, group) == []
    with time_machine.travel(day + timedelta(minutes=5), tick=False):
        await sweep(context_of(bot))
        assert _notices(bot, group) == []  # it came in after today's notice hour
    with time_machine.travel(day + timedelta(hours=22, minutes=29), tick=False):
        await sweep(context_of(bot))  # 09:59 the next day
        assert _notices(bot, group) == []
    with time_machine.travel(day + timedelta(hours=22, minutes=31), tick=False):
        # 10:01: told once, however often the sweep runs and in however many processes.
        await asyncio.gather(sweep(context_of(bot)), sweep(context_of(bot)))
        await sweep(context_of(bot))
    with time_machine.travel(day + timedelta(hours=26), tick=False):
        await sweep(context_of(bot))
    (notice,) = _notices(bot, group)
    assert "Is anyone reading this?" not in notice

    # When she opens the private chat, what waited for a facilitator comes to her.
    await bot.start(fiona)
    waiting = next(
        m for m in bot.tg.messages(bot.private(fiona)) if "Is anyone reading" in (m.text or "")
    )
    assert "Is anyone reading this?" in (waiting.text or "")
    await bot.press(fiona, waiting, text="Publish in the group")
    assert "Anonymous feedback #1" in bot.last_text(group)

    # She blocks the bot without the bot hearing of it: Telegram answers 403, she is forgotten
    # and the group is told at the next notice hour, not when the item arrives.
    fiona.blocked_bot = True
    with time_machine.travel(day + timedelta(days=2), tick=False):
        await send_feedback(bot, people[1], "Second try")
        assert len(_notices(bot, group)) == 1
    with time_machine.travel(day + timedelta(days=3), tick=False):
        await sweep(context_of(bot))
        assert len(_notices(bot, group)) == 2
    fiona.blocked_bot = False
    sends = len(bot.tg.calls_to("sendMessage"))
    await send_feedback(bot, people[2], "Third try")
    await sweep(context_of(bot))
    to_fiona = [c for c in bot.tg.calls_to("sendMessage")[sends:] if c["chat_id"] == fiona.id]
    assert to_fiona == []  # forgotten after the 403, until she writes to the bot again
