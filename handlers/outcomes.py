""" "You said, we did": /outcome (facilitators record what came of feedback and polls, in
private, with buttons), /yousaid (anyone, in the group) and the monthly digest's switch.

The outcome being recorded is held in memory only (user_data) until it is saved. Every
press checks again that the presser facilitates the group the item belongs to.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, Update
from telegram.error import Forbidden
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.clock import now
from bot.context import AppContext
from bot.domain.outcomes import (
    SUBJECTS,
    OutcomeFacts,
    OutcomeInputError,
    OutcomeStatus,
    clean_owner,
    clean_why,
)
from bot.i18n import _, speaking
from bot.reader_languages import group_language_of, person_language_of
from bot.scheduling.group_sender import send_to_group
from bot.services import feedback_replies, outcomes
from bot.services.groups import find_group_by_id
from bot.services.outcomes import Topic
from bot.views import general
from bot.views import outcomes as views
from bot.views.callbacks import Action, Press, decode, pattern
from handlers.guards import facilitator_command, group_command
from handlers.replies import (
    answer_privately,
    edit_query_markup,
    edit_query_message,
    message_of,
    pressed_in_private,
    reply,
    send_private,
    user_id_of,
)

_DRAFT = "outcome_draft"
_LIFETIME = timedelta(days=1)
_NOT_EDITED = ~filters.UpdateType.EDITED


async def record_outcome(update: Update, context: AppContext) -> None:
    """/outcome in a group, by a facilitator: the list to choose from, privately."""
    group = await facilitator_command(
        update, context, elsewhere=views.IN_GROUP_ONLY, refusal=views.FACILITATORS_ONLY
    )
    if group is None:
        return
    async with context.uow() as uow:
        found = await outcomes.topics(uow, group.id)
    # Sent to the organiser's private chat: in their language, not the group's.
    with speaking(await person_language_of(context, user_id_of(update))):
        text, keyboard = views.pick(group.title, found)
    await answer_privately(
        update,
        context.bot,
        text,
        sent=views.SENT_PRIVATELY,
        unreachable=views.OPEN_PRIVATE_CHAT_FIRST,
        markup=keyboard,
    )


async def you_said(update: Update, context: AppContext) -> None:
    """/yousaid in a group: open and recent outcomes, and the monthly digest's switch."""
    group = await group_command(update, context, elsewhere=views.IN_GROUP_ONLY)
    if group is None:
        return
    async with context.uow() as uow:
        found = await outcomes.listing(uow, group.id, now())
        monthly = await outcomes.monthly(uow, group.id)
    *parts, last = views.listing_parts(group.title, found)
    for part in parts:
        await reply(update, part)
    await reply(update, last, views.monthly_keyboard(group.id, monthly))


async def switch_monthly(update: Update, context: AppContext) -> None:
    """The monthly digest's button under /yousaid: facilitators only, in its own group."""
    query = update.callback_query
    if query is None:
        return
    press = decode(query.data)
    group = None
    if press is not None and len(press.args) == 2 and query.message is not None:
        async with context.uow() as uow:
            group = await find_group_by_id(uow, press.args[0])
    if press is None or group is None or query.message is None:
        await query.answer(general.STALE_BUTTON)
        return
    if group.chat_id != query.message.chat.id:
        await query.answer(general.STALE_BUTTON, show_alert=True)
        return
    if not await context.facilitators.is_facilitator(
        context.bot, group.chat_id, query.from_user.id
    ):
        await query.answer(_(views.MONTHLY_FACILITATORS_ONLY), show_alert=True)
        return
    on = bool(press.args[1])
    async with context.uow() as uow:
        await outcomes.set_monthly(uow, group.id, on)
    await query.answer(_(views.SAVED_SHORT))
    # Only the button changes: the list above it (perhaps the last of several parts) stays.
    await edit_query_markup(query, views.monthly_keyboard(group.id, on))


async def _topic_pressed(
    query: CallbackQuery, context: AppContext, arity: int
) -> tuple[Press, Topic] | None:
    """The item a button names, if the presser facilitates its group (pressed in private)."""
    press = decode(query.data) if pressed_in_private(query) else None
    found = None
    if press is not None and len(press.args) == arity and press.args[0] < len(SUBJECTS):
        async with context.uow() as uow:
            found = await outcomes.topic(uow, SUBJECTS[press.args[0]], press.args[1])
    if press is None or found is None:
        await query.answer(general.STALE_BUTTON)
        return None
    async with context.uow() as uow:
        group = await find_group_by_id(uow, found.group_id)
    if group is None or not await context.facilitators.is_facilitator(
        context.bot, group.chat_id, query.from_user.id
    ):
        await query.answer(_(views.FACILITATORS_ONLY), show_alert=True)
        return None
    return press, found


def _draft(context: AppContext, found: Topic) -> dict[str, Any] | None:
    held = None if context.user_data is None else context.user_data.get(_DRAFT)
    if (
        not isinstance(held, dict)
        or held.get("subject") != found.subject
        or held.get("id") != found.subject_id
        or datetime.now(UTC) - held["started"] > _LIFETIME
    ):
        return None
    return held


async def pick(update: Update, context: AppContext) -> None:
    query = update.callback_query
    if query is None or (pressed := await _topic_pressed(query, context, 2)) is None:
        return
    _, found = pressed
    async with context.uow() as uow:
        now_facts = await outcomes.current(uow, found)
    await query.answer()
    await edit_query_message(query, *views.ask_status(found, now_facts))


async def choose_status(update: Update, context: AppContext) -> None:
    query = update.callback_query
    if query is None or (pressed := await _topic_pressed(query, context, 3)) is None:
        return
    press, found = pressed
    status = views.status_of(press.args[2])
    if status is None or context.user_data is None:
        await query.answer(general.STALE_BUTTON)
        return
    step = "why" if status is OutcomeStatus.NOT_POSSIBLE else "owner"
    context.user_data[_DRAFT] = {
        "subject": found.subject,
        "id": found.subject_id,
        "status": status,
        "why": None,
        "step": step,
        "started": datetime.now(UTC),
    }
    await query.answer(views.status_label(status))
    if step == "why":
        await edit_query_message(query, _(views.ASK_WHY))
    else:
        await edit_query_message(query, *views.ask_owner(found))


async def take_text(update: Update, context: AppContext) -> bool:
    """The reason ("not possible") or the owner typed while recording; True if taken."""
    held = None if context.user_data is None else context.user_data.get(_DRAFT)
    if not isinstance(held, dict) or held.get("step") not in ("why", "owner"):
        return False
    async with context.uow() as uow:
        found = await outcomes.topic(uow, held["subject"], held["id"])
    if found is None or _draft(context, found) is None:
        return False
    typed = message_of(update).text or ""
    try:
        if held["step"] == "why":
            held["why"] = clean_why(typed)
            held["step"] = "owner"
            await reply(update, *views.ask_owner(found))
        else:
            held["owner"] = clean_owner(typed)
            held["step"] = "review"
            await reply(update, *views.ask_review(found))
    except OutcomeInputError as error:
        await reply(update, views.input_error(error))
    return True


async def skip_owner(update: Update, context: AppContext) -> None:
    query = update.callback_query
    if query is None or (pressed := await _topic_pressed(query, context, 2)) is None:
        return
    _, found = pressed
    held = _draft(context, found)
    if held is None or held.get("step") != "owner":
        await query.answer(general.STALE_BUTTON)
        return
    held["owner"] = None
    held["step"] = "review"
    await query.answer()
    await edit_query_message(query, *views.ask_review(found))


async def choose_review(update: Update, context: AppContext) -> None:
    """The review date, and the outcome saved: the group told, the writer too if they
    allowed replies."""
    query = update.callback_query
    if query is None or (pressed := await _topic_pressed(query, context, 3)) is None:
        return
    press, found = pressed
    held = _draft(context, found)
    if held is None or held.get("step") != "review" or context.user_data is None:
        await query.answer(general.STALE_BUTTON)
        return
    moment = now()
    async with context.uow() as uow:
        group = await find_group_by_id(uow, found.group_id)
        assert group is not None
        today = moment.astimezone(ZoneInfo(group.timezone)).date()
        facts = OutcomeFacts(
            held["status"],
            held.get("why"),
            held.get("owner"),
            outcomes.review_date(today, press.args[2]),
        )
        changed = await outcomes.record(uow, found, facts, moment)
    context.user_data.pop(_DRAFT, None)
    await query.answer(_(views.SAVED_SHORT))
    await edit_query_message(query, views.saved(changed))
    if changed:
        # In the group's language, not the organiser's who pressed in private.
        with speaking(await group_language_of(context, group.chat_id)):
            post = views.group_post(found, facts)
        await send_to_group(context, group.chat_id, post)
        await _tell_the_writer(context, group.title, found, facts)


async def _tell_the_writer(
    context: AppContext, title: str, found: Topic, facts: OutcomeFacts
) -> None:
    """A writer who allowed replies hears privately what came of their feedback."""
    if found.number is None:
        return
    async with context.uow() as uow:
        channel = await feedback_replies.open_channel(uow, context.secret, found.subject_id, now())
    if channel is None:
        return
    with speaking(await person_language_of(context, channel.writer_chat)):
        told = views.to_writer(title, found, facts)
    try:
        await send_private(context.bot, channel.writer_chat, told)
    except Forbidden:
        async with context.uow() as uow:
            await feedback_replies.close(uow, found.subject_id)


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [
        CommandHandler("outcome", record_outcome, filters=_NOT_EDITED),
        CommandHandler("yousaid", you_said, filters=_NOT_EDITED),
        CallbackQueryHandler(pick, pattern=pattern(Action.OUTCOME_PICK)),
        CallbackQueryHandler(choose_status, pattern=pattern(Action.OUTCOME_STATUS)),
        CallbackQueryHandler(skip_owner, pattern=pattern(Action.OUTCOME_SKIP)),
        CallbackQueryHandler(choose_review, pattern=pattern(Action.OUTCOME_REVIEW)),
        CallbackQueryHandler(switch_monthly, pattern=pattern(Action.OUTCOME_MONTHLY)),
    ]
