"""Urgent items are answered, not just seen (issue 18, section 2): "I've seen this" records
the first press without a name and updates every facilitator's copy; facilitators are
reminded once if nobody pressed it in time, at any hour or in the group's waking hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeChat, FakeMessage, FakeTelegram, FakeUser
from bot.scheduling import feedback_sweep
from bot.views.callbacks import Action, encode
from storage.models import Feedback, FeedbackCopy
from tests.conftest import make_settings
from tests.e2e.feedback_helpers import labels, stored, write
from tests.e2e.poll_helpers import Circle, context_of, joined_circle

CRISIS = "I want to die, I cannot do this any more"
SEEN = "I’ve seen this"
MUTE = "🔕 Mute this sender for 24 hours"
LONDON = ZoneInfo("Europe/London")


async def circle_with_two_facilitators(bot: SandboxBot) -> tuple[Circle, FakeUser]:
    circle = await joined_circle(bot)
    gita = bot.tg.create_user("Gita", "gita_g")
    circle.group.statuses[gita.id] = "administrator"
    await bot.start(gita)
    return circle, gita


async def send_crisis(bot: SandboxBot, circle: Circle) -> None:
    sam = circle.members[Role.SERVICE_USER][0]
    await write(bot, sam, CRISIS)
    await bot.press(sam, bot.last(bot.private(sam)), text="Send")


def urgent_copies(bot: SandboxBot, chat: FakeChat) -> list[FakeMessage]:
    return [m for m in bot.tg.messages(chat) if "URGENT" in (m.text or "")]


def current(bot: SandboxBot, message: FakeMessage) -> FakeMessage:
    found = bot.tg.find_message(message.chat_id, message.message_id)
    assert found is not None
    return found


async def test_the_first_press_is_recorded_without_a_name_and_every_copy_says_so(
    bot: SandboxBot,
) -> None:
    circle, gita = await circle_with_two_facilitators(bot)
    await send_crisis(bot, circle)
    (fionas,) = urgent_copies(bot, bot.private(circle.fiona))
    (gitas,) = urgent_copies(bot, bot.private(gita))
    # With "Mute this sender" (tests/e2e/test_urgent_flood.py), kept when the copy is rewritten.
    assert labels(fionas) == [SEEN, MUTE] and labels(gitas) == [SEEN, MUTE]
    async with bot.uow() as uow:  # where the copies went: sealed, never a chat id in clear
        sealed = list(await uow.session.scalars(select(FeedbackCopy.sealed_chat)))
    assert len(sealed) == 2
    assert not any(str(u.id) in s for s in sealed for u in (circle.fiona, gita))

    # A member forging the button in private changes nothing and reads nothing.
    sam = circle.members[Role.SERVICE_USER][0]
    (item,) = await stored(bot)
    data = encode(Action.URGENT_SEEN, item.id)
    answer = await bot.press_raw(sam, bot.private(sam), bot.last(bot.private(sam)).message_id, data)
    assert answer is not None and "Only the group's organisers" in str(answer["text"])
    # Gita taps twice, quickly.
    first = bot.tg.press(gita, gitas, text=SEEN)
    second = bot.tg.press(gita, gitas, text=SEEN)
    await bot.deliver()
    answers = [bot.tg.callback_answer(u["callback_query"]["id"]) for u in (first, second)]
    assert answers[0] is not None and "Thank you" in str(answers[0]["text"])
    assert answers[1] is not None and "Already marked" in str(answers[1]["text"])
    mine, theirs = current(bot, gitas), current(bot, fionas)
    assert "You marked this as seen at" in (mine.text or "") and labels(mine) == [MUTE]
    assert "An organiser marked this as seen at" in (theirs.text or "")
    assert labels(theirs) == [MUTE] and "Gita" not in (theirs.text or "")
    async with bot.uow() as uow:
        row = await uow.session.scalar(select(Feedback))
        assert row is not None and row.seen_at is not None and row.remind_at is None
        assert list(await uow.session.scalars(select(FeedbackCopy.id))) == []
    # Fiona's stale button (from before the update) says it was seen, and by nobody named.
    late = await bot.press_raw(circle.fiona, bot.private(circle.fiona), fionas.message_id, data)
    assert late is not None and "already marked this as seen" in str(late["text"])
    assert "An organiser marked this as seen" in (current(bot, fionas).text or "")
    # Nobody is reminded of an item already seen.
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=2)):
        await feedback_sweep.sweep(context_of(bot))
    assert len(urgent_copies(bot, bot.private(circle.fiona))) == 1


async def test_facilitators_are_reminded_once_if_nobody_pressed_even_after_a_restart(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    settings = make_settings(tg, f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    async with SandboxBot(tg, settings) as bot:
        circle, gita = await circle_with_two_facilitators(bot)
        await send_crisis(bot, circle)
        with time_machine.travel(datetime.now(UTC) + timedelta(minutes=29)):
            await feedback_sweep.sweep(context_of(bot))
        assert len(urgent_copies(bot, bot.private(gita))) == 1  # not yet
    async with SandboxBot(tg, settings) as bot:  # restarted: the clock was in the database
        with time_machine.travel(datetime.now(UTC) + timedelta(minutes=31)):
            await feedback_sweep.sweep(context_of(bot))
            await feedback_sweep.sweep(context_of(bot))  # once, not every minute
        for person in (circle.fiona, gita):
            copies = urgent_copies(bot, bot.private(person))
            assert len(copies) == 2, person.first_name
            assert "Reminder" in (copies[1].text or "") and labels(copies[1]) == [SEEN]
        # A press on the reminder updates every copy, the first ones included.
        await bot.press(circle.fiona, urgent_copies(bot, bot.private(circle.fiona))[1], text=SEEN)
        for copy in urgent_copies(bot, bot.private(gita)):
            assert "An organiser marked this as seen" in (current(bot, copy).text or "")
        for copy in urgent_copies(bot, bot.private(circle.fiona)):
            assert "You marked this as seen" in (current(bot, copy).text or "")
        with time_machine.travel(datetime.now(UTC) + timedelta(hours=3)):
            await feedback_sweep.sweep(context_of(bot))
        assert len(urgent_copies(bot, bot.private(gita))) == 2


async def test_in_waking_hours_only_a_night_reminder_waits_for_the_morning(
    tg: FakeTelegram, sqlite_url: str
) -> None:
    settings = make_settings(tg, sqlite_url, urgent_reminder_hours="waking")
    async with SandboxBot(tg, settings) as bot:
        circle, gita = await circle_with_two_facilitators(bot)
        tomorrow = datetime.now(LONDON).date() + timedelta(days=1)
        late = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 21, 50, tzinfo=LONDON)
        with time_machine.travel(late):
            await send_crisis(bot, circle)
        with time_machine.travel(late + timedelta(minutes=40)):  # 22:30: night
            await feedback_sweep.sweep(context_of(bot))
        assert len(urgent_copies(bot, bot.private(gita))) == 1
        with time_machine.travel(late + timedelta(hours=10)):  # 07:50
            await feedback_sweep.sweep(context_of(bot))
        assert len(urgent_copies(bot, bot.private(gita))) == 1
        with time_machine.travel(late + timedelta(hours=10, minutes=11)):  # 08:01
            await feedback_sweep.sweep(context_of(bot))
        assert len(urgent_copies(bot, bot.private(gita))) == 2


async def test_an_urgent_item_can_be_answered_privately_when_its_writer_allowed_it(
    bot: SandboxBot,
) -> None:
    """The private reply of section 2: seen, then answered, without either side's name."""
    circle, gita = await circle_with_two_facilitators(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    preview = await write(bot, sam, CRISIS)
    await bot.press(sam, preview, text="Let the organisers reply to me privately")
    await bot.press(sam, bot.last(bot.private(sam)), text="Send")
    (fionas,) = urgent_copies(bot, bot.private(circle.fiona))
    (gitas,) = urgent_copies(bot, bot.private(gita))
    assert labels(fionas) == [SEEN, "Reply privately", MUTE] == labels(gitas)
    await bot.press(gita, gitas, text=SEEN)
    # Seen is recorded on every copy; "Reply privately" stays while replies are allowed.
    assert "An organiser marked this as seen" in (current(bot, fionas).text or "")
    assert labels(current(bot, fionas)) == ["Reply privately", MUTE]
    await bot.press(circle.fiona, current(bot, fionas), text="Reply privately")
    await bot.say(circle.fiona, bot.private(circle.fiona), "We are here for you. Call 116 123.")
    to_sam = bot.last(bot.private(sam))
    text = to_sam.text or ""
    assert "We are here for you" in text and "Fiona" not in text and "Gita" not in text
    await bot.press(sam, to_sam, text="Answer")
    await bot.say(sam, bot.private(sam), "Thank you, I called them")
    for person in (circle.fiona, gita):
        (answer,) = [
            m for m in bot.tg.messages(bot.private(person)) if "I called them" in (m.text or "")
        ]
        assert sam.first_name not in (answer.text or "")
