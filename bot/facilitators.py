"""Facilitators are a group's Telegram administrators, asked of Telegram and cached briefly;
and whether a person is in a group now, cached the same way.

The caches live in memory only: these ids never reach the database.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from telegram import Bot
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden, TelegramError

log = logging.getLogger(__name__)

ADMIN_CACHE_SECONDS = 120.0
PRESENCE_CACHE_SECONDS = 120.0
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


class PresenceCache:
    """Whether a person is in a group now, asked of Telegram and kept two minutes.

    Votes, meeting answers and "See results" ask it: Telegram may not tell the bot that
    someone left (no `chat_member` updates unless the bot is an admin; large groups hide
    "X left"), and in a public supergroup anyone can press a button. The leave updates the
    bot does get drop the entry at once (`note`), so the two minutes only matter when they
    do not come.
    """

    LIMIT = 50_000  # entries: past it the cache starts again (a burst of presses, not a leak)

    def __init__(
        self, ttl: float = PRESENCE_CACHE_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[tuple[int, int], tuple[float, bool]] = {}

    async def is_in(self, bot: Bot, chat_id: int, user_id: int) -> bool:
        now = self._clock()
        cached = self._entries.get((chat_id, user_id))
        if cached is not None and now - cached[0] < self._ttl:
            return cached[1]
        try:
            present = await is_in_chat(bot, chat_id, user_id)
        except TelegramError as error:
            # Telegram failed for now: an answer a little old beats none. Without one the
            # press goes ahead on the stored membership alone (which a leave update deletes):
            # refusing every vote while Telegram is slow would silence the whole group.
            log.warning("could not check membership in a group: %s", type(error).__name__)
            return True if cached is None else cached[1]
        self.note(chat_id, user_id, present)
        return present

    def note(self, chat_id: int, user_id: int, present: bool) -> None:
        """What a member update just said, so the next press needs no question."""
        if len(self._entries) >= self.LIMIT:
            self._entries.clear()
        self._entries[(chat_id, user_id)] = (self._clock(), present)
