"""Posting feedback in groups exactly once, and digests at their hour.

As with polls (DESIGN section 5), the database is the truth: a queued item carries the time
its digest is due, jobs are the alarm clocks rebuilt on start, a periodic sweep catches what
an alarm missed, and each item is leased before it is sent so it is posted once.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime
from typing import TYPE_CHECKING, Any

from telegram.ext import JobQueue

from bot.clock import now
from bot.i18n import speaking
from bot.reader_languages import group_language_of
from bot.scheduling.group_sender import send_to_group
from bot.services import feedback_delivery
from bot.services.feedback_delivery import Item
from bot.views import feedback_posts as views

if TYPE_CHECKING:
    from bot.context import AppContext

log = logging.getLogger(__name__)


async def _send_taken(context: AppContext, item: Item) -> bool:
    """Post an item this process holds the lease on, then mark it posted (or let it go)."""
    assert item.number is not None
    message = None
    if item.group_active:
        with speaking(await group_language_of(context, item.chat_id)):
            post = views.group_post(item.number, item.role_tag, item.text)
        message = await send_to_group(context, item.chat_id, post)
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
    """Post a group's due items together, under one header, in one process at a time.

    The round is held first (a lease on the group), so two sweeps or two replicas waking at
    the hour never each post a header for part of the items; each item is leased too, so one
    cut short is posted alone by a later sweep rather than lost.
    """
    moment = now()
    async with context.uow() as uow:
        if not await feedback_delivery.take_digest_round(uow, group_id, moment):
            return 0
    try:
        return await _post_round(context, group_id, moment)
    finally:
        async with context.uow() as uow:
            await feedback_delivery.end_digest_round(uow, group_id)


async def _post_round(context: AppContext, group_id: int, moment: datetime) -> int:
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
        with speaking(await group_language_of(context, taken[0].chat_id)):
            header = views.digest_header(len(taken))
        await send_to_group(context, taken[0].chat_id, header)
    return sum([await _send_taken(context, item) for item in taken])


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
