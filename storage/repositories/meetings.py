"""Meetings, their occurrences, RSVPs (one per keyed hash), agenda items, drafts and prefs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AgendaItem,
    Meeting,
    MeetingOccurrence,
    MeetingPrefs,
    MeetingRsvp,
)

ACTIVE, CANCELLED = "active", "cancelled"
SCHEDULED = "scheduled"


class MeetingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _insert(self) -> Any:
        dialect = self._session.get_bind().dialect.name
        return postgresql.insert if dialect == "postgresql" else sqlite.insert

    # Meetings and occurrences

    async def add(self, meeting: Meeting) -> Meeting:
        self._session.add(meeting)
        await self._session.flush()
        return meeting

    async def get(self, meeting_id: int) -> Meeting | None:
        return await self._session.get(Meeting, meeting_id)

    async def occurrence(self, occurrence_id: int) -> MeetingOccurrence | None:
        return await self._session.get(MeetingOccurrence, occurrence_id)

    async def series_keys(self, meeting_id: int) -> set[str]:
        rows = await self._session.scalars(
            select(MeetingOccurrence.series_local).where(MeetingOccurrence.meeting_id == meeting_id)
        )
        return set(rows)

    async def all_of_meeting(self, meeting_id: int) -> list[MeetingOccurrence]:
        rows = await self._session.scalars(
            select(MeetingOccurrence)
            .where(MeetingOccurrence.meeting_id == meeting_id)
            .order_by(MeetingOccurrence.starts_at)
        )
        return list(rows)

    async def add_occurrence(self, occurrence: MeetingOccurrence) -> MeetingOccurrence:
        self._session.add(occurrence)
        await self._session.flush()
        return occurrence

    async def upcoming(
        self, group_id: int, now: datetime, *, limit: int
    ) -> list[tuple[MeetingOccurrence, Meeting]]:
        """Scheduled occurrences of the group's active meetings, soonest first."""
        rows = await self._session.execute(
            select(MeetingOccurrence, Meeting)
            .join(Meeting, Meeting.id == MeetingOccurrence.meeting_id)
            .where(
                Meeting.group_id == group_id,
                Meeting.status == ACTIVE,
                MeetingOccurrence.status == SCHEDULED,
                MeetingOccurrence.starts_at > now,
            )
            .order_by(MeetingOccurrence.starts_at, MeetingOccurrence.id)
            .limit(limit)
        )
        return [(occurrence, meeting) for occurrence, meeting in rows]

    async def future_of_meeting(self, meeting_id: int, after: datetime) -> list[MeetingOccurrence]:
        rows = await self._session.scalars(
            select(MeetingOccurrence)
            .where(
                MeetingOccurrence.meeting_id == meeting_id,
                MeetingOccurrence.status == SCHEDULED,
                MeetingOccurrence.starts_at >= after,
            )
            .order_by(MeetingOccurrence.starts_at)
        )
        return list(rows)

    async def scheduled_count_after(self, meeting_id: int, now: datetime) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(MeetingOccurrence)
            .where(
                MeetingOccurrence.meeting_id == meeting_id,
                MeetingOccurrence.status == SCHEDULED,
                MeetingOccurrence.starts_at > now,
            )
        )
        return int(count or 0)

    async def delete_occurrences(self, ids: list[int]) -> None:
        if ids:
            await self._session.execute(
                delete(MeetingOccurrence).where(MeetingOccurrence.id.in_(ids))
            )

    async def to_extend(self, before: datetime) -> list[Meeting]:
        """Active repeating meetings whose generated occurrences end before this time."""
        rows = await self._session.scalars(
            select(Meeting).where(
                Meeting.status == ACTIVE,
                Meeting.recurrence != "none",
                Meeting.generated_until < before,
            )
        )
        return list(rows)

    async def set_message(self, occurrence_id: int, message_id: int) -> None:
        await self._session.execute(
            update(MeetingOccurrence)
            .where(MeetingOccurrence.id == occurrence_id)
            .values(message_id=message_id)
        )

    # RSVPs

    async def put_rsvp(self, occurrence_id: int, key: str, role: str, answer: int) -> None:
        """Insert or replace this person's one answer, atomically (a unique key arbitrates)."""
        statement = self._insert()(MeetingRsvp).values(
            occurrence_id=occurrence_id, rsvp_key=key, role=role, answer=answer
        )
        statement = statement.on_conflict_do_update(
            index_elements=[MeetingRsvp.occurrence_id, MeetingRsvp.rsvp_key],
            set_={"role": statement.excluded.role, "answer": statement.excluded.answer},
        )
        await self._session.execute(statement)

    async def rsvp_answer(self, occurrence_id: int, key: str) -> int | None:
        return await self._session.scalar(
            select(MeetingRsvp.answer).where(
                MeetingRsvp.occurrence_id == occurrence_id, MeetingRsvp.rsvp_key == key
            )
        )

    async def rsvp_answers(self, occurrence_id: int, keys: list[str]) -> dict[str, int]:
        rows = await self._session.execute(
            select(MeetingRsvp.rsvp_key, MeetingRsvp.answer).where(
                MeetingRsvp.occurrence_id == occurrence_id, MeetingRsvp.rsvp_key.in_(keys)
            )
        )
        return {str(key): int(answer) for key, answer in rows}

    async def rsvp_counts(self, occurrence_id: int) -> list[tuple[str, int, int]]:
        """(role, answer, how many), one GROUP BY."""
        rows = await self._session.execute(
            select(MeetingRsvp.role, MeetingRsvp.answer, func.count())
            .where(MeetingRsvp.occurrence_id == occurrence_id)
            .group_by(MeetingRsvp.role, MeetingRsvp.answer)
        )
        return [(str(role), int(answer), int(n)) for role, answer, n in rows]

    # Agenda

    async def add_agenda_item(self, occurrence_id: int, text: str) -> None:
        self._session.add(AgendaItem(occurrence_id=occurrence_id, text=text))
        await self._session.flush()

    async def agenda_count(self, occurrence_id: int) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(AgendaItem)
            .where(AgendaItem.occurrence_id == occurrence_id)
        )
        return int(count or 0)

    async def agenda(self, occurrence_id: int) -> list[str]:
        rows = await self._session.scalars(
            select(AgendaItem.text)
            .where(AgendaItem.occurrence_id == occurrence_id)
            .order_by(AgendaItem.id)
        )
        return list(rows)

    # Prefs

    async def offsets(self, group_id: int) -> list[int] | None:
        prefs = await self._session.get(MeetingPrefs, group_id)
        return None if prefs is None else list(prefs.offsets)

    async def set_offsets(self, group_id: int, offsets: list[int]) -> None:
        statement = self._insert()(MeetingPrefs).values(group_id=group_id, offsets=offsets)
        statement = statement.on_conflict_do_update(
            index_elements=[MeetingPrefs.group_id], set_={"offsets": statement.excluded.offsets}
        )
        await self._session.execute(statement)
