"""Hourly housekeeping: claims on old update ids go once no redelivery can reach them, and
rejected and urgent feedback texts go once their retention period is over, and private
reply channels once their 30 days are; outcome reviews and monthly digests fall due."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.clock import now
from bot.scheduling.outcome_jobs import post_monthly_digests, remind_reviews
from bot.services import feedback_delivery, feedback_replies, replays

if TYPE_CHECKING:
    from bot.context import AppContext, AppType

log = logging.getLogger(__name__)

HOUSEKEEPING_EVERY = timedelta(hours=1)


async def forget_old_claims(context: AppContext) -> int:
    async with context.uow() as uow:
        dropped = await replays.forget_old_claims(uow, now())
        await uow.commit()
    if dropped:
        log.info("forgot %d old update claim(s)", dropped)
    return dropped


async def forget_old_feedback_texts(context: AppContext) -> int:
    async with context.uow() as uow:
        forgotten = await feedback_delivery.forget_old_texts(
            uow, now(), context.settings.feedback_retention_days
        )
    if forgotten:
        log.info("deleted %d rejected or urgent feedback text(s) past retention", forgotten)
    return forgotten


async def close_expired_replies(context: AppContext) -> int:
    """Private replies to feedback end 30 days after the item: where to reach its writer goes."""
    async with context.uow() as uow:
        closed = await feedback_replies.close_expired(uow, now())
    if closed:
        log.info("closed %d expired private reply channel(s)", closed)
    return closed


async def housekeep(context: AppContext) -> None:
    await forget_old_claims(context)
    await forget_old_feedback_texts(context)
    await close_expired_replies(context)
    await remind_reviews(context)
    await post_monthly_digests(context)


def schedule_housekeeping(app: AppType) -> None:
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            housekeep,
            interval=HOUSEKEEPING_EVERY,
            first=timedelta(minutes=1),
            name="housekeeping",
        )
