"""Small shared ways to answer: in the same chat and forum topic, never crashing on a send."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType


def message_of(update: Update) -> Message:
    message = update.effective_message
    if message is None:
        raise ValueError("this handler needs a message")
    return message


def user_id_of(update: Update) -> int:
    user = update.effective_user
    if user is None:
        raise ValueError("this handler needs a user")
    return user.id


def is_private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


def is_group(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type in {ChatType.GROUP, ChatType.SUPERGROUP}


async def reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    """Answer in the chat (and forum topic) the update came from."""
    return await message_of(update).reply_text(text, reply_markup=markup, do_quote=False)
