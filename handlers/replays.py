"""The first handler of all: an update delivered a second time is stopped here.

Ballot presses are let through, and guarded where they are written (`ballot_press_once`): the
claim is in the ballot's own transaction, so a vote is never lost between a claim and its
write, and a replica never repeats another's. On PostgreSQL it rides in the same statement as
the press's read; on SQLite it is the statement before the read, and as SQLite's first write
it takes the database's one writer lock, so a poll cannot close between the read and the
write (a press judged open and written after the close would count in no announced result).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.clock import now
from bot.context import AppContext
from bot.services import replays
from bot.services.replays import UpdateClaim
from bot.services.unit_of_work import UnitOfWork
from bot.views.callbacks import Action, decode

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


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [TypeHandler(Update, stop_replays)]


# Writes a ballot press with the update's claim, made in the press's transaction with its
# read (PostgreSQL: in the same statement; SQLite: the statement before it).
BallotWrite = Callable[[UnitOfWork, UpdateClaim], Awaitable[T]]


def ballot_press_once(update: Update, context: AppContext, write: BallotWrite[T]) -> Work[T]:
    """`write` guarded against a second delivery of the same press (see the module's doc):
    the press's unit of work claims its update first, and a replay is answered REPLAYED."""
    claim = UpdateClaim(context.bot.id, update.update_id, replays.to_the_hour(now()))
    return lambda uow: write(uow, claim)
