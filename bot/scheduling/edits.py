"""Coalesced edits of poll messages (DESIGN section 2: about 20 messages a minute per group).

A vote only marks its poll dirty. One job per group then edits the dirty polls, at most one
edit every EDIT_INTERVAL seconds per group, always rendering the latest tally, so a burst of
a thousand presses costs a handful of edits and the last edit shows the final state.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import Job, JobQueue

# 60 s / 20 edits: one group's whole budget; other messages to the group queue behind it in
# the rate limiter, so polls never starve replies.
EDIT_INTERVAL = 3.0

Refresh = Callable[[Any, int], Awaitable[None]]


class EditCoalescer:
    def __init__(self, interval: float = EDIT_INTERVAL) -> None:
        self.interval = interval
        self._dirty: dict[int, dict[int, None]] = {}  # group -> polls, oldest first
        self._next_at: dict[int, float] = {}
        self._scheduled: set[int] = set()

    def touch(
        self, job_queue: JobQueue[Any], group_id: int, poll_id: int, refresh: Refresh
    ) -> None:
        """Note that a poll's message is out of date; it will be edited soon, once."""
        self._dirty.setdefault(group_id, {})[poll_id] = None
        if group_id not in self._scheduled:
            self._schedule(job_queue, group_id, refresh)

    def pending(self, group_id: int) -> set[int]:
        return set(self._dirty.get(group_id, {}))

    def forget(self, poll_id: int) -> None:
        """A poll that is closing gets its final edit elsewhere."""
        for polls in self._dirty.values():
            polls.pop(poll_id, None)

    def _schedule(self, job_queue: JobQueue[Any], group_id: int, refresh: Refresh) -> None:
        delay = max(0.0, self._next_at.get(group_id, 0.0) - time.monotonic())
        self._scheduled.add(group_id)

        async def flush(context: Any) -> None:
            self._scheduled.discard(group_id)
            polls = self._dirty.get(group_id, {})
            if not polls:
                return
            poll_id = next(iter(polls))
            del polls[poll_id]
            self._next_at[group_id] = time.monotonic() + self.interval
            try:
                await refresh(context, poll_id)
            finally:
                if polls:
                    self._schedule(job_queue, group_id, refresh)

        job: Job[Any] = job_queue.run_once(flush, when=delay, name=f"poll-edits:{group_id}")
        del job
