"""Text typed in the private chat that is not a command: one handler routes it, in order."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.context import AppContext
from bot.views import poll_wizard as wizard_views
from handlers import (
    feedback,
    feedback_replies,
    involvement,
    meeting_setup,
    outcomes,
    poll_reasons,
    poll_wizard,
    reports,
)
from handlers.replies import reply


async def route_private_text(update: Update, context: AppContext) -> None:
    """A private reply or answer being written, feedback being written, the poll set-up, the
    meeting set-up, a proposal reason; else help. A crisis never comes here (the crisis gate
    answered it and stopped it), except in a facilitator's private reply."""
    if await feedback_replies.take_text(update, context):
        return
    if await outcomes.take_text(update, context):
        return
    if await reports.take_text(update, context):
        return
    if await involvement.take_text(update, context):
        return
    if await feedback.take_text(update, context):
        return
    if await poll_wizard.take_text(update, context):
        return
    if await meeting_setup.take_text(update, context):
        return
    if await poll_reasons.take_reason(update, context):
        return
    await reply(update, wizard_views.NOT_UNDERSTOOD)


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [
        MessageHandler(
            filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND & ~filters.UpdateType.EDITED,
            route_private_text,
        )
    ]
