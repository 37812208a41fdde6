"""Whose language a text sent from elsewhere is in: the group's, or the person's.

A handler's current language is that of the chat the update came from. A text made there
for another chat (a meeting saved in an organiser's private chat and posted in the group,
a calendar file or a report sent privately after a press in the group) or sent unprompted
by a job is made inside `speaking(...)` with the reader's language from here: the last one
this process knows (bot/services/languages.LanguageCache), else the stored one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services import languages

if TYPE_CHECKING:  # bot.context imports scheduling modules that use this one
    from bot.context import AppContext


async def group_language_of(context: AppContext, chat_id: int) -> str:
    """The group's language, for what is sent to it unprompted or from someone's private
    chat (a meeting saved in a Polish organiser's chat is posted in the group's language)."""
    known = context.bot_data.languages.known_group(chat_id)
    if known is not None:
        return known
    async with context.uow() as uow:
        return await languages.group_language(uow, chat_id)


async def person_language_of(
    context: AppContext, user_id: int, telegram_code: str | None = None
) -> str:
    """A person's language, for what is sent to their private chat from elsewhere (a crisis
    typed in a group passes Telegram's setting, for someone not seen in private yet)."""
    known = context.bot_data.languages.known_person(user_id)
    if known is not None:
        return known
    async with context.uow() as uow:
        return await languages.person_language(uow, context.secret, user_id, telegram_code)
