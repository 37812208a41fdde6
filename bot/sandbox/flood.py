"""Telegram's flood limits, on an injectable clock.

Each limit is a leaky bucket (capacity = the burst, draining at the steady rate), the same
algorithm as the ``aiolimiter`` buckets behind PTB's ``AIORateLimiter``. That choice is
deliberate: with a plain 60-second sliding window, AIORateLimiter's 20-message burst followed
by its steady one-per-3-seconds would be refused, although real Telegram accepts it. With equal
buckets a bot using AIORateLimiter never sees a 429 here, while a bot that edits one group
message 40 times in a few seconds does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

_EPSILON = 1e-9


@dataclass(frozen=True)
class FloodLimits:
    per_group_per_minute: int = 20
    # Private chats: about one message a second, but short bursts (a reply plus a few follow-ups)
    # go through, as they do on Telegram.
    per_chat_per_second: float = 1.0
    per_chat_burst: int = 10
    global_per_second: int = 30
    enabled: bool = True


@dataclass
class _Bucket:
    capacity: float
    rate: float  # units drained per second
    level: float = 0.0
    last: float | None = None

    def _drain(self, now: float) -> None:
        if self.last is not None:
            self.level = max(0.0, self.level - (now - self.last) * self.rate)
        self.last = now

    def wait_needed(self, now: float) -> float:
        """Seconds until one more unit fits (0 when it fits now)."""
        self._drain(now)
        excess = self.level + 1 - self.capacity
        return 0.0 if excess <= _EPSILON else excess / self.rate

    def take(self) -> None:
        self.level += 1


@dataclass
class FloodControl:
    limits: FloodLimits
    clock: Callable[[], float]
    _groups: dict[int, _Bucket] = field(default_factory=dict)
    _privates: dict[int, _Bucket] = field(default_factory=dict)
    _global: _Bucket | None = None

    def check(self, chat_id: int) -> int | None:
        """Count one send/edit to ``chat_id``; return retry_after seconds when over a limit.

        A refused request consumes nothing, like a real 429.
        """
        if not self.limits.enabled:
            return None
        now = self.clock()
        buckets = [self._global_bucket()]
        if chat_id < 0:
            buckets.append(
                self._groups.setdefault(
                    chat_id,
                    _Bucket(
                        self.limits.per_group_per_minute, self.limits.per_group_per_minute / 60
                    ),
                )
            )
        else:
            buckets.append(
                self._privates.setdefault(
                    chat_id, _Bucket(self.limits.per_chat_burst, self.limits.per_chat_per_second)
                )
            )
        wait = max(b.wait_needed(now) for b in buckets)
        if wait > 0:
            return max(1, math.ceil(wait - _EPSILON))
        for bucket in buckets:
            bucket.take()
        return None

    def _global_bucket(self) -> _Bucket:
        if self._global is None:
            self._global = _Bucket(self.limits.global_per_second, self.limits.global_per_second)
        return self._global
