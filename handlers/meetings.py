"""Meetings in a group: /meeting (one line, or a link to the guided set-up), Save / Change,
/meetings, /cancelmeeting, /movemeeting, /agenda, /timezone and /reminders."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from telegram import CallbackQuery, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.clock import now
from bot.context import AppContext
from bot.domain.meeting_payloads import sign_new_meeting
from bot.domain.meeting_rules import (
    MeetingInputError,
    clean_agenda_item,
    parse_meeting_line,
    parse_offsets,
    read_when,
)
from bot.domain.meeting_setup import MeetingSetup, SetupStep
from bot.domain.recurrence import RECURRENCES
from bot.i18n import _
from bot.scheduling.meeting_jobs import (
    drop_alarms,
    post_meeting,
    refresh_meeting_message,
    set_alarms,
)
from bot.services import agenda, meeting_drafts, meetings
from bot.services.groups import GroupInfo, find_group_by_id
from bot.services.meeting_drafts import MeetingDraft
from bot.views import meetings as views
from bot.views.callbacks import Action, Press, decode, pattern
from bot.views.links import start_link
from handlers.guards import group_of_chat
from handlers.meeting_setup import agenda_caps, agenda_in_private
from handlers.replies import (
    command_argument,
    edit_query_message,
    is_group,
    message_of,
    reply,
    user_id_of,
)

_NOT_EDITED = ~filters.UpdateType.EDITED


def _thread_of(update: Update) -> int | None:
    message = update.effective_message
    if message is None or not message.is_topic_message:
        return None
    return message.message_thread_id


def _args(update: Update) -> str:
    # What follows the command, a newline after it included ("/meeting⏎tomorrow 2pm | ...").
    return command_argument(message_of(update))


async def _facilitator_in_group(update: Update, context: AppContext) -> GroupInfo | None:
    """The group, if this is a group and the sender facilitates it; else say why not."""
    chat = update.effective_chat
    if chat is None or not is_group(update):
        await reply(update, views.MEETING_IN_GROUP_ONLY)
        return None
    if not await context.facilitators.is_facilitator(context.bot, chat.id, user_id_of(update)):
        await reply(update, views.ONLY_FACILITATORS)
        return None
    return await group_of_chat(context, chat)


async def create_meeting(update: Update, context: AppContext) -> None:
    """/meeting <when> | <title> | <place>: confirmed back before anything is saved.
    /meeting alone: a button that opens the guided set-up in private."""
    group = await _facilitator_in_group(update, context)
    if group is None:
        return
    line = _args(update)
    if not line:
        payload = sign_new_meeting(context.secret, group.id, _thread_of(update))
        url = start_link(context.bot.username, payload)
        await reply(update, views.set_up_in_private(), views.set_up_keyboard(url))
        return
    try:
        parsed = parse_meeting_line(line, group.timezone, now())
    except MeetingInputError as error:
        await reply(update, views.problem(error))
        return
    state = MeetingSetup.from_line(parsed)
    async with context.uow() as uow:
        draft = await meeting_drafts.begin(
            uow, context.secret, user_id_of(update), group.id, _thread_of(update), state, now=now()
        )
    await reply(
        update,
        views.confirm_text(state, group.timezone),
        views.confirm_keyboard(draft.id, state, group.timezone),
    )


def _press(query: CallbackQuery, arity: int) -> Press | None:
    press = decode(query.data)
    return press if press is not None and len(press.args) == arity else None


async def confirm_button(update: Update, context: AppContext) -> None:
    """Save, Change or a repeat choice, on the confirmation: only its author's presses count."""
    query = update.callback_query
    if query is None:
        return
    press = _press(query, 2)
    async with context.uow() as uow:
        draft = await meeting_drafts.current(uow, context.secret, query.from_user.id, now=now())
        group = None if draft is None else await find_group_by_id(uow, draft.group_id)
    if press is None or draft is None or group is None or draft.id != press.args[0]:
        await query.answer(views.STALE)
        return
    if draft.state.step is not SetupStep.CONFIRM:
        await query.answer(views.STALE)
        return
    choice = press.args[1]
    if choice == views.SAVE:
        await _save(query, context, draft, group)
    elif choice == views.CHANGE:
        await _change(query, context, draft, group)
    elif choice in (views.MORNING, views.EVENING) and draft.state.or_else is not None:
        await _show_again(query, context, draft, group, draft.state.picked(choice == views.EVENING))
    elif 0 <= choice - views.REPEAT_BASE < len(RECURRENCES) and draft.state.or_else is None:
        recurrence = RECURRENCES[choice - views.REPEAT_BASE]
        await _show_again(query, context, draft, group, replace(draft.state, recurrence=recurrence))
    else:
        await query.answer(views.STALE)


async def _show_again(
    query: CallbackQuery,
    context: AppContext,
    draft: MeetingDraft,
    group: GroupInfo,
    state: MeetingSetup,
) -> None:
    """A choice made on the confirmation: kept with the draft, and the confirmation redrawn."""
    async with context.uow() as uow:
        await meeting_drafts.save(uow, draft, state, now=now())
    await query.answer()
    await edit_query_message(
        query,
        views.confirm_text(state, group.timezone),
        views.confirm_keyboard(draft.id, state, group.timezone),
    )


async def _save(
    query: CallbackQuery, context: AppContext, draft: MeetingDraft, group: GroupInfo
) -> None:
    # The right to plan meetings may have gone since the line was typed: check again.
    if not await context.facilitators.is_facilitator(
        context.bot, group.chat_id, query.from_user.id
    ):
        await query.answer(views.ONLY_FACILITATORS_SHORT, show_alert=True)
        return
    async with context.uow() as uow:
        saved = await meeting_drafts.save_meeting(uow, draft, zone=group.timezone, now=now())
    if saved.problem is not None:
        await query.answer(_(saved.problem)[:200], show_alert=True)
        return
    if saved.occurrence_id is None:
        await query.answer(views.STALE)
        return
    await query.answer(views.SAVED)
    await edit_query_message(query, views.saved_text(group.title))
    await post_meeting(context, saved.occurrence_id)


async def _change(
    query: CallbackQuery, context: AppContext, draft: MeetingDraft, group: GroupInfo
) -> None:
    await query.answer()
    if draft.state.in_group:
        async with context.uow() as uow:
            await meeting_drafts.take(uow, draft.id)
        await edit_query_message(query, views.NOT_SAVED_TYPE_AGAIN)
        return
    state = MeetingSetup(
        step=SetupStep.WHEN,
        title=draft.state.title,
        place=draft.state.place,
        recurrence=draft.state.recurrence,
    )
    async with context.uow() as uow:
        await meeting_drafts.save(uow, draft, state, now=now())
    await edit_query_message(query, views.setup_question(SetupStep.WHEN, group.timezone))


async def list_meetings(update: Update, context: AppContext) -> None:
    """/meetings: upcoming dates, with agenda items and answer totals."""
    chat = update.effective_chat
    if chat is None or not is_group(update):
        await reply(update, views.MEETING_IN_GROUP_ONLY)
        return
    group = await group_of_chat(context, chat)
    async with context.uow() as uow:
        upcoming = await meetings.upcoming(uow, group.id, now())
    await reply(update, views.meetings_list(upcoming))


async def _numbered(
    update: Update, context: AppContext, group: GroupInfo, number_text: str
) -> meetings.OccurrenceView | None:
    async with context.uow() as uow:
        upcoming = await meetings.upcoming(uow, group.id, now())
    if not upcoming:
        await reply(update, views.NOTHING_PLANNED)
        return None
    if not number_text.isdigit() or not 1 <= int(number_text) <= len(upcoming):
        await reply(update, views.meetings_list(upcoming))
        return None
    return upcoming[int(number_text) - 1]


async def cancel_command(update: Update, context: AppContext) -> None:
    """/cancelmeeting <number from /meetings>: asks this date or the series (facilitators)."""
    group = await _facilitator_in_group(update, context)
    if group is None:
        return
    view = await _numbered(update, context, group, _args(update) or "1")
    if view is not None:
        await reply(update, *views.ask_cancel(view))


async def move_command(update: Update, context: AppContext) -> None:
    """/movemeeting <number> | <new time>: confirmed with buttons (facilitators)."""
    group = await _facilitator_in_group(update, context)
    if group is None:
        return
    number, _, when = _args(update).partition("|")
    if not when.strip():
        await reply(update, views.MOVE_HOW)
        return
    view = await _numbered(update, context, group, number.strip())
    if view is None:
        return
    try:
        new_start = read_when(when, view.zone, now())
    except MeetingInputError as error:
        await reply(update, views.problem(error))
        return
    await reply(update, *views.ask_move(view, new_start))


async def _facilitator_press(query: CallbackQuery, context: AppContext) -> bool:
    if query.message is None or not await context.facilitators.is_facilitator(
        context.bot, query.message.chat.id, query.from_user.id
    ):
        await query.answer(views.ONLY_FACILITATORS_SHORT, show_alert=True)
        return False
    return True


async def _in_its_group(query: CallbackQuery, context: AppContext, occurrence_id: int) -> bool:
    async with context.uow() as uow:
        view = await meetings.view_of(uow, occurrence_id)
    if view is None or query.message is None or query.message.chat.id != view.chat_id:
        await query.answer(views.STALE)
        return False
    return True


async def _decided_change(query: CallbackQuery, context: AppContext, arity: int) -> Press | None:
    """A facilitator's answer to "cancel / move this date or the series?" (1 = this date,
    2 = the series); None when the press is refused, stale, or was "Keep"."""
    press = _press(query, arity)
    if press is None or press.args[1] not in (0, 1, 2):
        await query.answer(views.STALE)
        return None
    if not await _facilitator_press(query, context):
        return None
    if not await _in_its_group(query, context, press.args[0]):
        return None
    if press.args[1] == 0:
        await query.answer(views.KEPT)
        await edit_query_message(query, views.KEPT_NOTHING_CHANGED)
        return None
    return press


async def cancel_button(update: Update, context: AppContext) -> None:
    query = update.callback_query
    press = None if query is None else await _decided_change(query, context, 2)
    if query is None or press is None:
        return
    whole = press.args[1] == 2
    async with context.uow() as uow:
        change = await meetings.cancel(uow, press.args[0], whole_series=whole, now=now())
    if change is None:
        await query.answer(views.STALE)
        return
    drop_alarms(context.job_queue, change.dropped)
    await query.answer(views.CANCELLED)
    await edit_query_message(query, views.cancelled_notice(change.view, whole_series=whole))
    await refresh_meeting_message(context, change.view.occurrence_id)


async def move_button(update: Update, context: AppContext) -> None:
    query = update.callback_query
    press = None if query is None else await _decided_change(query, context, 3)
    if query is None or press is None:
        return
    whole = press.args[1] == 2
    new_start = datetime.fromtimestamp(press.args[2] * 60, UTC)
    async with context.uow() as uow:
        change = await meetings.move(uow, press.args[0], new_start, whole_series=whole, now=now())
    if change is None:
        await query.answer(views.STALE)
        return
    drop_alarms(context.job_queue, change.dropped)
    set_alarms(context.job_queue, change.added)
    await query.answer(views.MOVED)
    await edit_query_message(query, views.moved_notice(change.view, whole_series=whole))
    await refresh_meeting_message(context, change.view.occurrence_id)


async def agenda_in_group(update: Update, context: AppContext) -> None:
    """/agenda <item> in a group: added to the next meeting (the group saw who typed it)."""
    chat = update.effective_chat
    if chat is None or not is_group(update):
        await agenda_in_private(update, context)
        return
    text = _args(update)
    if not text:
        await reply(update, views.AGENDA_HOW)
        return
    group = await group_of_chat(context, chat)
    try:
        item = clean_agenda_item(text)
    except MeetingInputError as error:
        await reply(update, views.problem(error))
        return
    caps = agenda_caps(context)
    async with context.uow() as uow:
        done = await agenda.add_in_group(
            uow, context.secret, group.id, user_id_of(update), item, caps=caps, now=now()
        )
    if done.view is None:
        await reply(update, views.NOTHING_PLANNED)
    elif done.outcome is agenda.Outcome.MEETING_FULL:
        await reply(update, views.agenda_full(done.view))
    elif done.outcome is agenda.Outcome.PERSON_FULL:
        await reply(update, views.agenda_share_used(done.view, caps.per_person, private=False))
    else:
        await reply(update, views.agenda_added(done.view))


def valid_zone(name: str) -> str | None:
    """The IANA name as the database spells it, or None; 'europe/london' is accepted."""
    if name in available_timezones():
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            return None
        return name
    folded = {zone.casefold(): zone for zone in available_timezones()}
    return folded.get(name.casefold())


async def set_timezone(update: Update, context: AppContext) -> None:
    """/timezone <IANA zone>: the group's zone for new meetings (facilitators)."""
    group = await _facilitator_in_group(update, context)
    if group is None:
        return
    name = _args(update)
    if not name:
        await reply(update, views.timezone_now(group.timezone))
        return
    zone = valid_zone(name)
    if zone is None:
        await reply(update, views.unknown_timezone(name))
        return
    async with context.uow() as uow:
        await meetings.set_timezone(uow, group.id, zone)
    await reply(update, views.timezone_set(zone))


async def set_reminders(update: Update, context: AppContext) -> None:
    """/reminders 1 day, 1 hour: when the group is reminded before each meeting."""
    group = await _facilitator_in_group(update, context)
    if group is None:
        return
    text = _args(update)
    if not text:
        await reply(update, views.REMINDERS_HOW)
        return
    try:
        offsets = parse_offsets(text)
    except MeetingInputError as error:
        await reply(update, views.problem(error))
        return
    async with context.uow() as uow:
        dropped, added = await meetings.set_offsets(uow, group.id, offsets, now=now())
    drop_alarms(context.job_queue, dropped)
    set_alarms(context.job_queue, added)
    await reply(update, views.reminders_set(offsets))


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [
        CommandHandler("meeting", create_meeting, filters=_NOT_EDITED),
        CommandHandler("meetings", list_meetings, filters=_NOT_EDITED),
        CommandHandler("cancelmeeting", cancel_command, filters=_NOT_EDITED),
        CommandHandler("movemeeting", move_command, filters=_NOT_EDITED),
        CommandHandler("agenda", agenda_in_group, filters=_NOT_EDITED),
        CommandHandler("timezone", set_timezone, filters=_NOT_EDITED),
        CommandHandler("reminders", set_reminders, filters=_NOT_EDITED),
        CallbackQueryHandler(confirm_button, pattern=pattern(Action.MEETING_CONFIRM)),
        CallbackQueryHandler(cancel_button, pattern=pattern(Action.MEETING_CANCEL)),
        CallbackQueryHandler(move_button, pattern=pattern(Action.MEETING_MOVE)),
    ]
