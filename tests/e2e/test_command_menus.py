"""Command menus: members see what members can use; facilitators' commands are in the
administrators' menu only. Read back from the sandbox as Telegram picks a menu: the
narrowest scope set for that chat and person."""

from __future__ import annotations

from bot.harness import SandboxBot
from bot.sandbox import FakeChat, FakeUser
from tests.e2e.poll_helpers import joined_circle
from tests.e2e.test_authorization_audit import (
    FACILITATOR_COMMANDS,
    MEMBER_COMMANDS,
    registered_commands,
)


def menu(bot: SandboxBot, chat: FakeChat, user: FakeUser) -> set[str]:
    """The menu Telegram shows this person in this group (chat_member scopes aside)."""
    admin = bot.tg.chats[chat.id].statuses.get(user.id) in {"creator", "administrator"}
    scopes: list[tuple[str, int | None]] = []
    if admin:
        scopes.append(("chat_administrators", chat.id))
    scopes.append(("chat", chat.id))
    if admin:
        scopes.append(("all_chat_administrators", None))
    scopes += [("all_group_chats", None), ("default", None)]
    for scope, chat_id in scopes:
        found = bot.tg.commands(scope, chat_id=chat_id)
        if found:
            return {c["command"] for c in found}
    return set()


async def test_members_menus_hold_member_commands_and_facilitators_see_theirs(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    member = circle.everyone()[0]
    in_group = registered_commands(bot) - {"start", "mydata", "forgetme", "role"}

    members_menu = menu(bot, circle.group, member)
    assert members_menu, "members have a menu"
    assert members_menu <= MEMBER_COMMANDS
    assert not members_menu & FACILITATOR_COMMANDS

    facilitators_menu = menu(bot, circle.group, circle.fiona)
    assert facilitators_menu >= FACILITATOR_COMMANDS
    assert facilitators_menu <= in_group  # nothing offered that the bot does not answer
    private = {c["command"] for c in bot.tg.commands("all_private_chats")}
    assert {"mydata", "forgetme", "role"} <= private and not private & FACILITATOR_COMMANDS


async def test_a_group_that_lets_everyone_start_polls_shows_them_poll_commands(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    other = await joined_circle(bot, title="Carers' circle")
    member = circle.everyone()[0]
    await bot.say(circle.fiona, circle.group, "/pollsettings")
    await bot.press(circle.fiona, bot.last(circle.group), text="Everyone")
    assert {"poll", "newpoll"} <= menu(bot, circle.group, member)
    assert not menu(bot, circle.group, member) & (FACILITATOR_COMMANDS - {"poll", "newpoll"})
    # Its facilitators keep their whole menu there; other groups are as they were.
    assert menu(bot, circle.group, circle.fiona) >= FACILITATOR_COMMANDS
    assert "poll" not in menu(bot, other.group, other.everyone()[0])

    await bot.press(circle.fiona, bot.last(circle.group), text="Organisers only")
    assert "poll" not in menu(bot, circle.group, member)
    assert menu(bot, circle.group, circle.fiona) >= FACILITATOR_COMMANDS
