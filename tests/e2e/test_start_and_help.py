"""/start and /help in plain words, in private and in groups; commands set for both scopes."""

from __future__ import annotations

from bot.harness import SandboxBot


async def test_start_in_private_explains_and_points_to_join(bot: SandboxBot) -> None:
    alice = bot.tg.create_user("Alice")
    await bot.start(alice)
    text = bot.last_text(bot.private(alice))
    assert "Equal Say" in text
    assert "Join" in text
    assert "each count the same" in text


async def test_help_in_private_and_in_group(bot: SandboxBot) -> None:
    alice = bot.tg.create_user("Alice")
    group = bot.tg.create_group("Ward forum", members=[alice])
    await bot.add_to_group(group, by=alice)
    await bot.start(alice)
    await bot.say(alice, bot.private(alice), "/help")
    assert "/mydata" in bot.last_text(bot.private(alice))
    await bot.say(alice, group, "/help")
    assert "Nobody sees who voted what" in bot.last_text(group)


async def test_start_in_group_offers_the_join_button(bot: SandboxBot) -> None:
    alice = bot.tg.create_user("Alice")
    group = bot.tg.create_group("Ward forum", members=[alice])
    await bot.add_to_group(group, by=alice)
    await bot.say(alice, group, f"/start@{bot.tg.bot_username}")
    buttons = [b for row in bot.last(group).buttons for b in row]
    assert [b.text for b in buttons] == ["Join", "Give feedback anonymously"]
    assert buttons[0].url is not None
    assert buttons[0].url.startswith(f"https://t.me/{bot.tg.bot_username}?start=")


async def test_commands_are_set_for_private_and_group_chats(bot: SandboxBot) -> None:
    private = {c["command"] for c in bot.tg.commands("all_private_chats")}
    group = {c["command"] for c in bot.tg.commands("all_group_chats")}
    admins = {c["command"] for c in bot.tg.commands("all_chat_administrators")}
    assert {"start", "role", "mydata", "forgetme", "help"} <= private
    assert {"join", "help"} <= group and "members" not in group  # test_command_menus.py
    assert {"join", "members", "help"} <= admins
