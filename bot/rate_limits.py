"""Telegram's flood limits, applied only to what Telegram counts.

PTB's AIORateLimiter puts every request that names a group chat through that group's
20-a-minute budget, reads included: twenty people joining (two getChatMember calls each)
would then hold every message to the group for minutes. Telegram counts messages and edits,
so only those wait; reads and callback answers (which must be quick: a person is looking at
a spinning button) go straight through.

On PostgreSQL several replicas may serve one bot, and Telegram counts per bot: the budgets are
then shared through the database (storage/shared_limits.py) instead of held in this process.
SQLite deployments are one process, and keep the in-process buckets.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram._utils.types import JSONDict
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

from storage.shared_limits import Budget, SharedPace

log = logging.getLogger(__name__)

GROUP_MESSAGES_PER_MINUTE = 20
# Telegram allows about 30 a second; a little under it, so the jitter between our limiter and
# Telegram counting never tips a burst over (a 429 costs a retry_after wait).
OVERALL_MESSAGES_PER_SECOND = 28
# Shared between replicas the margin is wider: several processes' sends reach Telegram through
# different connections, so their order (and Telegram's count) jitters more than one process's.
SHARED_GROUP = Budget(per_second=18 / 60, burst=18)
SHARED_OVERALL = Budget(per_second=25, burst=25)
_COUNTED_PREFIXES = ("send", "edit", "copy", "forward")


def counts_towards_flood_limits(endpoint: str) -> bool:
    return endpoint.startswith(_COUNTED_PREFIXES)


async def _sleep(seconds: float) -> None:
    if seconds > 0:
        await asyncio.sleep(seconds)


class MessageRateLimiter(AIORateLimiter):
    def __init__(self, *, max_retries: int = 3) -> None:
        super().__init__(
            overall_max_rate=OVERALL_MESSAGES_PER_SECOND,
            group_max_rate=GROUP_MESSAGES_PER_MINUTE,
            group_time_period=60,
            max_retries=max_retries,
        )
        self._retries = max_retries
        self._shared: SharedPace | None = None

    def share(self, pace: SharedPace) -> None:
        """Pace against budgets shared with every replica (PostgreSQL), from now on."""
        self._shared = pace

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if not counts_towards_flood_limits(endpoint):
            return await callback(*args, **kwargs)
        if self._shared is not None:
            chat_id = data.get("chat_id")
            try:
                return await self._shared_request(
                    self._shared,
                    chat_id if isinstance(chat_id, int) else None,
                    callback,
                    args,
                    kwargs,
                )
            except SQLAlchemyError:
                # The database is briefly unreachable: this one message is paced in-process
                # rather than not sent at all.
                log.warning("the shared flood budget is unreachable; pacing in-process")
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )

    async def _shared_request(
        self,
        pace: SharedPace,
        chat_id: int | None,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
    ) -> bool | JSONDict | list[JSONDict]:
        for attempt in range(self._retries + 1):
            if chat_id is not None and chat_id < 0:  # a group: its own budget first
                await _sleep(await pace.reserve_group(chat_id))
            await _sleep(await pace.reserve_overall())
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as flood:
                if attempt == self._retries:
                    raise
                # Telegram counted differently (another bot token's traffic, its jitter):
                # wait as told, then take a fresh slot.
                # `_retry_after` is always a timedelta (PTB's own limiter reads it too); the
                # public `retry_after` changes type in PTB's next major version and warns.
                await asyncio.sleep(flood._retry_after.total_seconds() + 0.1)
        raise AssertionError("unreachable: the last attempt returns or raises")
