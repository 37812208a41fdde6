"""Getting a stored feedback item to the right people: facilitators, the group, or a digest.

Facilitators are the group's admins (asked of Telegram, kept in memory) whom the bot can
write to, known by person_key. Who sent an item is never known here: only its id travels.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup
from telegram.error import Forbidden, TelegramError

from bot.domain.feedback_rules import Delivery, Status
from bot.scheduling.feedback_jobs import post_item, schedule_digest
from bot.scheduling.group_sender import send_to_group
from bot.services import feedback_delivery, reachable
from bot.services.feedback import Sent
from bot.services.feedback_delivery import Item
from bot.views import feedback_posts as views
from bot.views.general import open_private_chat_keyboard

if TYPE_CHECKING:
    from bot.context import AppContext

log = logging.getLogger(__name__)


async def route(context: AppContext, sent: Sent) -> None:
    """A crisis goes to facilitators whatever the mode; otherwise the group's delivery decides."""
    if sent.urgent or sent.delivery is Delivery.MODERATED:
        await to_facilitators(context, sent.feedback_id)
    elif sent.delivery is Delivery.DIRECT:
        await post_item(context, sent.feedback_id)
    elif sent.due_at is not None:
        schedule_digest(context.job_queue, sent.group_id, sent.due_at)


def _message_for(context: AppContext, item: Item) -> tuple[str, InlineKeyboardMarkup | None]:
    if item.status is Status.URGENT:
        contacts = context.settings.crisis_contacts
        return views.urgent(item.group_title, item.role_tag, item.text, contacts), None
    return (
        views.for_moderation(item.group_title, item.role_tag, item.text),
        views.moderation_keyboard(item.id),
    )


async def _send_privately(context: AppContext, user_id: int, item: Item) -> bool:
    text, markup = _message_for(context, item)
    try:
        await context.bot.send_message(user_id, text, reply_markup=markup)
    except Forbidden:
        # Blocked the bot since: forget them, so nobody waits on a facilitator who cannot hear.
        async with context.uow() as uow:
            await reachable.forget(uow, context.secret, user_id)
        return False
    except TelegramError as error:
        log.warning("could not reach a facilitator: %s", type(error).__name__)
        return False
    return True


async def to_facilitators(context: AppContext, feedback_id: int) -> int:
    """Send the item to every facilitator the bot can reach; tell the group if none can be."""
    async with context.uow() as uow:
        item = await feedback_delivery.item(uow, feedback_id)
    if item is None or not item.group_active:
        return 0
    admins = await context.facilitators.of(context.bot, item.chat_id)
    async with context.uow() as uow:
        targets = await reachable.among(uow, context.secret, admins)
    delivered = 0
    for user_id in targets:
        delivered += await _send_privately(context, user_id, item)
    if delivered:
        async with context.uow() as uow:
            await feedback_delivery.reached(uow, item.id)
    else:
        log.info("feedback %s waits for a facilitator in group %s", item.id, item.group_id)
        await send_to_group(
            context,
            item.chat_id,
            views.WAITING_IN_GROUP,
            markup=open_private_chat_keyboard(context.bot.username, "Open a private chat"),
        )
    return delivered


async def catch_up(context: AppContext, user_id: int) -> int:
    """Someone just opened the private chat: if they facilitate a group whose items reached
    no facilitator yet, those items go to them now."""
    async with context.uow() as uow:
        waiting = await feedback_delivery.unreached(uow)
    delivered = 0
    for item in waiting:
        if not item.group_active or not await context.facilitators.is_facilitator(
            context.bot, item.chat_id, user_id
        ):
            continue
        if await _send_privately(context, user_id, item):
            delivered += 1
            async with context.uow() as uow:
                await feedback_delivery.reached(uow, item.id)
    return delivered
