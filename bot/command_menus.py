"""The command menus Telegram shows: members see what members can use, facilitators more.

Telegram picks the narrowest scope set for a chat and person: for a group administrator the
chat's administrators scope, then the chat's own, then all administrators, then all groups.
So members get `MEMBER_GROUP_COMMANDS` (all group chats) and administrators, who facilitate,
get everything (all chat administrators). A group whose facilitators let everyone start polls
gets its own pair, with /poll and /newpoll for members; switching it off removes the pair.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeChatAdministrators,
)
from telegram.error import TelegramError

from bot.i18n import DEFAULT_LANGUAGE, SUPPORTED, _, speaking
from bot.i18n.catalogues import RLM
from bot.views.general import (
    FACILITATOR_GROUP_COMMANDS,
    MEMBER_GROUP_COMMANDS,
    OPEN_POLLS_GROUP_COMMANDS,
    PRIVATE_COMMANDS,
)

log = logging.getLogger(__name__)


def _commands(pairs: Iterable[tuple[str, str]]) -> list[BotCommand]:
    # No right-to-left mark: Telegram lays a menu out in the reader's own direction.
    return [BotCommand(name, _(text).removeprefix(RLM)) for name, text in pairs]


async def _set(bot: Bot, pairs: Iterable[tuple[str, str]], scope: BotCommandScope) -> None:
    """The menu in English for everyone, and in each other language for people whose Telegram
    is set to it (Telegram picks by the person's `language_code`)."""
    for language in SUPPORTED:
        with speaking(language):
            code = None if language == DEFAULT_LANGUAGE else language
            await bot.set_my_commands(_commands(pairs), scope=scope, language_code=code)


async def set_menus(bot: Bot) -> None:
    """At start: the private menu, the members' group menu, the facilitators' group menu."""
    menus: list[tuple[Iterable[tuple[str, str]], BotCommandScope]] = [
        (PRIVATE_COMMANDS, BotCommandScopeAllPrivateChats()),
        (MEMBER_GROUP_COMMANDS, BotCommandScopeAllGroupChats()),
        (FACILITATOR_GROUP_COMMANDS, BotCommandScopeAllChatAdministrators()),
    ]
    for pairs, scope in menus:
        await _set(bot, pairs, scope)


async def set_group_menu(bot: Bot, chat_id: int, *, anyone_can_poll: bool) -> None:
    """One group's menus after its poll setting changed. A failure is logged, not raised: the
    setting is saved either way, and a menu is a convenience."""
    members = BotCommandScopeChat(chat_id)
    admins = BotCommandScopeChatAdministrators(chat_id)
    try:
        if anyone_can_poll:
            await _set(bot, OPEN_POLLS_GROUP_COMMANDS, members)
            # A chat's own scope outranks "all administrators": they need their own here.
            await _set(bot, FACILITATOR_GROUP_COMMANDS, admins)
        else:
            for language in SUPPORTED:
                code = None if language == DEFAULT_LANGUAGE else language
                await bot.delete_my_commands(scope=admins, language_code=code)
                await bot.delete_my_commands(scope=members, language_code=code)
    except TelegramError as error:
        log.warning("could not set a group's command menu: %s", type(error).__name__)
