"""What the limits shared between replicas cost per message (issue 17), on PostgreSQL.

`python -m bench.shared_limits`: every send or edit to a group pays a reservation in the
group's bucket and the bot's (storage/shared_limits.py), every coalesced edit a turn (take,
fencing check, end). Each is timed against a bare `SELECT 1` on one asyncpg connection, the
floor any shared state in the database costs. Prints a table.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

import asyncpg

from bench.databases import asyncpg_dsn, postgres_database
from bot.rate_limits import SHARED_GROUP, SHARED_OVERALL
from storage import migrate
from storage.engine import create_engine
from storage.shared_limits import SharedEditTurns, SharedPace

CALLS = 500


async def _per_call(call: Callable[[int], Awaitable[object]]) -> tuple[float, float]:
    """Median and p99 of one call, in ms."""
    timings = []
    for n in range(CALLS):
        started = time.perf_counter()
        await call(n)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.99) - 1]


async def measure() -> list[tuple[str, float, float]]:
    async with postgres_database() as url:
        engine = create_engine(url)
        try:
            await migrate.upgrade(engine)
            bare = await asyncpg.connect(asyncpg_dsn(url))
            try:
                floor = await _per_call(lambda _: bare.fetchval("SELECT 1"))
            finally:
                await bare.close()
            pace = SharedPace(engine, group=SHARED_GROUP, overall=SHARED_OVERALL)
            turns = SharedEditTurns(engine, interval=0.0, lease=60.0)

            async def a_turn(n: int) -> None:
                seq = await turns.take(-n - 1)
                assert isinstance(seq, int)
                await turns.still_newest(-n - 1, seq)
                await turns.end(-n - 1, seq)

            return [
                ("SELECT 1, bare asyncpg (the floor)", *floor),
                (
                    "reserve in a group's bucket",
                    *await _per_call(lambda n: pace.reserve_group(-n - 1)),
                ),
                ("reserve in the bot's bucket", *await _per_call(lambda _: pace.reserve_overall())),
                ("an edit's turn (take, check, end)", *await _per_call(a_turn)),
            ]
        finally:
            await engine.dispose()


def main() -> None:
    rows = asyncio.run(measure())
    print(f"{'per call, PostgreSQL':<40} {'p50 ms':>8} {'p99 ms':>8}")
    for name, p50, p99 in rows:
        print(f"{name:<40} {p50:>8.2f} {p99:>8.2f}")


if __name__ == "__main__":
    main()
