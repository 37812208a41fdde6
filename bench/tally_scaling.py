"""Issue 7, point 3: the results of polls with 10k, 100k and 1M ballots.

The ballots are bulk-loaded (sqlite3 executemany on SQLite, COPY on PostgreSQL) with random
roles and choices, all polls in one table as in a real deployment; then `snapshot()`, what
every view renders from (poll, group and ONE aggregate query), is timed.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass

import asyncpg
from sqlalchemy.engine import make_url

from bench.databases import asyncpg_dsn
from bot.clock import now
from bot.domain.poll_rules import PollDraft, PollKind, Visibility
from bot.domain.roles import ROLES
from bot.services import polls
from storage import migrate
from storage.engine import create_engine, create_sessionmaker
from storage.uow import UnitOfWork, UnitOfWorkFactory

OPTIONS = ("Alpha", "Beta", "Gamma", "Delta")
REPEATS = 7


@dataclass(frozen=True, slots=True)
class TallyTiming:
    backend: str
    ballots: int
    median_ms: float
    voters_counted: int


def _ballots(poll_id: int, count: int, seed: int) -> Iterator[tuple[int, int, str, str, int]]:
    rng = random.Random(seed)
    roles = [role.value for role in ROLES]
    for n in range(count):
        # A random id, as the bot writes (storage/types.py::random_id): PostgreSQL has no
        # default for it, so a row without one is refused.
        ballot_id = rng.randrange(1, 2**63)
        yield ballot_id, poll_id, f"{poll_id:08x}{n:056x}", rng.choice(roles), 1 << rng.randrange(4)


async def _load(url: str, poll_id: int, count: int) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        connection = sqlite3.connect(str(parsed.database))
        try:
            connection.executemany(
                "INSERT INTO ballots (id, poll_id, ballot_key, role, choices) "
                "VALUES (?, ?, ?, ?, ?)",
                _ballots(poll_id, count, seed=poll_id),
            )
            connection.commit()
            connection.execute("ANALYZE")
        finally:
            connection.close()
        return
    pg = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await pg.copy_records_to_table(
            "ballots",
            records=_ballots(poll_id, count, seed=poll_id),
            columns=["id", "poll_id", "ballot_key", "role", "choices"],
        )
        # What autovacuum would do soon after: statistics and the visibility map, so the
        # planner may use an index-only scan.
        await pg.execute("VACUUM ANALYZE ballots")
    finally:
        await pg.close()


async def _timed_snapshot(uows: UnitOfWorkFactory, poll_id: int) -> tuple[float, int]:
    durations = []
    voters = 0
    for _ in range(REPEATS + 1):  # the first is a warm-up
        start = time.perf_counter()
        async with uows() as uow:
            snap = await polls.snapshot(uow, poll_id, min_cell=3)
        durations.append(time.perf_counter() - start)
        assert snap is not None
        voters = snap.total_voters
    return statistics.median(durations[1:]) * 1000, voters


async def _new_poll(uow: UnitOfWork, group_id: int, size: int) -> int:
    draft = PollDraft(
        question=f"{size} ballots",
        options=OPTIONS,
        kind=PollKind.SINGLE,
        max_choices=1,
        visibility=Visibility.AFTER_CLOSE,
    )
    return await polls.create_poll(uow, group_id, draft, now=now())


async def tally_scaling(backend: str, url: str, sizes: tuple[int, ...]) -> list[TallyTiming]:
    engine = create_engine(url)
    try:
        if backend == "sqlite":
            await migrate.upgrade(engine)
        uows = UnitOfWorkFactory(create_sessionmaker(engine))
        async with uows() as uow:
            group = await uow.groups.ensure(-100123, "Tally", is_forum=False, timezone="UTC")
            await uow.commit()
            group_id = group.id
        poll_ids = {}
        for size in sizes:
            async with uows() as uow:
                poll_ids[size] = await _new_poll(uow, group_id, size)
        for size in sizes:
            await _load(url, poll_ids[size], size)
        await engine.dispose()  # fresh connections see the new statistics
        timings = []
        for size in sizes:
            median_ms, voters = await _timed_snapshot(uows, poll_ids[size])
            timings.append(TallyTiming(backend, size, median_ms, voters))
        return timings
    finally:
        await engine.dispose()
