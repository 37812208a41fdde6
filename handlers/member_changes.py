"""People joining, leaving or being banned from a group: a role does not outlive leaving.

Telegram tells the bot in two ways, and either may be missing: `chat_member` updates come
only when the bot is an admin (and asked for them, bot/app.py ALLOWED_UPDATES); the "X left
the group" service message does not come when the group hides join and leave messages.
Both are handled (a leave seen twice deletes nothing more), and votes, meeting answers and
"See results" ask Telegram too (bot/facilitators.py PresenceCache) for the leaves neither
reported.
"""

from __future__ import annotations

import logging

from telegram import ChatMember, Update, User
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import BaseHandler, ChatMemberHandler, MessageHandler, filters

from bot.context import AppContext
from bot.facilitators import MEMBER_STATUSES
from bot.services import membership

log = logging.getLogger(__name__)

_GROUPS = {ChatType.GROUP, ChatType.SUPERGROUP}


def _present(member: ChatMember) -> bool:
    if member.status in MEMBER_STATUSES:
        return True
    return member.status == ChatMemberStatus.RESTRICTED and bool(
        getattr(member, "is_member", False)
    )


async def _gone(context: AppContext, chat_id: int, user: User) -> None:
    context.bot_data.presence.note(chat_id, user.id, present=False)
    async with context.uow() as uow:
        erased = await membership.left_group(uow, context.secret, chat_id, user.id)
    if erased:
        log.info("a member left a group; their role there was deleted")  # no id, no role


async def member_changed(update: Update, context: AppContext) -> None:
    """A `chat_member` update: someone joined, left, was banned, or changed rank."""
    change = update.chat_member
    if change is None or change.chat.type not in _GROUPS:
        return
    user, chat_id = change.new_chat_member.user, change.chat.id
    if user.is_bot:
        return
    # Admin rights may have moved with it: the facilitators are asked again.
    context.facilitators.forget(chat_id)
    if _present(change.new_chat_member):
        context.bot_data.presence.note(chat_id, user.id, present=True)
    else:  # left, banned, or restricted out of the group
        await _gone(context, chat_id, user)


async def member_left_message(update: Update, context: AppContext) -> None:
    """The "X left the group" service message (also sent when someone is removed)."""
    message = update.effective_message
    if message is None or message.chat.type not in _GROUPS:
        return
    user = message.left_chat_member
    if user is None or user.is_bot:  # the bot itself: bot_membership_changed handles that
        return
    await _gone(context, message.chat.id, user)


async def members_joined_message(update: Update, context: AppContext) -> None:
    """ "X joined the group": someone who left and came back may vote again at once."""
    message = update.effective_message
    if message is None or message.chat.type not in _GROUPS:
        return
    for user in message.new_chat_members or ():
        if not user.is_bot:
            context.bot_data.presence.note(message.chat.id, user.id, present=True)


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [
        ChatMemberHandler(member_changed, ChatMemberHandler.CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.LEFT_CHAT_MEMBER, member_left_message),
        MessageHandler(filters.StatusUpdate.NEW_CHAT_MEMBERS, members_joined_message),
    ]
