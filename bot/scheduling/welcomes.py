"""Welcoming newcomers in a group: one short message with the Join button, coalesced.

Telegram can tell of one arrival twice: the "X joined" service message and, where the bot is
an administrator, a `chat_member` update. `RecentArrivals` remembers, in memory only and for
one window, which people were already counted, so that is one arrival. The database decides
whose turn it is to post (bot/services/welcomes.py): the first arrival is welcomed at once,
and arrivals during the next few minutes share one welcome when the window ends.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from telegram import InlineKeyboardMarkup
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError
from telegram.ext import JobQueue

from bot.clock import now
from bot.domain.feedback_link import sign_feedback
from bot.i18n import speaking
from bot.reader_languages import group_language_of
from bot.scheduling.group_sender import send_to_group
from bot.services import groups, membership, welcomes
from bot.services.groups import GroupInfo
from bot.services.welcomes import WELCOME_EVERY
from bot.views import membership as views

if TYPE_CHECKING:
    from bot.context import AppContext

log = logging.getLogger(__name__)


class RecentArrivals:
    """(chat, user) pairs seen arriving within the last window; bounded, in memory only."""

    LIMIT = 10_000

    def __init__(self) -> None:
        self._seen: dict[tuple[int, int], datetime] = {}

    def first_time(self, chat_id: int, user_id: int, at: datetime) -> bool:
        if len(self._seen) >= self.LIMIT:
            self._seen = {k: t for k, t in self._seen.items() if at - t < WELCOME_EVERY}
            if len(self._seen) >= self.LIMIT:
                self._seen.clear()
        key = (chat_id, user_id)
        seen = self._seen.get(key)
        if seen is not None and at - seen < WELCOME_EVERY:
            return False
        self._seen[key] = at
        return True


async def welcome_arrivals(context: AppContext, group: GroupInfo, user_ids: Iterable[int]) -> None:
    """People arrived in the group: welcome them now, or with the next ones in a few minutes."""
    moment = now()
    arrivals = context.bot_data.arrivals
    if not [u for u in user_ids if arrivals.first_time(group.chat_id, u, moment)]:
        return  # told of these arrivals before
    async with context.uow() as uow:
        turn = await welcomes.take_turn(uow, group.id, moment)
    if turn.now:
        await post_welcome(context, group.id)
    elif turn.next_at is not None:
        _welcome_later(context, group.id, turn.next_at)


def _welcome_later(context: AppContext, group_id: int, at: datetime) -> None:
    """One pending welcome per group, when the current window ends."""
    job_queue: JobQueue[Any] | None = context.job_queue
    if job_queue is None:
        return
    name = f"welcome:{group_id}"
    if job_queue.get_jobs_by_name(name):
        return
    job_queue.run_once(_welcome_job, when=max(at, now()), data=group_id, name=name)


async def _welcome_job(context: AppContext) -> None:
    job = context.job
    if job is None or not isinstance(job.data, int):
        return
    async with context.uow() as uow:
        turn = await welcomes.take_turn(uow, job.data, now())
    if turn.now:
        await post_welcome(context, job.data)
    elif turn.next_at is not None and turn.next_at > now():
        # Woken early (another process welcomed meanwhile, or clocks differ): wait again.
        _welcome_later(context, job.data, turn.next_at)


async def post_welcome(context: AppContext, group_id: int) -> None:
    """The welcome with Join (and anonymous feedback), and a Pin button if the bot can pin."""
    async with context.uow() as uow:
        group = await groups.find_group_by_id(uow, group_id)
    if group is None or not group.active:
        return
    pin = await bot_can_pin(context, group.chat_id)
    # A job posts it when arrivals come close together: no update has set the language.
    with speaking(await group_language_of(context, group.chat_id)):
        keyboard = welcome_keyboard(context, group, pin=pin)
        text = views.newcomers_welcome(group.title)
    await send_to_group(context, group.chat_id, text, markup=keyboard)


def welcome_keyboard(context: AppContext, group: GroupInfo, *, pin: bool) -> InlineKeyboardMarkup:
    """Join and anonymous feedback; `pin`: the offer to pin it, for facilitators."""
    return views.join_keyboard(
        context.bot.username,
        membership.join_payload(context.secret, group),
        sign_feedback(context.secret, group.id),
        pin_group=group.id if pin else None,
    )


async def bot_can_pin(context: AppContext, chat_id: int) -> bool:
    """Whether the bot may pin messages in the chat (an administrator with that right)."""
    try:
        me = await context.bot.get_chat_member(chat_id, context.bot.id)
    except TelegramError as error:
        log.info("could not check the right to pin: %s", type(error).__name__)
        return False
    if me.status == ChatMemberStatus.OWNER:
        return True
    return me.status == ChatMemberStatus.ADMINISTRATOR and bool(
        getattr(me, "can_pin_messages", False)
    )
