"""Memberships: a role per (group, keyed hash of the person)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Membership


class MembershipRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, group_id: int, member_key: str) -> Membership | None:
        return await self._session.scalar(
            select(Membership).where(
                Membership.group_id == group_id, Membership.member_key == member_key
            )
        )

    async def put(self, group_id: int, member_key: str, role: str, now: datetime) -> bool:
        """Store or change a role. Returns True when the person is new to the group.

        Only the day is kept: an exact time beside a role could be matched against the
        group's "X joined" history by someone holding a copy of the database.
        """
        now = now.replace(hour=0, minute=0, second=0, microsecond=0)
        existing = await self.get(group_id, member_key)
        if existing is None:
            self._session.add(
                Membership(
                    group_id=group_id,
                    member_key=member_key,
                    role=role,
                    joined_at=now,
                    role_since=now,
                )
            )
            await self._session.flush()
            return True
        if existing.role != role:
            existing.role = role
            existing.role_since = now
        return False

    async def find_any(self, keys: Sequence[str]) -> list[Membership]:
        """Memberships matching any of these keys (one person's keys across groups)."""
        if not keys:
            return []
        rows = await self._session.scalars(
            select(Membership).where(Membership.member_key.in_(list(keys)))
        )
        return list(rows)

    async def delete_keys(self, keys: Sequence[str]) -> int:
        if not keys:
            return 0
        result = await self._session.execute(
            delete(Membership).where(Membership.member_key.in_(list(keys)))
        )
        return int(getattr(result, "rowcount", 0))

    async def role_counts(self, group_id: int) -> dict[str, int]:
        rows = await self._session.execute(
            select(Membership.role, func.count())
            .where(Membership.group_id == group_id)
            .group_by(Membership.role)
        )
        return {role: int(count) for role, count in rows}
