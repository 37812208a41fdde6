"""Fault injection for reliability tests: the next N calls of a method fail in a chosen way.

"429" and "500" are Telegram's error answers; "timeout" and "reset" are the network failing
before Telegram did anything. "applied-timeout" is the other timeout: Telegram did the call
(the message is delivered, the edit shown, the press answered) but its answer never came back,
so the bot sees a timeout for something that happened.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

FaultKind = Literal["429", "500", "timeout", "reset", "applied-timeout"]
_KINDS = ("429", "500", "timeout", "reset", "applied-timeout")


@dataclass(frozen=True)
class Fault:
    method: str
    kind: FaultKind
    retry_after: int = 1
    chat_id: int | None = None  # only calls to this chat; None = any call of the method

    def matches(self, method: str, params: Mapping[str, Any]) -> bool:
        if self.method not in (method, "*"):
            return False
        return self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)


class Faults:
    """Queued faults; ``method="*"`` matches every method."""

    def __init__(self) -> None:
        self._queue: deque[Fault] = deque()

    def inject(
        self,
        method: str,
        kind: FaultKind,
        times: int = 1,
        retry_after: int = 1,
        *,
        chat_id: int | None = None,
    ) -> None:
        if kind not in _KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {_KINDS}")
        for _ in range(times):
            self._queue.append(Fault(method, kind, retry_after, chat_id))

    def take(self, method: str, params: Mapping[str, Any] | None = None) -> Fault | None:
        """Consume and return the first queued fault matching ``method`` (and its chat)."""
        for fault in self._queue:
            if fault.matches(method, params or {}):
                self._queue.remove(fault)
                return fault
        return None

    def pending(self) -> int:
        return len(self._queue)

    def clear(self) -> None:
        self._queue.clear()
