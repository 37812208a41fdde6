"""Claims on update ids: the primary key arbitrates, so only the first delivery wins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert

from storage.models import ProcessedUpdate

_CLAIMS: dict[str, Insert] = {}


@dataclass(frozen=True, slots=True)
class UpdateClaim:
    """The claim an update makes: this bot, Telegram's update number, the hour it came."""

    bot_id: int
    update_id: int
    seen_at: datetime


def _claim(dialect: str) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING, one constant statement per dialect: every ballot
    press runs it, so it is compiled once and goes through Core, not the ORM's insert path.
    """
    statement = _CLAIMS.get(dialect)
    if statement is None:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(ProcessedUpdate).on_conflict_do_nothing(
            index_elements=[ProcessedUpdate.bot_id, ProcessedUpdate.update_id]
        )
        _CLAIMS[dialect] = statement
    return statement


class ProcessedUpdateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, bot_id: int, update_id: int, seen_at: datetime) -> bool:
        """Record the update id; False when it was recorded before."""
        connection = await self._session.connection()
        result = await connection.execute(
            _claim(connection.dialect.name),
            {"bot_id": bot_id, "update_id": update_id, "seen_at": seen_at},
        )
        return int(getattr(result, "rowcount", 0)) == 1

    async def claim_many(
        self, bot_id: int, update_ids: Sequence[int], seen_at: datetime
    ) -> set[int]:
        """Record the update ids in one statement; those recorded now (the others were before)."""
        if not update_ids:
            return set()
        connection = await self._session.connection()
        result = await connection.execute(
            _claim(connection.dialect.name).returning(ProcessedUpdate.update_id),
            [
                {"bot_id": bot_id, "update_id": update_id, "seen_at": seen_at}
                for update_id in sorted(set(update_ids))
            ],
        )
        return {row[0] for row in result}

    async def purge_before(self, cutoff: datetime) -> int:
        result = await self._session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.seen_at < cutoff)
        )
        return int(getattr(result, "rowcount", 0))
