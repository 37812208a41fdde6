"""The checks group commands share: asked in a group at all, and by a facilitator."""

from __future__ import annotations

from telegram import CallbackQuery, Chat, Update

from bot.context import AppContext
from bot.services import groups
from bot.services.groups import GroupInfo
from bot.views import general
from bot.views.callbacks import decode
from handlers.replies import is_group, pressed_in_private, reply, user_id_of


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


async def facilitated_group(
    query: CallbackQuery, context: AppContext, arity: int, refusal: str
) -> GroupInfo | None:
    """The group a private button names first (`arity` numbers in all), if the presser is one
    of its facilitators; otherwise the press is answered (stale, or `refusal`) and None."""
    press = decode(query.data) if pressed_in_private(query) else None
    group = None
    if press is not None and len(press.args) == arity:
        async with context.uow() as uow:
            group = await groups.find_group_by_id(uow, press.args[0])
    if press is None or group is None or not group.active:
        await query.answer(general.STALE_BUTTON)
        return None
    if not await context.facilitators.is_facilitator(
        context.bot, group.chat_id, query.from_user.id
    ):
        await query.answer(refusal, show_alert=True)
        return None
    return group
