"""A batch of presses written together (bot/services/ballot_presses.py) ends exactly where the
same presses written one by one, each in its own transaction, end: the same answer to every
press and the same ballots. Random presses: votes, bad options, withdrawals, second
deliveries, people without a role, forwarded copies, a closed poll, a poll that is not there.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.domain.keyed_hash import ballot_key
from bot.domain.poll_rules import PollKind, validate_draft
from bot.domain.roles import Role
from bot.services import groups, membership, polls, replays
from bot.services.ballot_batch import BallotBatcher
from bot.services.ballot_presses import BallotPress, BatchConflictError, apply_presses
from bot.services.polls import VoteOutcome, VoteStatus
from storage import migrate
from storage.engine import create_engine, create_sessionmaker
from storage.models import Ballot
from storage.uow import UnitOfWork, UnitOfWorkFactory
from storage.votes_at_once import VotesAtOnce

SECRET = b"batch-test-secret"
PEOPLE = {1: Role.SERVICE_USER, 2: Role.SERVICE_USER, 3: Role.CARER, 4: Role.STAFF, 5: Role.STAFF}
STRANGER = 9  # pressed, never chose a role
NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)


@pytest.fixture
async def uow(db_url: str) -> AsyncIterator[UnitOfWorkFactory]:
    engine = create_engine(db_url)
    await migrate.upgrade(engine)
    yield UnitOfWorkFactory(create_sessionmaker(engine))
    await engine.dispose()


async def _circle(uow: UnitOfWorkFactory, chat_id: int) -> list[int]:
    """A group with its people and three polls: single answer, multiple (at most 2), closed."""
    async with uow() as u:
        group = await groups.bot_added(u, chat_id, "Group", is_forum=False, timezone="UTC")
        for person, role in PEOPLE.items():
            await membership.choose_role(u, SECRET, group.id, person, role)
        single = validate_draft("Where?", ["Library", "Café", "Online"])
        multiple = validate_draft("Which?", ["Food", "Sleep", "Art", "Walks"], PollKind.MULTIPLE, 2)
        ids = [await polls.create_poll(u, group.id, d, now=NOW) for d in (single, multiple, single)]
        await u.commit()
    async with uow() as u:
        assert await u.polls.claim_close(ids[2], NOW)
        await u.commit()
    return ids


def _presses(
    rng: random.Random, bot_id: int, chat_id: int, poll_ids: list[int]
) -> list[BallotPress]:
    presses: list[BallotPress] = []
    for update_id in range(1, 90):
        if presses and rng.random() < 0.08:  # Telegram sends one again
            presses.append(replace(rng.choice(presses), chat_id=chat_id))
            continue
        poll = rng.choice([*poll_ids[:2], poll_ids[0], poll_ids[1], poll_ids[2], 999_999])
        person = rng.choice([*PEOPLE, *PEOPLE, STRANGER])
        option = None if rng.random() < 0.12 else rng.choice([0, 1, 2, 3, 7])
        where = chat_id if rng.random() < 0.95 else chat_id + 1  # a forwarded copy
        presses.append(BallotPress(bot_id, update_id, poll, where, person, option))
    return presses


async def _alone(u: UnitOfWork, press: BallotPress) -> VoteOutcome:
    """The path a press takes when nothing else is in flight (PostgreSQL's claim)."""
    if not await replays.first_delivery(u, press.bot_id, press.update_id, NOW):
        return VoteOutcome(VoteStatus.REPLAYED, press.poll_id)
    poll_id, chat_id, user_id = press.poll_id, press.chat_id, press.user_id
    if press.option is None:
        return await polls.apply_withdrawal(
            u, SECRET, poll_id=poll_id, chat_id=chat_id, user_id=user_id, now=NOW
        )
    return await polls.apply_vote(
        u, SECRET, poll_id=poll_id, option=press.option, chat_id=chat_id, user_id=user_id, now=NOW
    )


async def _as_handled(u: UnitOfWork, press: BallotPress) -> VoteOutcome:
    """The path the handler takes for a press alone: the claim goes with the read (SQLite:
    the statement before it; PostgreSQL: single-answer votes in two round trips,
    storage/votes_at_once.py, the rest in the same statement as the read)."""
    claim = replays.UpdateClaim(press.bot_id, press.update_id, NOW)
    poll_id, chat_id, user_id = press.poll_id, press.chat_id, press.user_id
    if press.option is None:
        return await polls.apply_withdrawal(
            u, SECRET, poll_id=poll_id, chat_id=chat_id, user_id=user_id, now=NOW, claim=claim
        )
    return await polls.apply_vote(
        u,
        SECRET,
        poll_id=poll_id,
        option=press.option,
        chat_id=chat_id,
        user_id=user_id,
        now=NOW,
        claim=claim,
    )


def _seen(outcome: VoteOutcome) -> tuple[object, ...]:
    """What the presser is told, without the ids that differ between the two groups."""
    return (outcome.status, outcome.chosen, outcome.kind, outcome.max_choices, outcome.notice)


async def _ballots(uow: UnitOfWorkFactory, poll_ids: list[int]) -> list[dict[int, tuple[str, int]]]:
    found: list[dict[int, tuple[str, int]]] = []
    async with uow() as u:
        for poll_id in poll_ids:
            rows = await u.session.execute(
                select(Ballot.ballot_key, Ballot.role, Ballot.choices).where(
                    Ballot.poll_id == poll_id
                )
            )
            by_key = {key: (role, choices) for key, role, choices in rows}
            found.append(
                {
                    person: by_key[ballot_key(SECRET, poll_id, person)]
                    for person in [*PEOPLE, STRANGER]
                    if ballot_key(SECRET, poll_id, person) in by_key
                }
            )
    return found


@pytest.mark.parametrize("seed", range(6))
async def test_a_batch_ends_where_the_same_presses_one_by_one_end(
    uow: UnitOfWorkFactory, seed: int, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at_once: list[int] = []
    real_vote = VotesAtOnce.vote

    async def counted_vote(self: VotesAtOnce, *args: Any, **kwargs: Any) -> tuple[bool, bool]:
        at_once.append(1)
        return await real_vote(self, *args, **kwargs)

    monkeypatch.setattr(VotesAtOnce, "vote", counted_vote)
    rng = random.Random(seed)
    one_by_one, together = await _circle(uow, -1001), await _circle(uow, -2001)
    presses = _presses(rng, 1, -1001, one_by_one)
    alone: list[VoteOutcome] = []
    for press in presses:
        async with uow() as u:
            alone.append(await _alone(u, press))
            await u.commit()
    # The same presses on the other group, in batches of random sizes, one transaction each.
    mirrored = dict(zip(one_by_one, together, strict=True))
    batched_presses = [
        replace(p, bot_id=2, chat_id=p.chat_id - 1000, poll_id=mirrored.get(p.poll_id, p.poll_id))
        for p in presses
    ]
    batched: list[VoteOutcome] = []
    start = 0
    while start < len(batched_presses):
        size = rng.randint(1, 40)
        async with uow() as u:
            batched += await apply_presses(u, SECRET, batched_presses[start : start + size], NOW)
            await u.commit()
        start += size
    assert [_seen(o) for o in batched] == [_seen(o) for o in alone]
    assert await _ballots(uow, together) == await _ballots(uow, one_by_one)
    # And as the handler writes a press alone, its claim riding with its read.
    handled_polls = await _circle(uow, -3001)
    mirrored = dict(zip(one_by_one, handled_polls, strict=True))
    handled: list[VoteOutcome] = []
    for p in presses:
        press = replace(
            p, bot_id=3, chat_id=p.chat_id - 2000, poll_id=mirrored.get(p.poll_id, p.poll_id)
        )
        async with uow() as u:
            handled.append(await _as_handled(u, press))
            await u.commit()
    # One difference, by design: a second delivery of a press on a poll that is not there is
    # told "not there" again rather than nothing (its claim rides in a read that found no
    # row, so whether it was the first cannot be read back; nothing is written either way).
    unknown_replays = [
        o.status is VoteStatus.UNKNOWN and a.status is VoteStatus.REPLAYED
        for o, a in zip(handled, alone, strict=True)
    ]
    assert [
        _seen(a) if gone else _seen(o)
        for o, a, gone in zip(handled, alone, unknown_replays, strict=True)
    ] == [_seen(o) for o in alone]
    assert all(
        a.poll_id not in mirrored for a, gone in zip(alone, unknown_replays, strict=True) if gone
    )
    assert await _ballots(uow, handled_polls) == await _ballots(uow, one_by_one)
    # On PostgreSQL most single-answer votes took the two-round-trip way.
    assert (len(at_once) >= 5) is db_url.startswith("postgresql"), len(at_once)
    statuses = {o.status for o in alone}
    assert {VoteStatus.RECORDED, VoteStatus.CHANGED, VoteStatus.REPLAYED} <= statuses  # exercised


async def test_a_batch_of_presses_goes_through_the_batcher_as_one_write(
    uow: UnitOfWorkFactory,
) -> None:
    """Presses queued behind one in flight are written by ONE call of the bulk writer."""
    single, multiple, _ = await _circle(uow, -1001)
    calls: list[int] = []

    async def bulk(u: UnitOfWork, presses: list[BallotPress]) -> list[VoteOutcome]:
        calls.append(len(presses))
        return await apply_presses(u, SECRET, presses, NOW)

    batcher = BallotBatcher(uow, bulk=bulk)
    presses = [
        BallotPress(1, n, poll, -1001, person, n % 3)
        for n, (poll, person) in enumerate(
            [(p, person) for p in (single, multiple) for person in PEOPLE], start=1
        )
    ]

    async def one(press: BallotPress) -> VoteOutcome:
        async def work(u: UnitOfWork) -> VoteOutcome:
            return await _alone(u, press)

        return await batcher.apply(work, (press.poll_id, press.user_id, press.update_id), press)

    outcomes = await asyncio.gather(*(one(press) for press in presses))
    await batcher.close()
    assert calls == [len(presses) - 1], "the first press went alone, the rest in one batch"
    assert [o.status for o in outcomes] == [VoteStatus.RECORDED] * len(presses)
    assert [len(b) for b in await _ballots(uow, [single, multiple])] == [len(PEOPLE)] * 2


@pytest.mark.postgres
async def test_a_ballot_written_by_another_replica_meanwhile_sends_the_batch_press_by_press(
    postgres_url: str,
) -> None:
    """Another replica writes a ballot this batch read as absent: the batch stands back (it
    raises), the batcher writes each press alone, and both replicas' ticks stand."""
    from tests.conftest import reset_postgres

    await reset_postgres(postgres_url)
    engine = create_engine(postgres_url)
    await migrate.upgrade(engine)
    factory = UnitOfWorkFactory(create_sessionmaker(engine))
    try:
        _, multiple, _ = await _circle(factory, -1001)
        raced: list[int] = []

        async def racing_bulk(u: UnitOfWork, presses: list[BallotPress]) -> list[VoteOutcome]:
            read = u.polls.ballots_of

            async def read_then_race(keys: Sequence[tuple[int, str]]) -> dict[tuple[int, str], int]:
                found = await read(keys)
                if not raced:  # committed after this batch read no ballot for person 2
                    raced.append(1)
                    async with factory() as other:
                        await polls.apply_vote(
                            other,
                            SECRET,
                            poll_id=multiple,
                            option=3,
                            chat_id=-1001,
                            user_id=2,
                            now=NOW,
                        )
                        await other.commit()
                return found

            u.polls.ballots_of = read_then_race  # type: ignore[method-assign]
            try:
                return await apply_presses(u, SECRET, presses, NOW)
            except BatchConflictError:
                conflicts.append(len(presses))
                raise

        conflicts: list[int] = []
        batcher = BallotBatcher(factory, bulk=racing_bulk)
        presses = [BallotPress(1, n, multiple, -1001, n, 0) for n in (1, 2, 3)]

        async def one(press: BallotPress) -> VoteOutcome:
            async def work(u: UnitOfWork) -> VoteOutcome:
                return await _alone(u, press)

            return await batcher.apply(work, (press.poll_id, press.user_id, press.update_id), press)

        outcomes = await asyncio.gather(*(one(press) for press in presses))
        await batcher.close()
        assert conflicts == [2], "the batch of two stood back"
        assert [o.status for o in outcomes] == [
            VoteStatus.RECORDED,
            VoteStatus.CHANGED,
            VoteStatus.RECORDED,
        ]
        ballots = (await _ballots(factory, [multiple]))[0]
        assert ballots[2][1] == 0b1001, "Food (this batch) and Walks (the other replica)"
        assert ballots[1][1] == ballots[3][1] == 0b0001
    finally:
        await engine.dispose()


async def test_a_press_while_the_poll_closes_is_refused_not_counted(
    uow: UnitOfWorkFactory,
) -> None:
    """The close holds the database (SQLite's writer lock, PostgreSQL's poll row): the press's
    claim, made before its read, waits for the close, and the press is then judged closed. A
    press read as open and written after the close would change a result already announced
    (and, on a second close, whose keys are unlinked at once, count a second ballot)."""
    single, _, _ = await _circle(uow, -1001)
    async with uow() as u:
        assert (await _alone(u, BallotPress(1, 1, single, -1001, 1, 0))).status is (
            VoteStatus.RECORDED
        )
        await u.commit()
    async with uow() as closing, uow() as voting:
        assert await closing.polls.claim_close(single, NOW)
        await closing.polls.unlink_voters(single)  # a second close: the keys go at once
        claim = replays.UpdateClaim(1, 2, NOW)
        press = asyncio.create_task(
            polls.apply_vote(
                voting,
                SECRET,
                poll_id=single,
                option=1,
                chat_id=-1001,
                user_id=1,
                now=NOW,
                claim=claim,
            )
        )
        await asyncio.sleep(0.3)
        assert not press.done(), "the press waits for the close"
        await closing.commit()
        assert (await press).status is VoteStatus.CLOSED
        await voting.commit()
    async with uow() as u:
        rows = await u.session.scalars(select(Ballot.choices).where(Ballot.poll_id == single))
        assert list(rows) == [0b001], "one ballot, the one cast while the poll was open"
