"""The one error handler: log without personal data, tell the person kindly."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.context import AppContext
from bot.views import general

log = logging.getLogger(__name__)


def _describe(update: object) -> str:
    # Only the kind of update: its contents can hold ids, names, votes or feedback.
    if not isinstance(update, Update):
        return "no update"
    kinds = [
        name
        for name in ("message", "edited_message", "callback_query", "my_chat_member")
        if getattr(update, name, None) is not None
    ]
    return f"update {update.update_id} ({', '.join(kinds) or 'other'})"


async def on_error(update: object, context: AppContext) -> None:
    """Log the failure by type only and apologise to the person, if there is one."""
    error = context.error
    # A traceback holds code and values of our own frames, never the update; Telegram's own
    # errors are expected weather (timeouts, flood limits) and get one line.
    unexpected = error is not None and not isinstance(error, TelegramError)
    log.error(
        "handling %s failed: %s",
        _describe(update),
        type(error).__name__,
        exc_info=error if unexpected else None,
    )
    if not isinstance(update, Update) or isinstance(error, Forbidden):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(general.SOMETHING_WENT_WRONG_SHORT, show_alert=True)
        elif update.effective_message is not None and update.effective_message.text is not None:
            await update.effective_message.reply_text(general.SOMETHING_WENT_WRONG, do_quote=False)
    except TelegramError as send_error:
        log.warning("could not tell the person about the error: %s", type(send_error).__name__)
