"""Meeting messages and reminders, from handlers and from the JobQueue (DESIGN section 5).

The database is the truth. Each pending reminder due within ALARM_HORIZON gets an alarm
(`meeting-reminder:<id>`) that only wakes `dispatch_due`; the minute sweep sets the alarms of
reminders coming into the horizon and does the same work, so an alarm lost in a restart costs
at most a minute. Only near alarms are held: 20,000 stored reminders are not 20,000 jobs (the
start-up stays quick and the scheduler small). Whoever runs, a reminder is claimed with a
lease first, so several processes on one PostgreSQL send it once.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import JobQueue

from bot.clock import now
from bot.domain.disclosure import role_count_is_small
from bot.domain.roles import ROLES
from bot.i18n import speaking
from bot.reader_languages import group_language_of, person_language_of
from bot.scheduling.group_sender import Edit, deliver_to_group, edit_in_group, send_to_group
from bot.services import meeting_reminders, meeting_rsvps, meetings, polls
from bot.services.meeting_reminders import PersonalToSend
from bot.services.meetings import Alarm, OccurrenceView
from bot.views import meetings as views

if TYPE_CHECKING:
    from bot.domain.roles import ROLES
from bot.context import AppContext, AppType

log = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(seconds=60)
# Alarms are set this far ahead; each sweep (every SWEEP_EVERY, much less) tops them up.
ALARM_HORIZON = timedelta(minutes=10)


def _job_name(reminder_id: int) -> str:
    return f"meeting-reminder:{reminder_id}"


class _Wakeups:
    """Alarms that fire together (a thousand reminders due in one minute) share one dispatch
    in this process: one claims and sends while the others only ask for another round,
    instead of a thousand dispatches racing for SQLite's one writer and the event loop."""

    __slots__ = ("again", "running")

    def __init__(self) -> None:
        self.running = False
        self.again = False


_WAKEUPS: weakref.WeakKeyDictionary[object, _Wakeups] = weakref.WeakKeyDictionary()


async def _alarm(context: AppContext) -> None:
    state = _WAKEUPS.setdefault(context.application, _Wakeups())
    if state.running:
        state.again = True  # the running dispatch goes round once more, with a fresh moment
        return
    state.running = True
    try:
        while True:
            state.again = False
            await dispatch_due(context)
            if not state.again:
                return
    finally:
        state.running = False


def _remove(job_queue: JobQueue[Any], names: set[str]) -> set[str]:
    """Remove the jobs so named (one pass over the queue, not one per name); returns the
    names that had one."""
    found: set[str] = set()
    if not names:
        return found
    for job in job_queue.jobs():
        if job.name in names:
            job.schedule_removal()
            found.add(job.name)
    return found


def set_alarms(job_queue: JobQueue[Any] | None, alarms: Iterable[Alarm]) -> None:
    """(Re)set the alarm of each pending reminder: replaced if it had one, and only set when
    due within ALARM_HORIZON (the sweep sets later ones as they come near); past ones are left
    to the sweep (the scheduler would drop them as misfired)."""
    if job_queue is None:
        return
    wanted = {_job_name(reminder_id): due for reminder_id, due in alarms}
    _remove(job_queue, set(wanted))
    _schedule(job_queue, wanted)


def _schedule(job_queue: JobQueue[Any], wanted: dict[str, datetime]) -> None:
    moment = now()
    horizon = moment + ALARM_HORIZON
    for name, due in wanted.items():
        if moment < due <= horizon:
            job_queue.run_once(_alarm, when=due, name=name)


def _top_up_alarms(job_queue: JobQueue[Any] | None, alarms: Iterable[Alarm]) -> None:
    """Alarms for the near reminders that have none yet; existing ones are left as they are."""
    if job_queue is None:
        return
    have = {job.name for job in job_queue.jobs()}
    _schedule(
        job_queue,
        {
            name: due
            for name, due in ((_job_name(reminder_id), due) for reminder_id, due in alarms)
            if name not in have
        },
    )


def drop_alarms(job_queue: JobQueue[Any] | None, reminder_ids: Iterable[int]) -> None:
    if job_queue is None:
        return
    _remove(job_queue, {_job_name(reminder_id) for reminder_id in reminder_ids})


async def post_meeting(context: AppContext, occurrence_id: int) -> bool:
    """Put a saved meeting's message, with its buttons, in the group and set its alarms."""
    async with context.uow() as uow:
        view = await meetings.view_of(uow, occurrence_id)
        alarms = (
            [] if view is None else await meetings.alarms_of_meeting(uow, view.meeting_id, now())
        )
    if view is None:
        return False
    with speaking(await group_language_of(context, view.chat_id)):
        text, markup = views.meeting_message(view), views.meeting_keyboard(view)
    message = await send_to_group(
        context, view.chat_id, text, thread_id=view.thread_id, markup=markup
    )
    set_alarms(context.job_queue, alarms)
    if message is None:
        return False
    async with context.uow() as uow:
        await uow.meetings.set_message(occurrence_id, message.message_id)
        await uow.commit()
    return True


async def refresh_meeting_message(context: AppContext, occurrence_id: int) -> None:
    """Edit the date's message to its current totals (called by the edit coalescer)."""
    async with context.uow() as uow:
        view = await meetings.view_of(uow, occurrence_id)
    if view is None or view.message_id is None or not view.group_active:
        return
    with speaking(await group_language_of(context, view.chat_id)):
        text, markup = views.meeting_message(view), views.meeting_keyboard(view)
    edit = await edit_in_group(context, view.chat_id, view.message_id, text, markup)
    if edit is Edit.RETRY_LATER:
        rsvp_changed(context, view.group_id, occurrence_id)  # tried again in its turn


def rsvp_changed(context: AppContext, group_id: int, occurrence_id: int) -> None:
    """Totals changed: the message is edited soon, coalesced with the group's other edits."""
    if context.job_queue is not None:
        context.bot_data.coalescer.touch(
            context.job_queue, group_id, occurrence_id, refresh_meeting_message
        )


async def dispatch_due(context: AppContext, *, moment: datetime | None = None) -> int:
    """Skip what is past the grace period, then claim and send what is due. Returns sent."""
    moment = moment or now()
    async with context.uow() as uow:
        skipped = await meeting_reminders.skip_stale(uow, moment)
    if skipped:
        # Ids only: nothing about people. Someone reading the log sees what was not sent.
        log.warning(
            "skipped %d meeting reminder(s) past the grace period: %s", len(skipped), skipped
        )
    sent = 0
    while True:
        async with context.uow() as uow:
            # The lease runs from each claim, not from the start: a long round (rate limits,
            # retries) must not leave later batches leased with a time already past.
            claimed = await meeting_reminders.claim(uow, max(moment, now()))
        if not claimed:
            break
        for reminder_id in claimed:
            sent += await _send_reminder(context, reminder_id, moment)
    # After the group's: a date whose last reminder went out just now, or earlier with some
    # personal sends failing for now (their lease since run out), or before a crash.
    await _send_personal_due(context, moment)
    return sent


async def _send_reminder(context: AppContext, reminder_id: int, moment: datetime) -> int:
    async with context.uow() as uow:
        todo = await meeting_reminders.details(uow, reminder_id)
    if todo is None:
        return 0
    view = todo.view
    if view.cancelled or view.starts_at <= moment:
        async with context.uow() as uow:
            await meeting_reminders.mark(uow, reminder_id, sent=False)
        return 0
    if not view.group_active:
        async with context.uow() as uow:
            dropped = await meeting_reminders.drop_group(uow, view.group_id, reminder_id)
        drop_alarms(context.job_queue, dropped)
        return 0
    async with context.uow() as uow:
        open_polls, _ = await polls.group_polls(
            uow, view.group_id, min_cell=context.settings.min_cell, recent=0
        )
    with speaking(await group_language_of(context, view.chat_id)):
        text = views.reminder_text(view, [p.question for p in open_polls], now=moment)
        markup = views.meeting_keyboard(view)
    delivery = await deliver_to_group(
        context, view.chat_id, text, thread_id=view.thread_id, markup=markup
    )
    if delivery.gone:
        # The group removed the bot: drop its pending reminders, so nothing retries there.
        async with context.uow() as uow:
            dropped = await meeting_reminders.drop_group(uow, view.group_id, reminder_id)
        drop_alarms(context.job_queue, dropped)
        return 0
    if delivery.message is None:
        return 0  # Telegram failed for now: the lease runs out and the sweep tries again
    message = delivery.message
    async with context.uow() as uow:
        await meeting_reminders.mark(uow, reminder_id, sent=True)
        # The newest message carries the buttons people will press: keep its totals fresh.
        await uow.meetings.set_message(view.occurrence_id, message.message_id)
        await uow.commit()
    if todo.first:
        await _warn_facilitators(context, view)
    return 1


async def _warn_facilitators(context: AppContext, view: OccurrenceView) -> None:
    """Privately, counts only: a role with nobody coming. Sent with the first reminder, not
    on a press, so its timing cannot point at whoever just changed their answer."""
    missing = view.counts.roles_with_nobody_coming()
    if not missing:
        return
    coming = view.counts.coming_by_role
    if any(role_count_is_small(coming.get(role, 0), context.settings.min_cell) for role in ROLES):
        # "Nobody from the other roles" would say which role the few who are coming hold.
        return
    for user_id in await context.facilitators.of(context.bot, view.chat_id):
        with speaking(await person_language_of(context, user_id)):
            text = views.role_gap_warning(view, missing)
        try:
            await context.bot.send_message(user_id, text)
        except TelegramError:
            continue  # a facilitator who never opened a private chat with the bot


async def _send_personal_due(context: AppContext, moment: datetime) -> None:
    """Claim the due opt-ins with a lease, batch by batch, and send them: one process sends
    each, and a send that failed for now is tried again when its lease runs out."""
    while True:
        async with context.uow() as uow:
            claimed = await meeting_reminders.claim_opt_ins(uow, context.secret, max(moment, now()))
        if not claimed:
            return
        by_date: dict[int, list[PersonalToSend]] = {}
        for opt_in in claimed:
            by_date.setdefault(opt_in.occurrence_id, []).append(opt_in)
        for occurrence_id, opt_ins in by_date.items():
            await _send_personal(context, occurrence_id, opt_ins, moment)


async def _send_personal(
    context: AppContext, occurrence_id: int, opt_ins: list[PersonalToSend], moment: datetime
) -> None:
    """Checked against the RSVPs in memory first: only Coming or Maybe people hear from the
    bot. Each row is deleted once sent, or once it never can be; a send that failed for now
    keeps its row (and its lease) for the next try."""
    async with context.uow() as uow:
        view = await meetings.view_of(uow, occurrence_id)
        chats = [o.chat_id for o in opt_ins if o.chat_id is not None]
        coming = set(await meeting_rsvps.still_coming(uow, context.secret, occurrence_id, chats))
    moment = max(moment, now())
    if view is None or view.cancelled or view.starts_at <= moment:
        coming = set()  # too late: never after the meeting has started
    never = [o.opt_in_id for o in opt_ins if o.chat_id not in coming]
    if never:
        async with context.uow() as uow:
            await meeting_reminders.forget_opt_ins(uow, never)
    if view is None or not coming:
        return
    for opt_in in opt_ins:
        if opt_in.chat_id is None or opt_in.chat_id not in coming:
            continue
        # A private chat's id is its person's: the reminder is in their language.
        with speaking(await person_language_of(context, opt_in.chat_id)):
            text = views.personal_reminder(view, now=moment)
        try:
            await context.bot.send_message(opt_in.chat_id, text)
        except Forbidden:
            pass  # they blocked the bot since: nothing to retry
        except BadRequest as error:
            # Chat not found, or the like: it would fail the same way every time.
            log.info("a personal meeting reminder cannot be sent: %s", error.message)
        except TelegramError as error:
            log.warning("could not send a personal meeting reminder: %s", type(error).__name__)
            continue  # failed for now: the lease runs out and the sweep tries again
        async with context.uow() as uow:
            await meeting_reminders.forget_opt_ins(uow, [opt_in.opt_in_id])


async def sweep(context: AppContext, *, at_start: bool = False) -> None:
    """Every minute: keep series a horizon ahead, drop stale opt-ins, unlink past answers,
    send what is due."""
    moment = now()
    async with context.uow() as uow:
        await meetings.extend_horizons(uow, moment)
        near = await meeting_reminders.alarms_until(uow, moment + ALARM_HORIZON)
        await meeting_reminders.tidy(uow, moment, everything=at_start)
    _top_up_alarms(context.job_queue, near)
    await dispatch_due(context, moment=moment)


async def rebuild_meeting_jobs(app: AppType) -> int:
    """On start: what fell due while the bot was down (within grace), then alarms, then the
    minute sweep."""
    from bot.context import AppContext

    context = AppContext(app)
    # Directly, not as a job: the scheduler drops alarms whose time passed before it started.
    await sweep(context, at_start=True)
    async with context.uow() as uow:
        alarms = await meeting_reminders.alarms_until(uow, now() + ALARM_HORIZON)
    set_alarms(app.job_queue, alarms)
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            sweep, interval=SWEEP_EVERY, first=SWEEP_EVERY, name="meeting-sweep"
        )
    return len(alarms)
