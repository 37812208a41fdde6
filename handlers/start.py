"""/start and /help, in private and group chats."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.context import AppContext
from bot.domain.crisis import HELP_PAYLOAD
from bot.domain.feedback_link import is_feedback_payload
from bot.domain.meeting_payloads import is_new_meeting_payload
from bot.domain.start_payloads import is_new_poll_payload
from bot.i18n import current_language
from bot.views import general
from bot.views.feedback import crisis_reply
from handlers import feedback, meeting_setup
from handlers.membership import join_from_link, post_join_message
from handlers.poll_wizard import begin_from_link
from handlers.replies import is_private, reply


async def start(update: Update, context: AppContext) -> None:
    """Greet; in private, a join payload opens the role choice, a poll payload the set-up."""
    if is_private(update):
        if context.args:
            payload = context.args[0]
            if payload == HELP_PAYLOAD:
                await reply(update, crisis_reply(context.settings.contacts_for(current_language())))
            elif is_new_poll_payload(payload):
                await begin_from_link(update, context, payload)
            elif is_new_meeting_payload(payload):
                await meeting_setup.begin_from_link(update, context, payload)
            elif is_feedback_payload(payload):
                await feedback.begin_from_link(update, context, payload)
            else:
                await join_from_link(update, context, payload)
            return
        await reply(update, general.START_PRIVATE)
        return
    await post_join_message(update, context, general.START_GROUP)


async def show_help(update: Update, context: AppContext) -> None:
    """Explain the bot in plain words, for the chat it is asked in."""
    await reply(update, general.HELP_PRIVATE if is_private(update) else general.HELP_GROUP)


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [
        CommandHandler("start", start, filters=~filters.UpdateType.EDITED),
        CommandHandler("help", show_help, filters=~filters.UpdateType.EDITED),
    ]
