"""After an item is stored: moderation, posting exactly once, digests, group settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.feedback_rules import DIGEST_HOURS, Delivery, Status, local_day, next_digest_at
from bot.domain.roles import Role
from storage.models import Feedback
from storage.uow import UnitOfWork

POST_LEASE = timedelta(minutes=5)
# The group hears that feedback waits for a facilitator at this local hour, at most once a
# day, and only about items that came in before it: a notice soon after an item arrived
# would tell the group when someone wrote (and, where only urgent items go to
# facilitators, that it was a crisis).
NOTICE_HOUR = 10


@dataclass(frozen=True, slots=True)
class MeetingRef:
    """The meeting date an agenda item waiting for moderation is for."""

    occurrence_id: int
    title: str
    starts_at: datetime
    zone: str


@dataclass(frozen=True, slots=True)
class Item:
    """A feedback item as views show it: never anything about its sender."""

    id: int
    group_id: int
    group_title: str
    chat_id: int
    group_active: bool
    text: str
    role_tag: Role | None
    status: Status
    urgent: bool
    number: int | None
    # Sent to the facilitators to publish or reject (waiting, or decided by one of them);
    # direct, digest and urgent items never were, so nobody may "decide" them.
    moderated: bool = False
    # An agenda item sent privately: Publish lists it on this date's agenda, never posts it.
    # The date may be gone since (None then, with `agenda` still True).
    agenda: bool = False
    meeting: MeetingRef | None = None


@dataclass(frozen=True, slots=True)
class GroupFeedbackSettings:
    group_id: int
    delivery: Delivery
    digest_hour: int


async def _item(uow: UnitOfWork, row: Feedback) -> Item | None:
    group = await uow.groups.by_id(row.group_id)
    if group is None:
        return None
    return Item(
        id=row.id,
        group_id=row.group_id,
        group_title=group.title,
        chat_id=group.chat_id,
        group_active=group.active,
        text=row.text,
        role_tag=None if row.role_tag is None else Role(row.role_tag),
        status=Status(row.status),
        urgent=row.urgent,
        number=row.number,
        moderated=row.status == Status.PENDING.value or row.decided_at is not None,
        agenda=row.occurrence_id is not None,
        meeting=None if row.occurrence_id is None else await _meeting(uow, row.occurrence_id),
    )


async def _meeting(uow: UnitOfWork, occurrence_id: int) -> MeetingRef | None:
    occurrence = await uow.meetings.occurrence(occurrence_id)
    meeting = None if occurrence is None else await uow.meetings.get(occurrence.meeting_id)
    if occurrence is None or meeting is None:
        return None
    return MeetingRef(occurrence.id, meeting.title, occurrence.starts_at, meeting.zone)


async def forget_old_texts(uow: UnitOfWork, now: datetime, keep_days: int) -> int:
    """Rejected and urgent texts older than the retention period are deleted (the row keeps
    its status, so counts stand), and left nowhere in the database's files."""
    forgotten = await uow.feedback.forget_texts(now - timedelta(days=keep_days))
    await uow.urgent.drop_copies_of_forgotten()
    await uow.commit()
    if forgotten:
        await uow.scrub()
    return forgotten


async def item(uow: UnitOfWork, feedback_id: int) -> Item | None:
    row = await uow.feedback.get(feedback_id)
    return None if row is None else await _item(uow, row)


async def decide(uow: UnitOfWork, feedback_id: int, *, publish: bool, now: datetime) -> bool:
    """A facilitator's Publish or Reject; False when someone decided first.

    A published agenda item is listed on its meeting date's agenda in the same transaction,
    and marked published then and there: it is never posted as feedback, nor numbered.
    """
    decided = await uow.feedback.decide(feedback_id, publish=publish, now=now)
    row = await uow.feedback.get(feedback_id) if decided and publish else None
    if row is not None and row.occurrence_id is not None:
        if await uow.meetings.occurrence(row.occurrence_id) is not None:
            await uow.meetings.add_agenda_item(row.occurrence_id, row.text)
        await uow.feedback.posted(feedback_id, now)
    await uow.commit()
    return decided


async def take_digest_round(uow: UnitOfWork, group_id: int, now: datetime) -> bool:
    """Hold the group's digest round, so its header is posted once however many sweeps wake."""
    taken = await uow.feedback.lease_digest(group_id, now, now + POST_LEASE)
    await uow.commit()
    return taken


async def end_digest_round(uow: UnitOfWork, group_id: int) -> None:
    await uow.feedback.release_digest(group_id)
    await uow.commit()


async def take_for_posting(uow: UnitOfWork, feedback_id: int, now: datetime) -> Item | None:
    """Lease the item and give it its "#N"; None when it is posted or someone else is on it."""
    if not await uow.feedback.lease_post(feedback_id, now, now + POST_LEASE):
        return None
    await uow.feedback.give_number(feedback_id)
    await uow.commit()
    return await item(uow, feedback_id)


async def posted(uow: UnitOfWork, feedback_id: int, now: datetime) -> None:
    await uow.feedback.posted(feedback_id, now)
    await uow.commit()


async def not_posted(uow: UnitOfWork, feedback_id: int) -> None:
    await uow.feedback.release(feedback_id)
    await uow.commit()


async def due_digest(uow: UnitOfWork, group_id: int, now: datetime) -> list[int]:
    return await uow.feedback.due_digest(group_id, now)


async def digest_times(uow: UnitOfWork) -> list[tuple[int, datetime]]:
    return await uow.feedback.digest_times()


async def left_to_post(uow: UnitOfWork, now: datetime) -> list[int]:
    return await uow.feedback.to_post(now)


async def unreached(uow: UnitOfWork) -> list[Item]:
    items = [await _item(uow, row) for row in await uow.feedback.unreached()]
    return [found for found in items if found is not None]


async def take_for_facilitators(uow: UnitOfWork, feedback_id: int, now: datetime) -> Item | None:
    """Lease an item waiting for facilitators; None when it reached them or another is on it."""
    if not await uow.feedback.lease_reach(feedback_id, now, now + POST_LEASE):
        return None
    await uow.commit()
    return await item(uow, feedback_id)


async def reached(uow: UnitOfWork, feedback_id: int) -> None:
    await uow.feedback.mark_reached(feedback_id)
    await uow.commit()


async def not_reached(uow: UnitOfWork, feedback_id: int) -> None:
    await uow.feedback.release_reach(feedback_id)
    await uow.commit()


@dataclass(frozen=True, slots=True)
class Notice:
    """A group to tell, today, that feedback waits for a facilitator (what is not said)."""

    group_id: int
    chat_id: int
    day: date
    before: date | None


async def notices_due(uow: UnitOfWork, now: datetime) -> list[Notice]:
    """Groups whose notice hour has come today, not told yet today, with items that have
    waited since before that hour; each is claimed in the database, so it is told once."""
    due: list[Notice] = []
    for group_id, oldest in await uow.feedback.waiting_since():
        group = await uow.groups.by_id(group_id)
        if group is None or not group.active:
            continue
        zone = ZoneInfo(group.timezone)
        day = local_day(now, zone)
        moment = datetime.combine(day, time(NOTICE_HOUR), tzinfo=zone).astimezone(UTC)
        if now < moment or oldest >= moment:
            continue
        claimed, before = await uow.feedback.claim_notice(group_id, day)
        await uow.commit()
        if claimed:
            due.append(Notice(group_id, group.chat_id, day, before))
    return due


async def unclaim_notice(uow: UnitOfWork, group_id: int, day: date, before: date | None) -> None:
    await uow.feedback.unclaim_notice(group_id, day, before)
    await uow.commit()


async def settings_of(uow: UnitOfWork, group_id: int) -> GroupFeedbackSettings:
    row = await uow.feedback.settings(group_id)
    await uow.commit()
    return GroupFeedbackSettings(group_id, Delivery(row.delivery), row.digest_hour)


async def change_settings(
    uow: UnitOfWork,
    group_id: int,
    *,
    delivery: Delivery,
    digest_hour: int,
    now: datetime,
    zone: ZoneInfo,
) -> GroupFeedbackSettings:
    """Store the facilitators' choice; queued items wait for the (new) digest hour."""
    if digest_hour not in DIGEST_HOURS:
        raise ValueError("not one of the offered digest hours")
    row = await uow.feedback.settings(group_id)
    hour_changed = row.digest_hour != digest_hour
    row.delivery = delivery.value
    row.digest_hour = digest_hour
    if hour_changed:
        await uow.feedback.requeue(group_id, next_digest_at(now, digest_hour, zone))
    await uow.commit()
    return GroupFeedbackSettings(group_id, delivery, digest_hour)
