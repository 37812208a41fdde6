"""The preview's buttons: Send, Cancel, and "Say I am a <role>"."""

from __future__ import annotations

from collections.abc import Callable

from telegram import CallbackQuery, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.clock import now
from bot.context import AppContext
from bot.domain.reply_rules import replies_possible
from bot.facilitators import is_in_chat
from bot.i18n import _, current_language
from bot.i18n.formats import day_and_clock
from bot.scheduling.feedback_routing import route
from bot.services import feedback, feedback_replies
from bot.services.feedback import Place, SendStatus
from bot.services.groups import find_group_by_id
from bot.views import feedback as views
from bot.views import feedback_replies as reply_views
from bot.views.callbacks import Action, decode, pattern
from handlers import feedback_drafts as drafts
from handlers.feedback import place_of, preview
from handlers.feedback_drafts import FeedbackDraft
from handlers.replies import confirm_done, edit_query_message, pressed_in_private


async def _expired(query: CallbackQuery, context: AppContext) -> None:
    press = decode(query.data)
    shown = drafts.sent_as(context, press.args[0]) if press and press.args else None
    if shown is not None and pressed_in_private(query):
        # A second tap on a preview whose Send went through: "Sent" stays. "Nothing was
        # sent" here would have an unwell person send it again, and spend their daily limit.
        await query.answer(views.ALREADY_SENT_SHORT)
        await edit_query_message(query, shown)
        return
    await query.answer(views.EXPIRED_SHORT)
    if pressed_in_private(query):  # forged onto a group's message: never rewrite it
        await edit_query_message(query, views.EXPIRED)


async def cancel(update: Update, context: AppContext) -> None:
    """Cancel: the draft is dropped and nothing is sent."""
    query = update.callback_query
    if query is None:
        return
    press, draft = decode(query.data), drafts.current(context)
    if (
        press is None
        or draft is None
        or press.args != (draft.serial,)
        or not pressed_in_private(query)
    ):
        await _expired(query, context)
        return
    drafts.drop(context)
    await query.answer(_(views.CANCELLED))
    await edit_query_message(query, views.CANCELLED)


async def toggle_tag(update: Update, context: AppContext) -> None:
    """Show my role with it, or not (offered only where k or more people hold that role)."""
    await _toggle(
        update,
        context,
        lambda draft, place, on: drafts.with_tag(context, draft, on and place.may_tag),
    )


async def toggle_replies(update: Update, context: AppContext) -> None:
    """Let the facilitators reply privately, or not (kept only if the item can reach them:
    Send checks again)."""
    await _toggle(update, context, lambda draft, place, on: drafts.with_replies(context, draft, on))


Toggle = Callable[[FeedbackDraft, Place, bool], FeedbackDraft]


async def _toggle(update: Update, context: AppContext, apply: Toggle) -> None:
    query = update.callback_query
    if query is None:
        return
    press, draft = decode(query.data), drafts.current(context)
    if (
        press is None
        or draft is None
        or draft.text is None
        or len(press.args) != 2
        or press.args[0] != draft.serial
        or not pressed_in_private(query)
    ):
        await _expired(query, context)
        return
    place = await place_of(context, draft.group_id, query.from_user.id)
    if place is None:
        drafts.drop(context)
        await query.answer(views.NOT_MEMBER_SHORT, show_alert=True)
        await edit_query_message(query, views.NOT_MEMBER)
        return
    draft = apply(draft, place, bool(press.args[1]))
    await query.answer()
    await edit_query_message(query, *preview(context, place, draft))


async def send(update: Update, context: AppContext) -> None:
    """Send: checked, counted and stored without the sender, then routed by the group's mode."""
    query = update.callback_query
    if query is None:
        return
    press, draft = decode(query.data), drafts.current(context)
    if (
        press is None
        or draft is None
        or draft.text is None
        or press.args != (draft.serial,)
        or not pressed_in_private(query)
    ):
        await _expired(query, context)
        return
    user_id = query.from_user.id
    sent = await _store(context, draft, user_id)
    if sent.status is SendStatus.TAG_NOT_ALLOWED:
        place = await place_of(context, draft.group_id, user_id)
        if place is not None:
            draft = drafts.with_tag(context, draft, False)
            await query.answer(views.TAG_GONE[:200], show_alert=True)
            await edit_query_message(query, *preview(context, place, draft))
            return
    drafts.drop(context)
    if sent.status is SendStatus.LIMIT_REACHED:
        place = await place_of(context, draft.group_id, user_id)
        title = "" if place is None else place.group.title
        await query.answer()
        limit = context.settings.feedback_daily_limit
        await edit_query_message(query, views.limit_reached(title, limit))
        return
    if sent.status in (SendStatus.URGENT_LIMIT_REACHED, SendStatus.MUTED):
        # Not passed on; the crisis contacts go back whatever the reason.
        await query.answer()
        await edit_query_message(query, await _urgent_refusal(context, sent, user_id))
        return
    if sent.status is not SendStatus.SENT:
        await query.answer(views.NOT_MEMBER_SHORT, show_alert=True)
        await edit_query_message(query, views.NOT_MEMBER)
        return
    place = await place_of(context, draft.group_id, user_id)
    hour = 0 if place is None else place.digest_hour
    # Stored: whatever becomes of the "Sent" message, it is routed now, and the person is
    # never asked to send it again.
    shown = views.sent(sent.delivery, hour, urgent=sent.urgent)
    if draft.replies and replies_possible(sent.delivery, urgent=sent.urgent):
        # Before routing, so the facilitators' copies carry "Reply privately".
        async with context.uow() as uow:
            await feedback_replies.allow(uow, context.secret, sent.feedback_id, user_id, now())
        shown = f"{shown}\n\n{_(reply_views.SENT_WITH_REPLIES)}"
    drafts.mark_sent(context, draft.serial, shown)
    await confirm_done(query, _(views.SENT_SHORT), shown)
    await route(context, sent)


async def _urgent_refusal(context: AppContext, sent: feedback.Sent, user_id: int) -> str:
    place = await place_of(context, sent.group_id, user_id)
    title = "" if place is None else place.group.title
    contacts = context.settings.contacts_for(current_language())
    if sent.muted_until is None:
        return views.urgent_limit_reached(title, contacts)
    zone = "UTC" if place is None else place.group.timezone
    return views.urgent_muted(title, day_and_clock(sent.muted_until, zone), contacts)


async def _store(context: AppContext, draft: FeedbackDraft, user_id: int) -> feedback.Sent:
    async with context.uow() as uow:
        group = await find_group_by_id(uow, draft.group_id)
    # Someone who left the Telegram group keeps a role row until they erase it; they may no
    # longer send to it.
    if group is None or not await is_in_chat(context.bot, group.chat_id, user_id):
        return feedback.Sent(SendStatus.NOT_MEMBER)
    assert draft.text is not None
    async with context.uow() as uow:
        return await feedback.send(
            uow,
            context.secret,
            group_id=draft.group_id,
            user_id=user_id,
            text=draft.text,
            tag_role=draft.tagged,
            now=now(),
            min_cell=context.settings.min_cell,
            daily_limit=context.settings.feedback_daily_limit,
            crisis_phrases=context.settings.all_crisis_phrases,
            urgent_daily_limit=context.settings.feedback_urgent_daily_limit,
        )


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [
        CallbackQueryHandler(send, pattern=pattern(Action.FEEDBACK_SEND)),
        CallbackQueryHandler(cancel, pattern=pattern(Action.FEEDBACK_CANCEL)),
        CallbackQueryHandler(toggle_tag, pattern=pattern(Action.FEEDBACK_TAG)),
        CallbackQueryHandler(toggle_replies, pattern=pattern(Action.FEEDBACK_ALLOW_REPLIES)),
    ]
