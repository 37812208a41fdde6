"""The last resort for button presses nothing else claimed: forged, truncated or retired data."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import AppContext
from bot.views import general


async def unknown_button(update: Update, context: AppContext) -> None:
    """Answer every press, so the person's button does not spin forever."""
    if update.callback_query is not None:
        await update.callback_query.answer(general.STALE_BUTTON)


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [CallbackQueryHandler(unknown_button)]
