"""Each of Telegram's errors, met through the real bot: handled, never a crash."""

from __future__ import annotations

import logging

import pytest
from telegram import Update

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.scheduling.poll_jobs import refresh_poll_message
from bot.services import groups, membership
from bot.views.callbacks import Action, encode
from tests.e2e.poll_helpers import (
    ask_members,
    button,
    context_of,
    joined_circle,
    post_poll,
    stored_role_counts,
)


async def test_too_long_text_is_split_into_messages_that_fit(bot: SandboxBot) -> None:
    fiona, sam = bot.tg.create_user("Fiona"), bot.tg.create_user("Sam")
    for number in range(45):
        title = f"{number:02d} " + "Long group name " * 7
        group = bot.tg.create_group(title, members=[sam], admins=[fiona])
        await bot.add_to_group(group, by=fiona)
        # Joining 45 groups through the private chat would meet Telegram's per-chat flood
        # limit for minutes; the roles are stored directly, as the join flow would.
        async with bot.uow() as uow:
            stored = await groups.find_group(uow, group.id)
            assert stored is not None
            await membership.choose_role(uow, bot.settings.hash_key, stored.id, sam.id, Role.CARER)
    await bot.start(sam)
    before = len(bot.tg.messages(bot.private(sam)))
    await bot.say(sam, bot.private(sam), "/mydata")
    parts = bot.tg.messages(bot.private(sam))[before:]
    assert len(parts) >= 2
    assert all(len(part.text or "") <= 4096 for part in parts)
    everything = "\n".join(part.text or "" for part in parts)
    assert everything.count("you are a carer") == 45
    assert "/forgetme" in (parts[-1].text or "")


async def test_double_tap_that_changes_nothing_is_quietly_fine(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture
) -> None:
    fiona, sam = bot.tg.create_user("Fiona"), bot.tg.create_user("Sam")
    for title in ("Group A", "Group B"):
        group = bot.tg.create_group(title, members=[sam], admins=[fiona])
        await bot.add_to_group(group, by=fiona)
        await bot.follow_join(sam, bot.last(group))
        await bot.press(sam, bot.last(bot.private(sam)), text="Carer")
    dm = bot.private(sam)
    await bot.say(sam, dm, "/role")
    menu = bot.last(dm)
    data = menu.buttons[0][0].data
    assert data is not None
    first = await bot.press_raw(sam, dm, menu.message_id, data)
    second = await bot.press_raw(sam, dm, menu.message_id, data)  # arrives before the edit shows
    assert first is not None and second is not None
    assert bot.last(dm).edit_count == 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_flood_429_is_waited_out_and_the_answer_still_arrives(bot: SandboxBot) -> None:
    sam = bot.tg.create_user("Sam")
    bot.tg.faults.inject("sendMessage", "429", retry_after=1)
    await bot.start(sam)
    assert "Equal Say" in bot.last_text(bot.private(sam))


async def test_a_telegram_500_is_logged_and_the_bot_carries_on(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture
) -> None:
    sam = bot.tg.create_user("Sam")
    bot.tg.faults.inject("sendMessage", "500")
    await bot.start(sam)
    assert any("failed" in r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    await bot.say(sam, bot.private(sam), "/help")
    assert "/mydata" in bot.last_text(bot.private(sam))


async def test_removed_while_an_update_was_on_its_way(bot: SandboxBot) -> None:
    fiona = bot.tg.create_user("Fiona")
    group = bot.tg.create_group("Group", admins=[fiona])
    await bot.add_to_group(group, by=fiona)
    welcome = bot.last(group)
    in_flight = bot.tg.send_text(fiona, group, "/members")
    bot.tg.remove_bot_from_group(group, by=fiona)
    bot.tg.take_updates()
    await bot.feed(in_flight)  # the reply meets 403: the group is marked inactive
    sam = bot.tg.create_user("Sam")
    bot.tg.add_member(group, sam)
    await bot.follow_join(sam, welcome)
    assert "could not use that join link" in bot.last_text(bot.private(sam))


async def test_upgraded_while_an_update_was_on_its_way(bot: SandboxBot) -> None:
    fiona, sam = bot.tg.create_user("Fiona"), bot.tg.create_user("Sam")
    group = bot.tg.create_group("Group", members=[sam], admins=[fiona])
    await bot.add_to_group(group, by=fiona)
    await bot.follow_join(sam, bot.last(group))
    await bot.press(sam, bot.last(bot.private(sam)), text="Staff")
    in_flight = bot.tg.send_text(fiona, group, "/members")
    supergroup = bot.tg.upgrade_to_supergroup(group)
    bot.tg.take_updates()  # the migration messages are lost; only the error tells
    await bot.feed(in_flight)
    assert "Staff: fewer than 3" in await ask_members(bot, fiona, supergroup)


async def test_button_data_is_always_within_64_bytes(bot: SandboxBot) -> None:
    # The codec refuses to build longer data, so the sandbox's BUTTON_DATA_INVALID never fires.
    assert len(encode(Action.ROLE_MENU, 2**31 - 1).encode()) <= 64
    sam = bot.tg.create_user("Sam")
    await bot.start(sam)
    assert not bot.tg.spec_violations


async def test_replayed_update_is_harmless(bot: SandboxBot) -> None:
    fiona, sam = bot.tg.create_user("Fiona"), bot.tg.create_user("Sam")
    group = bot.tg.create_group("Group", members=[sam], admins=[fiona])
    await bot.add_to_group(group, by=fiona)
    await bot.follow_join(sam, bot.last(group))
    press = bot.tg.press(sam, bot.last(bot.private(sam)), text="Carer")
    await bot.deliver()
    await bot.app.process_update(Update.de_json(press, bot.app.bot))
    assert await stored_role_counts(bot, group) == {
        Role.SERVICE_USER: 0,
        Role.CARER: 1,
        Role.STAFF: 0,
    }


async def test_an_edit_in_a_group_that_was_upgraded_follows_it_and_is_not_retried(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    message = await post_poll(bot, circle, "Tuesdays? | Yes | No")
    poll_id = int(button(message, "Yes").split(":")[1], 36)
    supergroup = bot.tg.upgrade_to_supergroup(circle.group)
    bot.tg.take_updates()  # the migration messages are lost; only the error tells
    await refresh_poll_message(context_of(bot), poll_id)
    assert all(not ids for ids in bot.app.bot_data.coalescer._dirty.values()), "no retry loop"
    async with bot.uow() as uow:
        moved = await groups.find_group(uow, supergroup.id)
    assert moved is not None, "the group's new chat is known"
