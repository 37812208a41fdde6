"""The feedback sweep, and the alarms rebuilt on start.

It sits above both halves it drives, so the dependency runs one way:
feedback_sweep -> feedback_routing -> feedback_jobs (posting). As with polls (DESIGN
section 5), the database is the truth: jobs are the alarm clocks rebuilt on start, and a
periodic sweep catches what an alarm missed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.clock import now
from bot.scheduling.feedback_jobs import post_digest, post_item, schedule_digest
from bot.scheduling.feedback_routing import notify_waiting, remind_unseen, retry_unreached
from bot.services import feedback, feedback_delivery

if TYPE_CHECKING:
    from bot.context import AppContext, AppType

SWEEP_EVERY = timedelta(seconds=60)


async def sweep(context: AppContext) -> None:
    """Digests whose hour has come, posts cut short, items that reached no facilitator yet,
    the group's daily notice that feedback waits, and counters of days that are over."""
    moment = now()
    async with context.uow() as uow:
        digests = await feedback_delivery.digest_times(uow)
        left = await feedback_delivery.left_to_post(uow, moment)
        purged = await feedback.purge_old_counters(uow, moment)
        await uow.commit()
        if purged:
            await uow.scrub()  # yesterday's keyed counts, out of the write-ahead log too
    for group_id, due in digests:
        if due <= moment:
            await post_digest(context, group_id)
    for feedback_id in left:
        await post_item(context, feedback_id)
    await retry_unreached(context)
    await remind_unseen(context)
    await notify_waiting(context)


async def rebuild_feedback_jobs(app: AppType) -> int:
    """On start: what fell due while the bot was down, then alarms for the rest and the sweep."""
    from bot.context import AppContext

    await sweep(AppContext(app))
    async with AppContext(app).uow() as uow:
        digests = await feedback_delivery.digest_times(uow)
    for group_id, due in digests:
        schedule_digest(app.job_queue, group_id, due)
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            sweep, interval=SWEEP_EVERY, first=SWEEP_EVERY, name="feedback-sweep"
        )
    return len(digests)
