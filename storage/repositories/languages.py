"""Each person's language, by language_key only (an HMAC of the id, beside nothing else)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import LanguageChoice


class LanguageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, language_key: str) -> LanguageChoice | None:
        return await self._session.get(LanguageChoice, language_key)

    async def put(self, language_key: str, language: str, *, chosen: bool) -> None:
        """Insert or replace; a choice the person made is only replaced by another choice."""
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(LanguageChoice).values(
            language_key=language_key, language=language, chosen=chosen
        )
        update = {"language": language, "chosen": chosen}
        where = None if chosen else LanguageChoice.chosen.is_(False)
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[LanguageChoice.language_key], set_=update, where=where
            )
        )

    async def language_of(self, language_key: str) -> str | None:
        return await self._session.scalar(
            select(LanguageChoice.language).where(LanguageChoice.language_key == language_key)
        )

    async def remove(self, language_key: str) -> None:
        await self._session.execute(
            delete(LanguageChoice).where(LanguageChoice.language_key == language_key)
        )
