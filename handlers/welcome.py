"""Newcomers to a group: one short welcome with the Join button, and pinning it.

Arrivals are read in a handler group of their own (see handlers/__init__.py): another
feature's `chat_member` handler (people leaving) must still see every update, and in one
group only the first matching handler runs.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden
from telegram.ext import BaseHandler, CallbackQueryHandler, ChatMemberHandler, MessageHandler
from telegram.ext import filters as f

from bot.context import AppContext
from bot.scheduling.welcomes import welcome_arrivals, welcome_keyboard
from bot.services.groups import find_group_by_id
from bot.views import general
from bot.views import membership as views
from bot.views.callbacks import Action, decode, pattern
from handlers.guards import group_of_chat
from handlers.replies import edit_query_message, is_group

_PRESENT = {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}


async def members_joined(update: Update, context: AppContext) -> None:
    """The "X joined" service message: welcome the people (not bots) who arrived."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or not is_group(update):
        return
    people = [user.id for user in message.new_chat_members if not user.is_bot]
    if people:
        await welcome_arrivals(context, await group_of_chat(context, chat), people)


async def member_arrived(update: Update, context: AppContext) -> None:
    """A `chat_member` update (sent where the bot is an administrator): someone came in."""
    change = update.chat_member
    if change is None or not is_group(update):
        return
    was_in = change.old_chat_member.status in _PRESENT
    is_in = change.new_chat_member.status in _PRESENT
    person = change.new_chat_member.user
    if is_in and not was_in and not person.is_bot:
        await welcome_arrivals(context, await group_of_chat(context, change.chat), [person.id])


async def pin_welcome(update: Update, context: AppContext) -> None:
    """'Pin this message' on a welcome: facilitators only, and only that very message."""
    query = update.callback_query
    if query is None:
        return
    press = decode(query.data)
    message = query.message
    markup = getattr(message, "reply_markup", None)
    on_this_message = isinstance(markup, InlineKeyboardMarkup) and any(
        button.callback_data == query.data for row in markup.inline_keyboard for button in row
    )
    if press is None or len(press.args) != 1 or message is None or not on_this_message:
        # Forged onto another message (a poll, say): pinning that is not what was offered.
        await query.answer(general.STALE_BUTTON)
        return
    async with context.uow() as uow:
        group = await find_group_by_id(uow, press.args[0])
    if group is None or group.chat_id != message.chat.id:
        await query.answer(general.STALE_BUTTON)
        return
    if not await context.facilitators.is_facilitator(
        context.bot, group.chat_id, query.from_user.id
    ):
        await query.answer(views.ONLY_FACILITATORS_PIN, show_alert=True)
        return
    try:
        await context.bot.pin_chat_message(
            group.chat_id, message.message_id, disable_notification=True
        )
    except (BadRequest, Forbidden):
        await query.answer(views.PIN_NOT_ALLOWED, show_alert=True)
        return
    await query.answer(views.PINNED)
    # Done: the offer goes, the rest of the welcome stays as it was.
    keyboard = welcome_keyboard(context, group, pin=False)
    await edit_query_message(query, views.newcomers_welcome(group.title), keyboard)


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    """The Pin button's owner: with the other buttons, before the stale-button catch-all."""
    return [CallbackQueryHandler(pin_welcome, pattern=pattern(Action.PIN))]


def arrival_handlers() -> list[BaseHandler[Update, AppContext, None]]:
    """Arrivals, in a handler group of their own (see the module's doc)."""
    return [
        MessageHandler(f.StatusUpdate.NEW_CHAT_MEMBERS, members_joined),
        ChatMemberHandler(member_arrived, ChatMemberHandler.CHAT_MEMBER),
    ]
