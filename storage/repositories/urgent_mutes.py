"""Facilitators' mutes of one sender's urgent items, by mute key only (bot/domain/keyed_hash)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import UrgentMute


class UrgentMuteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def until(self, mute_key: str, now: datetime) -> datetime | None:
        """When this sender's mute ends, if it has not yet."""
        return await self._session.scalar(
            select(UrgentMute.until).where(UrgentMute.mute_key == mute_key, UrgentMute.until > now)
        )

    async def mute(self, mute_key: str, until: datetime) -> datetime:
        """Mute until then (a later mute extends it, an earlier one leaves it); the end."""
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(UrgentMute).values(mute_key=mute_key, until=until)
        upsert = statement.on_conflict_do_update(
            index_elements=[UrgentMute.mute_key],
            set_={"until": until},
            where=UrgentMute.until < until,
        )
        await self._session.execute(upsert)
        found = await self._session.scalar(
            select(UrgentMute.until).where(UrgentMute.mute_key == mute_key)
        )
        return found or until

    async def purge_over(self, now: datetime) -> int:
        result = await self._session.execute(delete(UrgentMute).where(UrgentMute.until <= now))
        return int(getattr(result, "rowcount", 0))
