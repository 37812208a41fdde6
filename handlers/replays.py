"""The first handler of all: an update delivered a second time is stopped here.

Ballot presses are let through: they claim inside the ballot's own transaction
(`claimed_with`), so a vote is never lost between a claim and its write.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.context import AppContext
from bot.scheduling.poll_jobs import now
from bot.services import replays
from bot.views.callbacks import Action, decode
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

T = TypeVar("T")
Work = Callable[[UnitOfWork], Awaitable[T]]

_CLAIMED_WITH_THE_BALLOT = {Action.VOTE, Action.WITHDRAW}


def _is_ballot_press(update: Update) -> bool:
    query = update.callback_query
    if query is None:
        return False
    press = decode(query.data)
    return press is not None and press.action in _CLAIMED_WITH_THE_BALLOT


async def stop_replays(update: Update, context: AppContext) -> None:
    if _is_ballot_press(update):
        return
    bot_id, update_id = context.bot.id, update.update_id
    try:
        first = await context.ballots.apply(
            lambda uow: replays.first_delivery(uow, bot_id, update_id, now())
        )
    except Exception as error:
        # Raising would have the error handler say "something went wrong, try again" while
        # the features still handle the update (only ApplicationHandlerStop stops them), and
        # the person would do it twice. Handled unclaimed, a replay could act twice: rarer.
        log.warning("could not claim an update; handling it unclaimed: %s", type(error).__name__)
        return
    if not first:
        log.info("an update came a second time; its first delivery was handled")
        raise ApplicationHandlerStop


def claimed_with(update: Update, context: AppContext, work: Work[T]) -> Work[T | None]:
    """`work`, preceded in its own transaction by the update's claim; None for a replay."""
    bot_id, update_id = context.bot.id, update.update_id

    async def once(uow: UnitOfWork) -> T | None:
        if not await replays.first_delivery(uow, bot_id, update_id, now()):
            return None
        return await work(uow)

    return once


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [TypeHandler(Update, stop_replays)]
