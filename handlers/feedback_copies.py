"""Every facilitator's copy of a feedback item, rewritten once one of them acts on it.

An urgent item marked seen, or a moderated item published or rejected: the presser's copy is
rewritten by their press; the others' copies are rewritten here, each in its reader's
language, so nobody is left with buttons for something already done. Where the copies went
is kept sealed (bot/services/urgent_feedback.py) and taken (deleted) by the first action.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import CallbackQuery, InlineKeyboardMarkup
from telegram.error import TelegramError

from bot.context import AppContext
from bot.i18n import speaking
from bot.reader_languages import person_language_of
from bot.services.urgent_feedback import Copy

log = logging.getLogger(__name__)

# Builds a copy's new text and buttons in the current language; True for the presser's own
# other copies (a reminder's, say), which may say "you" where the others say "an organiser".
CopyWriter = Callable[[bool], Awaitable[tuple[str, InlineKeyboardMarkup | None]]]


async def rewrite_other_copies(
    context: AppContext, query: CallbackQuery, copies: tuple[Copy, ...], write: CopyWriter
) -> int:
    """Rewrite every copy but the pressed one; how many were rewritten."""
    pressed = query.message.message_id if query.message is not None else None
    rewritten = 0
    for copy in copies:
        mine = copy.chat_id == query.from_user.id
        if mine and copy.message_id == pressed:
            continue  # the press rewrote it already
        with speaking(await person_language_of(context, copy.chat_id)):
            text, markup = await write(mine)
        try:
            await context.bot.edit_message_text(
                text, chat_id=copy.chat_id, message_id=copy.message_id, reply_markup=markup
            )
            rewritten += 1
        except TelegramError as error:
            # Deleted, blocked, or Telegram failing for now: that copy keeps its buttons, and
            # a press on one is told the item was dealt with.
            log.warning("could not update a copy of a feedback item: %s", type(error).__name__)
    return rewritten
