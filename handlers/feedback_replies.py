"""Private replies to anonymous feedback: "Reply privately" (facilitators), "Answer" and
"Stop replies" (the writer), and the message each then types.

Who is writing what is kept in memory only (user_data), for a day at most. Each message is
checked again when it is sent: the facilitator still a facilitator, the channel still open,
today's limit not reached. Texts are never logged.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import Forbidden
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.clock import now
from bot.context import AppContext
from bot.i18n import _, speaking
from bot.reader_languages import person_language_of
from bot.scheduling.feedback_routing import answer_to_facilitators
from bot.services import feedback_delivery, feedback_replies
from bot.services.feedback_replies import Turn
from bot.views import feedback_posts, general
from bot.views import feedback_replies as views
from bot.views.callbacks import Action, decode, pattern
from handlers.feedback import usable_text
from handlers.replies import pressed_in_private, reply, send_private, user_id_of

Side = Literal["facilitator", "writer"]
_WRITING = "reply_writing"
_LIFETIME = timedelta(days=1)


def _writing(context: AppContext) -> tuple[int, Side] | None:
    held = None if context.user_data is None else context.user_data.get(_WRITING)
    if not isinstance(held, tuple) or datetime.now(UTC) - held[2] > _LIFETIME:
        return None
    return held[0], held[1]


def _begin(context: AppContext, feedback_id: int, side: Side) -> None:
    if context.user_data is not None:
        context.user_data[_WRITING] = (feedback_id, side, datetime.now(UTC))


def _end(context: AppContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(_WRITING, None)


def facilitator_writing(context: AppContext) -> bool:
    """A facilitator typing a reply: their words go privately to one person, never to a
    group, so the crisis gate lets them through (a reply about a crisis names one)."""
    writing = _writing(context)
    return writing is not None and writing[1] == "facilitator"


async def reply_keyboard(context: AppContext, feedback_id: int) -> InlineKeyboardMarkup | None:
    """ "Reply privately", kept on a facilitator's copy when it is rewritten (an outcome,
    "seen"), while the writer still allows replies."""
    async with context.uow() as uow:
        open_now = await feedback_replies.which_open(uow, [feedback_id], now())
    return views.facilitator_keyboard(feedback_id) if open_now else None


def _item_id(query: CallbackQuery) -> int | None:
    press = decode(query.data) if pressed_in_private(query) else None
    return press.args[0] if press is not None and len(press.args) == 1 else None


async def start_reply(update: Update, context: AppContext) -> None:
    """ "Reply privately" on an item, by a facilitator of its group."""
    query = update.callback_query
    if query is None:
        return
    feedback_id = _item_id(query)
    channel = None
    if feedback_id is not None:
        async with context.uow() as uow:
            channel = await feedback_replies.open_channel(uow, context.secret, feedback_id, now())
    if feedback_id is None or channel is None:
        await query.answer(
            _(views.CLOSED_SHORT) if feedback_id is not None else _(general.STALE_BUTTON)
        )
        return
    if not await context.facilitators.is_facilitator(
        context.bot, channel.item.chat_id, query.from_user.id
    ):
        await query.answer(_(feedback_posts.FACILITATORS_ONLY), show_alert=True)
        return
    _begin(context, feedback_id, "facilitator")
    await query.answer()
    await send_private(
        context.bot,
        query.from_user.id,
        views.reply_prompt(channel.item.text),
        views.cancel_keyboard(feedback_id),
    )


async def _writers_channel(
    query: CallbackQuery, context: AppContext
) -> feedback_replies.Channel | None:
    """The channel whose writer pressed; None (and a kind answer) for anyone else."""
    feedback_id = _item_id(query)
    channel = None
    if feedback_id is not None:
        async with context.uow() as uow:
            channel = await feedback_replies.open_channel(uow, context.secret, feedback_id, now())
    if channel is None or channel.writer_chat != query.from_user.id:
        # Forged by someone else, or closed: the same words, so a press reveals nothing.
        await query.answer(_(views.CLOSED_SHORT))
        return None
    return channel


async def start_answer(update: Update, context: AppContext) -> None:
    """ "Answer" under a facilitator's reply, by the writer."""
    query = update.callback_query
    if query is None:
        return
    channel = await _writers_channel(query, context)
    if channel is None:
        return
    _begin(context, channel.item.id, "writer")
    await query.answer()
    await send_private(
        context.bot,
        query.from_user.id,
        views.answer_prompt(channel.item.group_title),
        views.cancel_keyboard(channel.item.id),
    )


async def stop_replies(update: Update, context: AppContext) -> None:
    """ "Stop replies": the channel and where to reach the writer are deleted at once."""
    query = update.callback_query
    if query is None:
        return
    channel = await _writers_channel(query, context)
    if channel is None:
        return
    async with context.uow() as uow:
        await feedback_replies.close(uow, channel.item.id)
    _end(context)
    await query.answer(_(views.STOPPED_SHORT))
    await send_private(context.bot, query.from_user.id, views.STOPPED)


async def cancel(update: Update, context: AppContext) -> None:
    query = update.callback_query
    if query is None:
        return
    writing = _writing(context)
    if writing is None or writing[0] != _item_id(query):
        await query.answer(general.STALE_BUTTON)
        return
    _end(context)
    await query.answer(_(views.CANCELLED))
    await send_private(context.bot, query.from_user.id, views.CANCELLED)


async def take_text(
    update: Update, context: AppContext, text: str | None = None, *, urgent: bool = False
) -> bool:
    """A reply or an answer being written takes this message; True if it did.

    `urgent`: the crisis gate found a crisis in a writer's answer (it has sent them the
    contacts); the answer still goes to the facilitators, marked urgent.
    """
    writing = _writing(context)
    if writing is None:
        return False
    feedback_id, side = writing
    typed = await usable_text(update, text)
    if typed is None:
        return True
    user_id = user_id_of(update)
    if side == "facilitator":
        await _reply_to_writer(update, context, feedback_id, user_id, typed)
    else:
        await _answer_facilitators(update, context, feedback_id, typed, urgent=urgent)
    return True


async def _reply_to_writer(
    update: Update, context: AppContext, feedback_id: int, user_id: int, text: str
) -> None:
    async with context.uow() as uow:
        found = await feedback_delivery.item(uow, feedback_id)
    # Still a facilitator of the item's group: someone demoted since may not write.
    if found is None or not await context.facilitators.is_facilitator(
        context.bot, found.chat_id, user_id
    ):
        _end(context)
        await reply(update, feedback_posts.FACILITATORS_ONLY)
        return
    async with context.uow() as uow:
        turn, channel = await feedback_replies.take_turn(
            uow, context.secret, feedback_id, writer=False, now=now()
        )
    if turn is not Turn.OK or channel is None:
        if turn is Turn.CLOSED:
            _end(context)
        await reply(update, views.CLOSED if turn is Turn.CLOSED else views.LIMIT)
        return
    _end(context)
    # In the writer's language, not the organiser's who is typing.
    with speaking(await person_language_of(context, channel.writer_chat)):
        to_writer = views.to_writer(found.group_title, found.text, text)
        keyboard = views.writer_keyboard(feedback_id)
    try:
        await send_private(context.bot, channel.writer_chat, to_writer, keyboard)
    except Forbidden:
        # They blocked the bot: nothing more can reach them, and where to is deleted.
        async with context.uow() as uow:
            await feedback_replies.close(uow, feedback_id)
        await reply(update, views.WRITER_GONE)
        return
    await reply(update, views.REPLY_SENT)


async def _answer_facilitators(
    update: Update, context: AppContext, feedback_id: int, text: str, *, urgent: bool
) -> None:
    async with context.uow() as uow:
        turn, channel = await feedback_replies.take_turn(
            uow, context.secret, feedback_id, writer=True, now=now()
        )
    if turn is not Turn.OK or channel is None or channel.writer_chat != user_id_of(update):
        if turn is Turn.CLOSED:
            _end(context)
        await reply(update, views.LIMIT if turn is Turn.LIMIT else views.CLOSED)
        return
    _end(context)
    delivered = await answer_to_facilitators(context, channel.item, text, urgent=urgent)
    await reply(update, views.ANSWER_SENT if delivered else views.ANSWER_UNREACHED)


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [
        CallbackQueryHandler(start_reply, pattern=pattern(Action.REPLY_START)),
        CallbackQueryHandler(start_answer, pattern=pattern(Action.REPLY_ANSWER)),
        CallbackQueryHandler(stop_replies, pattern=pattern(Action.REPLY_STOP)),
        CallbackQueryHandler(cancel, pattern=pattern(Action.REPLY_CANCEL)),
    ]
