"""A bot in more than 32,767 groups: /mydata, /role, /feedback and /forgetme still work.

A person's membership keys differ per group, so finding their rows means one key per group
the bot is in, each a bound parameter: PostgreSQL refuses a statement with more than
32,767 ("number of query arguments cannot exceed 32767"), SQLite one with more than 32,766
(issue 13.11). The lookups go in chunks (storage/repositories/bounded.py).
"""

from __future__ import annotations

import time

from sqlalchemy import insert

from bot.harness import SandboxBot
from bot.sandbox import FakeUser
from storage.models import Group

OTHER_GROUPS = 33_000  # past both databases' limits


async def _bot_is_in_many_more_groups(bot: SandboxBot, count: int, first: int) -> None:
    """Groups the bot was added to, written in bulk: joining each one through Telegram
    would spend the test's time on the join flow, not on the lookups."""
    async with bot.uow() as uow:
        await uow.session.execute(
            insert(Group),
            [
                {"chat_id": -2_000_000_000 - n, "title": f"Other group {n}"}
                for n in range(first, first + count)
            ],
        )
        await uow.commit()


async def _join(bot: SandboxBot, cara: FakeUser, title: str, role: str) -> None:
    fiona = bot.tg.create_user("Fiona")
    group = bot.tg.create_group(title, members=[cara], admins=[fiona])
    await bot.add_to_group(group, by=fiona)
    await bot.follow_join(cara, bot.last(group))
    await bot.press(cara, bot.last(bot.private(cara)), text=role)


async def test_a_person_finds_and_erases_their_roles_among_33000_groups(
    bot_on: SandboxBot,
) -> None:
    bot = bot_on
    cara = bot.tg.create_user("Cara")
    dm = bot.private(cara)
    await _join(bot, cara, "Garden group", "Carer")
    half = OTHER_GROUPS // 2  # her second group sits between two chunks' worth of others
    await _bot_is_in_many_more_groups(bot, half, 0)
    await _join(bot, cara, "Kitchen group", "Staff")
    await _bot_is_in_many_more_groups(bot, OTHER_GROUPS - half, half)

    started = time.monotonic()
    await bot.say(cara, dm, "/mydata")
    mydata = bot.last(dm).html or ""
    assert "In <b>Garden group</b>: you are <b>a carer</b>" in mydata
    assert "In <b>Kitchen group</b>: you are <b>staff</b>" in mydata

    await bot.say(cara, dm, "/role")
    assert [b.text for row in bot.last(dm).buttons for b in row] == [
        "Garden group",
        "Kitchen group",
    ]
    await bot.press(cara, bot.last(dm), text="Kitchen group")
    await bot.press(cara, bot.last(dm), text="Carer")
    await bot.say(cara, dm, "/mydata")
    assert "In <b>Kitchen group</b>: you are <b>a carer</b>" in (bot.last(dm).html or "")

    await bot.say(cara, dm, "/feedback")
    assert {b.text for row in bot.last(dm).buttons for b in row} >= {
        "Garden group",
        "Kitchen group",
    }

    await bot.say(cara, dm, "/forgetme")
    await bot.press(cara, bot.last(dm), text="Yes, erase my data")
    assert "erased your role and membership in 2 groups" in bot.last_text(dm)
    await bot.say(cara, dm, "/mydata")
    assert "Nothing about roles" in bot.last_text(dm)
    # Six lookups over 33,002 groups, each deriving 33,002 keys: seconds, not minutes.
    assert time.monotonic() - started < 60
