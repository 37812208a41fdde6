"""Claims on update ids: the primary key arbitrates, so only the first delivery wins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedUpdate


class ProcessedUpdateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, bot_id: int, update_ids: list[int], seen_at: datetime) -> set[int]:
        """Record the ids not seen before and return them; ids already there are left out.

        One statement for many ids, so a batch of presses claims in one round trip.
        """
        if not update_ids:
            return set()
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(ProcessedUpdate)
            .values(
                [
                    {"bot_id": bot_id, "update_id": update_id, "seen_at": seen_at}
                    for update_id in update_ids
                ]
            )
            .on_conflict_do_nothing(index_elements=["bot_id", "update_id"])
            .returning(ProcessedUpdate.update_id)
        )
        return set((await self._session.scalars(statement)).all())

    async def purge_before(self, cutoff: datetime) -> int:
        result = await self._session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.seen_at < cutoff)
        )
        return int(getattr(result, "rowcount", 0))
