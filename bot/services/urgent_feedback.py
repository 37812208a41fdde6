"""Urgent feedback answered, not just seen: "I've seen this", its copies, the reminder.

Who pressed is never stored: only when the first press came. The facilitators' chats where
copies went are kept sealed (bot/sealing.py), and only until the item is seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.urgent_rules import ReminderHours, reminder_time
from bot.sealing import seal_chat, unseal_chat
from bot.services.feedback_delivery import Item, item
from storage.uow import UnitOfWork

REMINDER_LEASE = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Copy:
    chat_id: int
    message_id: int


@dataclass(frozen=True, slots=True)
class Seen:
    """After a press: whether it was the first, when the item was first seen, and (for the
    first) the copies to update."""

    first: bool
    seen_at: datetime | None
    item: Item | None
    copies: tuple[Copy, ...] = ()


async def copies_sent(
    uow: UnitOfWork,
    secret: bytes,
    feedback_id: int,
    copies: list[Copy],
    *,
    remind_at: datetime | None = None,
) -> None:
    """Copies went out: remember where (sealed), and start the reminder clock if asked (the
    first time the item reached a facilitator; a clock already running is left alone)."""
    for copy in copies:
        await uow.urgent.add_copy(feedback_id, seal_chat(secret, copy.chat_id), copy.message_id)
    if remind_at is not None:
        await uow.urgent.start_clock(feedback_id, remind_at)
    await uow.commit()


async def take_copies(uow: UnitOfWork, secret: bytes, feedback_id: int) -> tuple[Copy, ...]:
    """Where an item's copies went, forgotten as they are read: the first action on an
    urgent or moderated item rewrites them, once. Not committed here."""
    copies: list[Copy] = []
    for sealed, message_id in await uow.urgent.take_copies(feedback_id):
        chat_id = unseal_chat(secret, sealed)
        if chat_id is not None:
            copies.append(Copy(chat_id, message_id))
    return tuple(copies)


async def copies_of_decided(uow: UnitOfWork, secret: bytes, feedback_id: int) -> tuple[Copy, ...]:
    copies = await take_copies(uow, secret, feedback_id)
    await uow.commit()
    return copies


async def mark_seen(uow: UnitOfWork, secret: bytes, feedback_id: int, now: datetime) -> Seen:
    first = await uow.urgent.mark_seen(feedback_id, now)
    copies = await take_copies(uow, secret, feedback_id) if first else ()
    await uow.commit()
    found = await item(uow, feedback_id)
    row = await uow.feedback.get(feedback_id)
    return Seen(first, None if row is None else row.seen_at, found, tuple(copies))


async def due(uow: UnitOfWork, now: datetime) -> list[int]:
    return await uow.urgent.due_reminders(now)


async def take_reminder(
    uow: UnitOfWork, feedback_id: int, now: datetime, hours: ReminderHours
) -> Item | None:
    """A due reminder, leased for sending; None if another process has it, it was seen, or
    (waking hours only) it is night in the group's zone, when it is put off until morning."""
    if not await uow.urgent.claim_reminder(feedback_id, now, now + REMINDER_LEASE):
        return None
    found = await item(uow, feedback_id)
    group = None if found is None else await uow.groups.by_id(found.group_id)
    if found is None or group is None:
        await uow.urgent.remind_at(feedback_id, None)
        await uow.commit()
        return None
    when = reminder_time(now, ZoneInfo(group.timezone), hours)
    if when > now:
        await uow.urgent.remind_at(feedback_id, when)
        await uow.commit()
        return None
    await uow.commit()
    return found


async def reminded(uow: UnitOfWork, feedback_id: int) -> None:
    await uow.urgent.remind_at(feedback_id, None)
    await uow.commit()


async def zone_of(uow: UnitOfWork, group_id: int) -> ZoneInfo:
    group = await uow.groups.by_id(group_id)
    return ZoneInfo("UTC" if group is None else group.timezone)
