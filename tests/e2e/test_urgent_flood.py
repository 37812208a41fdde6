"""Urgent items cannot flood the facilitators (issue 13, point 8).

One person once sent 25 anonymous "URGENT" messages in a day while the daily limit was 5:
urgent items were counted by nobody. Now they count against their own, higher limit
(FEEDBACK_URGENT_DAILY_LIMIT), past which the person gets the crisis contacts and the item is
not passed on; and a facilitator can mute one sender's urgent items for 24 hours without
anyone learning who the sender is.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from bot.config import Settings
from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeMessage, FakeTelegram, FakeUser
from bot.views.callbacks import Action, decode, encode
from storage.models import UrgentMute
from tests.conftest import make_settings
from tests.e2e.feedback_helpers import labels, send_feedback, stored
from tests.e2e.poll_helpers import joined_circle

URGENT_LIMIT = 7
MUTE = "🔕 Mute this sender for 24 hours"
SEEN = "I’ve seen this"


@pytest.fixture
def settings(tg: FakeTelegram, sqlite_url: str) -> Settings:
    return make_settings(tg, sqlite_url, feedback_urgent_daily_limit=URGENT_LIMIT)


def _copies(bot: SandboxBot, facilitator: FakeUser, words: str) -> list[FakeMessage]:
    return [m for m in bot.tg.messages(bot.private(facilitator)) if words in (m.text or "")]


async def send_urgent(bot: SandboxBot, user: FakeUser, text: str) -> str:
    """Crisis words typed in the private chat: the contacts, then Send on what is offered."""
    chat = bot.private(user)
    await bot.say(user, chat, text)
    await bot.press(user, bot.last(chat), text="Send")
    return bot.last_text(chat)


def _mute_data(copy: FakeMessage) -> str:
    return next(b.data for row in copy.buttons for b in row if b.text == MUTE and b.data)


async def test_urgent_items_count_against_a_higher_limit_and_help_always_comes_back(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    start = datetime(2031, 5, 6, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        # Ordinary messages up to their limit do not use up the urgent ones...
        for n in range(5):
            assert "organisers will read it" in await send_feedback(bot, sam, f"Point {n}")
        # ... and a crisis is still taken past the ordinary limit, up to its own.
        for n in range(URGENT_LIMIT):
            told = await send_urgent(bot, sam, f"I want to die, message {n}")
            assert "marked urgent" in told, told
        assert len(_copies(bot, circle.fiona, "I want to die")) == URGENT_LIMIT
        refused = await send_urgent(bot, sam, "I want to die, message flood")
        assert "have not passed this one on" in refused
        assert "Samaritans: call 116 123" in refused  # the contacts, always
        assert "Shout: text SHOUT to 85258" in refused
        assert not _copies(bot, circle.fiona, "message flood")
        assert len([i for i in await stored(bot) if i.urgent]) == URGENT_LIMIT
        # Someone else's crisis is not held back by Sam's count.
        cara = circle.members[Role.CARER][0]
        assert "marked urgent" in await send_urgent(bot, cara, "I want to die today")
        assert _copies(bot, circle.fiona, "I want to die today")
    with time_machine.travel(start + timedelta(days=1), tick=False):
        assert "marked urgent" in await send_urgent(bot, sam, "I want to die, a new day")
        assert _copies(bot, circle.fiona, "a new day")


async def test_the_urgent_limit_is_never_below_the_ordinary_one(tg: FakeTelegram) -> None:
    from bot.config import SettingsError

    with pytest.raises(SettingsError, match="FEEDBACK_URGENT_DAILY_LIMIT"):
        make_settings(
            tg, "sqlite+aiosqlite://", feedback_daily_limit=8, feedback_urgent_daily_limit=4
        )


async def test_a_facilitator_mutes_one_sender_without_learning_who(bot_on: SandboxBot) -> None:
    bot = bot_on
    circle = await joined_circle(bot)
    sam, cara = circle.members[Role.SERVICE_USER][0], circle.members[Role.CARER][0]
    start = datetime(2031, 5, 6, 9, 20, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        await send_urgent(bot, sam, "I want to die, first")
        await send_urgent(bot, sam, "I want to die, second")
        await send_urgent(bot, cara, "I want to kill myself")
        (first,), (second,) = (_copies(bot, circle.fiona, w) for w in ("first", "second"))
        assert labels(first) == [SEEN, MUTE]
        # Two items of one sender carry unrelated values: the buttons link nothing.
        a, b = decode(_mute_data(first)), decode(_mute_data(second))
        assert a is not None and b is not None and a.args[1:] != b.args[1:]

        # Forged: one item's token on another item (a key of nobody), a member's press: nobody
        # is muted.
        items = {i.text: i.id for i in await stored(bot)}
        forged = encode(Action.URGENT_MUTE, items["I want to kill myself"], *a.args[1:])
        answer = await bot.press_raw(circle.fiona, bot.private(circle.fiona), 1, forged)
        assert answer is not None and "Muted" in str(answer["text"])  # a key of nobody
        member = await bot.press_raw(sam, bot.private(sam), 1, _mute_data(first))
        assert member is not None and "no longer in use" in str(member["text"])
        assert "marked urgent" in await send_urgent(bot, sam, "I want to die, third")
        assert "marked urgent" in await send_urgent(bot, cara, "I want to kill myself again")

        # "I've seen this" keeps the Mute button; then Fiona mutes the sender of "first".
        await bot.press(circle.fiona, first, text=SEEN)
        assert MUTE in labels(bot.tg.find_message(first.chat_id, first.message_id) or first)
        answer = await bot.press(circle.fiona, first, text=MUTE)
        assert answer is not None and "Muted until Wed 11:00" in str(answer["text"])
        assert MUTE not in labels(bot.tg.find_message(first.chat_id, first.message_id) or first)

        received = len(bot.tg.messages(bot.private(circle.fiona)))
        told = await send_urgent(bot, sam, "I want to die, muted")
        assert "paused urgent messages from you until Wed 11:00" in told
        assert "Samaritans: call 116 123" in told
        assert len(bot.tg.messages(bot.private(circle.fiona))) == received
        assert "I want to die, muted" not in {i.text for i in await stored(bot)}
        # Sam's ordinary feedback still comes; so does everyone else's crisis.
        assert "organisers will read it" in await send_feedback(bot, sam, "More tea")
        assert "marked urgent" in await send_urgent(bot, cara, "I want to kill myself now")
        assert _copies(bot, circle.fiona, "kill myself now")
        # A second press (another copy, or a double tap) mutes no longer and no other.
        again = await bot.press_raw(
            circle.fiona, bot.private(circle.fiona), second.message_id, _mute_data(second)
        )
        assert again is not None and "Muted until Wed 11:00" in str(again["text"])

    async with bot.uow() as uow:
        mutes = list(await uow.session.scalars(select(UrgentMute)))
    # Sam's (twice pressed, one row) and the forged press's key of nobody.
    assert len(mutes) == 2

    # The mute ends after 24 hours (to the hour); then it is deleted.
    with time_machine.travel(start + timedelta(hours=25), tick=False):
        assert "marked urgent" in await send_urgent(bot, sam, "I want to die, later")
        assert _copies(bot, circle.fiona, "I want to die, later")
    async with bot.uow() as uow:
        assert list(await uow.session.scalars(select(UrgentMute))) == []
