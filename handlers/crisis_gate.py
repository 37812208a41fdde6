"""The crisis gate: every word a person sends the bot passes here before any feature acts on it.

DESIGN section 3, promise 7. It runs in its own handler group, after the replay check (a
message delivered twice is answered once) and the reach note, before every feature. Whatever
a message was for (a command's words, a set-up step, a reason, a caption, an edit, text in a
group), a crisis gets the crisis contacts at once and the message goes no further: it never
becomes an agenda item, a poll question, a meeting title or a reason. It can still reach the
group's facilitators, marked urgent, as feedback does, if the person presses Send.

In a group the contacts go privately when the person has opened a chat with the bot;
otherwise, if the message was meant for the bot (a command, a reply to it, a mention), the
group gets a short note that names nobody and a button to open the private chat. Text not
meant for the bot (seen only when privacy mode is off) gets no group note: the group is
talking among itself. The text is never logged.
"""

from __future__ import annotations

import logging
from functools import partial

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import Forbidden
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.context import AppContext
from bot.domain.crisis import HELP_PAYLOAD, is_crisis
from bot.i18n import current_language, speaking
from bot.reader_languages import person_language_of
from bot.services import groups, reachable
from bot.views import feedback as views
from bot.views.general import open_private_chat_keyboard
from handlers import feedback, feedback_replies
from handlers.replies import command_argument, is_command, reply, send_private

log = logging.getLogger(__name__)


def written(update: Update) -> tuple[Message, str] | None:
    """The message a person wrote in this update, and its words (text or caption).

    Only messages people send or edit: a button press carries the bot's own message, whose
    text (a feedback preview, say) must not count as the presser writing it again.
    """
    for message in (
        update.message,
        update.edited_message,
        update.channel_post,
        update.edited_channel_post,
        update.business_message,
        update.edited_business_message,
    ):
        if message is not None:
            words = message.text or message.caption
            return (message, words) if words else None
    return None


def meant_for_the_bot(message: Message, words: str, bot_id: int, bot_username: str) -> bool:
    """A command, a reply to one of the bot's messages, or a mention of it."""
    if is_command(message):
        return True
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return True
    return f"@{bot_username}".casefold() in words.casefold()


async def stop_crisis(update: Update, context: AppContext) -> None:
    """A crisis is answered here, and the update goes no further; anything else passes."""
    found = written(update)
    if found is None or not is_crisis(found[1], context.settings.all_crisis_phrases):
        return
    message, words = found
    private = message.chat.type == ChatType.PRIVATE
    if private and _plain_text(update, message) and feedback_replies.facilitator_writing(context):
        # A facilitator's private reply to one writer: never published, and a reply about a
        # crisis will use the same words. Any other message of theirs is gated as usual.
        return
    try:
        if private:
            await _answer_in_private(update, context, message, words)
        else:
            await _answer_from_group(update, context, message, words)
    except Exception as error:
        # Handing this to the error handler would let the next handler group run, and the
        # features act on the words. Only the kind of error is logged, never the words.
        log.warning("could not fully answer a crisis message: %s", type(error).__name__)
    raise ApplicationHandlerStop


def _plain_text(update: Update, message: Message) -> bool:
    """Typed text, new (not an edit), not a command: what a flow in progress would take."""
    return update.message is message and message.text is not None and not is_command(message)


async def _answer_in_private(
    update: Update, context: AppContext, message: Message, words: str
) -> None:
    await reply(update, views.crisis_reply(context.settings.contacts_for(current_language())))
    # A writer answering a facilitator's private reply: it still goes to them, marked urgent.
    if _plain_text(update, message) and await feedback_replies.take_text(
        update, context, words, urgent=True
    ):
        return
    await feedback.after_crisis(update, context, words, partial(reply, update))


async def _answer_from_group(
    update: Update, context: AppContext, message: Message, words: str
) -> None:
    user = update.effective_user
    if user is not None and not user.is_bot:
        # What goes privately is in the person's language, not the group's.
        with speaking(await _language_of(context, user.id, user.language_code)):
            if await _reached_privately_or_not(context, user.id):
                async with context.uow() as uow:
                    group = await groups.find_group(uow, message.chat.id)
                if group is not None and group.active:
                    said = command_argument(message) if is_command(message) else words
                    say = partial(send_private, context.bot, user.id)
                    await feedback.offer_crisis(
                        context, user.id, said or words, say, group_id=group.id
                    )
                return
    if meant_for_the_bot(message, words, context.bot.id, context.bot.username):
        keyboard = open_private_chat_keyboard(
            context.bot.username, views.CRISIS_IN_GROUP_BUTTON, HELP_PAYLOAD
        )
        await reply(update, views.CRISIS_IN_GROUP, keyboard)


async def _language_of(context: AppContext, user_id: int, telegram_code: str | None) -> str:
    """The person's language; a failure there falls back to Telegram's setting, so the
    contacts still go."""
    try:
        return await person_language_of(context, user_id, telegram_code)
    except Exception as error:
        log.warning("could not read a person's language: %s", type(error).__name__)
        return telegram_code or current_language()


async def _reached_privately_or_not(context: AppContext, user_id: int) -> bool:
    """As `_reached_privately`, but a failure there (the database gone for a moment) falls
    back to the note in the group: help is offered somewhere, whatever broke."""
    try:
        return await _reached_privately(context, user_id)
    except Exception as error:
        log.warning("could not answer a crisis privately: %s", type(error).__name__)
        return False


async def _reached_privately(context: AppContext, user_id: int) -> bool:
    """Send the contacts privately if the person opened a chat with the bot; True if sent."""
    async with context.uow() as uow:
        if not await reachable.among(uow, context.secret, [user_id]):
            return False
    contacts = views.crisis_reply(context.settings.contacts_for(current_language()))
    try:
        await send_private(context.bot, user_id, contacts)
    except Forbidden:
        # Blocked since: forget them, and answer in the group instead.
        async with context.uow() as uow:
            await reachable.forget(uow, context.secret, user_id)
        return False
    return True


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [TypeHandler(Update, stop_crisis)]
