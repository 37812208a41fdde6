"""Groups the bot lives in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base, Group, Poll
from storage.repositories.bounded import chunks


class GroupRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_chat(self, chat_id: int) -> Group | None:
        return await self._session.scalar(select(Group).where(Group.chat_id == chat_id))

    async def by_id(self, group_id: int) -> Group | None:
        return await self._session.get(Group, group_id)

    async def by_ids(self, group_ids: list[int]) -> list[Group]:
        found: list[Group] = []
        for chunk in chunks(group_ids):
            found += await self._session.scalars(select(Group).where(Group.id.in_(chunk)))
        return found

    async def next_poll_number(self, group_id: int) -> int:
        """The number of the poll being opened in this group: 1, 2, 3... An atomic increment,
        so two polls opened at once never share one."""
        number = await self._session.scalar(
            update(Group)
            .where(Group.id == group_id)
            .values(polls_opened=Group.polls_opened + 1)
            .returning(Group.polls_opened)
        )
        return int(number or 0)

    async def languages(self) -> dict[int, str]:
        """Each active group's language, by chat id."""
        rows = await self._session.execute(
            select(Group.chat_id, Group.language).where(Group.active.is_(True))
        )
        return {row.chat_id: row.language for row in rows}

    async def all_ids(self) -> list[int]:
        return list(await self._session.scalars(select(Group.id)))

    async def ensure(self, chat_id: int, title: str, *, is_forum: bool, timezone: str) -> Group:
        """The group for this chat, created if new and re-activated if the bot came back."""
        group = await self.by_chat(chat_id)
        if group is None:
            group = Group(chat_id=chat_id, title=title, is_forum=is_forum, timezone=timezone)
            self._session.add(group)
            await self._session.flush()
            return group
        group.active = True
        group.title = title or group.title
        group.is_forum = is_forum
        return group

    async def set_active(self, chat_id: int, active: bool) -> bool:
        result = await self._session.execute(
            update(Group).where(Group.chat_id == chat_id).values(active=active)
        )
        return bool(getattr(result, "rowcount", 0))

    async def move_chat(self, old_chat_id: int, new_chat_id: int) -> Group | None:
        """Follow a supergroup upgrade: the same group row, so every reference stays intact."""
        group = await self.by_chat(old_chat_id)
        if group is None:
            return None
        clash = await self.by_chat(new_chat_id)
        if clash is not None and clash.id != group.id:
            # The bot saw the new chat before the migration message (an update raced it): the
            # newcomer's rows join the old group, which owns the history, then it goes. Not
            # memberships: their keys are derived from the group id, so they could never be
            # found again; those few people are asked for their role afresh.
            for table in Base.metadata.sorted_tables:
                if "group_id" in table.c and table.name not in {"groups", "memberships"}:
                    await self._session.execute(
                        update(table).where(table.c.group_id == clash.id).values(group_id=group.id)
                    )
            await self._session.delete(clash)
            await self._session.flush()
        group.chat_id = new_chat_id
        # The open polls' messages stay behind in the old chat and are posted again in the new
        # one (repost_open_polls): until then there is no message of theirs to edit, and an
        # edit aimed at an old message id in the new chat would only be refused.
        await self._session.execute(
            update(Poll)
            .where(Poll.group_id == group.id, Poll.status == "open")
            .values(message_id=None)
        )
        return group

    async def claim_welcome(self, group_id: int, now: datetime, since: datetime) -> bool:
        """Take the group's turn to welcome newcomers, if nobody did after `since`; True for
        the one caller (of any process) that took it."""
        result = await self._session.execute(
            update(Group)
            .where(
                Group.id == group_id,
                Group.active.is_(True),
                or_(Group.welcomed_at.is_(None), Group.welcomed_at <= since),
            )
            .values(welcomed_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    async def welcomed_at(self, group_id: int) -> datetime | None:
        return await self._session.scalar(select(Group.welcomed_at).where(Group.id == group_id))
