"""Telegram's limits shared by every replica, kept in PostgreSQL (issue 17).

Telegram counts per bot, not per process: with N webhook replicas each pacing itself, a group
would get N x 20 messages a minute. The replicas already share one PostgreSQL, so the shared
state lives there (no Redis to run, nothing to degrade to when it is absent), in two small
tables updated by single atomic statements:

- `send_pace`: one row per budget (a group's, the bot's), a GCRA leaky bucket. The row holds the
  bucket's "theoretical arrival time" (TAT); one conditional UPSERT both reserves the next free
  slot and returns it, so a caller learns in one round trip how long to wait, and two replicas
  reserving at once are serialised by the row lock and get different slots. No lock is held
  while waiting: the slot is reserved, not held.
- `edit_turns`: one row per group, the turn to edit its poll/meeting messages. A turn is taken
  with a conditional UPDATE (only when the last turn is at least an interval old and its lease
  has ended), which makes "at most one render in flight per group, at most one every interval"
  true across processes. Each turn bumps `render_seq`; the render checks, just before it goes to
  Telegram, that its number is still the newest (a fencing token), so a render whose lease ran
  out (a stuck process) can never replace a newer one.

Times are epoch seconds from PostgreSQL's clock_timestamp(): one clock for every replica, and
no timezone conversions. SQLite deployments are single-process and never use this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

# GCRA: the slot is max(tat, now - tolerance); the new tat is slot + step. A quiet bucket
# therefore lets `burst` requests through at once, then one per step. The group's slot is the
# earliest the global bucket may place the same request, so one message is counted by both
# at (nearly) the moment it is sent.
# GCRA: the slot is max(tat, now - tolerance) and the new tat is slot + step, so a quiet bucket
# lets `burst` requests through at once, then one per step. A group's and the bot's buckets are
# reserved one after the other, the bot's only once the group's slot has come: a message held
# back by its group must not hold a slot in the bot's budget, or every other chat would queue
# behind it.
_RESERVE = text(
    """
    INSERT INTO send_pace (bucket, tat)
    VALUES (:bucket, EXTRACT(EPOCH FROM clock_timestamp()) - :tolerance + :step)
    ON CONFLICT (bucket) DO UPDATE SET tat = GREATEST(send_pace.tat + :step, EXCLUDED.tat)
    RETURNING tat - :step - EXTRACT(EPOCH FROM clock_timestamp()) AS wait
    """
)

_TAKE_TURN = text(
    """
    INSERT INTO edit_turns (group_id, render_seq, next_at, lease_until)
    VALUES (
        :group_id,
        1,
        EXTRACT(EPOCH FROM clock_timestamp()) + :interval,
        EXTRACT(EPOCH FROM clock_timestamp()) + :lease
    )
    ON CONFLICT (group_id) DO UPDATE
        SET render_seq = edit_turns.render_seq + 1,
            next_at = EXCLUDED.next_at,
            lease_until = EXCLUDED.lease_until
        WHERE edit_turns.next_at <= EXTRACT(EPOCH FROM clock_timestamp())
            AND edit_turns.lease_until <= EXTRACT(EPOCH FROM clock_timestamp())
    RETURNING render_seq
    """
)
_TURN_FREE_IN = text(
    """
    SELECT GREATEST(next_at, lease_until) - EXTRACT(EPOCH FROM clock_timestamp())
    FROM edit_turns WHERE group_id = :group_id
    """
)
_STILL_NEWEST = text(
    """
    SELECT 1 FROM edit_turns
    WHERE group_id = :group_id AND render_seq = :seq
        AND lease_until > EXTRACT(EPOCH FROM clock_timestamp())
    """
)
# Ending a turn frees the lease but keeps next_at: the interval still counts from its start.
_END_TURN = text(
    """
    UPDATE edit_turns SET lease_until = EXTRACT(EPOCH FROM clock_timestamp())
    WHERE group_id = :group_id AND render_seq = :seq
    """
)

GLOBAL_BUCKET = "bot"


@dataclass(frozen=True, slots=True)
class Budget:
    """`per_second` steady rate with a quiet bucket letting `burst` through at once."""

    per_second: float
    burst: int

    @property
    def step(self) -> float:
        return 1.0 / self.per_second

    @property
    def tolerance(self) -> float:
        return (self.burst - 1) * self.step


class SharedPace:
    """Reserve a slot in a group's budget and the bot's; one round trip per message."""

    def __init__(self, engine: AsyncEngine, *, group: Budget, overall: Budget) -> None:
        self._engine = engine
        self.group = group
        self.overall = overall

    async def reserve_group(self, chat_id: int) -> float:
        """Seconds to wait before the group's budget has room; the slot is taken."""
        return await self._reserve(f"chat:{chat_id}", self.group)

    async def reserve_overall(self) -> float:
        """Seconds to wait before the bot's budget has room; the slot is taken."""
        return await self._reserve(GLOBAL_BUCKET, self.overall)

    async def _reserve(self, bucket: str, budget: Budget) -> float:
        # Autocommit: one statement is its own transaction, and BEGIN/COMMIT would triple the
        # round trips every message pays.
        async with self._engine.connect() as connection:
            auto = await connection.execution_options(isolation_level="AUTOCOMMIT")
            wait = await auto.scalar(
                _RESERVE, {"bucket": bucket, "tolerance": budget.tolerance, "step": budget.step}
            )
        return max(0.0, float(wait or 0.0))


class SharedEditTurns:
    """Whose turn it is to edit a group's messages, across every replica."""

    def __init__(self, engine: AsyncEngine, *, interval: float, lease: float) -> None:
        self._engine = engine
        self.interval = interval
        # Longer than any edit can take (PTB's timeouts plus the pacer's wait); a process that
        # dies mid-turn holds the group's edits for at most this long.
        self.lease = lease

    async def take(self, group_id: int) -> int | float:
        """The turn's render number (an int), or the seconds until a turn may be free (a float)."""
        async with self._engine.begin() as connection:
            seq = await connection.scalar(
                _TAKE_TURN, {"group_id": group_id, "interval": self.interval, "lease": self.lease}
            )
            if seq is not None:
                return int(seq)
            free_in = await connection.scalar(_TURN_FREE_IN, {"group_id": group_id})
        return max(0.05, float(free_in or 0.0))

    async def still_newest(self, group_id: int, seq: int) -> bool:
        async with self._engine.connect() as connection:
            row = await connection.scalar(_STILL_NEWEST, {"group_id": group_id, "seq": seq})
        return row is not None

    async def end(self, group_id: int, seq: int) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(_END_TURN, {"group_id": group_id, "seq": seq})
