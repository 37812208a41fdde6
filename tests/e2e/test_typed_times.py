"""Times as people type them in /meeting: a bare hour is a time of day, asked about when it
could be morning or evening, and a day that is today is not moved to next year."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import select

from bot.harness import SandboxBot
from storage.models import MeetingOccurrence
from tests.e2e.poll_helpers import Circle, button, joined_circle

# 06:53 on Thursday 3 December 2026: London is on UTC in winter.
MORNING = datetime(2026, 12, 3, 6, 53, tzinfo=UTC)


@pytest.fixture
async def circle(bot: SandboxBot) -> Circle:
    return await joined_circle(bot)


async def starts(bot: SandboxBot) -> list[datetime]:
    async with bot.uow() as uow:
        found = await uow.session.scalars(select(MeetingOccurrence.starts_at))
        return [moment.replace(tzinfo=UTC) for moment in found]


async def test_tomorrow_at_10_asks_morning_or_evening_then_saves_the_one_chosen(
    bot: SandboxBot, circle: Circle
) -> None:
    with time_machine.travel(MORNING, tick=False):
        await bot.say(circle.fiona, circle.group, "/meeting tomorrow at 10 | Planning | Room 3")
        asked = bot.last(circle.group)
        text = asked.text or ""
        assert "10 in the morning or in the evening?" in text
        assert "Friday 4 December 2026 at 10:00" in text
        assert "Friday 4 December 2026 at 22:00" in text
        labels = [b.text for row in asked.buttons for b in row]
        assert "✅ Save" not in labels  # nothing can be saved before the person says which
        await bot.press(circle.fiona, asked, data=button(asked, "10:00 in the morning"))
        confirmation = bot.last(circle.group)
        assert "When: Friday 4 December 2026 at 10:00" in (confirmation.text or "")
        await bot.press(circle.fiona, confirmation, data=button(confirmation, "Save"))
    assert await starts(bot) == [datetime(2026, 12, 4, 10, 0, tzinfo=UTC)]


async def test_the_evening_can_be_chosen_and_a_forged_save_before_it_saves_nothing(
    bot: SandboxBot, circle: Circle
) -> None:
    with time_machine.travel(MORNING, tick=False):
        await bot.say(circle.fiona, circle.group, "/meeting next Tuesday at 7 | Carers' evening")
        asked = bot.last(circle.group)
        evening = button(asked, "19:00 in the evening")
        save = evening[: evening.rindex(":")] + ":0"  # the Save this keyboard leaves out
        answer = await bot.press_raw(circle.fiona, circle.group, asked.message_id, save)
        assert answer is not None and "morning or the evening" in str(answer.get("text"))
        assert await starts(bot) == []
        await bot.press(circle.fiona, asked, data=evening)
        confirmation = bot.last(circle.group)
        assert "Tuesday 8 December 2026 at 19:00" in (confirmation.text or "")
        await bot.press(circle.fiona, confirmation, data=button(confirmation, "Save"))
    assert await starts(bot) == [datetime(2026, 12, 8, 19, 0, tzinfo=UTC)]


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("next Tuesday at 10:30", "Tuesday 8 December 2026 at 10:30"),
        ("tomorrow half 2", "Friday 4 December 2026 at 14:30"),
        ("3 Dec at noon", "Thursday 3 December 2026 at 12:00"),
        ("tonight at 7", "Thursday 3 December 2026 at 19:00"),
        ("5/1 at 11", "Tuesday 5 January 2027 at 11:00"),  # UK order, next year's January
    ],
)
async def test_times_people_type_are_read_as_meant(
    bot: SandboxBot, circle: Circle, typed: str, read_as: str
) -> None:
    with time_machine.travel(MORNING, tick=False):
        await bot.say(circle.fiona, circle.group, f"/meeting {typed} | Planning")
    assert f"When: {read_as}" in bot.last_text(circle.group)


async def test_a_time_earlier_today_is_refused_not_moved_to_next_year(
    bot: SandboxBot, circle: Circle
) -> None:
    with time_machine.travel(MORNING, tick=False):
        await bot.say(circle.fiona, circle.group, "/meeting 3/12 04:00 | Planning")
    text = bot.last_text(circle.group)
    assert "Thursday 3 December 2026 at 04:00" in text and "already passed" in text
    assert "2027" not in text
    assert not bot.last(circle.group).buttons
