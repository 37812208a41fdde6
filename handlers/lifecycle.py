"""The bot added to or removed from a group, and groups upgraded to supergroups."""

from __future__ import annotations

import logging

from telegram import ChatMemberUpdated, Update
from telegram.constants import ChatMemberStatus
from telegram.ext import BaseHandler, ChatMemberHandler, MessageHandler, filters

from bot.command_menus import set_group_menu
from bot.context import AppContext
from bot.domain.feedback_link import sign_feedback
from bot.i18n import DEFAULT_LANGUAGE, speaking, supported
from bot.scheduling.poll_jobs import repost_open_polls
from bot.services import groups, languages, membership
from bot.views import membership as views

log = logging.getLogger(__name__)

_PRESENT = {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}


def _was_and_is(change: ChatMemberUpdated) -> tuple[bool, bool]:
    return change.old_chat_member.status in _PRESENT, change.new_chat_member.status in _PRESENT


async def bot_membership_changed(update: Update, context: AppContext) -> None:
    """Welcome a group the bot joins; stop sending to one that removed it."""
    change = update.my_chat_member
    if change is None or change.chat.type not in {"group", "supergroup"}:
        return
    chat = change.chat
    was_in, is_in = _was_and_is(change)
    context.facilitators.forget(chat.id)  # admin rights may have changed too
    if is_in and not was_in:
        async with context.uow() as uow:
            group = await groups.bot_added(
                uow,
                chat.id,
                chat.title or "",
                is_forum=bool(chat.is_forum),
                timezone=context.settings.timezone,
            )
            # The group speaks the language of whoever added the bot, its first facilitator,
            # until a facilitator picks another (/grouplanguage).
            language = supported(change.from_user.language_code) or DEFAULT_LANGUAGE
            await languages.set_group_language(uow, group.id, language)
        context.bot_data.languages.keep_group(chat.id, language)
        log.info("bot added to group %s", group.id)
        payload = membership.join_payload(context.secret, group)
        with speaking(language):
            await context.bot.send_message(
                chat.id,
                views.welcome(group.title),
                reply_markup=views.join_keyboard(
                    context.bot.username, payload, sign_feedback(context.secret, group.id)
                ),
            )
    elif was_in and not is_in:
        async with context.uow() as uow:
            await groups.bot_removed(uow, chat.id)
        log.info("bot removed from a group; it is now inactive")


async def group_migrated(update: Update, context: AppContext) -> None:
    """A group became a supergroup: its data follows it to the new chat id."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    async with context.uow() as uow:
        moved = await groups.chat_migrated(uow, old, new)
    context.facilitators.forget(old)
    if moved is not None:
        log.info("group %s moved to its supergroup chat", moved.id)
        # Telegram sends the move to both chats; re-post once, on the new chat's notice.
        if message.migrate_from_chat_id:
            await repost_open_polls(context, moved)
            if moved.anyone_can_poll:  # a chat's own menus stay with the old chat id
                await set_group_menu(context.bot, moved.chat_id, anyone_can_poll=True)


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [
        ChatMemberHandler(bot_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, group_migrated),
    ]
