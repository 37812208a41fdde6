"""Facilitators are a group's Telegram administrators, asked of Telegram and cached briefly.

The cache lives in memory only: facilitator ids never reach the database.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from telegram import Bot
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden, TelegramError

ADMIN_CACHE_SECONDS = 120.0
MEMBER_STATUSES = {
    ChatMemberStatus.OWNER,
    ChatMemberStatus.ADMINISTRATOR,
    ChatMemberStatus.MEMBER,
}


class FacilitatorCache:
    def __init__(
        self, ttl: float = ADMIN_CACHE_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[int, tuple[float, frozenset[int]]] = {}

    async def of(self, bot: Bot, chat_id: int, *, stale_ok: bool = True) -> frozenset[int]:
        """User ids of the chat's administrators (humans only).

        `stale_ok=False`: never the list past its time, even when Telegram fails (it raises).
        """
        now = self._clock()
        cached = self._entries.get(chat_id)
        if cached is not None and now - cached[0] < self._ttl:
            return cached[1]
        try:
            admins = await bot.get_chat_administrators(chat_id)
        except (BadRequest, Forbidden):
            return frozenset()
        except TelegramError:
            # Telegram failed for now (a timeout, a 5xx): a list a little old beats none;
            # without one the caller decides (feedback routing tries again later).
            if cached is not None and stale_ok:
                return cached[1]
            raise
        ids = frozenset(member.user.id for member in admins if not member.user.is_bot)
        self._entries[chat_id] = (now, ids)
        return ids

    async def is_facilitator(self, bot: Bot, chat_id: int, user_id: int) -> bool:
        # A right is never granted from an expired list: an admin demoted since would keep it
        # for as long as Telegram kept failing. The person is told to try again instead.
        return user_id in await self.of(bot, chat_id, stale_ok=False)

    def forget(self, chat_id: int) -> None:
        self._entries.pop(chat_id, None)


async def is_in_chat(bot: Bot, chat_id: int, user_id: int) -> bool:
    """Whether the person is in the group now, so nobody can join a group they are not in."""
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except (BadRequest, Forbidden):
        return False
    if member.status in MEMBER_STATUSES:
        return True
    return member.status == ChatMemberStatus.RESTRICTED and bool(
        getattr(member, "is_member", False)
    )
