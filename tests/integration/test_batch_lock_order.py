"""Two replicas' ballot batches on one PostgreSQL take their row locks in one order.

Each replica writes the presses in flight together in one transaction
(bot/services/ballot_batch.py). When two replicas' batches hold presses of the same people, in
opposite orders (as they arrived at each), the second batch must wait for the first, not
deadlock: PostgreSQL would abort one of them, and its presses would be written again one by
one, a transaction each, just when the bot is busiest.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.domain.poll_rules import validate_draft
from bot.domain.roles import Role
from bot.services import groups, membership, polls
from bot.services.ballot_batch import BallotBatcher
from bot.services.polls import VoteStatus
from storage import migrate
from storage.engine import create_engine, create_sessionmaker
from storage.models import Ballot
from storage.uow import UnitOfWork, UnitOfWorkFactory
from tests.conftest import reset_postgres

SECRET = b"lock-order-test-secret"
CHAT = -100777
PEOPLE = list(range(1, 7))
HOLD = 0.05  # each press keeps its transaction open a moment, so the two batches overlap
COUNTED = {VoteStatus.RECORDED, VoteStatus.CHANGED, VoteStatus.UNCHANGED}


@pytest.fixture
async def replicas(postgres_url: str) -> AsyncIterator[tuple[UnitOfWorkFactory, ...]]:
    """Two replicas: an engine (its own connection pool) each, on one database."""
    await reset_postgres(postgres_url)
    engines = [create_engine(postgres_url) for _ in range(2)]
    await migrate.upgrade(engines[0])
    yield tuple(UnitOfWorkFactory(create_sessionmaker(engine)) for engine in engines)
    for engine in engines:
        await engine.dispose()


async def _poll_with_people(uow: UnitOfWorkFactory) -> int:
    async with uow() as u:
        group = await groups.bot_added(u, CHAT, "Group", is_forum=False, timezone="Europe/London")
        for person in PEOPLE:
            await membership.choose_role(u, SECRET, group.id, person, Role.CARER)
        draft = validate_draft("Tuesdays?", ["Yes", "No"])
        poll_id = await polls.create_poll(u, group.id, draft, now=datetime.now(UTC))
        await u.commit()
    return poll_id


def _press(poll_id: int, person: int, option: int) -> Callable[[UnitOfWork], Awaitable[VoteStatus]]:
    async def write(uow: UnitOfWork) -> VoteStatus:
        outcome = await polls.apply_vote(
            uow,
            SECRET,
            poll_id=poll_id,
            option=option,
            chat_id=CHAT,
            user_id=person,
            now=datetime.now(UTC),
        )
        await asyncio.sleep(HOLD)  # the ballot's row lock is held meanwhile
        return outcome.status

    return write


async def _both_batches(
    batchers: list[BallotBatcher], poll_id: int, round_: int, *, ordered: bool
) -> list[VoteStatus]:
    """One batch on each replica: the same people's presses, in opposite arrival orders."""
    go = asyncio.Event()

    async def wait(uow: UnitOfWork) -> None:
        await go.wait()

    held = [asyncio.create_task(batcher.apply(wait)) for batcher in batchers]
    await asyncio.sleep(0)  # each replica writes its `wait` alone: the presses queue behind
    presses = []
    for replica, batcher in enumerate(batchers):
        option = (round_ + replica) % 2  # the two replicas press different options
        arrival = PEOPLE if replica == 0 else PEOPLE[::-1]
        for person in arrival:
            order = (poll_id, person, round_) if ordered else ()
            presses.append(
                asyncio.create_task(batcher.apply(_press(poll_id, person, option), order))
            )
    await asyncio.sleep(0)
    go.set()
    await asyncio.gather(*held)
    return list(await asyncio.gather(*presses))


async def _rounds(
    replicas: tuple[UnitOfWorkFactory, ...],
    caplog: pytest.LogCaptureFixture,
    rounds: int,
    *,
    ordered: bool,
) -> tuple[int, list[str]]:
    """`rounds` pairs of batches; the poll, and the batches that failed as a whole."""
    caplog.set_level(logging.WARNING, logger="bot.services.ballot_batch")
    poll_id = await _poll_with_people(replicas[0])
    batchers = [BallotBatcher(uow) for uow in replicas]
    for round_ in range(rounds):
        statuses = await _both_batches(batchers, poll_id, round_, ordered=ordered)
        assert set(statuses) <= COUNTED, "every press counted (alone, if its batch failed)"
    for batcher in batchers:
        await batcher.close()
    failed = [r.getMessage() for r in caplog.records if "writing each alone" in r.getMessage()]
    return poll_id, failed


async def test_batches_in_opposite_orders_never_deadlock(
    replicas: tuple[UnitOfWorkFactory, ...], caplog: pytest.LogCaptureFixture
) -> None:
    poll_id, failed = await _rounds(replicas, caplog, 12, ordered=True)
    assert failed == [], "a batch failed: its presses were written one by one"
    async with replicas[0]() as u:
        count = await u.session.scalar(
            select(func.count()).select_from(Ballot).where(Ballot.poll_id == poll_id)
        )
    assert count == len(PEOPLE), "one ballot per person"


async def test_without_the_order_the_same_batches_deadlock(
    replicas: tuple[UnitOfWorkFactory, ...], caplog: pytest.LogCaptureFixture
) -> None:
    """The check above can fail: in arrival order these batches do deadlock (PostgreSQL
    aborts one, whose presses are then written one by one; every press is still counted)."""
    _, failed = await _rounds(replicas, caplog, 3, ordered=False)
    assert any("DeadlockDetected" in message for message in failed)
