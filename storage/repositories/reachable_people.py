"""Who has opened a private chat with the bot, as keyed hashes (person_key) only."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ReachablePerson


class ReachablePeopleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, person_key: str) -> bool:
        """Remember the person; True when they were not known before."""
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(ReachablePerson)
            .values(person_key=person_key)
            .on_conflict_do_nothing(index_elements=[ReachablePerson.person_key])
        )
        result = await self._session.execute(statement)
        return bool(getattr(result, "rowcount", 0))

    async def known(self, person_keys: Sequence[str]) -> set[str]:
        if not person_keys:
            return set()
        rows = await self._session.scalars(
            select(ReachablePerson.person_key).where(
                ReachablePerson.person_key.in_(list(person_keys))
            )
        )
        return set(rows)

    async def remove(self, person_key: str) -> None:
        await self._session.execute(
            delete(ReachablePerson).where(ReachablePerson.person_key == person_key)
        )
