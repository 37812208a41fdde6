"""Posting feedback in groups exactly once, digests at their hour, and the feedback sweep.

As with polls (DESIGN section 5), the database is the truth: a queued item carries the time
its digest is due, jobs are the alarm clocks rebuilt on start, a periodic sweep catches what
an alarm missed, and each item is leased before it is sent so it is posted once.
"""

from __future__ import annotations

import logging
import random
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from telegram.ext import JobQueue

from bot.scheduling.group_sender import send_to_group
from bot.services import feedback, feedback_delivery
from bot.services.feedback_delivery import Item
from bot.views import feedback_posts as views

if TYPE_CHECKING:
    from bot.context import AppContext, AppType

log = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(seconds=60)


def now() -> datetime:
    return datetime.now(UTC)


async def _send_taken(context: AppContext, item: Item) -> bool:
    """Post an item this process holds the lease on, then mark it posted (or let it go)."""
    assert item.number is not None
    message = None
    if item.group_active:
        message = await send_to_group(
            context, item.chat_id, views.group_post(item.number, item.role_tag, item.text)
        )
    async with context.uow() as uow:
        if message is None:
            await feedback_delivery.not_posted(uow, item.id)
        else:
            await feedback_delivery.posted(uow, item.id, now())
    if message is not None:
        log.info("feedback %s posted in group %s", item.id, item.group_id)
    return message is not None


async def post_item(context: AppContext, feedback_id: int) -> Item | None:
    """Post one approved (or direct) item; None if it was not posted by this call."""
    async with context.uow() as uow:
        item = await feedback_delivery.take_for_posting(uow, feedback_id, now())
    if item is None:
        return None
    return item if await _send_taken(context, item) else None


async def post_digest(context: AppContext, group_id: int) -> int:
    """Post a group's due items together: each leased first, so two processes share none."""
    moment = now()
    async with context.uow() as uow:
        due = await feedback_delivery.due_digest(uow, group_id, moment)
    # In no particular order: the order they came in would say something about who wrote them.
    random.shuffle(due)
    taken: list[Item] = []
    for feedback_id in due:
        async with context.uow() as uow:
            item = await feedback_delivery.take_for_posting(uow, feedback_id, moment)
        if item is not None:
            taken.append(item)
    if not taken:
        return 0
    if taken[0].group_active:
        await send_to_group(context, taken[0].chat_id, views.digest_header(len(taken)))
    return sum([await _send_taken(context, item) for item in taken])


async def sweep(context: AppContext) -> None:
    """Digests whose hour has come, posts cut short, items that reached no facilitator yet,
    the group's daily notice that feedback waits, and counters of days that are over."""
    # Routing builds on posting (this module), so it is imported where the sweep needs it.
    from bot.scheduling.feedback_routing import notify_waiting, remind_unseen, retry_unreached

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


async def _digest_job(context: AppContext) -> None:
    job = context.job
    if job is not None and isinstance(job.data, int):
        await post_digest(context, job.data)


def schedule_digest(job_queue: JobQueue[Any] | None, group_id: int, due: datetime) -> None:
    """The alarm for a group's next digest (one per group; a past time is the sweep's)."""
    if job_queue is None or due <= now():
        return
    name = f"feedback-digest:{group_id}"
    for job in job_queue.get_jobs_by_name(name):
        if job.next_t is not None and abs((job.next_t - due).total_seconds()) < 1:
            return
        job.schedule_removal()
    job_queue.run_once(_digest_job, when=due, data=group_id, name=name)


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
