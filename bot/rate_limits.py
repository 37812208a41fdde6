"""Telegram's flood limits, applied only to what Telegram counts.

PTB's AIORateLimiter puts every request that names a group chat through that group's
20-a-minute budget, reads included: twenty people joining (two getChatMember calls each)
would then hold every message to the group for minutes. Telegram counts messages and edits,
so only those wait; reads and callback answers (which must be quick: a person is looking at
a spinning button) go straight through.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram._utils.types import JSONDict
from telegram.ext import AIORateLimiter

GROUP_MESSAGES_PER_MINUTE = 20
# Telegram allows about 30 a second; a little under it, so the jitter between our limiter and
# Telegram counting never tips a burst over (a 429 costs a retry_after wait).
OVERALL_MESSAGES_PER_SECOND = 28
_COUNTED_PREFIXES = ("send", "edit", "copy", "forward")


def counts_towards_flood_limits(endpoint: str) -> bool:
    return endpoint.startswith(_COUNTED_PREFIXES)


class MessageRateLimiter(AIORateLimiter):
    def __init__(self, *, max_retries: int = 3) -> None:
        super().__init__(
            overall_max_rate=OVERALL_MESSAGES_PER_SECOND,
            group_max_rate=GROUP_MESSAGES_PER_MINUTE,
            group_time_period=60,
            max_retries=max_retries,
        )

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
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
