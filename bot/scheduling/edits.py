"""Coalesced edits of poll messages (DESIGN section 2: about 20 messages a minute per group).

A vote only marks its poll dirty. One job per group then edits the dirty polls, at most one
edit every EDIT_INTERVAL seconds per group, always rendering the latest tally, so a burst of
a thousand presses costs a handful of edits and the last edit shows the final state.

Per process: with several webhook replicas each keeps its own budget (see docs/PERFORMANCE).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import JobQueue

log = logging.getLogger(__name__)

# 60 s / 20 edits: one group's whole budget; other messages to the group queue behind it in
# the rate limiter, so polls never starve replies.
EDIT_INTERVAL = 3.0

Refresh = Callable[[Any, int], Awaitable[None]]


class EditCoalescer:
    def __init__(self, interval: float = EDIT_INTERVAL) -> None:
        self.interval = interval
        # group -> {(refresh, item id)}, oldest first: polls and meetings share a group's budget,
        # and a poll and a meeting with the same id are different messages.
        self._dirty: dict[int, dict[tuple[Refresh, int], None]] = {}
        self._next_at: dict[int, float] = {}
        # Groups with a flush job scheduled or running: exactly one chain per group, so a vote
        # arriving during an edit never starts a second chain that would double the rate.
        self._active: set[int] = set()

    def touch(
        self, job_queue: JobQueue[Any], group_id: int, poll_id: int, refresh: Refresh
    ) -> None:
        """Note that a message is out of date; it will be edited soon, once."""
        self._dirty.setdefault(group_id, {})[(refresh, poll_id)] = None
        if group_id not in self._active:
            self._active.add(group_id)
            self._schedule(job_queue, group_id)

    def pending(self, group_id: int) -> set[int]:
        return {item for _, item in self._dirty.get(group_id, {})}

    def forget(self, item_id: int, refresh: Refresh | None = None) -> None:
        """Drop a pending edit (e.g. a poll that is closing gets its final edit elsewhere)."""
        for waiting in self._dirty.values():
            for key in [k for k in waiting if k[1] == item_id and refresh in (None, k[0])]:
                del waiting[key]

    def _schedule(self, job_queue: JobQueue[Any], group_id: int) -> None:
        delay = max(0.0, self._next_at.get(group_id, 0.0) - time.monotonic())

        async def flush(context: Any) -> None:
            polls = self._dirty.get(group_id, {})
            if not polls:
                self._active.discard(group_id)
                return
            refresh, poll_id = next(iter(polls))
            del polls[(refresh, poll_id)]
            self._next_at[group_id] = time.monotonic() + self.interval
            try:
                await refresh(context, poll_id)
            except Exception:  # one failed edit must not stop the group's later edits
                log.exception("refreshing a poll message failed")
            if polls:
                self._schedule(job_queue, group_id)
            else:
                self._active.discard(group_id)

        # A busy loop can make a job late; a late edit is still wanted, never dropped as
        # "misfired", or the group would wait for edits forever.
        job_queue.run_once(
            flush,
            when=delay,
            name=f"message-edits:{group_id}",
            job_kwargs={"misfire_grace_time": None, "coalesce": True},
        )
