"""Getting a stored feedback item to the right people: facilitators, the group, or a digest.

Facilitators are the group's admins (asked of Telegram, kept in memory) whom the bot can
write to, known by person_key. Who sent an item is never known here: only its id travels.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup
from telegram.error import Forbidden, TelegramError

from bot.clock import now
from bot.domain.feedback_rules import Delivery, Status
from bot.i18n import _, current_language, speaking
from bot.reader_languages import group_language_of, person_language_of
from bot.scheduling.feedback_jobs import post_item, schedule_digest
from bot.scheduling.group_sender import deliver_to_group
from bot.services import feedback_delivery, feedback_replies, reachable, urgent_feedback
from bot.services.feedback import Sent
from bot.services.feedback_delivery import Item
from bot.services.urgent_feedback import Copy
from bot.views import feedback_posts as views
from bot.views import feedback_replies as reply_views
from bot.views.general import open_private_chat_keyboard
from bot.views.limits import split_message

if TYPE_CHECKING:
    from bot.context import AppContext

log = logging.getLogger(__name__)


async def route(context: AppContext, sent: Sent) -> None:
    """A crisis goes to facilitators whatever the mode; otherwise the group's delivery decides.

    Never raises for Telegram's sake: what could not be delivered now the sweep delivers.
    """
    if sent.urgent or sent.delivery is Delivery.MODERATED:
        await to_facilitators(context, sent.feedback_id, mute_token=sent.mute_token)
    elif sent.delivery is Delivery.DIRECT:
        await post_item(context, sent.feedback_id)
    elif sent.due_at is not None:
        schedule_digest(context.job_queue, sent.group_id, sent.due_at)


def _copy_for(
    context: AppContext,
    item: Item,
    *,
    reminder: bool = False,
    replies: bool = False,
    mute_token: int | None = None,
) -> tuple[list[str], InlineKeyboardMarkup | None]:
    if item.status is Status.URGENT:
        contacts = context.settings.contacts_for(current_language())
        parts = views.urgent(
            item.group_title, item.role_tag, item.text, contacts, reminder=reminder
        )
        keyboard = views.seen_keyboard(item.id)
    elif item.agenda:
        parts = views.agenda_for_moderation(item.group_title, item.meeting, item.text)
        keyboard = views.moderation_keyboard(item.id, views.ADD_TO_AGENDA)
    else:
        parts = views.for_moderation(item.group_title, item.role_tag, item.text)
        keyboard = views.moderation_keyboard(item.id)
    if replies:
        keyboard = InlineKeyboardMarkup([*keyboard.inline_keyboard, reply_views.reply_row(item.id)])
    if item.status is Status.URGENT and mute_token is not None:
        # Only on the copies sent as the item arrives: its sender's key is known then, and
        # never stored (bot/services/urgent_mutes.py).
        keyboard = InlineKeyboardMarkup(
            [*keyboard.inline_keyboard, views.mute_row(item.id, mute_token)]
        )
    return parts, keyboard


async def _send_privately(
    context: AppContext,
    user_id: int,
    item: Item,
    *,
    reminder: bool = False,
    mute_token: int | None = None,
) -> Copy | None:
    """The copy, in as many parts as it takes; where its buttons went, or None if it failed."""
    async with context.uow() as uow:
        replies = bool(await feedback_replies.which_open(uow, [item.id], now()))
    # In the organiser's language: a job, or the writer's Send, is what sends it.
    with speaking(await person_language_of(context, user_id)):
        parts, markup = _copy_for(
            context, item, reminder=reminder, replies=replies, mute_token=mute_token
        )
    message_id = await _send_parts(context, user_id, parts, markup)
    return None if message_id is None else Copy(user_id, message_id)


async def _send_parts(
    context: AppContext, user_id: int, parts: list[str], markup: InlineKeyboardMarkup | None
) -> int | None:
    """To a facilitator, the buttons under the last part; its message id, or None."""
    try:
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            sent = await context.bot.send_message(
                user_id, part, reply_markup=markup if last else None
            )
    except Forbidden:
        # Blocked the bot since: forget them, so nobody waits on a facilitator who cannot hear.
        async with context.uow() as uow:
            await reachable.forget(uow, context.secret, user_id)
        return None
    except TelegramError as error:
        log.warning("could not reach a facilitator: %s", type(error).__name__)
        return None
    return sent.message_id


async def _reachable_admins(context: AppContext, item: Item) -> list[int]:
    return await reachable_facilitators(context, item.chat_id) if item.group_active else []


async def reachable_facilitators(context: AppContext, chat_id: int) -> list[int]:
    """The group's facilitators the bot can write to privately ([] if Telegram cannot say)."""
    admins = await _admins(context, chat_id)
    if not admins:
        return []
    async with context.uow() as uow:
        return await reachable.among(uow, context.secret, admins)


async def _to_reachable_admins(
    context: AppContext, item: Item, *, reminder: bool = False, mute_token: int | None = None
) -> list[Copy]:
    copies: list[Copy] = []
    for user_id in await _reachable_admins(context, item):
        copy = await _send_privately(
            context, user_id, item, reminder=reminder, mute_token=mute_token
        )
        if copy is not None:
            copies.append(copy)
    return copies


async def _admins(context: AppContext, chat_id: int) -> frozenset[int] | None:
    """The group's facilitators, or None when Telegram cannot say just now (try later).

    Never from a list past its time: someone demoted since must not be sent feedback text.
    """
    try:
        return await context.facilitators.of(context.bot, chat_id, stale_ok=False)
    except TelegramError as error:
        log.warning("could not list a group's facilitators: %s", type(error).__name__)
        return None


async def _reached_or_not(context: AppContext, item: Item, copies: list[Copy]) -> None:
    """The item reached these copies' facilitators, or (none) waits for the next try."""
    async with context.uow() as uow:
        if copies:
            await feedback_delivery.reached(uow, item.id)
        else:
            await feedback_delivery.not_reached(uow, item.id)
    if copies:
        # Where the copies went, so the first "I've seen this", Publish or Reject can update
        # them all; for an urgent item, the clock for reminding if nobody presses it.
        remind_at = None
        if item.status is Status.URGENT:
            remind_at = now() + timedelta(minutes=context.settings.urgent_reminder_minutes)
        async with context.uow() as uow:
            await urgent_feedback.copies_sent(
                uow, context.secret, item.id, copies, remind_at=remind_at
            )


async def to_facilitators(
    context: AppContext, feedback_id: int, *, mute_token: int | None = None
) -> int:
    """Send the item to every facilitator the bot can reach, once (the item is leased).

    Nothing is said in the group here: a notice now would tell it when someone wrote. If no
    facilitator is reached (none can be, or Telegram failed for now), the lease is given back
    and the sweep tries again; the group's daily notice is the sweep's (notify_waiting).
    """
    async with context.uow() as uow:
        item = await feedback_delivery.take_for_facilitators(uow, feedback_id, now())
    if item is None:
        return 0
    copies: list[Copy] = []
    try:
        copies = await _to_reachable_admins(context, item, mute_token=mute_token)
    finally:
        await _reached_or_not(context, item, copies)
    delivered = len(copies)
    if not delivered:
        log.debug("feedback %s waits for a facilitator in group %s", item.id, item.group_id)
    return delivered


async def answer_to_facilitators(
    context: AppContext, item: Item, answer: str, *, urgent: bool
) -> int:
    """A writer's answer to a private reply: to every facilitator of the group the bot can
    reach, with "Reply privately". Returns how many received it."""
    delivered = 0
    for user_id in await _reachable_admins(context, item):
        # Each organiser reads it in their own language, not the writer's.
        with speaking(await person_language_of(context, user_id)):
            parts = split_message(
                reply_views.to_facilitators(item.group_title, item.text, answer, urgent=urgent)
            )
            keyboard = reply_views.facilitator_keyboard(item.id)
        delivered += await _send_parts(context, user_id, parts, keyboard) is not None
    return delivered


async def remind_unseen(context: AppContext) -> int:
    """The sweep: urgent items nobody marked as seen in time go to the facilitators again,
    once (leased), in the group's waking hours if so set. Returns how many were reminded."""
    moment = now()
    async with context.uow() as uow:
        due = await urgent_feedback.due(uow, moment)
    reminded = 0
    for feedback_id in due:
        async with context.uow() as uow:
            item = await urgent_feedback.take_reminder(
                uow, feedback_id, moment, context.settings.urgent_reminder_hours
            )
        if item is None:
            continue
        copies = await _to_reachable_admins(context, item, reminder=True)
        async with context.uow() as uow:
            await urgent_feedback.copies_sent(uow, context.secret, item.id, copies)
            await urgent_feedback.reminded(uow, item.id)
        reminded += 1
    return reminded


async def retry_unreached(context: AppContext) -> int:
    """The sweep: items no facilitator has received yet are tried again."""
    async with context.uow() as uow:
        waiting = await feedback_delivery.unreached(uow)
    delivered = 0
    for item in waiting:
        if item.group_active:
            delivered += await to_facilitators(context, item.id) > 0
    return delivered


async def notify_waiting(context: AppContext) -> int:
    """The sweep: at most once a day, at a fixed hour, tell a group (without saying what,
    how many or when) that feedback waits for a facilitator who has not opened a chat."""
    async with context.uow() as uow:
        due = await feedback_delivery.notices_due(uow, now())
    told = 0
    for notice in due:
        with speaking(await group_language_of(context, notice.chat_id)):
            text = _(views.WAITING_IN_GROUP)
            markup = open_private_chat_keyboard(context.bot.username, _("Open a private chat"))
        delivery = await deliver_to_group(context, notice.chat_id, text, markup=markup)
        if delivery.retry_later:
            async with context.uow() as uow:
                await feedback_delivery.unclaim_notice(
                    uow, notice.group_id, notice.day, notice.before
                )
        told += delivery.message is not None
    return told


async def catch_up(context: AppContext, user_id: int) -> int:
    """Someone just opened the private chat: if they facilitate a group whose items reached
    no facilitator yet, those items go to them now."""
    async with context.uow() as uow:
        waiting = await feedback_delivery.unreached(uow)
    delivered = 0
    for waiting_item in waiting:
        if not waiting_item.group_active:
            continue
        admins = await _admins(context, waiting_item.chat_id)
        if admins is None or user_id not in admins:
            continue
        async with context.uow() as uow:
            item = await feedback_delivery.take_for_facilitators(uow, waiting_item.id, now())
        if item is None:
            continue  # reached meanwhile, or the sweep is sending it (to them too) right now
        copy = await _send_privately(context, user_id, item)
        await _reached_or_not(context, item, [] if copy is None else [copy])
        delivered += copy is not None
    return delivered
