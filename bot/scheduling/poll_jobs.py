"""Posting, refreshing, closing and reminding polls, from handlers and from the JobQueue.

Every text here goes to a group, and is built in the group's language (`speaking`): a job has
no update to set one, and a poll set up in an organiser's private chat, or closed by a button,
is still read by the whole group.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, TelegramError
from telegram.ext import JobQueue

from bot.clock import now
from bot.domain.poll_snapshot import PollSnapshot
from bot.i18n import speaking
from bot.reader_languages import group_language_of
from bot.scheduling.group_sender import (
    Edit,
    Photo,
    deliver_to_group,
    edit_in_group,
    send_to_group,
)
from bot.services import polls
from bot.services.groups import GroupInfo
from bot.services.polls import ScheduledPoll
from bot.views import poll_chart, poll_results
from bot.views import polls as poll_views

if TYPE_CHECKING:
    from bot.context import AppContext, AppType

log = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(seconds=60)


async def _language(context: AppContext, chat_id: int) -> str:
    return await group_language_of(context, chat_id)


async def post_poll(
    context: AppContext, group: GroupInfo, poll_id: int, *, thread_id: int | None
) -> bool:
    """Put a new poll's message in the group and set its alarms."""
    async with context.uow() as uow:
        snap = await polls.snapshot(uow, poll_id, min_cell=context.settings.min_cell)
    if snap is None:
        return False
    with speaking(await _language(context, group.chat_id)):
        message = await send_to_group(
            context,
            group.chat_id,
            poll_views.poll_message(snap, now=now()),
            thread_id=thread_id,
            markup=poll_views.poll_keyboard(snap),
        )
    if message is None:
        return False
    async with context.uow() as uow:
        await polls.attach_message(uow, poll_id, message.message_id, thread_id)
    if snap.deadline is not None:
        async with context.uow() as uow:
            for scheduled in await polls.scheduled_polls(uow):
                if scheduled.poll_id == poll_id:
                    schedule_poll(context.job_queue, scheduled)
    return True


async def repost_open_polls(context: AppContext, group: GroupInfo) -> int:
    """After a supergroup upgrade the old poll messages stay behind in the old chat, where
    buttons and edits no longer reach: post each open poll again in the new chat."""
    async with context.uow() as uow:
        open_polls, _ = await polls.group_polls(uow, group.id, min_cell=context.settings.min_cell)
    reposted = 0
    language = await _language(context, group.chat_id)
    for snap in open_polls:
        with speaking(language):
            message = await send_to_group(
                context,
                group.chat_id,
                poll_views.poll_message(snap, now=now()),
                markup=poll_views.poll_keyboard(snap),
            )
        if message is not None:
            async with context.uow() as uow:
                await polls.attach_message(uow, snap.id, message.message_id, None)
            reposted += 1
    return reposted


async def refresh_poll_message(context: AppContext, poll_id: int) -> None:
    """Edit the poll's message to show its current state (called by the coalescer)."""
    async with context.uow() as uow:
        place = await polls.place_of(uow, poll_id)
        snap = await polls.snapshot(uow, poll_id, min_cell=context.settings.min_cell)
    if place is None or snap is None or place.message_id is None or not place.active:
        return
    with speaking(await _language(context, place.chat_id)):
        edit = await edit_in_group(
            context,
            place.chat_id,
            place.message_id,
            poll_views.poll_message(snap, now=now()),
            poll_views.poll_keyboard(snap),
        )
    if edit is Edit.RETRY_LATER:
        # Telegram failed for now: in its turn, the edit is tried again, or the message would
        # show an old count until the next vote.
        poll_changed(context, place.group_id, poll_id)


def poll_changed(context: AppContext, group_id: int, poll_id: int) -> None:
    """A vote changed the tally: the message is refreshed soon, coalesced with others."""
    job_queue = context.job_queue
    if job_queue is not None:
        context.bot_data.coalescer.touch(job_queue, group_id, poll_id, refresh_poll_message)


def reopen_window(context: AppContext) -> timedelta:
    return timedelta(minutes=context.settings.poll_reopen_minutes)


async def close_and_announce(context: AppContext, poll_id: int) -> bool:
    """Close the poll (once, whoever asks first) and post its results."""
    async with context.uow() as uow:
        closed = await polls.close_poll(
            uow,
            poll_id,
            now(),
            bar=context.settings.disclosure_bar,
            reopen_window=reopen_window(context),
        )
    if closed:
        context.bot_data.coalescer.forget(poll_id, refresh_poll_message)
        for job in _jobs_of(context.job_queue, poll_id):
            job.schedule_removal()
    await announce_results(context, poll_id)
    return closed


async def finish_closing(context: AppContext, poll_id: int, *, at_once: bool = False) -> None:
    """The reopen window is over: unlink the keys, and take the Reopen button off the results
    message. Run by the poll sweep (every minute, and at every start, so a window that ended
    while the bot was down ends at the start); `at_once` ends the window now."""
    async with context.uow() as uow:
        done = await polls.finish_closing(uow, poll_id, None if at_once else now())
        place = await polls.place_of(uow, poll_id) if done else None
        snap = await polls.snapshot(uow, poll_id, min_cell=context.settings.min_cell)
    if place is None or snap is None or place.results_message_id is None or not place.active:
        return
    # Written again as it stands, with the keyboard changed: PTB sends a parse mode with
    # editMessageReplyMarkup, which that method does not take (see handlers/urgent_mute.py).
    # A stale Reopen press is answered kindly and changes nothing, so this is cosmetic.
    with speaking(await _language(context, place.chat_id)):
        await _edit_results(
            context,
            place.chat_id,
            place.results_message_id,
            caption=poll_results.results_caption(snap).text,
            text=poll_results.results_message(snap),
            markup=poll_views.results_keyboard(snap, complete=_complete(snap)),
        )


def _complete(snap: PollSnapshot) -> bool:
    """Whether the results message held every word (else it keeps its "All figures")."""
    if poll_chart.chart_model(snap) is None:
        return True
    return poll_results.results_caption(snap).complete


async def reopen_poll(context: AppContext, poll_id: int) -> polls.Reopened:
    """Open a closed poll again within its window: the poll message is live again and the
    results message says it was reopened (its figures withdrawn)."""
    async with context.uow() as uow:
        outcome = await polls.reopen_poll(uow, poll_id, now())
    if outcome is not polls.Reopened.REOPENED:
        return outcome
    async with context.uow() as uow:
        place = await polls.place_of(uow, poll_id)
        snap = await polls.snapshot(uow, poll_id, min_cell=context.settings.min_cell)
    if place is None or snap is None or not place.active:
        return outcome
    with speaking(await _language(context, place.chat_id)):
        if place.results_message_id is not None:
            await _say_reopened(context, place.chat_id, place.results_message_id, snap)
        if place.message_id is not None:
            await edit_in_group(
                context,
                place.chat_id,
                place.message_id,
                poll_views.poll_message(snap, now=now()),
                poll_views.poll_keyboard(snap),
            )
    return outcome


async def _say_reopened(
    context: AppContext, chat_id: int, message_id: int, snap: PollSnapshot
) -> None:
    text = poll_results.reopened_text(snap)
    await _edit_results(context, chat_id, message_id, caption=text, text=text, markup=None)


async def _edit_results(
    context: AppContext,
    chat_id: int,
    message_id: int,
    *,
    caption: str,
    text: str,
    markup: InlineKeyboardMarkup | None,
) -> None:
    """Edit the results message: a photo's caption where it had figures, else its text."""
    try:
        await context.bot.edit_message_caption(
            chat_id=chat_id, message_id=message_id, caption=caption, reply_markup=markup
        )
    except BadRequest as error:
        if "no caption" in error.message.lower():
            await edit_in_group(context, chat_id, message_id, text, markup)
        elif "not modified" not in error.message.lower():
            log.info("could not edit the results message: %s", error.message)
    except TelegramError as error:
        log.info("could not edit the results message: %s", type(error).__name__)


async def announce_results(context: AppContext, poll_id: int) -> None:
    """Post the results of a closed poll exactly once: lease, send, mark done."""
    moment = now()
    async with context.uow() as uow:
        if not await polls.lease_announcement(uow, poll_id, moment):
            return
        place = await polls.place_of(uow, poll_id)
        snap = await polls.snapshot(uow, poll_id, min_cell=context.settings.min_cell)
    if place is None or snap is None:
        return
    with speaking(await _language(context, place.chat_id)):
        posted = await _post_results(context, place, snap, poll_id, moment)
    if not posted:
        return  # not marked done: the lease runs out and the sweep posts them then
    async with context.uow() as uow:
        await polls.announced(uow, poll_id)


async def _post_results(
    context: AppContext, place: polls.PollPlace, snap: PollSnapshot, poll_id: int, moment: datetime
) -> bool:
    """The closing edit of the poll message and the results message; False to try later."""
    if place.active:
        if place.message_id is not None:
            await edit_in_group(
                context,
                place.chat_id,
                place.message_id,
                poll_views.poll_message(snap, now=moment),
                poll_views.poll_keyboard(snap),
            )
        photo = await _results_photo(snap)
        delivery = await deliver_to_group(
            context,
            place.chat_id,
            poll_results.results_message(snap),
            thread_id=place.thread_id,
            markup=poll_views.results_keyboard(
                snap, complete=photo is None or photo.complete, reopen=snap.reopen_until is not None
            ),
            reply_to=place.message_id,
            photo=photo,
        )
        if delivery.retry_later:
            return False
        if delivery.message is not None:
            async with context.uow() as uow:
                await polls.results_posted(uow, poll_id, delivery.message.message_id)
        # A vote refresh that read the poll just before it closed may land after the closing
        # edit; one more refresh, coalesced like any other, leaves the final state showing.
        poll_changed(context, place.group_id, poll_id)
    else:
        log.info("poll %s closed in a group that removed the bot; results not posted", poll_id)
    return True


async def _results_photo(snap: PollSnapshot) -> Photo | None:
    """The chart with the results as its caption: one message (issue 14, point 7). None
    where nothing per option is published: then the words go alone."""
    # Drawing takes a few hundred milliseconds: off the event loop, so votes keep flowing.
    chart = await asyncio.to_thread(poll_chart.results_chart, snap)
    if chart is None:
        return None
    caption = poll_results.results_caption(snap)
    return Photo(chart, caption.text, poll_results.results_message(snap), caption.complete)


async def remind(context: AppContext, poll_id: int) -> None:
    """The reminder before a deadline, with who has voted so far (counts only)."""
    moment = now()
    async with context.uow() as uow:
        if not await polls.lease_reminder(uow, poll_id, moment):
            return
        place = await polls.place_of(uow, poll_id)
        snap = await polls.snapshot(uow, poll_id, min_cell=context.settings.min_cell)
    if place is not None and snap is not None and place.active:
        with speaking(await _language(context, place.chat_id)):
            delivery = await deliver_to_group(
                context,
                place.chat_id,
                poll_views.reminder_text(snap, now=moment),
                thread_id=place.thread_id,
                reply_to=place.message_id,
            )
        if delivery.retry_later:
            return  # the lease runs out and the sweep sends it then
    async with context.uow() as uow:
        await polls.reminder_sent(uow, poll_id)


async def sweep(context: AppContext) -> None:
    """Catch anything an alarm missed: deadlines passed, results not out, reminders due."""
    moment = now()
    async with context.uow() as uow:
        to_close = await polls.due_to_close(uow, moment)
        to_announce = await polls.unannounced(uow, moment)
        to_remind = await polls.due_reminders(uow, moment)
        to_unlink = await polls.due_to_unlink(uow, moment)
    for poll_id in to_unlink:
        await finish_closing(context, poll_id)
    for poll_id in to_remind:
        await remind(context, poll_id)
    for poll_id in to_close:
        await close_and_announce(context, poll_id)
    for poll_id in to_announce:
        await announce_results(context, poll_id)


def _jobs_of(job_queue: JobQueue[Any] | None, poll_id: int) -> list[Any]:
    if job_queue is None:
        return []
    return [
        *job_queue.get_jobs_by_name(f"poll-close:{poll_id}"),
        *job_queue.get_jobs_by_name(f"poll-remind:{poll_id}"),
    ]


async def _close_job(context: AppContext) -> None:
    job = context.job
    if job is not None and isinstance(job.data, int):
        await close_and_announce(context, job.data)


async def _remind_job(context: AppContext) -> None:
    job = context.job
    if job is not None and isinstance(job.data, int):
        await remind(context, job.data)


def schedule_poll(job_queue: JobQueue[Any] | None, poll: ScheduledPoll) -> None:
    """Alarms for a poll's deadline and reminder (past ones fire at once)."""
    if job_queue is None:
        return
    for job in _jobs_of(job_queue, poll.poll_id):
        job.schedule_removal()
    moment = now()
    # An alarm in the past would be dropped by the scheduler as misfired; the sweep does those.
    if poll.deadline > moment:
        job_queue.run_once(
            _close_job, when=poll.deadline, data=poll.poll_id, name=f"poll-close:{poll.poll_id}"
        )
    if poll.remind_at is not None and poll.remind_at > moment:
        job_queue.run_once(
            _remind_job, when=poll.remind_at, data=poll.poll_id, name=f"poll-remind:{poll.poll_id}"
        )


async def rebuild_poll_jobs(app: AppType) -> int:
    """On start: what fell due while the bot was down, then alarms for the rest and the sweep."""
    from bot.context import AppContext

    # Directly, not as a job: the scheduler drops alarms whose time passed before it started.
    await sweep(AppContext(app))
    async with AppContext(app).uow() as uow:
        scheduled = await polls.scheduled_polls(uow)
    for poll in scheduled:
        schedule_poll(app.job_queue, poll)
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            sweep, interval=SWEEP_EVERY, first=SWEEP_EVERY, name="poll-sweep"
        )
    return len(scheduled)
