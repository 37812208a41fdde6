"""Group lifecycle: the bot added, removed, re-added; a group upgraded to a supergroup."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.disclosure import DEFAULT_SMALL_ROLES, SmallRoles
from storage.models import Group
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class GroupInfo:
    id: int
    chat_id: int
    title: str
    active: bool
    is_forum: bool
    timezone: str
    anyone_can_poll: bool
    small_roles: SmallRoles = DEFAULT_SMALL_ROLES

    @classmethod
    def of(cls, group: Group) -> GroupInfo:
        return cls(
            id=group.id,
            chat_id=group.chat_id,
            title=group.title,
            active=group.active,
            is_forum=group.is_forum,
            timezone=group.timezone,
            anyone_can_poll=group.anyone_can_poll,
            small_roles=_small_roles(group.small_roles),
        )


def _small_roles(value: str | None) -> SmallRoles:
    try:
        return SmallRoles(value) if value else DEFAULT_SMALL_ROLES
    except ValueError:
        return DEFAULT_SMALL_ROLES


async def bot_added(
    uow: UnitOfWork, chat_id: int, title: str, *, is_forum: bool, timezone: str
) -> GroupInfo:
    """Create the group, or wake it up again if the bot had been removed."""
    group = await uow.groups.ensure(chat_id, title, is_forum=is_forum, timezone=timezone)
    await uow.commit()
    return GroupInfo.of(group)


async def bot_removed(uow: UnitOfWork, chat_id: int) -> bool:
    """Mark the group inactive: nothing is sent there until the bot is added back."""
    changed = await uow.groups.set_active(chat_id, False)
    await uow.commit()
    return changed


async def chat_migrated(uow: UnitOfWork, old_chat_id: int, new_chat_id: int) -> GroupInfo | None:
    """Carry everything to the supergroup's new id; all data hangs off the group row.

    Telegram announces the move in both chats: the second notice finds the group moved.
    """
    group = await uow.groups.move_chat(old_chat_id, new_chat_id) or await uow.groups.by_chat(
        new_chat_id
    )
    await uow.commit()
    return None if group is None else GroupInfo.of(group)


async def find_group(uow: UnitOfWork, chat_id: int) -> GroupInfo | None:
    group = await uow.groups.by_chat(chat_id)
    return None if group is None else GroupInfo.of(group)


async def find_group_by_id(uow: UnitOfWork, group_id: int) -> GroupInfo | None:
    group = await uow.groups.by_id(group_id)
    return None if group is None else GroupInfo.of(group)
