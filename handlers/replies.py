"""Small shared ways to answer: in the same chat and forum topic, within Telegram's limits."""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    CallbackQuery,
    Chat,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.views.general import open_private_chat_keyboard
from bot.views.limits import split_message

log = logging.getLogger(__name__)


def message_of(update: Update) -> Message:
    message = update.effective_message
    if message is None:
        raise ValueError("this handler needs a message")
    return message


def is_command(message: Message) -> bool:
    """Whether the message starts with a command (as Telegram marks it)."""
    return any(
        entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0
        for entity in message.entities
    )


def command_argument(message: Message) -> str:
    """What follows the command, exactly as typed (a newline after /poll included)."""
    text = message.text or ""
    for entity in message.entities:
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            # Offsets count UTF-16 units, but a command is ASCII, so they match characters.
            return text[entity.length :].strip()
    return text.partition(" ")[2].strip()


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
    return chat is not None and is_group_chat(chat)


def is_group_chat(chat: Chat) -> bool:
    return chat.type in {ChatType.GROUP, ChatType.SUPERGROUP}


def pressed_in_private(query: CallbackQuery) -> bool:
    """Whether a button was pressed in a private chat: private buttons forged onto a group
    message must not rewrite that message for everyone to see."""
    return query.message is not None and query.message.chat.type == ChatType.PRIVATE


async def reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    """Answer in the chat (and forum topic) the update came from, in as many messages as fit.

    The buttons go with the last part, under the text they belong to.
    """
    parts = split_message(text)
    message = message_of(update)
    sent = message
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        sent = await message.reply_text(part, reply_markup=markup if last else None, do_quote=False)
    return sent


async def send_private(
    bot: Bot, user_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Write to a person's private chat (its id is theirs), in as many messages as fit."""
    sent = None
    parts = split_message(text)
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        sent = await bot.send_message(user_id, part, reply_markup=markup if last else None)
    return sent


async def edit_query_message(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit the message a button sits on; a double tap that changes nothing is not an error."""
    if not isinstance(query.message, Message) or query.message.text is None:
        return  # deleted, too old for the bot to see, or a file: there is no text to rewrite
    try:
        await query.edit_message_text(split_message(text)[0], reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise


async def edit_query_markup(query: CallbackQuery, markup: InlineKeyboardMarkup) -> None:
    """Change only the buttons of the message a button sits on; a double tap is no error."""
    if not isinstance(query.message, Message) or query.message.text is None:
        return
    try:
        # The text as it is, with new buttons: editMessageReplyMarkup would do, but the
        # library sends the default parse_mode with it, which that method does not take.
        await query.edit_message_text(query.message.text_html, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise


async def confirm_done(
    query: CallbackQuery, toast: str, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Tell the person that what they pressed for is done (and committed).

    Telegram failing to carry the news is logged, not apologised for: "something went wrong,
    try again" about something that worked would have them do it twice.
    """
    try:
        await query.answer(toast)
    except TelegramError as error:
        log.warning("could not answer a press that was done: %s", type(error).__name__)
    try:
        await edit_query_message(query, text, markup)
    except TelegramError as error:
        log.warning("could not show that a press was done: %s", type(error).__name__)


async def answer_privately(
    update: Update,
    bot: Bot,
    text: str,
    *,
    sent: str,
    unreachable: str,
    document: InputFile | None = None,
    markup: InlineKeyboardMarkup | None = None,
) -> bool:
    """Send the answer to a command typed in a group to the person's private chat, and say
    `sent` where they asked; if they never opened that chat, say `unreachable` there with the
    button that opens it. False when nothing could be sent."""
    try:
        if document is not None:
            await bot.send_document(user_id_of(update), document, caption=text)
        else:
            await bot.send_message(user_id_of(update), text, reply_markup=markup)
    except Forbidden:
        await reply(update, unreachable, open_private_chat_keyboard(bot.username))
        return False
    await reply(update, sent)
    return True
