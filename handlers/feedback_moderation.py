"""Facilitators: Publish or Reject in private, and /feedbacksettings in the group."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.clock import now
from bot.context import AppContext
from bot.domain.feedback_rules import DELIVERIES, Status
from bot.i18n import _
from bot.scheduling.feedback_jobs import post_item, schedule_digest
from bot.services import feedback_delivery, urgent_feedback
from bot.services.feedback_delivery import Item
from bot.services.groups import find_group_by_id
from bot.views import feedback_posts as views
from bot.views import general
from bot.views.callbacks import Action, decode, pattern
from handlers.feedback_copies import rewrite_other_copies
from handlers.feedback_replies import reply_keyboard
from handlers.guards import facilitator_command
from handlers.replies import edit_query_message, pressed_in_private, reply


async def decide(update: Update, context: AppContext) -> None:
    """Publish or Reject: a facilitator of the item's group, and the first press only."""
    query = update.callback_query
    if query is None:
        return
    # Moderation happens in private: forged onto a group's message, it must not show the item.
    press = decode(query.data) if pressed_in_private(query) else None
    item = None
    if press is not None and len(press.args) == 2 and press.args[1] in (0, 1):
        async with context.uow() as uow:
            item = await feedback_delivery.item(uow, press.args[0])
    # One answer for every press that is not this person's to decide (no such item, an item
    # of a group they do not facilitate, one that never went to moderation: direct, digest,
    # urgent), so forged data learns nothing: not its text, not its tag, not that it exists.
    if (
        press is None
        or item is None
        or not item.moderated
        or not await context.facilitators.is_facilitator(
            context.bot, item.chat_id, query.from_user.id
        )
    ):
        await query.answer(general.STALE_BUTTON)
        return
    publish = bool(press.args[1])
    async with context.uow() as uow:
        first = await feedback_delivery.decide(uow, item.id, publish=publish, now=now())
    if not first:
        await _decided_before(query, context, item.id, publish=publish)
        return
    await query.answer(_(_done(item, publish)))
    number = None
    if publish and not item.agenda:
        posted = await post_item(context, item.id)
        number = None if posted is None else posted.number
    markup = None if item.agenda else await reply_keyboard(context, item.id)
    await edit_query_message(query, _decided_text(item, _outcome(item, publish, number)), markup)

    async def others(mine: bool) -> tuple[str, InlineKeyboardMarkup | None]:
        outcome = _outcome(item, publish, number)
        text = _decided_text(item, outcome if mine else views.by_another(outcome))
        return text, None if item.agenda else await reply_keyboard(context, item.id)

    async with context.uow() as uow:
        copies = await urgent_feedback.copies_of_decided(uow, context.secret, item.id)
    await rewrite_other_copies(context, query, copies, others)


def _done(item: Item, publish: bool) -> str:
    if not publish:
        return views.DONE_REJECTED
    return views.DONE_ADDED if item.agenda else views.DONE_PUBLISHED


def _outcome(item: Item, publish: bool, number: int | None) -> str:
    """What became of the item, in the current language (each copy is read in its own)."""
    if not publish:
        return _(views.REJECTED)
    if item.agenda:
        return views.listed(item.meeting)
    if number is None:
        return views.publish_failed(item.group_title)
    return views.published(item.group_title, number)


def _decided_text(item: Item, outcome: str) -> str:
    if item.agenda:
        return views.agenda_decided(item.group_title, item.meeting, item.text, outcome)
    return views.decided(item.group_title, item.role_tag, item.text, outcome)


async def _decided_before(
    query: CallbackQuery, context: AppContext, feedback_id: int, *, publish: bool
) -> None:
    """A press on an item already decided: the same decision (a double tap, or a second
    facilitator agreeing) keeps what was done in place; a different one is told it was dealt
    with. "Another facilitator has dealt with it" after one's own tap would be untrue."""
    async with context.uow() as uow:
        item = await feedback_delivery.item(uow, feedback_id)
    if item is None:
        await query.answer(general.STALE_BUTTON)
        return
    if publish and item.agenda and item.status is Status.PUBLISHED:
        await query.answer(views.ALREADY_LISTED)
        outcome = views.listed(item.meeting)
    elif publish and item.status in (Status.TO_POST, Status.PUBLISHED):
        await query.answer(views.ALREADY_PUBLISHED)
        outcome = (
            views.publish_failed(item.group_title)
            if item.number is None or item.status is Status.TO_POST
            else views.published(item.group_title, item.number)
        )
    elif not publish and item.status is Status.REJECTED:
        await query.answer(_(views.ALREADY_REJECTED))
        outcome = _(views.REJECTED)
    else:
        await query.answer(_(views.ALREADY_DECIDED), show_alert=True)
        outcome = _(views.ALREADY_DECIDED)
    await edit_query_message(
        query, _decided_text(item, outcome), await reply_keyboard(context, item.id)
    )


async def feedback_settings(update: Update, context: AppContext) -> None:
    """/feedbacksettings: facilitators choose how feedback reaches the group."""
    group = await facilitator_command(
        update,
        context,
        elsewhere=views.SETTINGS_IN_GROUP_ONLY,
        refusal=views.SETTINGS_FACILITATORS_ONLY,
    )
    if group is None:
        return
    async with context.uow() as uow:
        chosen = await feedback_delivery.settings_of(uow, group.id)
    await reply(
        update,
        views.settings_text(chosen.delivery, chosen.digest_hour),
        views.settings_keyboard(group.id, chosen.delivery, chosen.digest_hour),
    )


async def change_settings(update: Update, context: AppContext) -> None:
    """A delivery or digest-hour button under /feedbacksettings."""
    query = update.callback_query
    if query is None:
        return
    press = decode(query.data)
    if (
        press is None
        or len(press.args) != 3
        or press.args[1] >= len(DELIVERIES)
        or query.message is None
    ):
        await query.answer(general.STALE_BUTTON)
        return
    group_id, delivery, hour = press.args[0], DELIVERIES[press.args[1]], press.args[2]
    async with context.uow() as uow:
        group = await find_group_by_id(uow, group_id)
    if group is None or group.chat_id != query.message.chat.id:
        await query.answer(general.STALE_BUTTON, show_alert=True)
        return
    if not await context.facilitators.is_facilitator(
        context.bot, group.chat_id, query.from_user.id
    ):
        await query.answer(_(views.SETTINGS_FACILITATORS_ONLY)[:200], show_alert=True)
        return
    try:
        async with context.uow() as uow:
            chosen = await feedback_delivery.change_settings(
                uow,
                group.id,
                delivery=delivery,
                digest_hour=hour,
                now=now(),
                zone=ZoneInfo(group.timezone),
            )
            times = dict(await feedback_delivery.digest_times(uow))
    except ValueError:
        await query.answer(general.STALE_BUTTON)
        return
    if group.id in times:
        schedule_digest(context.job_queue, group.id, times[group.id])
    await query.answer(_(views.DONE_SAVED))
    await edit_query_message(
        query,
        views.settings_text(chosen.delivery, chosen.digest_hour),
        views.settings_keyboard(group.id, chosen.delivery, chosen.digest_hour),
    )


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [
        CommandHandler("feedbacksettings", feedback_settings, filters=~filters.UpdateType.EDITED),
        CallbackQueryHandler(decide, pattern=pattern(Action.FEEDBACK_DECIDE)),
        CallbackQueryHandler(change_settings, pattern=pattern(Action.FEEDBACK_SETTINGS)),
    ]
