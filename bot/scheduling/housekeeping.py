"""Hourly housekeeping: claims on old update ids go once no redelivery can reach them."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.scheduling.poll_jobs import now
from bot.services import replays

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


def schedule_housekeeping(app: AppType) -> None:
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            forget_old_claims,
            interval=HOUSEKEEPING_EVERY,
            first=timedelta(minutes=1),
            name="housekeeping",
        )
