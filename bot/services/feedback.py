"""Giving anonymous feedback: where a person may send it, and sending it.

The sender's id is used only to check membership and to count today's items under a key
that changes daily; the stored item holds the group, the text and an optional role tag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.crisis import is_crisis
from bot.domain.feedback_rules import (
    DEFAULT_URGENT_DAILY_LIMIT,
    Delivery,
    Status,
    check_text,
    local_day,
    may_tag,
    next_digest_at,
    received_hour,
)
from bot.domain.keyed_hash import daily_key
from bot.domain.roles import Role
from bot.services.groups import GroupInfo
from bot.services.membership import held_roles, role_counts, role_in
from bot.services.urgent_mutes import button_token, muted_until, purge_over
from storage.models import Feedback
from storage.uow import UnitOfWork

_COUNTER_PURPOSE = "feedback"
_URGENT_PURPOSE = "urgent feedback"  # its own count, against the higher limit


@dataclass(frozen=True, slots=True)
class Place:
    """A group the person may give feedback to, with what the prompt and preview need."""

    group: GroupInfo
    role: Role
    may_tag: bool
    delivery: Delivery
    digest_hour: int
    remaining: int


class SendStatus(StrEnum):
    SENT = "sent"
    NOT_MEMBER = "not_member"
    LIMIT_REACHED = "limit_reached"
    URGENT_LIMIT_REACHED = "urgent_limit_reached"
    MUTED = "muted"  # a facilitator muted this sender's urgent items for now
    TAG_NOT_ALLOWED = "tag_not_allowed"
    BAD_TEXT = "bad_text"


@dataclass(frozen=True, slots=True)
class Sent:
    status: SendStatus
    feedback_id: int = 0
    group_id: int = 0
    delivery: Delivery = Delivery.MODERATED
    urgent: bool = False
    due_at: datetime | None = None
    # Urgent items: what the facilitators' Mute button carries (see services/urgent_mutes).
    mute_token: int | None = None
    muted_until: datetime | None = None


async def member_groups(uow: UnitOfWork, secret: bytes, user_id: int) -> list[GroupInfo]:
    """The active groups where the person has joined with a role."""
    return [held.group for held in await held_roles(uow, secret, user_id) if held.group.active]


def _counter_key(
    secret: bytes, group: GroupInfo, user_id: int, now: datetime, purpose: str = _COUNTER_PURPOSE
) -> str:
    return daily_key(secret, local_day(now, ZoneInfo(group.timezone)), purpose, group.id, user_id)


async def place_for(
    uow: UnitOfWork,
    secret: bytes,
    group_id: int,
    user_id: int,
    *,
    min_cell: int,
    daily_limit: int,
    now: datetime,
) -> Place | None:
    """Where this person may send feedback; None if the group is gone or they have not joined."""
    group = await uow.groups.by_id(group_id)
    if group is None or not group.active:
        return None
    info = GroupInfo.of(group)
    role = await role_in(uow, secret, group_id, user_id)
    if role is None:
        return None
    settings = await uow.feedback.settings(group_id)
    used = await uow.feedback_counters.count(_counter_key(secret, info, user_id, now))
    return Place(
        group=info,
        role=role,
        may_tag=may_tag(role, await role_counts(uow, group_id), min_cell),
        delivery=Delivery(settings.delivery),
        digest_hour=settings.digest_hour,
        remaining=max(0, daily_limit - used),
    )


async def send(
    uow: UnitOfWork,
    secret: bytes,
    *,
    group_id: int,
    user_id: int,
    text: str,
    tag_role: bool,
    now: datetime,
    min_cell: int,
    daily_limit: int,
    crisis_phrases: tuple[str, ...],
    urgent_daily_limit: int = DEFAULT_URGENT_DAILY_LIMIT,
) -> Sent:
    """Check, count and store one item; what happens next depends on the group's delivery.

    Urgent items count apart, against `urgent_daily_limit`, and are refused while a
    facilitator has muted this sender's urgent items; the caller gives the crisis contacts
    with every refusal.
    """
    place = await place_for(
        uow, secret, group_id, user_id, min_cell=min_cell, daily_limit=daily_limit, now=now
    )
    if place is None:
        return Sent(SendStatus.NOT_MEMBER)
    checked = check_text(text)
    if checked.problem is not None:
        return Sent(SendStatus.BAD_TEXT)
    if tag_role and not place.may_tag:
        return Sent(SendStatus.TAG_NOT_ALLOWED)
    zone = ZoneInfo(place.group.timezone)
    await purge_old_counters(uow, now)
    urgent = is_crisis(checked.text, crisis_phrases)
    if urgent:
        until = await muted_until(uow, secret, group_id, user_id, now)
        if until is not None:
            return Sent(SendStatus.MUTED, group_id=group_id, urgent=True, muted_until=until)
    counted = await uow.feedback_counters.increment(
        _counter_key(
            secret, place.group, user_id, now, _URGENT_PURPOSE if urgent else _COUNTER_PURPOSE
        ),
        local_day(now, zone),
    )
    # Not committed when refused: the count does not grow.
    if counted > (urgent_daily_limit if urgent else daily_limit):
        refusal = SendStatus.URGENT_LIMIT_REACHED if urgent else SendStatus.LIMIT_REACHED
        return Sent(refusal, group_id=group_id, urgent=urgent)
    due_at = None
    if urgent:
        status = Status.URGENT
    elif place.delivery is Delivery.MODERATED:
        status = Status.PENDING
    elif place.delivery is Delivery.DIRECT:
        status = Status.TO_POST
    else:
        status = Status.QUEUED
        due_at = next_digest_at(now, place.digest_hour, zone)
    item = await uow.feedback.add(
        Feedback(
            group_id=group_id,
            text=checked.text,
            role_tag=place.role.value if tag_role else None,
            status=status.value,
            urgent=urgent,
            reached_facilitators=False,
            due_at=due_at,
            received_at=received_hour(now),
        )
    )
    await uow.commit()
    return Sent(
        SendStatus.SENT,
        feedback_id=item.id,
        group_id=group_id,
        delivery=place.delivery,
        urgent=urgent,
        due_at=due_at,
        mute_token=button_token(secret, group_id, user_id, item.id) if urgent else None,
    )


async def purge_old_counters(uow: UnitOfWork, now: datetime) -> int:
    """Drop counters of days that are over everywhere (zones run up to a day apart), and
    mutes that are over.

    Not committed here: the caller's unit of work decides.
    """
    counters = await uow.feedback_counters.purge_before(now.date() - timedelta(days=1))
    return counters + await purge_over(uow, now)
