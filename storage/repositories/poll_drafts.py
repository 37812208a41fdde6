"""Poll drafts: at most one per person (keyed hash), replaced by a new one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import PollDraft


class PollDraftRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_owner(self, owner_key: str) -> PollDraft | None:
        return await self._session.scalar(select(PollDraft).where(PollDraft.owner_key == owner_key))

    async def replace(self, draft: PollDraft) -> PollDraft:
        """Store a new draft for its owner, dropping the one they had (and its buttons)."""
        await self._session.execute(delete(PollDraft).where(PollDraft.owner_key == draft.owner_key))
        self._session.add(draft)
        await self._session.flush()
        return draft

    async def update(
        self, draft_id: int, *, step: str, data: dict[str, Any], now: datetime
    ) -> bool:
        """Store the draft's new step and data; False if it is gone (replaced meanwhile)."""
        result = await self._session.execute(
            update(PollDraft)
            .where(PollDraft.id == draft_id)
            .values(step=step, data=data, updated_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    async def remove(self, draft_id: int, *, step: str | None = None) -> bool:
        """Delete the draft; with ``step``, only if it is still at that step.

        True for the one caller that deleted it, so a double-pressed Post posts once.
        """
        query = delete(PollDraft).where(PollDraft.id == draft_id)
        if step is not None:
            query = query.where(PollDraft.step == step)
        result = await self._session.execute(query)
        return bool(getattr(result, "rowcount", 0))

    async def remove_older_than(self, cutoff: datetime) -> int:
        result = await self._session.execute(delete(PollDraft).where(PollDraft.updated_at < cutoff))
        return int(getattr(result, "rowcount", 0))
