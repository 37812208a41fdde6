"""Urgent feedback being answered: "I've seen this" (when, never who), the reminder to
facilitators when nobody has pressed it, and where the copies went (chat ids sealed)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Feedback, FeedbackCopy

URGENT = "urgent"


class UrgentFeedbackRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def start_clock(self, feedback_id: int, remind_at: datetime) -> None:
        """The first time the item reached a facilitator: when to remind, unless seen."""
        await self._session.execute(
            update(Feedback)
            .where(
                Feedback.id == feedback_id,
                Feedback.status == URGENT,
                Feedback.seen_at.is_(None),
                Feedback.remind_at.is_(None),
            )
            .values(remind_at=remind_at)
        )

    async def mark_seen(self, feedback_id: int, now: datetime) -> bool:
        """The first "I've seen this" wins; False when it was seen before (or is not urgent)."""
        result = await self._session.execute(
            update(Feedback)
            .where(
                Feedback.id == feedback_id,
                Feedback.status == URGENT,
                Feedback.seen_at.is_(None),
            )
            .values(seen_at=now, remind_at=None)
        )
        return bool(getattr(result, "rowcount", 0))

    async def due_reminders(self, now: datetime) -> list[int]:
        found = await self._session.scalars(
            select(Feedback.id).where(
                Feedback.status == URGENT,
                Feedback.seen_at.is_(None),
                Feedback.remind_at.is_not(None),
                Feedback.remind_at <= now,
            )
        )
        return list(found)

    async def claim_reminder(self, feedback_id: int, now: datetime, lease: datetime) -> bool:
        """Take a due reminder for sending; the lease (a later remind_at) lets the sweep try
        again if this process dies mid-send."""
        result = await self._session.execute(
            update(Feedback)
            .where(
                Feedback.id == feedback_id,
                Feedback.status == URGENT,
                Feedback.seen_at.is_(None),
                Feedback.remind_at <= now,
            )
            .values(remind_at=lease)
        )
        return bool(getattr(result, "rowcount", 0))

    async def remind_at(self, feedback_id: int, when: datetime | None) -> None:
        """Reminded (None: never again), or put off until `when`."""
        await self._session.execute(
            update(Feedback).where(Feedback.id == feedback_id).values(remind_at=when)
        )

    async def add_copy(self, feedback_id: int, sealed_chat: str, message_id: int) -> None:
        self._session.add(
            FeedbackCopy(feedback_id=feedback_id, sealed_chat=sealed_chat, message_id=message_id)
        )
        await self._session.flush()

    async def take_copies(self, feedback_id: int) -> list[tuple[str, int]]:
        """The copies' sealed chats and message ids, deleted: each is updated once."""
        rows = (
            await self._session.execute(
                delete(FeedbackCopy)
                .where(FeedbackCopy.feedback_id == feedback_id)
                .returning(FeedbackCopy.sealed_chat, FeedbackCopy.message_id)
            )
        ).all()
        return [(str(sealed), int(message_id)) for sealed, message_id in rows]

    async def drop_copies_of_forgotten(self) -> int:
        """Copies of items whose text was deleted (retention): nothing left to show."""
        forgotten = select(Feedback.id).where(Feedback.text == "")
        result = await self._session.execute(
            delete(FeedbackCopy).where(FeedbackCopy.feedback_id.in_(forgotten))
        )
        return int(getattr(result, "rowcount", 0) or 0)
