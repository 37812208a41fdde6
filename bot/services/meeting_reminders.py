"""Delivering meeting reminders exactly once (DESIGN section 5).

A due reminder is claimed with a lease (see MeetingReminderRepository.claim_due), sent, then
marked sent. A process that dies mid-send leaves its lease to run out and the sweep tries
again; one that was down sends late within GRACE and skips (and logs) anything older.
Personal reminders work the same way: once the date's last group reminder is sent, each
opt-in is claimed with a lease (claim_opt_ins), sent, then deleted (forget_opt_ins); a send
that failed for now is tried again after the lease, until the meeting starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.sealing import unseal_chat
from bot.services.meetings import OccurrenceView, view_of
from storage.repositories.meeting_reminders import DROPPED, SENT, SKIPPED
from storage.uow import UnitOfWork

# A batch must be sent well within its lease, rate limits and 429 retries included: small
# batches, a long lease. A process that dies holds its batch this long at most.
LEASE = timedelta(minutes=10)
GRACE = timedelta(hours=1)
BATCH = 10


async def skip_stale(uow: UnitOfWork, now: datetime, grace: timedelta = GRACE) -> list[int]:
    skipped = await uow.meeting_reminders.skip_stale(now - grace, now)
    await uow.commit()
    return skipped


async def claim(uow: UnitOfWork, now: datetime, limit: int = BATCH) -> list[int]:
    claimed = await uow.meeting_reminders.claim_due(now, now + LEASE, limit=limit)
    await uow.commit()  # at once: the lease is what other processes see
    return claimed


@dataclass(frozen=True, slots=True)
class ReminderToSend:
    reminder_id: int
    offset_minutes: int
    view: OccurrenceView
    first: bool  # the earliest reminder of its date: facilitators hear about empty roles


async def details(uow: UnitOfWork, reminder_id: int) -> ReminderToSend | None:
    reminder = await uow.meeting_reminders.get(reminder_id)
    if reminder is None:
        return None
    view = await view_of(uow, reminder.occurrence_id)
    if view is None:
        return None
    offsets = await uow.meeting_reminders.offsets_of(reminder.occurrence_id)
    return ReminderToSend(
        reminder_id=reminder.id,
        offset_minutes=reminder.offset_minutes,
        view=view,
        first=reminder.offset_minutes >= max(offsets, default=0),
    )


async def alarms_until(uow: UnitOfWork, until: datetime) -> list[tuple[int, datetime]]:
    """(id, due) of the pending reminders due by ``until``: the JobQueue's near alarms."""
    return await uow.meeting_reminders.pending(until=until)


async def mark(uow: UnitOfWork, reminder_id: int, *, sent: bool) -> None:
    await uow.meeting_reminders.mark(reminder_id, SENT if sent else SKIPPED)
    await uow.commit()


async def drop_group(uow: UnitOfWork, group_id: int, reminder_id: int) -> list[int]:
    """The bot was removed from the group: this reminder and every pending one are dropped."""
    await uow.meeting_reminders.mark(reminder_id, DROPPED)
    dropped = await uow.meeting_reminders.drop_pending_of_group(group_id)
    await uow.commit()
    return dropped


@dataclass(frozen=True, slots=True)
class PersonalToSend:
    opt_in_id: int
    occurrence_id: int
    chat_id: int | None  # None: sealed under another secret, so it can never be sent


async def claim_opt_ins(
    uow: UnitOfWork, secret: bytes, now: datetime, limit: int = BATCH
) -> list[PersonalToSend]:
    """Lease the due opt-ins (their date's last group reminder is sent) and unseal their
    chat ids, in memory only."""
    claimed = await uow.meeting_reminders.claim_opt_ins(now, now + LEASE, limit=limit)
    await uow.commit()  # at once: the lease is what other processes see
    return [
        PersonalToSend(opt_in_id, occurrence_id, unseal_chat(secret, sealed))
        for opt_in_id, occurrence_id, sealed in claimed
    ]


async def forget_opt_ins(uow: UnitOfWork, opt_in_ids: list[int]) -> None:
    """Sent, or never to be sent: the opt-ins must not outlive their use."""
    await uow.meeting_reminders.forget_opt_ins(opt_in_ids)
    await uow.commit()


# Answers are unlinked this long after the date starts: a press judged before the start
# has committed by then, so it cannot land under the old key after the unlinking.
SETTLE = timedelta(minutes=5)
# The minute sweep looks this far back (an index range, not the whole history); the sweep
# at start-up looks at everything, for dates that passed while the bot was down.
UNLINK_WINDOW = timedelta(days=2)


async def tidy(uow: UnitOfWork, now: datetime, *, everything: bool = False) -> None:
    """Opt-ins for dates that are over are deleted and answers to them unlinked: neither may
    outlive its use."""
    purged = await uow.meeting_reminders.purge_opt_ins(now)
    since = None if everything else now - UNLINK_WINDOW
    unlinked = await uow.meeting_reminders.unlink_past_answers(now - SETTLE, since)
    await uow.commit()
    if purged or unlinked:
        await uow.scrub()  # the old keys and chat ids, out of the write-ahead log too
