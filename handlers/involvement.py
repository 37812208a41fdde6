"""/involvement: the opt-in involvement record (issue 16, part 2).

In a group, facilitators get its switch and the CSV export privately. In private, a person
chooses (once per group) to be recorded and under which name, and whether they want payment,
then presses "I took part" on the meetings held lately. A name being typed is held in memory
only (user_data) and read behind the crisis gate like every typed word.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from telegram import CallbackQuery, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.clock import now
from bot.context import AppContext
from bot.domain.involvement_time import TravelTimeError, read_time_and_travel
from bot.i18n import _, speaking
from bot.reader_languages import group_language_of, person_language_of
from bot.scheduling.group_sender import send_to_group
from bot.services import involvement, membership
from bot.services.groups import GroupInfo, find_group_by_id
from bot.services.involvement import TookPart
from bot.views import general
from bot.views import involvement as views
from bot.views.callbacks import Action, decode, pattern
from handlers.guards import facilitated_group, facilitator_command
from handlers.replies import (
    answer_privately,
    edit_query_message,
    is_private,
    message_of,
    pressed_in_private,
    reply,
    send_private,
    user_id_of,
)

_NAME = "involvement_name"
_TIME = "involvement_time"
_LIFETIME = timedelta(hours=1)
_NOT_EDITED = ~filters.UpdateType.EDITED


async def involvement_command(update: Update, context: AppContext) -> None:
    """/involvement: facilitators' settings (from the group), a person's own record (private)."""
    if is_private(update):
        await _my_groups(update, context)
        return
    group = await facilitator_command(
        update, context, elsewhere=views.NO_GROUPS, refusal=views.FACILITATORS_ONLY
    )
    if group is None:
        return
    async with context.uow() as uow:
        on = await involvement.recording(uow, group.id)
    # Sent to the organiser's private chat: in their language, not the group's.
    with speaking(await person_language_of(context, user_id_of(update))):
        text, keyboard = views.settings(group.title, on, group.id)
    await answer_privately(
        update,
        context.bot,
        text,
        sent=views.SENT_PRIVATELY,
        unreachable=views.OPEN_PRIVATE_CHAT_FIRST,
        markup=keyboard,
    )


async def _my_groups(update: Update, context: AppContext) -> None:
    user_id = user_id_of(update)
    async with context.uow() as uow:
        held = await membership.held_roles(uow, context.secret, user_id)
        found = [
            (h.group.id, h.group.title)
            for h in held
            if h.group.active and await involvement.recording(uow, h.group.id)
        ]
    if not found:
        await reply(update, views.NO_GROUPS)
    elif len(found) == 1:
        user = update.effective_user
        name = user.full_name if user is not None else ""
        await _show(context, user_id, found[0][0], None, update, telegram_name=name)
    else:
        await reply(update, *views.pick_group(found))


async def _show(
    context: AppContext,
    user_id: int,
    group_id: int,
    query: CallbackQuery | None,
    update: Update | None = None,
    *,
    telegram_name: str,
) -> None:
    """The person's choice (if not made yet) or the recent meetings to press."""
    async with context.uow() as uow:
        group = await find_group_by_id(uow, group_id)
        me = await involvement.profile(uow, context.secret, group_id, user_id)
        held = await involvement.recent_meetings(uow, group_id, now())
    if group is None:
        return
    if me is None:
        text, keyboard = views.ask_choice(group.title, group.id, telegram_name)
    else:
        labels = [
            (h.occurrence_id, views.meeting_label(h.starts_at, group.timezone, h.title))
            for h in held
        ]
        text, keyboard = views.meetings(group.title, me, labels)  # type: ignore[assignment]
    if query is not None:
        await edit_query_message(query, text, keyboard)
    elif update is not None:
        await reply(update, text, keyboard)


async def _person_group(query: CallbackQuery, context: AppContext, arity: int) -> GroupInfo | None:
    """The group a person's button names, pressed in private, if it records involvement."""
    press = decode(query.data) if pressed_in_private(query) else None
    group = None
    if press is not None and len(press.args) == arity:
        async with context.uow() as uow:
            group = await find_group_by_id(uow, press.args[0])
            on = group is not None and await involvement.recording(uow, group.id)
        if not on:
            group = None
    if group is None or not group.active:
        await query.answer(general.STALE_BUTTON)
        return None
    return group


async def pick_group(update: Update, context: AppContext) -> None:
    query = update.callback_query
    if query is None or (group := await _person_group(query, context, 1)) is None:
        return
    await query.answer()
    await _show(
        context, query.from_user.id, group.id, query, telegram_name=query.from_user.full_name
    )


async def pick_name(update: Update, context: AppContext) -> None:
    query = update.callback_query
    if query is None or (group := await _person_group(query, context, 2)) is None:
        return
    press = decode(query.data)
    assert press is not None
    await query.answer()
    if press.args[1] == 1:
        if context.user_data is not None:
            context.user_data[_NAME] = {"group": group.id, "started": datetime.now(UTC)}
        await edit_query_message(query, views.ASK_NAME)
        return
    user = query.from_user
    name = involvement.clean_name(user.full_name) or "Telegram user"
    if context.user_data is not None:
        context.user_data[_NAME] = {"group": group.id, "name": name, "started": datetime.now(UTC)}
    await edit_query_message(query, *views.ask_payment(name, group.id))


async def take_text(update: Update, context: AppContext) -> bool:
    """The name typed after "Type a name", or the time and travel after "I took part"; True
    if taken."""
    if await _take_time(update, context):
        return True
    held = None if context.user_data is None else context.user_data.get(_NAME)
    if not isinstance(held, dict) or "name" in held:
        return False
    if datetime.now(UTC) - held["started"] > _LIFETIME:
        return False
    name = involvement.clean_name(message_of(update).text or "")
    if name is None:
        await reply(update, f"⚠️ {_(views.BAD_NAME)}")
        return True
    held["name"] = name
    await reply(update, *views.ask_payment(name, held["group"]))
    return True


async def _take_time(update: Update, context: AppContext) -> bool:
    held = None if context.user_data is None else context.user_data.get(_TIME)
    if not isinstance(held, dict) or datetime.now(UTC) - held["started"] > _LIFETIME:
        return False
    try:
        typed = read_time_and_travel(message_of(update).text or "")
    except TravelTimeError as error:
        await reply(update, views.time_error(error))
        return True
    async with context.uow() as uow:
        done = await involvement.set_time(
            uow, context.secret, held["group"], held["occurrence"], user_id_of(update), typed
        )
    context.user_data.pop(_TIME, None)  # type: ignore[union-attr]
    await reply(update, views.time_saved(typed) if done else views.TIME_TOO_LATE)
    return True


async def pick_payment(update: Update, context: AppContext) -> None:
    query = update.callback_query
    if query is None or (group := await _person_group(query, context, 2)) is None:
        return
    press = decode(query.data)
    assert press is not None
    held = None if context.user_data is None else context.user_data.pop(_NAME, None)
    if not isinstance(held, dict) or held.get("group") != group.id or "name" not in held:
        await query.answer(general.STALE_BUTTON)
        return
    async with context.uow() as uow:
        await involvement.choose(
            uow, context.secret, group.id, query.from_user.id, held["name"], bool(press.args[1])
        )
    await query.answer(_(views.SAVED_SHORT))
    await _show(
        context, query.from_user.id, group.id, query, telegram_name=query.from_user.full_name
    )


async def press_took_part(update: Update, context: AppContext) -> None:
    query = update.callback_query
    press = None if query is None or not pressed_in_private(query) else decode(query.data)
    if query is None:
        return
    if press is None or len(press.args) != 1:
        await query.answer(general.STALE_BUTTON)
        return
    async with context.uow() as uow:
        result = await involvement.took_part(
            uow, context.secret, press.args[0], query.from_user.id, now()
        )
        group_id = await involvement.group_of_meeting(uow, press.args[0])
    await query.answer(_(views.TOOK_PART_TEXT[result.value])[:200], show_alert=True)
    if result is TookPart.RECORDED and group_id is not None and context.user_data is not None:
        context.user_data[_TIME] = {
            "group": group_id,
            "occurrence": press.args[0],
            "started": datetime.now(UTC),
        }
        await send_private(context.bot, query.from_user.id, views.ask_time())


async def switch(update: Update, context: AppContext) -> None:
    query = update.callback_query
    if (
        query is None
        or (group := await facilitated_group(query, context, 2, views.FACILITATORS_ONLY)) is None
    ):
        return
    press = decode(query.data)
    assert press is not None
    on = bool(press.args[1])
    async with context.uow() as uow:
        await involvement.switch(uow, group.id, on)
    await query.answer(_(views.SAVED_SHORT))
    await edit_query_message(query, *views.settings(group.title, on, group.id))
    if on:
        with speaking(await group_language_of(context, group.chat_id)):
            switched_on = _(views.SWITCHED_ON_GROUP)
        await send_to_group(context, group.chat_id, switched_on)


async def export(update: Update, context: AppContext) -> None:
    query = update.callback_query
    if (
        query is None
        or (group := await facilitated_group(query, context, 1, views.FACILITATORS_ONLY)) is None
    ):
        return
    async with context.uow() as uow:
        rows = await involvement.export(uow, group.id)
    await query.answer()
    if not rows:
        await send_private(context.bot, query.from_user.id, views.NOTHING_TO_EXPORT)
        return
    await context.bot.send_document(
        query.from_user.id,
        InputFile(views.export_csv(rows), filename="involvement.csv"),
        caption=views.export_caption(group.title),
    )


async def _occurrence_facilitated(
    query: CallbackQuery, context: AppContext, arity: int
) -> tuple[int, GroupInfo] | None:
    """The meeting date a facilitator's private button names, and its group, if the presser
    facilitates it."""
    press = decode(query.data) if pressed_in_private(query) else None
    group = None
    if press is not None and len(press.args) == arity:
        async with context.uow() as uow:
            group_id = await involvement.group_of_meeting(uow, press.args[0])
            group = None if group_id is None else await find_group_by_id(uow, group_id)
    if press is None or group is None or not group.active:
        await query.answer(general.STALE_BUTTON)
        return None
    if not await context.facilitators.is_facilitator(
        context.bot, group.chat_id, query.from_user.id
    ):
        await query.answer(_(views.FACILITATORS_ONLY), show_alert=True)
        return None
    return press.args[0], group


async def attendance_meetings(update: Update, context: AppContext) -> None:
    """Facilitators: the recent meetings, to mark who took part."""
    query = update.callback_query
    if query is None:
        return
    group = await facilitated_group(query, context, 1, views.FACILITATORS_ONLY)
    if group is None:
        return
    async with context.uow() as uow:
        held = await involvement.recent_meetings(uow, group.id, now())
    labels = [
        (h.occurrence_id, views.meeting_label(h.starts_at, group.timezone, h.title)) for h in held
    ]
    await query.answer()
    await edit_query_message(query, *views.attendance_meetings(labels))


async def attendance_people(update: Update, context: AppContext) -> None:
    query = update.callback_query
    if query is None or (found := await _occurrence_facilitated(query, context, 1)) is None:
        return
    async with context.uow() as uow:
        chosen = await involvement.chosen_for(uow, found[0])
    await query.answer()
    await edit_query_message(query, *views.attendance_people(found[0], chosen))


async def attendance_mark(update: Update, context: AppContext) -> None:
    query = update.callback_query
    if query is None or (found := await _occurrence_facilitated(query, context, 4)) is None:
        return
    press = decode(query.data)
    assert press is not None
    async with context.uow() as uow:
        result = await involvement.mark(uow, found[0], views.person_id_of(press.args[1:]), now())
        chosen = await involvement.chosen_for(uow, found[0])
    await query.answer(_(views.MARKED_TEXT[result.value]))
    await edit_query_message(query, *views.attendance_people(found[0], chosen))


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [
        CommandHandler("involvement", involvement_command, filters=_NOT_EDITED),
        CallbackQueryHandler(pick_group, pattern=pattern(Action.INVOLVEMENT_GROUP)),
        CallbackQueryHandler(pick_name, pattern=pattern(Action.INVOLVEMENT_NAME)),
        CallbackQueryHandler(pick_payment, pattern=pattern(Action.INVOLVEMENT_PAY)),
        CallbackQueryHandler(press_took_part, pattern=pattern(Action.TOOK_PART)),
        CallbackQueryHandler(switch, pattern=pattern(Action.INVOLVEMENT_SWITCH)),
        CallbackQueryHandler(export, pattern=pattern(Action.INVOLVEMENT_EXPORT)),
        CallbackQueryHandler(attendance_meetings, pattern=pattern(Action.ATTENDANCE_MEETINGS)),
        CallbackQueryHandler(attendance_people, pattern=pattern(Action.ATTENDANCE_PEOPLE)),
        CallbackQueryHandler(attendance_mark, pattern=pattern(Action.ATTENDANCE_MARK)),
    ]
