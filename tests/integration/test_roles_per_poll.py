"""Roles fixed per poll, in the database (SQLite and PostgreSQL): a ballot keeps the role it
was first cast under, whatever a later press says, and a change of role waits for the polls
open when it was made."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.domain.keyed_hash import ballot_key, member_key
from bot.domain.poll_rules import PollKind, validate_draft
from bot.domain.role_changes import ChangeKind
from bot.domain.roles import Role
from bot.services import groups, membership, polls
from storage.models import Ballot
from storage.uow import UnitOfWorkFactory
from tests.integration.test_storage import uow as uow  # the fixture, on SQLite and PostgreSQL

SECRET = b"roles-per-poll-secret"
CHAT, STAN = -100777, 7


async def _group(uow: UnitOfWorkFactory) -> int:
    async with uow() as u:
        group = await groups.bot_added(u, CHAT, "G", is_forum=False, timezone="Europe/London")
    return group.id


async def _poll(uow: UnitOfWorkFactory, group_id: int, kind: PollKind = PollKind.SINGLE) -> int:
    async with uow() as u:
        draft = validate_draft("Which days?", ["Mon", "Tue", "Wed"], kind)
        return await polls.create_poll(u, group_id, draft, now=datetime.now(UTC))


async def _ballots(uow: UnitOfWorkFactory) -> list[tuple[int, str, int]]:
    async with uow() as u:
        rows = await u.session.execute(select(Ballot.poll_id, Ballot.role, Ballot.choices))
        return sorted((p, r, c) for p, r, c in rows)


async def _vote(uow: UnitOfWorkFactory, poll_id: int, option: int) -> None:
    async with uow() as u:
        outcome = await polls.apply_vote(
            u,
            SECRET,
            poll_id=poll_id,
            option=option,
            chat_id=CHAT,
            user_id=STAN,
            now=datetime.now(UTC),
        )
        assert outcome.counted, outcome
        await u.commit()


@pytest.mark.parametrize("kind", [PollKind.SINGLE, PollKind.MULTIPLE])
async def test_a_second_write_never_rewrites_a_ballots_role(
    uow: UnitOfWorkFactory, kind: PollKind
) -> None:
    """The storage itself: the upsert and the compare-and-set change the choices only."""
    poll_id = await _poll(uow, await _group(uow), kind)
    key = ballot_key(SECRET, poll_id, STAN)
    async with uow() as u:
        await u.polls.put_ballot(poll_id, key, Role.STAFF.value, 0b001)
        await u.commit()
    async with uow() as u:
        if kind is PollKind.SINGLE:
            await u.polls.put_ballot(poll_id, key, Role.SERVICE_USER.value, 0b010)
        else:
            assert await u.polls.swap_ballot(poll_id, key, Role.SERVICE_USER.value, 0b001, 0b010)
        await u.commit()
    assert await _ballots(uow) == [(poll_id, Role.STAFF.value, 0b010)]


async def test_a_change_of_role_waits_for_the_polls_open_when_it_was_made(
    uow: UnitOfWorkFactory,
) -> None:
    group_id = await _group(uow)
    async with uow() as u:
        assert (await membership.choose_role(u, SECRET, group_id, STAN, Role.STAFF)).kind is (
            ChangeKind.NEW
        )
    first = await _poll(uow, group_id)
    async with uow() as u:
        change = await membership.choose_role(u, SECRET, group_id, STAN, Role.SERVICE_USER)
    assert change.kind is ChangeKind.FROM_NEXT_POLL and change.open_polls_keeping == 1
    await _vote(uow, first, 0)
    second = await _poll(uow, group_id)
    await _vote(uow, second, 1)
    await _vote(uow, first, 2)  # a change of mind in the first poll: still as staff
    assert await _ballots(uow) == [
        (first, Role.STAFF.value, 0b100),
        (second, Role.SERVICE_USER.value, 0b010),
    ]
    # Both roles are open now: a third is refused, and nothing is written.
    async with uow() as u:
        refused = await membership.choose_role(u, SECRET, group_id, STAN, Role.CARER)
    assert refused.kind is ChangeKind.REFUSED and refused.kept_role == Role.STAFF.value
    async with uow() as u:
        row = await u.members.get(group_id, member_key(SECRET, group_id, STAN))
        assert row is not None
        assert (row.role, row.previous_role) == (Role.SERVICE_USER.value, Role.STAFF.value)
    # The first poll closes, and its reopen window ends: the role before the change is
    # forgotten (a vote given after reopening would still have counted under it).
    async with uow() as u:
        assert await polls.close_poll(u, first, datetime.now(UTC))
    async with uow() as u:
        row = await u.members.get(group_id, member_key(SECRET, group_id, STAN))
        assert row is not None and row.previous_role == Role.STAFF.value
    async with uow() as u:
        assert await polls.finish_closing(u, first, None)
    async with uow() as u:
        row = await u.members.get(group_id, member_key(SECRET, group_id, STAN))
        assert row is not None
        assert (row.role, row.previous_role, row.role_applies_from) == (
            Role.SERVICE_USER.value,
            None,
            None,
        )
        allowed = await membership.choose_role(u, SECRET, group_id, STAN, Role.CARER)
    assert allowed.kind is ChangeKind.FROM_NEXT_POLL  # the second poll keeps service user


async def test_polls_are_numbered_in_each_group(uow: UnitOfWorkFactory) -> None:
    a = await _group(uow)
    async with uow() as u:
        b = (await groups.bot_added(u, -2, "H", is_forum=False, timezone="Europe/London")).id
    made = [await _poll(uow, g) for g in (a, b, a, a)]
    async with uow() as u:
        numbers = [(await u.polls.get(p)).number for p in made]  # type: ignore[union-attr]
    assert numbers == [1, 1, 2, 3]
