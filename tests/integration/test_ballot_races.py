"""Two replicas writing one person's multiple-choice ballot at the same moment (PostgreSQL):
each tick builds on the other, none is lost; one ballot stays one ballot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.domain.keyed_hash import ballot_key
from bot.domain.poll_rules import PollKind, validate_draft
from bot.domain.roles import Role
from bot.services import groups, membership, polls
from bot.services.polls import VoteStatus
from storage import migrate
from storage.engine import create_engine, create_sessionmaker
from storage.models import Ballot
from storage.uow import UnitOfWork, UnitOfWorkFactory
from tests.conftest import reset_postgres

SECRET = b"race-test-secret"
CHAT, SAM = -100123, 42


@pytest.fixture
async def uow(postgres_url: str) -> AsyncIterator[UnitOfWorkFactory]:
    await reset_postgres(postgres_url)
    engine = create_engine(postgres_url)
    await migrate.upgrade(engine)
    yield UnitOfWorkFactory(create_sessionmaker(engine))
    await engine.dispose()


async def _multiple_choice_poll(uow: UnitOfWorkFactory) -> int:
    async with uow() as u:
        group = await groups.bot_added(u, CHAT, "Group", is_forum=False, timezone="Europe/London")
        await membership.choose_role(u, SECRET, group.id, SAM, Role.CARER)
        draft = validate_draft("Which days?", ["Mon", "Tue", "Wed"], PollKind.MULTIPLE)
        poll_id = await polls.create_poll(u, group.id, draft, now=datetime.now(UTC))
        await u.commit()
    return poll_id


async def _tick(u: UnitOfWork, poll_id: int, option: int) -> VoteStatus:
    outcome = await polls.apply_vote(
        u, SECRET, poll_id=poll_id, option=option, chat_id=CHAT, user_id=SAM, now=datetime.now(UTC)
    )
    return outcome.status


async def _choices(uow: UnitOfWorkFactory, poll_id: int) -> int | None:
    async with uow() as u:
        return await u.polls.ballot_choices(poll_id, ballot_key(SECRET, poll_id, SAM))


async def _race(uow: UnitOfWorkFactory, poll_id: int, first: int, second: int) -> None:
    """`first` is written but not yet committed when `second` is judged on the other replica;
    `second` waits on the row, then must see `first` once it commits."""
    async with uow() as one, uow() as other:
        assert await _tick(one, poll_id, first) in {VoteStatus.RECORDED, VoteStatus.CHANGED}
        racing = asyncio.create_task(_tick(other, poll_id, second))
        await asyncio.sleep(0.3)  # `other` has read the old ballot and waits on the row lock
        assert not racing.done()
        await one.commit()
        assert await racing in {VoteStatus.RECORDED, VoteStatus.CHANGED}
        await other.commit()


async def test_two_first_ticks_at_once_both_stand(uow: UnitOfWorkFactory) -> None:
    poll_id = await _multiple_choice_poll(uow)
    await _race(uow, poll_id, 0, 1)
    assert await _choices(uow, poll_id) == 0b011  # Mon and Tue: neither tick lost


async def test_a_tick_racing_a_tick_on_an_existing_ballot_both_stand(
    uow: UnitOfWorkFactory,
) -> None:
    poll_id = await _multiple_choice_poll(uow)
    async with uow() as u:
        assert await _tick(u, poll_id, 0) is VoteStatus.RECORDED
        await u.commit()
    await _race(uow, poll_id, 1, 2)
    assert await _choices(uow, poll_id) == 0b111


async def test_a_press_judged_while_the_poll_closes_is_refused_not_counted_twice(
    uow: UnitOfWorkFactory,
) -> None:
    """The close unlinks the ballots; a press must not slip in under the person's old key."""
    async with uow() as u:
        group = await groups.bot_added(u, CHAT, "Group", is_forum=False, timezone="Europe/London")
        await membership.choose_role(u, SECRET, group.id, SAM, Role.CARER)
        draft = validate_draft("Tuesdays?", ["Yes", "No"])
        poll_id = await polls.create_poll(u, group.id, draft, now=datetime.now(UTC))
        await u.commit()
    async with uow() as u:
        assert await _tick(u, poll_id, 0) is VoteStatus.RECORDED
        await u.commit()
    async with uow() as closing, uow() as voting:
        assert await closing.polls.claim_close(poll_id, datetime.now(UTC))
        await closing.polls.unlink_voters(poll_id)  # the close, not yet committed
        press = asyncio.create_task(_tick(voting, poll_id, 1))
        await asyncio.sleep(0.3)
        assert not press.done(), "the press waits for the close"
        await closing.commit()
        assert await press is VoteStatus.CLOSED
        await voting.commit()
    async with uow() as u:
        rows = await u.session.scalars(select(Ballot.choices).where(Ballot.poll_id == poll_id))
        assert list(rows) == [0b01], "one ballot, the one cast while the poll was open"
