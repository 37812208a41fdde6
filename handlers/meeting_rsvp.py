"""The buttons on a meeting message: Coming / Maybe / Can't come, Add to calendar, and
Remind me privately."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, InputFile, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.clock import now
from bot.context import AppContext
from bot.domain.meeting_rules import Rsvp
from bot.facilitators import is_in_chat
from bot.i18n import speaking
from bot.reader_languages import person_language_of
from bot.scheduling.meeting_jobs import rsvp_changed
from bot.services import meeting_rsvps, meetings, membership
from bot.services.groups import find_group_by_id
from bot.services.meeting_rsvps import OptInStatus, RsvpStatus
from bot.views import meeting_calendar
from bot.views import meetings as views
from bot.views import poll_acks as acks
from bot.views.callbacks import Action, Press, decode, pattern
from bot.views.links import start_link
from handlers.replies import is_group_chat

log = logging.getLogger(__name__)


def _press(query: CallbackQuery, arity: int) -> Press | None:
    press = decode(query.data)
    return press if press is not None and len(press.args) == arity else None


async def answer_rsvp(update: Update, context: AppContext) -> None:
    """One answer per person per date, changeable; acknowledged only to the presser."""
    query = update.callback_query
    if query is None:
        return
    press = _press(query, 2)
    if press is None or press.args[1] not in tuple(Rsvp) or query.message is None:
        await query.answer(views.STALE)
        return
    choice = Rsvp(press.args[1])
    chat = query.message.chat
    if is_group_chat(chat) and not await context.in_chat(chat.id, query.from_user.id):
        await query.answer(views.NOT_IN_GROUP, show_alert=True)
        return
    async with context.uow() as uow:
        outcome = await meeting_rsvps.answer(
            uow,
            context.secret,
            occurrence_id=press.args[0],
            chat_id=query.message.chat.id,
            user_id=query.from_user.id,
            choice=choice,
            now=now(),
        )
    if outcome.status is RsvpStatus.NOT_MEMBER:
        async with context.uow() as uow:
            group = await find_group_by_id(uow, outcome.group_id)
        if group is not None:
            payload = membership.join_payload(context.secret, group)
            await query.answer(
                acks.join_first_ack(),
                url=start_link(context.bot.username, payload),
            )
            return
    try:
        await query.answer(views.rsvp_ack(outcome.status, choice))
    except TelegramError as error:
        # The answer is stored whatever became of the acknowledgement: the totals must still
        # follow it, and the person is not told it failed (a second press says "You already").
        log.warning("could not answer an RSVP press: %s", type(error).__name__)
    if outcome.counted:
        rsvp_changed(context, outcome.group_id, outcome.occurrence_id)


async def send_calendar(update: Update, context: AppContext) -> None:
    """An .ics file for this date or the series, sent privately."""
    query = update.callback_query
    if query is None:
        return
    press = _press(query, 2)
    if press is None or press.args[1] not in (0, 1):
        await query.answer(views.STALE)
        return
    moment = now()
    async with context.uow() as uow:
        view = await meetings.view_of(uow, press.args[0])
        exceptions = (
            ([], []) if view is None else await meetings.series_exceptions(uow, view.meeting_id)
        )
    if view is None:
        await query.answer(views.OVER)
        return
    # A forged press from another chat must not fetch a group's meeting: its title, place
    # (often a private video link) and agenda.
    if query.message is None or query.message.chat.id != view.chat_id:
        await query.answer(views.USE_GROUP_BUTTON)
        return
    # The file goes to the presser's private chat: its words are in their language.
    with speaking(await person_language_of(context, query.from_user.id)):
        if press.args[1] == 1:
            data = meeting_calendar.series_ics(
                view, cancelled_local=exceptions[0], moved=exceptions[1], now=moment
            )
            name = meeting_calendar.series_file_name()
        else:
            data = meeting_calendar.occurrence_ics(view, now=moment)
            name = meeting_calendar.file_name()
    # A cancelled date (or series) comes as its cancellation: it takes the copy out.
    removing = view.series_cancelled if press.args[1] == 1 else view.cancelled
    caption = views.CALENDAR_CANCEL_CAPTION if removing else views.CALENDAR_CAPTION
    # Only someone in the group gets its meeting's file (and a send Telegram would refuse).
    if not await is_in_chat(context.bot, view.chat_id, query.from_user.id):
        await query.answer(views.USE_GROUP_BUTTON)
        return
    try:
        await context.bot.send_document(
            query.from_user.id, InputFile(data, filename=name), caption=caption
        )
    except Forbidden:
        await query.answer(views.OPEN_PRIVATE_CHAT, url=start_link(context.bot.username))
        return
    await query.answer(views.CALENDAR_SENT)


async def remind_me(update: Update, context: AppContext) -> None:
    """Opt in to a personal reminder: only after answering Coming or Maybe, and only if the
    bot can write to the person (the confirmation is that first private message)."""
    query = update.callback_query
    if query is None:
        return
    press = _press(query, 1)
    if press is None or query.message is None:
        await query.answer(views.STALE)
        return
    occurrence_id, user_id = press.args[0], query.from_user.id
    async with context.uow() as uow:
        status = await meeting_rsvps.may_opt_in(
            uow, context.secret, occurrence_id, query.message.chat.id, user_id, now()
        )
        view = await meetings.view_of(uow, occurrence_id)
    if status is OptInStatus.ANSWER_FIRST:
        await query.answer(views.ANSWER_FIRST, show_alert=True)
        return
    if status is not OptInStatus.READY or view is None:
        await query.answer(views.OVER)
        return
    try:
        with speaking(await person_language_of(context, user_id)):
            text = views.reminder_opted_in(view)
        await context.bot.send_message(user_id, text)
    except Forbidden:
        await query.answer(views.OPEN_PRIVATE_CHAT, url=start_link(context.bot.username))
        return
    async with context.uow() as uow:
        await meeting_rsvps.opt_in(uow, context.secret, occurrence_id, user_id)
    await query.answer(views.WILL_REMIND)


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [
        CallbackQueryHandler(answer_rsvp, pattern=pattern(Action.RSVP)),
        CallbackQueryHandler(send_calendar, pattern=pattern(Action.CALENDAR)),
        CallbackQueryHandler(remind_me, pattern=pattern(Action.REMIND_ME)),
    ]
