"""Sending to a group from a job: follow upgrades, stop at removals, never crash the job."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup, Message, ReplyParameters
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError

from bot.services import groups

if TYPE_CHECKING:
    from bot.context import AppContext

log = logging.getLogger(__name__)


async def send_to_group(
    context: AppContext,
    chat_id: int,
    text: str,
    *,
    thread_id: int | None = None,
    markup: InlineKeyboardMarkup | None = None,
    reply_to: int | None = None,
) -> Message | None:
    """Send, or return None if the group is gone (and remember that it is)."""
    for _ in range(2):  # a second try only after following a supergroup upgrade
        try:
            return await context.bot.send_message(
                chat_id,
                text,
                message_thread_id=thread_id,
                reply_markup=markup,
                reply_parameters=None
                if reply_to is None
                else ReplyParameters(reply_to, allow_sending_without_reply=True),
            )
        except ChatMigrated as moved:
            async with context.uow() as uow:
                await groups.chat_migrated(uow, chat_id, moved.new_chat_id)
            chat_id = moved.new_chat_id
        except Forbidden:
            async with context.uow() as uow:
                await groups.bot_removed(uow, chat_id)
            log.info("a group removed the bot; it is now inactive")
            return None
        except TelegramError as error:
            log.warning("could not send to a group: %s", type(error).__name__)
            return None
    return None


async def edit_in_group(
    context: AppContext,
    chat_id: int,
    message_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None,
) -> bool:
    """Edit a message in a group; identical content or a deleted message is not an error."""
    try:
        await context.bot.edit_message_text(
            text, chat_id=chat_id, message_id=message_id, reply_markup=markup
        )
    except BadRequest as error:
        if "not modified" in error.message.lower():
            return True
        log.warning("could not edit a poll message: %s", error.message)
        return False
    except Forbidden:
        async with context.uow() as uow:
            await groups.bot_removed(uow, chat_id)
        return False
    except TelegramError as error:
        log.warning("could not edit a poll message: %s", type(error).__name__)
        return False
    return True
