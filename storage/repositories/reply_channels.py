"""Private replies to anonymous feedback: one channel per item whose writer allowed them.

Nothing here names anyone without the secret: the writer's chat id is sealed, and a channel
is found by its item, or (for /forgetme) by unsealing every channel in memory.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import FeedbackReplyChannel


class ReplyChannelRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, feedback_id: int, sealed_chat: str, expires_at: datetime) -> None:
        self._session.add(
            FeedbackReplyChannel(
                feedback_id=feedback_id,
                sealed_chat=sealed_chat,
                expires_at=expires_at,
                from_writer=0,
                from_facilitators=0,
            )
        )
        await self._session.flush()

    async def open_for(self, feedback_id: int, now: datetime) -> FeedbackReplyChannel | None:
        return await self._session.scalar(
            select(FeedbackReplyChannel).where(
                FeedbackReplyChannel.feedback_id == feedback_id,
                FeedbackReplyChannel.expires_at > now,
            )
        )

    async def which_open(self, feedback_ids: list[int], now: datetime) -> set[int]:
        if not feedback_ids:
            return set()
        found = await self._session.scalars(
            select(FeedbackReplyChannel.feedback_id).where(
                FeedbackReplyChannel.feedback_id.in_(feedback_ids),
                FeedbackReplyChannel.expires_at > now,
            )
        )
        return set(found)

    async def count_turn(self, feedback_id: int, *, writer: bool, day: date, limit: int) -> bool:
        """Count one message on this side today; False when today's limit is reached (or the
        channel is gone). One statement, so two presses at once cannot both pass."""
        mine = (
            FeedbackReplyChannel.from_writer if writer else FeedbackReplyChannel.from_facilitators
        )
        other = (
            FeedbackReplyChannel.from_facilitators if writer else FeedbackReplyChannel.from_writer
        )
        same_day = FeedbackReplyChannel.day == day
        result = await self._session.execute(
            update(FeedbackReplyChannel)
            .where(
                FeedbackReplyChannel.feedback_id == feedback_id,
                or_(FeedbackReplyChannel.day.is_(None), ~same_day, mine < limit),
            )
            .values(
                {
                    mine: case((same_day, mine + 1), else_=1),
                    other: case((same_day, other), else_=0),
                    FeedbackReplyChannel.day: day,
                }
            )
        )
        return bool(getattr(result, "rowcount", 0))

    async def close(self, feedback_id: int) -> bool:
        result = await self._session.execute(
            delete(FeedbackReplyChannel).where(FeedbackReplyChannel.feedback_id == feedback_id)
        )
        return bool(getattr(result, "rowcount", 0))

    async def close_expired(self, now: datetime) -> int:
        result = await self._session.execute(
            delete(FeedbackReplyChannel).where(FeedbackReplyChannel.expires_at <= now)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def all_sealed(self) -> list[tuple[int, str]]:
        rows = await self._session.execute(
            select(FeedbackReplyChannel.feedback_id, FeedbackReplyChannel.sealed_chat)
        )
        return [(int(feedback_id), str(sealed)) for feedback_id, sealed in rows]
