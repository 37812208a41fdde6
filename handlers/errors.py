"""The one error handler: log without personal data, repair what Telegram told us, apologise."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import ChatMigrated, Forbidden, TelegramError

from bot.context import AppContext
from bot.services import groups
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


async def _repair(update: Update, context: AppContext, error: TelegramError) -> None:
    """Learn from Telegram's answer so the same failure does not repeat."""
    chat = update.effective_chat
    if chat is None or chat.type not in {ChatType.GROUP, ChatType.SUPERGROUP}:
        return
    async with context.uow() as uow:
        if isinstance(error, ChatMigrated):
            # The group became a supergroup while this update was on its way.
            await groups.chat_migrated(uow, chat.id, error.new_chat_id)
        elif isinstance(error, Forbidden):
            # Removed from the group before we heard of it: stop sending there.
            await groups.bot_removed(uow, chat.id)


async def on_error(update: object, context: AppContext) -> None:
    """Log the failure by type only, repair what can be, and apologise to the person."""
    error = context.error
    # A traceback shows our code, not the update; Telegram's own errors are expected weather
    # (timeouts, flood limits, a removed bot) and get one line.
    unexpected = error is not None and not isinstance(error, TelegramError)
    log.error(
        "handling %s failed: %s",
        _describe(update),
        type(error).__name__,
        exc_info=error if unexpected else None,
    )
    if not isinstance(update, Update):
        return
    if isinstance(error, ChatMigrated | Forbidden):
        await _repair(update, context, error)
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(general.SOMETHING_WENT_WRONG_SHORT, show_alert=True)
        elif update.effective_message is not None and update.effective_message.text is not None:
            await update.effective_message.reply_text(general.SOMETHING_WENT_WRONG, do_quote=False)
    except TelegramError as send_error:
        log.warning("could not tell the person about the error: %s", type(send_error).__name__)
