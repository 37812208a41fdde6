"""Memberships: a role per (group, keyed hash of the person)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Group, Membership
from storage.repositories.bounded import chunks
from storage.row_order import rewrite_in_random_order


class MembershipRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, group_id: int, member_key: str) -> Membership | None:
        return await self._session.scalar(
            select(Membership).where(
                Membership.group_id == group_id, Membership.member_key == member_key
            )
        )

    async def lock_group(self, group_id: int) -> None:
        """Hold the group's row until commit: its memberships are only ever rewritten (and
        removed) under it, so a removal cannot miss a row being written again meanwhile.
        SQLite has one writer at a time anyway."""
        await self._session.execute(select(Group.id).where(Group.id == group_id).with_for_update())

    async def put(
        self,
        group_id: int,
        member_key: str,
        role: str,
        *,
        previous_role: str | None = None,
        role_applies_from: int | None = None,
    ) -> bool:
        """Store or change a role, with the change still settling if any (previous role and
        the first poll the new one counts in). Returns True when the person is new."""
        record = (role, previous_role, role_applies_from)
        return member_key in await self._write(group_id, {member_key: record})

    async def put_many(self, group_id: int, roles: Mapping[str, str]) -> set[str]:
        """Store or change roles (member key: role), with no change settling; returns the
        keys new to the group."""
        return await self._write(group_id, {key: (role, None, None) for key, role in roles.items()})

    async def _write(
        self, group_id: int, records: Mapping[str, tuple[str, str | None, int | None]]
    ) -> set[str]:
        """No date is kept, and after any change the group's memberships are written again in
        random order (storage/row_order.py): the newest member is not the last row, and on
        PostgreSQL not the newest transaction either.
        """
        await self.lock_group(group_id)
        changed, new = False, set()
        for member_key, (role, previous, applies_from) in records.items():
            existing = await self.get(group_id, member_key)
            if existing is not None and (
                existing.role,
                existing.previous_role,
                existing.role_applies_from,
            ) == (role, previous, applies_from):
                continue
            row = existing or Membership(group_id=group_id, member_key=member_key)
            row.role = role
            row.previous_role = previous
            row.role_applies_from = applies_from
            self._session.add(row)
            await self._session.flush()
            self._session.expunge(row)  # written again below, under a new id
            changed = True
            if existing is None:
                new.add(member_key)
        if changed:
            await rewrite_in_random_order(
                self._session, Membership, Membership.group_id == group_id
            )
        return new

    async def find_any(self, keys: Sequence[str]) -> list[Membership]:
        """Memberships matching any of these keys (one person's keys across groups)."""
        found: list[Membership] = []
        for chunk in chunks(keys):
            found += await self._session.scalars(
                select(Membership).where(Membership.member_key.in_(chunk))
            )
        return found

    async def delete_keys(self, keys: Sequence[str]) -> int:
        """Remove the memberships with these keys, each under its group's lock (lock_group)."""
        found = await self.find_any(keys)
        for group_id in sorted({row.group_id for row in found}):  # one order: no deadlock
            await self.lock_group(group_id)
        erased = 0
        # Found again by key, now that no rewrite can be under way: a row's id may have
        # changed since it was read.
        for chunk in chunks(sorted({row.member_key for row in found})):
            result = await self._session.execute(
                delete(Membership)
                .where(Membership.member_key.in_(chunk))
                .execution_options(synchronize_session=False)
            )
            erased += int(getattr(result, "rowcount", 0))
        for row in found:
            self._session.expunge(row)
        return erased

    async def settle_role_changes(self, group_id: int, oldest_open: int | None) -> int:
        """Forget the changes of role no open poll still needs (none opened before them):
        the role before a change is kept no longer than it counts anywhere. Returns how many.

        Written in place, then the group's rows again in random order, as for any change."""
        await self.lock_group(group_id)
        settling = [Membership.group_id == group_id, Membership.previous_role.is_not(None)]
        if oldest_open is not None:
            settling.append(Membership.role_applies_from <= oldest_open)
        result = await self._session.execute(
            update(Membership)
            .where(*settling)
            .values(previous_role=None, role_applies_from=None)
            .execution_options(synchronize_session=False)
        )
        settled = int(getattr(result, "rowcount", 0))
        if settled:
            await rewrite_in_random_order(
                self._session, Membership, Membership.group_id == group_id
            )
        return settled

    async def role_counts(self, group_id: int) -> dict[str, int]:
        rows = await self._session.execute(
            select(Membership.role, func.count())
            .where(Membership.group_id == group_id)
            .group_by(Membership.role)
        )
        return {role: int(count) for role, count in rows}
