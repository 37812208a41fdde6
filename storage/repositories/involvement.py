"""The opt-in involvement record: a group's switch, the people who chose to be recorded, and
the meetings they took part in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InvolvementEntry, InvolvementPerson, InvolvementSettings
from storage.repositories.bounded import chunks


@dataclass(frozen=True, slots=True)
class PersonTotal:
    name: str
    wants_payment: bool
    meetings: int
    minutes: int
    expenses_pence: int


class InvolvementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def recording(self, group_id: int) -> bool:
        found = await self._session.get(InvolvementSettings, group_id)
        return bool(found is not None and found.recording)

    async def set_recording(self, group_id: int, on: bool) -> None:
        found = await self._session.get(InvolvementSettings, group_id)
        if found is None:
            self._session.add(InvolvementSettings(group_id=group_id, recording=on))
        else:
            found.recording = on
        await self._session.flush()

    async def person(self, group_id: int, key: str) -> InvolvementPerson | None:
        return await self._session.scalar(
            select(InvolvementPerson).where(
                InvolvementPerson.group_id == group_id, InvolvementPerson.person_key == key
            )
        )

    async def save_person(self, group_id: int, key: str, name: str, wants_payment: bool) -> None:
        found = await self.person(group_id, key)
        if found is None:
            self._session.add(
                InvolvementPerson(
                    group_id=group_id, person_key=key, name=name, wants_payment=wants_payment
                )
            )
        else:
            found.name, found.wants_payment = name, wants_payment
        await self._session.flush()

    async def person_by_id(self, person_id: int) -> InvolvementPerson | None:
        return await self._session.get(InvolvementPerson, person_id)

    async def people_of_group(self, group_id: int) -> list[InvolvementPerson]:
        return list(
            await self._session.scalars(
                select(InvolvementPerson).where(InvolvementPerson.group_id == group_id)
            )
        )

    async def keys_at(self, occurrence_id: int) -> set[str]:
        """The keys of everyone recorded at this meeting date."""
        return set(
            await self._session.scalars(
                select(InvolvementEntry.person_key).where(
                    InvolvementEntry.occurrence_id == occurrence_id
                )
            )
        )

    async def people_of(self, keys: Sequence[str]) -> list[InvolvementPerson]:
        found: list[InvolvementPerson] = []
        for chunk in chunks(list(keys)):
            found += await self._session.scalars(
                select(InvolvementPerson).where(InvolvementPerson.person_key.in_(chunk))
            )
        return found

    async def entries_of(self, keys: Sequence[str]) -> list[InvolvementEntry]:
        found: list[InvolvementEntry] = []
        for chunk in chunks(list(keys)):
            found += await self._session.scalars(
                select(InvolvementEntry)
                .where(InvolvementEntry.person_key.in_(chunk))
                .order_by(InvolvementEntry.day)
            )
        return found

    async def add_entry(self, entry: InvolvementEntry) -> bool:
        """False if this person already said they took part in this meeting."""
        existing = await self._session.scalar(
            select(InvolvementEntry.id).where(
                InvolvementEntry.person_key == entry.person_key,
                InvolvementEntry.occurrence_id == entry.occurrence_id,
            )
        )
        if existing is not None:
            return False
        self._session.add(entry)
        await self._session.flush()
        return True

    async def set_time(
        self, key: str, occurrence_id: int, minutes: int | None, pence: int | None
    ) -> bool:
        """Time and travel for one entry not yet exported; False if there is none."""
        values: dict[str, int] = {}
        if minutes is not None:
            values["minutes"] = minutes
        if pence is not None:
            values["expenses_pence"] = pence
        result = await self._session.execute(
            update(InvolvementEntry)
            .where(
                InvolvementEntry.person_key == key,
                InvolvementEntry.occurrence_id == occurrence_id,
                InvolvementEntry.exported.is_(False),
            )
            .values(**values)
        )
        return bool(getattr(result, "rowcount", 0))

    async def forget(self, keys: Sequence[str]) -> tuple[int, int]:
        """Erase these people and their entries: (entries erased, of which already exported)."""
        entries = await self.entries_of(keys)
        exported = sum(1 for e in entries if e.exported)
        for chunk in chunks(list(keys)):
            await self._session.execute(
                delete(InvolvementEntry).where(InvolvementEntry.person_key.in_(chunk))
            )
            await self._session.execute(
                delete(InvolvementPerson).where(InvolvementPerson.person_key.in_(chunk))
            )
        return len(entries), exported

    async def export(self, group_id: int) -> list[tuple[InvolvementPerson, InvolvementEntry]]:
        """Every entry of the group with its person, by date then name; marked exported."""
        rows = await self._session.execute(
            select(InvolvementPerson, InvolvementEntry)
            .join(
                InvolvementEntry,
                (InvolvementEntry.person_key == InvolvementPerson.person_key)
                & (InvolvementEntry.group_id == InvolvementPerson.group_id),
            )
            .where(InvolvementPerson.group_id == group_id)
            .order_by(InvolvementEntry.day, InvolvementPerson.name)
        )
        found = [(p, e) for p, e in rows]
        await self._session.execute(
            update(InvolvementEntry)
            .where(InvolvementEntry.group_id == group_id)
            .values(exported=True)
        )
        return found

    async def totals(self, group_id: int, first: date, last: date) -> list[PersonTotal]:
        """Per person, for the days first..last: meetings, minutes and expenses."""
        rows = await self._session.execute(
            select(
                InvolvementPerson.name,
                InvolvementPerson.wants_payment,
                func.count(InvolvementEntry.id),
                func.coalesce(func.sum(InvolvementEntry.minutes), 0),
                func.coalesce(func.sum(InvolvementEntry.expenses_pence), 0),
            )
            .join(
                InvolvementEntry,
                (InvolvementEntry.person_key == InvolvementPerson.person_key)
                & (InvolvementEntry.group_id == InvolvementPerson.group_id),
            )
            .where(
                InvolvementPerson.group_id == group_id,
                InvolvementEntry.day >= first,
                InvolvementEntry.day <= last,
            )
            .group_by(
                InvolvementPerson.person_key,
                InvolvementPerson.name,
                InvolvementPerson.wants_payment,
            )
            .order_by(InvolvementPerson.name)
        )
        return [
            PersonTotal(str(n), bool(w), int(c or 0), int(m or 0), int(p or 0))
            for n, w, c, m, p in rows
        ]
