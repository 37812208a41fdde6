"""Coalesced edits of poll messages (DESIGN section 2: about 20 messages a minute per group).

A vote only marks its poll dirty. One job per group then edits the dirty polls, at most one
edit every EDIT_INTERVAL seconds per group, always rendering the latest tally, so a burst of
a thousand presses costs a handful of edits and the last edit shows the final state.

On PostgreSQL several replicas may take presses for one group, and Telegram counts per bot:
each edit then first takes the group's turn in the database (storage/shared_limits.py), a
conditional UPDATE that lets one render of the group's messages be in flight at a time and at
most one start every EDIT_INTERVAL across all replicas. Each process still keeps its own dirty
set: the replica that took a vote renders after committing it, so the final state is always
shown. The turn's number travels with the render (a context variable, so the refresh functions
need not know) and `render_is_current` checks it just before the edit leaves: a render whose
lease ran out is never sent over a newer one. SQLite is one process and needs no turns.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram.ext import JobQueue

from storage.shared_limits import SharedEditTurns

log = logging.getLogger(__name__)

# 60 s / 20 edits: one group's whole budget; other messages to the group queue behind it in
# the rate limiter, so polls never starve replies.
EDIT_INTERVAL = 3.0

# Longer than any edit takes, the pacer's waits and PTB's retries included; a replica that dies
# mid-turn holds its group's edits this long at most.
TURN_LEASE = 60.0

Refresh = Callable[[Any, int], Awaitable[None]]

# The turn the running render holds: (the turns, the group, its render number).
_turn: ContextVar[tuple[SharedEditTurns, int, int] | None] = ContextVar("edit_turn", default=None)


async def render_is_current() -> bool:
    """False when a newer render of this group has begun since this one took its turn (its
    lease ran out): sending this one could replace newer content with older."""
    held = _turn.get()
    if held is None:
        return True
    turns, group_id, seq = held
    try:
        return await turns.still_newest(group_id, seq)
    except SQLAlchemyError:
        return True  # the database is away: an edit now beats none (per-process pacing)


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
        # Set on PostgreSQL (bot/app.py): edits then take turns with the other replicas.
        self.turns: SharedEditTurns | None = None

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

    async def _take_turn(self, group_id: int) -> int | float | None:
        """The render number (shared turns), seconds to wait (not our turn), or None (this
        process paces alone: SQLite, or the database is briefly away)."""
        if self.turns is None:
            return None
        try:
            return await self.turns.take(group_id)
        except SQLAlchemyError:
            log.warning("edit turns are unreachable; pacing this group's edits in-process")
            return None

    async def _end_turn(self, group_id: int, seq: int) -> None:
        if self.turns is None:
            return
        try:
            await self.turns.end(group_id, seq)
        except SQLAlchemyError:  # the lease runs out by itself
            log.warning("could not end an edit turn; it expires in %.0f s", TURN_LEASE)

    def _schedule(self, job_queue: JobQueue[Any], group_id: int) -> None:
        delay = max(0.0, self._next_at.get(group_id, 0.0) - time.monotonic())

        async def flush(context: Any) -> None:
            polls = self._dirty.get(group_id, {})
            if not polls:
                self._active.discard(group_id)
                return
            seq = await self._take_turn(group_id)
            if isinstance(seq, float):  # another replica's turn: ours comes when it ends
                self._next_at[group_id] = time.monotonic() + seq
                self._schedule(job_queue, group_id)
                return
            refresh, poll_id = next(iter(polls))
            del polls[(refresh, poll_id)]
            self._next_at[group_id] = time.monotonic() + self.interval
            held = None if seq is None or self.turns is None else (self.turns, group_id, seq)
            marker = _turn.set(held)
            try:
                await refresh(context, poll_id)
            except Exception:  # one failed edit must not stop the group's later edits
                log.exception("refreshing a poll message failed")
            finally:
                _turn.reset(marker)
                if held is not None:
                    await self._end_turn(group_id, held[2])
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
