"""/report: a PDF for a period that facilitators can show a board (issue 16, part 1).

Typed in the group by a facilitator (or in private, choosing the group), it asks privately
which period; the PDF is sent privately, never in the group. Every press checks again that
the presser facilitates the group. Dates typed for a custom period are held in memory only
(user_data) and read behind the crisis gate like every typed word.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from telegram import InputFile, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.clock import now
from bot.context import AppContext
from bot.domain.report_period import (
    Period,
    PeriodChoice,
    PeriodError,
    chosen_period,
    typed_period,
)
from bot.domain.when import zone_of
from bot.i18n import speaking
from bot.reader_languages import person_language_of
from bot.services import membership, reports
from bot.services.groups import GroupInfo, find_group_by_id
from bot.views import general
from bot.views import reports as views
from bot.views.callbacks import Action, decode, pattern
from handlers.guards import facilitated_group, facilitator_command
from handlers.replies import (
    answer_privately,
    edit_query_message,
    is_private,
    message_of,
    reply,
    user_id_of,
)

log = logging.getLogger(__name__)

_DRAFT = "report_dates"
_LIFETIME = timedelta(hours=1)
_NOT_EDITED = ~filters.UpdateType.EDITED


async def ask_for_report(update: Update, context: AppContext) -> None:
    """/report: in a group (facilitators), the period choice privately; in private, the
    groups this person facilitates."""
    if is_private(update):
        await _choose_group(update, context)
        return
    group = await facilitator_command(
        update, context, elsewhere=views.NO_GROUPS, refusal=views.FACILITATORS_ONLY
    )
    if group is None:
        return
    # Sent to the organiser's private chat: in their language, not the group's.
    with speaking(await person_language_of(context, user_id_of(update))):
        text, keyboard = views.choose_period(group)
    await answer_privately(
        update,
        context.bot,
        text,
        sent=views.SENT_PRIVATELY,
        unreachable=views.OPEN_PRIVATE_CHAT_FIRST,
        markup=keyboard,
    )


async def _choose_group(update: Update, context: AppContext) -> None:
    user_id = user_id_of(update)
    async with context.uow() as uow:
        held = await membership.held_roles(uow, context.secret, user_id)
    mine = [
        h.group
        for h in held
        if h.group.active
        and await context.facilitators.is_facilitator(context.bot, h.group.chat_id, user_id)
    ]
    if not mine:
        await reply(update, views.NO_GROUPS)
        return
    if len(mine) == 1:
        await reply(update, *views.choose_period(mine[0]))
        return
    await reply(update, *views.choose_group(mine))


async def pick_group(update: Update, context: AppContext) -> None:
    query = update.callback_query
    if (
        query is None
        or (group := await facilitated_group(query, context, 1, views.FACILITATORS_ONLY)) is None
    ):
        return
    await query.answer()
    await edit_query_message(query, *views.choose_period(group))


async def pick_period(update: Update, context: AppContext) -> None:
    """A period button: the report at once, or (Choose dates) a question."""
    query = update.callback_query
    if (
        query is None
        or (group := await facilitated_group(query, context, 2, views.FACILITATORS_ONLY)) is None
    ):
        return
    press = decode(query.data)
    assert press is not None
    try:
        choice = PeriodChoice(press.args[1])
    except ValueError:
        await query.answer(general.STALE_BUTTON)
        return
    if choice is PeriodChoice.CUSTOM:
        if context.user_data is not None:
            context.user_data[_DRAFT] = {"group": group.id, "started": datetime.now(UTC)}
        await query.answer()
        await edit_query_message(query, views.ask_dates())
        return
    today = now().astimezone(zone_of(group.timezone)).date()
    period = chosen_period(choice, today)
    await query.answer()
    await edit_query_message(query, views.making(period))
    await _send_report(context, query.from_user.id, group, period)


async def take_text(update: Update, context: AppContext) -> bool:
    """The dates typed after "Choose dates"; True if taken."""
    held = None if context.user_data is None else context.user_data.get(_DRAFT)
    if not isinstance(held, dict):
        return False
    if datetime.now(UTC) - held["started"] > _LIFETIME:
        context.user_data.pop(_DRAFT, None)  # type: ignore[union-attr]
        return False
    async with context.uow() as uow:
        group = await find_group_by_id(uow, held["group"])
    user_id = user_id_of(update)
    if group is None or not await context.facilitators.is_facilitator(
        context.bot, group.chat_id, user_id
    ):
        context.user_data.pop(_DRAFT, None)  # type: ignore[union-attr]
        await reply(update, views.FACILITATORS_ONLY)
        return True
    today = now().astimezone(zone_of(group.timezone)).date()
    try:
        period = typed_period(message_of(update).text or "", today)
    except PeriodError as error:
        await reply(update, views.problem(error))
        return True
    context.user_data.pop(_DRAFT, None)  # type: ignore[union-attr]
    await reply(update, views.making(period))
    await _send_report(context, user_id, group, period)
    return True


async def _send_report(context: AppContext, user_id: int, group: GroupInfo, period: Period) -> None:
    """Gather, draw (in a worker thread: it takes seconds) and send the PDF privately."""
    async with context.uow() as uow:
        facts = await reports.gather(
            uow, group.id, period, min_cell=context.settings.min_cell, now=now()
        )
    if facts is None:
        await context.bot.send_message(user_id, general.STALE_BUTTON)
        return
    # Imported here, not at the top: fpdf and the fonts' tools it loads are about 25 MB
    # resident (bench/memory.py), and most bots never make a report.
    from bot.views.report_pdf import file_name, report_pdf

    pdf = await asyncio.to_thread(report_pdf, facts)
    try:
        await context.bot.send_document(
            user_id,
            InputFile(pdf, filename=file_name(facts)),
            caption=views.caption(group.title, period),
        )
    except TelegramError as error:
        log.warning("could not send a report: %s", type(error).__name__)
        await context.bot.send_message(user_id, views.SEND_FAILED)


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [
        CommandHandler("report", ask_for_report, filters=_NOT_EDITED),
        CallbackQueryHandler(pick_group, pattern=pattern(Action.REPORT_GROUP)),
        CallbackQueryHandler(pick_period, pattern=pattern(Action.REPORT_PERIOD)),
    ]
