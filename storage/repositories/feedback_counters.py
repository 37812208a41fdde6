"""Daily feedback counters, keyed by a hash that changes every day (daily_key)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import FeedbackCounter


class FeedbackCounterRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def count(self, counter_key: str) -> int:
        found = await self._session.scalar(
            select(FeedbackCounter.count).where(FeedbackCounter.counter_key == counter_key)
        )
        return int(found or 0)

    async def increment(self, counter_key: str, day: date) -> int:
        """Add one, atomically (the primary key arbitrates), and return the new count."""
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(FeedbackCounter).values(counter_key=counter_key, day=day, count=1)
        upsert = statement.on_conflict_do_update(
            index_elements=[FeedbackCounter.counter_key],
            set_={"count": FeedbackCounter.count + 1},
        ).returning(FeedbackCounter.count)
        return int(await self._session.scalar(upsert) or 0)

    async def purge_before(self, day: date) -> int:
        result = await self._session.execute(
            delete(FeedbackCounter).where(FeedbackCounter.day < day)
        )
        return int(getattr(result, "rowcount", 0))
