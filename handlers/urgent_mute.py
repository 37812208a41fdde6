""" "Mute this sender for 24 hours" on an urgent item's copy (facilitators, in private).

Nobody knows who sent an urgent item, so what is muted is the sender's mute key, which only
the button carries (blinded per item; bot/services/urgent_mutes.py). The sender's next urgent
items in this group are not passed on until the mute ends: they are told so, each time, with
the crisis contacts. Everyone else's urgent items still come.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.clock import now
from bot.context import AppContext
from bot.domain.feedback_rules import Status
from bot.i18n.formats import day_and_clock
from bot.services import feedback_delivery, urgent_feedback, urgent_mutes
from bot.views import feedback_posts as views
from bot.views import general
from bot.views.callbacks import Action, decode, pattern
from handlers.replies import edit_query_message, pressed_in_private

log = logging.getLogger(__name__)


async def mute_sender(update: Update, context: AppContext) -> None:
    """Mute the sender of this urgent item: a facilitator of its group, on the item's copy."""
    query = update.callback_query
    if query is None:
        return
    press = decode(query.data) if pressed_in_private(query) else None
    item = None
    if press is not None and len(press.args) == 3:
        async with context.uow() as uow:
            item = await feedback_delivery.item(uow, press.args[0])
    # As for Publish / Reject: anything not this person's to mute reads as a stale button.
    if (
        press is None
        or item is None
        or item.status is not Status.URGENT
        or not item.text
        or not await context.facilitators.is_facilitator(
            context.bot, item.chat_id, query.from_user.id
        )
    ):
        await query.answer(general.STALE_BUTTON)
        return
    token = views.mute_token(press.args[1], press.args[2])
    async with context.uow() as uow:
        until = await urgent_mutes.mute(uow, context.secret, item.id, token, now())
        zone = await urgent_feedback.zone_of(uow, item.group_id)
    await query.answer(views.muted(day_and_clock(until, zone.key)), show_alert=True)
    message = query.message
    if isinstance(message, Message) and message.text is not None:
        # Done: the button goes from this copy (a press on another copy says the same). The
        # text is written again as it stands: PTB sends a parse mode with editMessageReplyMarkup,
        # which that method does not take.
        try:
            await edit_query_message(
                query, message.text_html, views.without_mute(message.reply_markup)
            )
        except TelegramError as error:
            log.info("could not take the Mute button off a copy: %s", type(error).__name__)


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [CallbackQueryHandler(mute_sender, pattern=pattern(Action.URGENT_MUTE))]
