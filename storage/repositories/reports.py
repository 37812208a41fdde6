"""What a board report reads about one group in one period: closed polls, feedback counts and
published texts, meeting dates held. Read only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Feedback, Meeting, MeetingOccurrence, Poll
from storage.repositories.meetings import SCHEDULED

CLOSED, PUBLISHED = "closed", "published"


@dataclass(frozen=True, slots=True)
class FeedbackFact:
    """One item as the report counts it; the text only for published items."""

    received_at: datetime
    status: str
    urgent: bool
    number: int | None
    text: str | None


@dataclass(frozen=True, slots=True)
class HeldDate:
    occurrence_id: int
    title: str
    starts_at: datetime


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def closed_poll_ids(self, group_id: int, start: datetime, end: datetime) -> list[int]:
        """Polls that closed in [start, end), in the order they closed."""
        rows = await self._session.scalars(
            select(Poll.id)
            .where(
                Poll.group_id == group_id,
                Poll.status == CLOSED,
                Poll.closed_at >= start,
                Poll.closed_at < end,
            )
            .order_by(Poll.closed_at, Poll.number, Poll.id)
        )
        return list(rows)

    async def feedback(self, group_id: int, start: datetime, end: datetime) -> list[FeedbackFact]:
        """Items received in [start, end); a text is read only where it was published."""
        rows = await self._session.execute(
            select(
                Feedback.received_at,
                Feedback.status,
                Feedback.urgent,
                Feedback.number,
                Feedback.text,
            )
            .where(
                Feedback.group_id == group_id,
                Feedback.received_at >= start,
                Feedback.received_at < end,
                Feedback.occurrence_id.is_(None),  # agenda items waiting or decided: not feedback
            )
            .order_by(Feedback.received_at, Feedback.id)
        )
        return [
            FeedbackFact(
                received_at=received,
                status=str(status),
                urgent=bool(urgent),
                number=number,
                text=str(text) if status == PUBLISHED and not urgent else None,
            )
            for received, status, urgent, number, text in rows
        ]

    async def held_dates(self, group_id: int, start: datetime, end: datetime) -> Sequence[HeldDate]:
        """Meeting dates in [start, end) still scheduled (not cancelled), in order."""
        rows = await self._session.execute(
            select(MeetingOccurrence.id, Meeting.title, MeetingOccurrence.starts_at)
            .join(Meeting, Meeting.id == MeetingOccurrence.meeting_id)
            .where(
                Meeting.group_id == group_id,
                MeetingOccurrence.status == SCHEDULED,
                MeetingOccurrence.starts_at >= start,
                MeetingOccurrence.starts_at < end,
            )
            .order_by(MeetingOccurrence.starts_at, MeetingOccurrence.id)
        )
        return [HeldDate(int(i), str(title), at) for i, title, at in rows]
