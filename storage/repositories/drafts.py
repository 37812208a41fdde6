"""Drafts, one per person (keyed hash), replaced by a new one: one store for poll set-ups and
meetings typed but not yet saved. Each kind keeps its own table (the buttons of each carry
its ids), and the same code serves both."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import MeetingDraft, PollDraft

Draft = TypeVar("Draft", PollDraft, MeetingDraft)


class DraftRepository(Generic[Draft]):
    def __init__(self, session: AsyncSession, model: type[Draft]) -> None:
        self._session = session
        self._model: type[Draft] = model

    async def by_owner(self, owner_key: str) -> Draft | None:
        model = self._model
        return await self._session.scalar(select(model).where(model.owner_key == owner_key))

    async def replace(self, draft: Draft) -> Draft:
        """Store a new draft for its owner, dropping the one they had (and its buttons)."""
        model = self._model
        await self._session.execute(delete(model).where(model.owner_key == draft.owner_key))
        self._session.add(draft)
        await self._session.flush()
        return draft

    async def update(
        self, draft_id: int, *, step: str, data: dict[str, Any], now: datetime
    ) -> bool:
        """Store the draft's new step and data; False if it is gone (replaced meanwhile)."""
        model = self._model
        result = await self._session.execute(
            update(model).where(model.id == draft_id).values(step=step, data=data, updated_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    async def remove(self, draft_id: int, *, step: str | None = None) -> bool:
        """Delete the draft; with ``step``, only if it is still at that step.

        True for the one caller that deleted it, so a double-pressed Post or Save acts once.
        """
        model = self._model
        query = delete(model).where(model.id == draft_id)
        if step is not None:
            query = query.where(model.step == step)
        result = await self._session.execute(query)
        return bool(getattr(result, "rowcount", 0))

    async def remove_older_than(self, cutoff: datetime) -> int:
        model = self._model
        result = await self._session.execute(delete(model).where(model.updated_at < cutoff))
        return int(getattr(result, "rowcount", 0))
