"""Rules for anonymous feedback: what may be sent, how it is delivered, when a digest is due."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.disclosure import may_tag_role
from bot.domain.roles import Role

MAX_FEEDBACK_CHARS = 2000
DEFAULT_DAILY_LIMIT = 5
# Urgent items count against their own, higher limit: a crisis is never turned away because
# of ordinary messages sent earlier, yet one person cannot flood the facilitators (past it,
# they are given the crisis contacts and the item is not passed on).
DEFAULT_URGENT_DAILY_LIMIT = 10
# How long a facilitator's Mute keeps one sender's urgent items from the facilitators.
URGENT_MUTE_HOURS = 24
# Rejected and urgent texts are deleted this many days after they came (the rows keep their
# status): nobody needs them for long, and a kept crisis message is health data.
DEFAULT_RETENTION_DAYS = 90
DEFAULT_DIGEST_HOUR = 17
DIGEST_HOURS: tuple[int, ...] = (9, 12, 17, 20)


class Delivery(StrEnum):
    """How a group's feedback reaches it; chosen by its facilitators."""

    MODERATED = "moderated"  # a facilitator reads each item first and publishes or rejects it
    DIRECT = "direct"  # posted in the group at once
    DIGEST = "digest"  # posted together at a set hour, so timing cannot hint at the sender


DELIVERIES: tuple[Delivery, ...] = (Delivery.MODERATED, Delivery.DIRECT, Delivery.DIGEST)


class Status(StrEnum):
    PENDING = "pending"  # waiting for a facilitator to publish or reject it
    URGENT = "urgent"  # a possible crisis: with facilitators only, never posted
    QUEUED = "queued"  # waiting for the group's digest hour
    TO_POST = "to_post"  # approved or direct: being posted (a lease guards the sending)
    PUBLISHED = "published"
    REJECTED = "rejected"


class TextProblem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"


@dataclass(frozen=True, slots=True)
class CheckedText:
    text: str
    problem: TextProblem | None = None


def check_text(raw: str | None, limit: int = MAX_FEEDBACK_CHARS) -> CheckedText:
    """The text as it will be stored (trimmed), or what is wrong with it."""
    text = (raw or "").strip()
    if not text:
        return CheckedText(text, TextProblem.EMPTY)
    if len(text) > limit:
        return CheckedText(text, TextProblem.TOO_LONG)
    return CheckedText(text)


def may_tag(role: Role | None, counts: Mapping[Role, int], min_cell: int) -> bool:
    """A role tag is offered only where at least k members hold that role (promise 4); the
    disclosure module decides, as for every other place a role is counted."""
    return may_tag_role(role, counts, min_cell)


def next_digest_at(now: datetime, hour: int, zone: ZoneInfo) -> datetime:
    """The first `hour`:00 in the group's zone strictly after `now`, in UTC.

    On a spring-forward day an hour that does not exist is read with the offset before the
    change (so 01:00 becomes 02:00 summer time); an hour that happens twice counts once.
    """
    local_day = now.astimezone(zone).date()
    for offset in range(3):
        candidate = _at(local_day + timedelta(days=offset), hour, zone)
        if candidate > now:
            return candidate
    raise AssertionError("unreachable: some hour within three days is in the future")


def _at(day: date, hour: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


def local_day(now: datetime, zone: ZoneInfo) -> date:
    """The day as the group lives it: the rate limit starts afresh at local midnight."""
    return now.astimezone(zone).date()


def received_hour(now: datetime) -> datetime:
    """When an item came in, to the hour only: a minute could be matched to who was online."""
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def mute_ends(now: datetime) -> datetime:
    """When a mute pressed now ends: URGENT_MUTE_HOURS on, rounded up to the hour (the
    stored time should not date the press, and so the item, to the minute)."""
    end = now.astimezone(UTC) + timedelta(hours=URGENT_MUTE_HOURS)
    whole = end.replace(minute=0, second=0, microsecond=0)
    return whole if whole == end else whole + timedelta(hours=1)
