"""RSVPs (one per keyed hash, changeable) and opt-ins to a personal reminder.

The RSVP row holds HMAC(secret, occurrence, user), the role and the answer. The opt-in row
holds the occurrence and a sealed chat id (and a sender's lease), and nothing else about the
person: the two tables share no column that could join them, so the database never says
which chat answered what, or holds which role. Whether an opted-in person still says Coming
or Maybe is checked at send time, in memory, by deriving their key again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain.keyed_hash import member_key, person_key
from bot.domain.meeting_rules import Rsvp
from bot.domain.rsvp_keys import rsvp_key
from bot.sealing import seal_chat
from storage.repositories.meetings import ACTIVE, SCHEDULED
from storage.uow import UnitOfWork


class RsvpStatus(StrEnum):
    RECORDED = "recorded"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    UNKNOWN = "unknown"
    WRONG_CHAT = "wrong_chat"
    OVER = "over"  # cancelled, or already started
    NOT_MEMBER = "not_member"


@dataclass(frozen=True, slots=True)
class RsvpOutcome:
    status: RsvpStatus
    occurrence_id: int
    group_id: int = 0
    answer: Rsvp | None = None

    @property
    def counted(self) -> bool:
        return self.status in {RsvpStatus.RECORDED, RsvpStatus.CHANGED}


async def _open_occurrence(
    uow: UnitOfWork, occurrence_id: int, chat_id: int | None, now: datetime
) -> tuple[int, RsvpStatus | None]:
    """(group id, a status that stops the press, or None)."""
    occurrence = await uow.meetings.occurrence(occurrence_id)
    meeting = None if occurrence is None else await uow.meetings.get(occurrence.meeting_id)
    group = None if meeting is None else await uow.groups.by_id(meeting.group_id)
    if occurrence is None or meeting is None or group is None:
        return 0, RsvpStatus.UNKNOWN
    if chat_id is not None and group.chat_id != chat_id:
        return group.id, RsvpStatus.WRONG_CHAT
    if occurrence.status != SCHEDULED or meeting.status != ACTIVE or occurrence.starts_at <= now:
        return group.id, RsvpStatus.OVER
    return group.id, None


async def answer(
    uow: UnitOfWork,
    secret: bytes,
    *,
    occurrence_id: int,
    chat_id: int,
    user_id: int,
    choice: Rsvp,
    now: datetime,
) -> RsvpOutcome:
    group_id, stop = await _open_occurrence(uow, occurrence_id, chat_id, now)
    if stop is not None:
        return RsvpOutcome(stop, occurrence_id, group_id)
    membership = await uow.members.get(group_id, member_key(secret, group_id, user_id))
    if membership is None:
        return RsvpOutcome(RsvpStatus.NOT_MEMBER, occurrence_id, group_id)
    key = rsvp_key(secret, occurrence_id, user_id)
    before = await uow.meetings.rsvp_answer(occurrence_id, key)
    if before == choice:
        return RsvpOutcome(RsvpStatus.UNCHANGED, occurrence_id, group_id, choice)
    await uow.meetings.put_rsvp(occurrence_id, key, membership.role, int(choice))
    if choice is Rsvp.NOT_COMING:
        # A personal reminder for a meeting they will not attend would only be noise.
        await uow.meeting_reminders.opt_out(occurrence_id, person_key(secret, user_id))
    await uow.commit()
    status = RsvpStatus.RECORDED if before is None else RsvpStatus.CHANGED
    return RsvpOutcome(status, occurrence_id, group_id, choice)


class OptInStatus(StrEnum):
    READY = "ready"  # may opt in: confirm by direct message, then call opt_in
    ANSWER_FIRST = "answer_first"  # only Coming or Maybe people get personal reminders
    OVER = "over"
    UNKNOWN = "unknown"


async def may_opt_in(
    uow: UnitOfWork, secret: bytes, occurrence_id: int, chat_id: int, user_id: int, now: datetime
) -> OptInStatus:
    _, stop = await _open_occurrence(uow, occurrence_id, chat_id, now)
    if stop is RsvpStatus.OVER:
        return OptInStatus.OVER
    if stop is not None:
        return OptInStatus.UNKNOWN
    given = await uow.meetings.rsvp_answer(occurrence_id, rsvp_key(secret, occurrence_id, user_id))
    if given not in (Rsvp.COMING, Rsvp.MAYBE):
        return OptInStatus.ANSWER_FIRST
    return OptInStatus.READY


async def opt_in(uow: UnitOfWork, secret: bytes, occurrence_id: int, user_id: int) -> None:
    # A private chat's id is the person's user id: the bot writes there later, so it is kept,
    # sealed, and found again by the person's keyed hash.
    await uow.meeting_reminders.opt_in(
        occurrence_id, person_key(secret, user_id), seal_chat(secret, user_id)
    )
    await uow.commit()


async def still_coming(
    uow: UnitOfWork, secret: bytes, occurrence_id: int, chat_ids: list[int]
) -> list[int]:
    """Of these opted-in chats, those whose RSVP still says Coming or Maybe."""
    keys = {rsvp_key(secret, occurrence_id, chat_id): chat_id for chat_id in chat_ids}
    answers = await uow.meetings.rsvp_answers(occurrence_id, list(keys))
    return [
        chat_id for key, chat_id in keys.items() if answers.get(key) in (Rsvp.COMING, Rsvp.MAYBE)
    ]
