""" "I've seen this" on an urgent feedback item (facilitators, in private).

The first press is recorded as a time, never as a person; every facilitator's copy is then
updated, the presser's to say they marked it, the others' to say a facilitator did.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.clock import now
from bot.context import AppContext
from bot.domain.feedback_rules import Status
from bot.i18n import _, current_language
from bot.services import feedback_delivery, urgent_feedback
from bot.services.feedback_delivery import Item
from bot.views import feedback_posts as views
from bot.views import general
from bot.views.callbacks import Action, decode, pattern
from handlers.feedback_copies import rewrite_other_copies
from handlers.feedback_replies import reply_keyboard
from handlers.replies import edit_query_message, pressed_in_private

_MINE = "urgent_seen_by_me"  # user_data: the items this person marked, for a double tap


def _clock(moment: datetime | None, zone: ZoneInfo) -> str:
    return "" if moment is None else f"{moment.astimezone(zone):%H:%M}"


def _copy_saying(context: AppContext, item: Item, seen: str) -> str:
    contacts = context.settings.contacts_for(current_language())
    return views.urgent(item.group_title, item.role_tag, item.text, contacts, seen=seen)[-1]


async def mark_seen(update: Update, context: AppContext) -> None:
    """The first press marks the item seen and updates every copy; later ones say it was."""
    query = update.callback_query
    if query is None:
        return
    press = decode(query.data) if pressed_in_private(query) else None
    item = None
    if press is not None and len(press.args) == 1:
        async with context.uow() as uow:
            item = await feedback_delivery.item(uow, press.args[0])
    if press is None or item is None or item.status is not Status.URGENT or not item.text:
        await query.answer(general.STALE_BUTTON)
        return
    user_id = query.from_user.id
    if not await context.facilitators.is_facilitator(context.bot, item.chat_id, user_id):
        await query.answer(_(views.FACILITATORS_ONLY), show_alert=True)
        return
    async with context.uow() as uow:
        seen = await urgent_feedback.mark_seen(uow, context.secret, item.id, now())
        zone = await urgent_feedback.zone_of(uow, item.group_id)
    at = _clock(seen.seen_at, zone)
    # "Mute this sender" stays on the copies: a flood is often noticed after the first one.
    mute = views.mute_rows(
        query.message.reply_markup if isinstance(query.message, Message) else None
    )
    mine = context.user_data.setdefault(_MINE, set()) if context.user_data is not None else set()
    if not seen.first:
        # A double tap keeps "You marked this"; anyone else learns it was seen, not by whom.
        by_me = item.id in mine
        await query.answer(_(views.ALREADY_SEEN_BY_YOU if by_me else views.ALREADY_SEEN))
        line = views.seen_by_you(at) if by_me else views.seen_by_a_facilitator(at)
        markup = views.with_rows(await reply_keyboard(context, item.id), mute)
        await edit_query_message(query, _copy_saying(context, item, line), markup)
        return
    mine.add(item.id)
    await query.answer(_(views.SEEN_THANKS))
    markup = views.with_rows(await reply_keyboard(context, item.id), mute)
    await edit_query_message(query, _copy_saying(context, item, views.seen_by_you(at)), markup)
    await _update_copies(context, query, item, seen.copies, at, mute)


async def _update_copies(
    context: AppContext,
    query: CallbackQuery,
    item: Item,
    copies: tuple[urgent_feedback.Copy, ...],
    at: str,
    mute: list[list[InlineKeyboardButton]],
) -> None:
    async def write(mine: bool) -> tuple[str, InlineKeyboardMarkup | None]:
        line = views.seen_by_you(at) if mine else views.seen_by_a_facilitator(at)
        markup = views.with_rows(await reply_keyboard(context, item.id), views.relabelled(mute))
        return _copy_saying(context, item, line), markup

    await rewrite_other_copies(context, query, copies, write)


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [CallbackQueryHandler(mark_seen, pattern=pattern(Action.URGENT_SEEN))]
