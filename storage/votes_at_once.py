"""PostgreSQL: a single-answer vote in two round trips instead of four (issue 17, point 2).

A press alone in a transaction costs four round trips: BEGIN, its claim and read, the upsert,
COMMIT. Here, on a connection of its own where each statement is its own transaction:
1. the ballot context is read (no lock: nothing is decided by this read alone);
2. ONE statement claims the update and writes the ballot only if the poll is still open,
   holding the poll row FOR SHARE while it writes (as the transactional read does), so a
   close in progress is waited for and a closed poll gets nothing:

       WITH claim AS (INSERT INTO processed_updates ... ON CONFLICT DO NOTHING RETURNING 1),
            open_poll AS (SELECT id FROM polls WHERE id = ... AND status = 'open' ... FOR SHARE),
            put AS (INSERT INTO ballots ... SELECT ... FROM open_poll
                    WHERE EXISTS (SELECT 1 FROM claim) ON CONFLICT ... DO UPDATE ...)
       SELECT (SELECT count(*) FROM claim), (SELECT count(*) FROM put)

The claim and the ballot are one statement, so they stand or fall together, as in the
transaction. Only what a single-answer vote writes goes this way (the last press wins, as the
upsert in a transaction does); a multiple-choice tick (compare and set) and a withdrawal take
the transactional path (bot/services/polls.py decides, from the read).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.repositories.polls import BallotContext, ballot_context_unlocked
from storage.repositories.processed_updates import UpdateClaim
from storage.types import UTCDateTime, random_id

_CLAIM = text(
    "INSERT INTO processed_updates (bot_id, update_id, seen_at) "
    "VALUES (:bot_id, :update_id, :seen_at) ON CONFLICT (bot_id, update_id) DO NOTHING"
).bindparams(bindparam("seen_at", type_=UTCDateTime()))

_VOTE = text(
    """
    WITH claim AS (
        INSERT INTO processed_updates (bot_id, update_id, seen_at)
        VALUES (:bot_id, :update_id, :seen_at)
        ON CONFLICT (bot_id, update_id) DO NOTHING
        RETURNING 1
    ), open_poll AS (
        SELECT id FROM polls
        WHERE id = :poll_id AND status = 'open' AND (deadline IS NULL OR deadline > :now)
        FOR SHARE
    ), put AS (
        INSERT INTO ballots (id, poll_id, ballot_key, role, choices)
        SELECT :id, open_poll.id, :ballot_key, :role, :choices FROM open_poll
        WHERE EXISTS (SELECT 1 FROM claim)
        ON CONFLICT (poll_id, ballot_key) DO UPDATE SET choices = excluded.choices
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM claim), (SELECT count(*) FROM put)
    """
).bindparams(bindparam("seen_at", type_=UTCDateTime()), bindparam("now", type_=UTCDateTime()))


class VotesAtOnce:
    """The three statements, on one autocommitted connection."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def context(
        self, poll_id: int, ballot_key: str, member_key: str | None
    ) -> BallotContext | None:
        return await ballot_context_unlocked(self._connection, poll_id, ballot_key, member_key)

    async def claim(self, claim: UpdateClaim) -> bool:
        """Only the claim (a press that writes nothing): False when made before."""
        result = await self._connection.execute(_CLAIM, _claim_params(claim))
        return int(getattr(result, "rowcount", 0)) == 1

    async def vote(
        self,
        claim: UpdateClaim,
        *,
        poll_id: int,
        ballot_key: str,
        role: str,
        choices: int,
        now: datetime,
    ) -> tuple[bool, bool]:
        """(claimed now, written): written only when claimed now and the poll is still open."""
        params = _claim_params(claim) | {
            "poll_id": poll_id,
            "now": now,
            "id": random_id(),
            "ballot_key": ballot_key,
            "role": role,
            "choices": choices,
        }
        claimed, written = (await self._connection.execute(_VOTE, params)).one()
        return bool(claimed), bool(written)


@asynccontextmanager
async def votes_at_once(engine: AsyncEngine) -> AsyncIterator[VotesAtOnce | None]:
    """A connection where each statement commits by itself; None where this path does not
    apply (SQLite: one process, and its presses are one hand-off each already)."""
    if engine.dialect.name != "postgresql":
        yield None
        return
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        yield VotesAtOnce(connection)


def _claim_params(claim: UpdateClaim) -> dict[str, Any]:
    return {"bot_id": claim.bot_id, "update_id": claim.update_id, "seen_at": claim.seen_at}
