"""Fault injection for reliability tests: the next N calls of a method fail in a chosen way."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Literal

FaultKind = Literal["429", "500", "timeout", "reset"]
_KINDS = ("429", "500", "timeout", "reset")


@dataclass(frozen=True)
class Fault:
    method: str
    kind: FaultKind
    retry_after: int = 1


class Faults:
    """Queued faults; ``method="*"`` matches every method."""

    def __init__(self) -> None:
        self._queue: deque[Fault] = deque()

    def inject(self, method: str, kind: FaultKind, times: int = 1, retry_after: int = 1) -> None:
        if kind not in _KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {_KINDS}")
        for _ in range(times):
            self._queue.append(Fault(method, kind, retry_after))

    def take(self, method: str) -> Fault | None:
        """Consume and return the first queued fault matching ``method``."""
        for fault in self._queue:
            if fault.method in (method, "*"):
                self._queue.remove(fault)
                return fault
        return None

    def pending(self) -> int:
        return len(self._queue)

    def clear(self) -> None:
        self._queue.clear()
