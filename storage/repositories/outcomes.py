""" "You said, we did": outcomes of the group's feedback and polls, and the monthly digest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Feedback, Outcome, OutcomeSettings, Poll

PUBLISHED, CLOSED = "published", "closed"


class OutcomeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def of(self, subject: str, subject_id: int) -> Outcome | None:
        return await self._session.scalar(
            select(Outcome).where(Outcome.subject == subject, Outcome.subject_id == subject_id)
        )

    async def save(self, outcome: Outcome) -> Outcome:
        self._session.add(outcome)
        await self._session.flush()
        return outcome

    async def of_group(self, group_id: int) -> Sequence[Outcome]:
        rows = await self._session.scalars(
            select(Outcome).where(Outcome.group_id == group_id).order_by(Outcome.updated_at.desc())
        )
        return list(rows)

    async def reviews_due_by(self, day: date) -> Sequence[Outcome]:
        """Reviews due by `day` (a day ahead of UTC covers every zone), not yet reminded."""
        rows = await self._session.scalars(
            select(Outcome).where(
                Outcome.review_on.is_not(None),
                Outcome.review_on <= day,
                Outcome.review_reminded.is_(False),
            )
        )
        return list(rows)

    async def claim_review(self, outcome_id: int) -> bool:
        result = await self._session.execute(
            update(Outcome)
            .where(Outcome.id == outcome_id, Outcome.review_reminded.is_(False))
            .values(review_reminded=True)
        )
        return bool(getattr(result, "rowcount", 0))

    async def published_feedback(self, group_id: int, limit: int) -> Sequence[Feedback]:
        rows = await self._session.scalars(
            select(Feedback)
            .where(
                Feedback.group_id == group_id,
                Feedback.status == PUBLISHED,
                Feedback.occurrence_id.is_(None),  # an agenda item is listed, not published
            )
            .order_by(Feedback.number.desc())
            .limit(limit)
        )
        return list(rows)

    async def closed_polls(self, group_id: int, limit: int) -> Sequence[Poll]:
        rows = await self._session.scalars(
            select(Poll)
            .where(Poll.group_id == group_id, Poll.status == CLOSED)
            .order_by(Poll.closed_at.desc(), Poll.id.desc())
            .limit(limit)
        )
        return list(rows)

    async def settings(self, group_id: int) -> OutcomeSettings:
        found = await self._session.get(OutcomeSettings, group_id)
        if found is None:
            found = OutcomeSettings(group_id=group_id, monthly=False)
            self._session.add(found)
            await self._session.flush()
        return found

    async def monthly_groups(self) -> Sequence[OutcomeSettings]:
        rows = await self._session.scalars(
            select(OutcomeSettings).where(OutcomeSettings.monthly.is_(True))
        )
        return list(rows)

    async def claim_month(self, group_id: int, month: str) -> bool:
        """The month's digest, once: False if it was sent (or is being sent) already."""
        result = await self._session.execute(
            update(OutcomeSettings)
            .where(
                OutcomeSettings.group_id == group_id,
                OutcomeSettings.monthly.is_(True),
                (OutcomeSettings.last_month.is_(None)) | (OutcomeSettings.last_month != month),
            )
            .values(last_month=month)
        )
        return bool(getattr(result, "rowcount", 0))

    async def touch(self, outcome: Outcome, now: datetime) -> None:
        outcome.updated_at = now
        await self._session.flush()
