"""Noticing who has opened a private chat with the bot, so facilitators can be reached.

Runs before every other handler (its own handler group) and never answers anything. The
database learns only person_key; which people were already noted this run is kept in
their own user_data, so each person costs one write per process, not one per message.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import BaseHandler, TypeHandler

from bot.context import AppContext
from bot.scheduling.feedback_routing import catch_up
from bot.services import reachable

_NOTED = "reachable_noted"
_GONE = {ChatMemberStatus.BANNED, ChatMemberStatus.LEFT}


async def note_private_chat(update: Update, context: AppContext) -> None:
    """Remember a person who writes to the bot; forget one who blocks it."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != ChatType.PRIVATE or user.is_bot:
        return
    change = update.my_chat_member
    if change is not None and change.new_chat_member.status in _GONE:
        async with context.uow() as uow:
            await reachable.forget(uow, context.secret, user.id)
        if context.user_data is not None:
            context.user_data.pop(_NOTED, None)
        return
    if context.user_data is None or context.user_data.get(_NOTED):
        return
    async with context.uow() as uow:
        new = await reachable.remember(uow, context.secret, user.id)
    context.user_data[_NOTED] = True
    if new:
        # A facilitator opening the chat for the first time gets what was waiting for one.
        await catch_up(context, user.id)


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [TypeHandler(Update, note_private_chat)]
