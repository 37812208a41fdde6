"""The first handler of all: an update delivered a second time is stopped here.

Ballot presses are let through, and guarded where they are written (`ballot_press_once`):
- PostgreSQL (any number of replicas): the claim is in the ballot's own transaction, so a
  vote is never lost between a claim and its write, and a replica never repeats another's.
- SQLite (one process: the embedded default): a claim statement would cost a third of a
  press, so this process remembers the presses it handled, and only a multiple-choice tick
  (a toggle: the one press a second delivery would undo) also claims in its transaction.
  After a restart Telegram can only send again a tail of the updates, in order; a single
  answer or a withdrawal handled again in order ends where it ended the first time.
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


class ToggleClaimOnce:
    """The update's claim for a multiple-choice tick: made at most once per press, however
    often the compare-and-set loop judges the tick again."""

    def __init__(self, bot_id: int, update_id: int) -> None:
        self._bot_id, self._update_id = bot_id, update_id
        self._made: tuple[UnitOfWork, bool] | None = None

    async def __call__(self, uow: UnitOfWork) -> bool:
        # Once per transaction: a batch that failed is written again press by press, in a
        # new transaction, where the rolled-back claim must be made again.
        if self._made is None or self._made[0] is not uow:
            first = await replays.first_delivery(uow, self._bot_id, self._update_id, now())
            self._made = (uow, first)
        return self._made[1]


# Writes a ballot press: with a claim for a multiple-choice tick only (SQLite), or with the
# update's claim, made in the same statement as the press's read (PostgreSQL).
BallotWrite = Callable[[UnitOfWork, ToggleClaimOnce | None, UpdateClaim | None], Awaitable[T]]


def ballot_press_once(
    update: Update, context: AppContext, write: BallotWrite[T]
) -> Work[T | None] | None:
    """`write` guarded against a second delivery of the same press (see the module's doc);
    None when this process has handled this very press already (SQLite: it was answered)."""
    bot_id, update_id = context.bot.id, update.update_id
    if not context.settings.is_sqlite:
        claim = UpdateClaim(bot_id, update_id, replays.to_the_hour(now()))
        return lambda uow: write(uow, None, claim)
    if not context.bot_data.recent_presses.first_time(update_id):
        return None
    toggle = ToggleClaimOnce(bot_id, update_id)
    return lambda uow: write(uow, toggle, None)
