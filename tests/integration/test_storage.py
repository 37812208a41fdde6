"""Storage behaves the same on SQLite and PostgreSQL; SQLite is tuned for a bot's workload."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.domain.keyed_hash import ballot_key, member_key
from bot.domain.poll_rules import parse_poll_line, validate_draft
from bot.domain.role_changes import ChangeKind
from bot.domain.roles import Role
from bot.services import groups, membership, polls
from storage import migrate
from storage.engine import create_engine, create_sessionmaker
from storage.models import MeetingDraft, PollDraft
from storage.uow import UnitOfWorkFactory

SECRET = b"storage-test-secret"


@pytest.fixture
async def uow(db_url: str) -> AsyncIterator[UnitOfWorkFactory]:
    engine = create_engine(db_url)
    await migrate.upgrade(engine)
    yield UnitOfWorkFactory(create_sessionmaker(engine))
    await engine.dispose()


async def test_sqlite_is_tuned(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    try:
        async with engine.connect() as connection:
            assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            assert (await connection.execute(text("PRAGMA busy_timeout"))).scalar() == 5000
    finally:
        await engine.dispose()


async def test_roles_round_trip_and_count(uow: UnitOfWorkFactory) -> None:
    async with uow() as u:
        group = await groups.bot_added(u, -100, "Group", is_forum=False, timezone="Europe/London")
    async with uow() as u:
        change = await membership.choose_role(u, SECRET, group.id, 1, Role.CARER)
        assert change.kind is ChangeKind.NEW
    async with uow() as u:
        change = await membership.choose_role(u, SECRET, group.id, 2, Role.STAFF)
        assert change.kind is ChangeKind.NEW
    async with uow() as u:
        change = await membership.choose_role(u, SECRET, group.id, 1, Role.STAFF)
        assert change.kind is ChangeKind.NOW  # no poll open: at once
    async with uow() as u:
        counts = await membership.role_counts(u, group.id)
        held = await membership.held_roles(u, SECRET, 1)
    assert counts == {Role.SERVICE_USER: 0, Role.CARER: 0, Role.STAFF: 2}
    assert [(h.group.title, h.role) for h in held] == [("Group", Role.STAFF)]


async def test_work_not_committed_is_rolled_back(uow: UnitOfWorkFactory) -> None:
    async with uow() as u:
        await u.groups.ensure(-5, "Never", is_forum=False, timezone="Europe/London")
    async with uow() as u:
        assert await groups.find_group(u, -5) is None


async def test_supergroup_move_keeps_members(uow: UnitOfWorkFactory) -> None:
    async with uow() as u:
        group = await groups.bot_added(u, -7, "Old", is_forum=False, timezone="Europe/London")
    async with uow() as u:
        await membership.choose_role(u, SECRET, group.id, 9, Role.SERVICE_USER)
    async with uow() as u:
        moved = await groups.chat_migrated(u, -7, -1007)
    assert moved is not None and moved.id == group.id and moved.chat_id == -1007
    async with uow() as u:
        assert await membership.role_in(u, SECRET, group.id, 9) is Role.SERVICE_USER
        assert await groups.find_group(u, -7) is None


async def test_forget_erases_every_group(uow: UnitOfWorkFactory) -> None:
    async with uow() as u:
        a = await groups.bot_added(u, -1, "A", is_forum=False, timezone="Europe/London")
        b = await groups.bot_added(u, -2, "B", is_forum=False, timezone="Europe/London")
    for group in (a, b):
        async with uow() as u:
            await membership.choose_role(u, SECRET, group.id, 42, Role.CARER)
    async with uow() as u:
        await membership.choose_role(u, SECRET, a.id, 43, Role.STAFF)
    async with uow() as u:
        assert await membership.forget(u, SECRET, 42) == 2
    async with uow() as u:
        assert await membership.held_roles(u, SECRET, 42) == []
        assert await membership.role_counts(u, a.id) == {
            Role.SERVICE_USER: 0,
            Role.CARER: 0,
            Role.STAFF: 1,
        }


async def test_upgrade_merges_a_group_seen_first_under_its_new_id(uow: UnitOfWorkFactory) -> None:
    async with uow() as u:
        old = await groups.bot_added(u, -8, "Old", is_forum=False, timezone="Europe/London")
        raced = await groups.bot_added(u, -1008, "New", is_forum=False, timezone="Europe/London")
    async with uow() as u:
        await membership.choose_role(u, SECRET, old.id, 1, Role.CARER)
    async with uow() as u:
        await membership.choose_role(u, SECRET, raced.id, 2, Role.STAFF)
    async with uow() as u:
        draft = parse_poll_line("Asked in the new chat? | Yes | No")
        poll_id = await polls.create_poll(u, raced.id, draft, now=datetime.now(UTC))
    async with uow() as u:
        moved = await groups.chat_migrated(u, -8, -1008)
    assert moved is not None and moved.id == old.id
    async with uow() as u:
        counts = await membership.role_counts(u, old.id)
    # The old group keeps its members; a role picked through the new chat in the moment
    # between could never be found again under the old group's keys, so it is not carried.
    assert counts == {Role.SERVICE_USER: 0, Role.CARER: 1, Role.STAFF: 0}
    async with uow() as u:
        assert await groups.find_group_by_id(u, raced.id) is None
        assert await membership.role_in(u, SECRET, old.id, 2) is None
        poll = await polls.place_of(u, poll_id)
        assert poll is not None and poll.group_id == old.id  # the poll was kept, not deleted


@pytest.mark.parametrize("kind", ["poll_drafts", "meeting_drafts"])
async def test_one_draft_store_keeps_one_draft_per_person(
    uow: UnitOfWorkFactory, kind: str
) -> None:
    """The one draft-per-person store, for either kind: a new draft replaces the old one (whose
    id is never given out again, so its buttons stay dead), and a removal counts once."""
    model: type[PollDraft] | type[MeetingDraft] = (
        PollDraft if kind == "poll_drafts" else MeetingDraft
    )
    now = datetime.now(UTC)
    async with uow() as u:
        group = await groups.bot_added(u, -8, "Drafts", is_forum=False, timezone="Europe/London")

    def row(step: str) -> PollDraft | MeetingDraft:
        return model(
            group_id=group.id,
            owner_key="k" * 64,
            thread_id=None,
            step=step,
            data={},
            updated_at=now,
        )

    async with uow() as u:
        store = getattr(u, kind)
        first = (await store.replace(row("one"))).id
        second = (await store.replace(row("one"))).id
        await u.commit()
    assert second != first
    async with uow() as u:
        store = getattr(u, kind)
        assert (await store.by_owner("k" * 64)).id == second
        assert not await store.update(first, step="two", data={}, now=now)
        assert await store.update(second, step="two", data={"a": 1}, now=now)
        assert not await store.remove(second, step="one")  # no longer at that step
        assert await store.remove(second, step="two")
        assert not await store.remove(second)  # a second press removes nothing
        await u.commit()
    async with uow() as u:
        assert await getattr(u, kind).by_owner("k" * 64) is None


async def test_the_ballot_context_reads_typed_values(uow: UnitOfWorkFactory) -> None:
    """The press's one query reads what the ORM would, on SQLite's one-hop path
    (storage/one_hop.py) as on PostgreSQL: an aware deadline (the answer shows it in the
    group's time zone), the options as a list, the voter's role and current ballot."""
    deadline = datetime(2030, 5, 1, 17, 30, tzinfo=UTC)
    async with uow() as u:
        group = await groups.bot_added(
            u, -100555, "Group", is_forum=False, timezone="Europe/Warsaw"
        )
        await membership.choose_role(u, SECRET, group.id, 7, Role.CARER)
        draft = validate_draft("Tuesdays?", ["Yes", "No"])
        poll_id = await polls.create_poll(
            u, group.id, draft, now=deadline - timedelta(days=3), deadline=deadline
        )
        await u.commit()
    key = ballot_key(SECRET, poll_id, 7)
    async with uow() as u:
        await u.polls.put_ballot(poll_id, key, Role.CARER.value, 0b10)
        await u.commit()
    async with uow() as u:
        found = await u.polls.ballot_context(poll_id, key, member_key(SECRET, group.id, 7))
        assert await u.polls.ballot_context(poll_id + 1000, key, None) is None
    assert found is not None
    assert found.deadline == deadline and found.deadline.tzinfo is not None
    assert found.options == ["Yes", "No"]
    assert (found.group_id, found.chat_id, found.timezone) == (group.id, -100555, "Europe/Warsaw")
    assert found.role == Role.CARER.value
    assert found.choices == 0b10
