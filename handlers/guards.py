"""The checks group commands share: asked in a group at all, and by a facilitator."""

from __future__ import annotations

from telegram import Chat, Update

from bot.context import AppContext
from bot.services import groups
from bot.services.groups import GroupInfo
from handlers.replies import is_group, reply, user_id_of


async def group_of_chat(context: AppContext, chat: Chat) -> GroupInfo:
    """The stored group for this chat, created if the bot never saw it being added."""
    async with context.uow() as uow:
        known = await groups.find_group(uow, chat.id)
        if known is not None and known.active:
            return known
        return await groups.bot_added(
            uow,
            chat.id,
            chat.title or "",
            is_forum=bool(chat.is_forum),
            timezone=context.settings.timezone,
        )


async def group_command(update: Update, context: AppContext, *, elsewhere: str) -> GroupInfo | None:
    """The group a command was sent in; None (and `elsewhere` said) outside groups."""
    chat = update.effective_chat
    if chat is None or not is_group(update):
        await reply(update, elsewhere)
        return None
    return await group_of_chat(context, chat)


async def facilitator_command(
    update: Update, context: AppContext, *, elsewhere: str, refusal: str
) -> GroupInfo | None:
    """Like group_command, for facilitators only; anyone else is told `refusal` kindly."""
    chat = update.effective_chat
    if chat is None or not is_group(update):
        await reply(update, elsewhere)
        return None
    if not await context.facilitators.is_facilitator(context.bot, chat.id, user_id_of(update)):
        await reply(update, refusal)
        return None
    return await group_of_chat(context, chat)
