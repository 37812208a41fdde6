"""Polls and their ballots. The tally is one aggregate query; votes are atomic upserts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, case, delete, func, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql import Select
from sqlalchemy.sql.dml import Insert

from storage.models import Ballot, Group, Membership, Poll, PollReason, ProcessedUpdate
from storage.one_hop import OneHop, in_one_hop
from storage.repositories.processed_updates import UpdateClaim
from storage.row_order import rewrite_in_random_order
from storage.types import random_id
from storage.unlinking import still_linked, with_key_unlinked

OPEN, CLOSED = "open", "closed"


@dataclass(frozen=True, slots=True)
class BallotContext:
    """Everything a press needs to be judged, read fresh from the database in one query."""

    poll_id: int
    group_id: int
    chat_id: int | None  # None: the poll's group row is gone
    timezone: str | None
    options: list[str]
    kind: str
    max_choices: int
    visibility: str
    status: str
    deadline: datetime | None
    number: int  # the poll's place among its group's polls (bot/domain/role_changes.py)
    notice_roles: int  # roles told before voting they may be worked out (bits, ROLES order)
    role: str | None  # the voter's role in the group, if the member key was theirs there
    previous_role: str | None  # with role_applies_from: a change of role still settling
    role_applies_from: int | None
    choices: int | None  # the voter's current ballot, if any


# Built once: constructing a statement costs more than running it on SQLite, and a constant
# statement also hits SQLAlchemy's compiled cache every time.
_BALLOT_CONTEXT_UNLOCKED = (
    select(
        Poll.id,
        Poll.group_id,
        Group.chat_id,
        Group.timezone,
        Poll.options,
        Poll.kind,
        Poll.max_choices,
        Poll.visibility,
        Poll.status,
        Poll.deadline,
        Poll.number,
        Poll.notice_roles,
        Membership.role,
        Membership.previous_role,
        Membership.role_applies_from,
        Ballot.choices,
    )
    .outerjoin(Group, Group.id == Poll.group_id)
    .outerjoin(
        Membership,
        and_(
            Membership.group_id == Poll.group_id,
            Membership.member_key == bindparam("member_key"),
        ),
    )
    .outerjoin(
        Ballot, and_(Ballot.poll_id == Poll.id, Ballot.ballot_key == bindparam("ballot_key"))
    )
    .where(Poll.id == bindparam("poll_id"))
)
_BALLOT_CONTEXT = (
    _BALLOT_CONTEXT_UNLOCKED
    # FOR SHARE OF polls on PostgreSQL (SQLite has no such clause; its writer lock, taken by
    # the update's claim before this read, does the same): a close, which updates the poll
    # row and unlinks its ballots, waits for presses judged as open to commit, and a press
    # judged after the close sees it closed. Without it a press judged open could write under
    # the person's key after the unlinking, and count a second ballot.
    .with_for_update(read=True, of=Poll)
)
_BALLOT_CONTEXT_HOP = OneHop(_BALLOT_CONTEXT)  # SQLite: one hand-off instead of four


def _claiming_context() -> Select[Any]:
    """PostgreSQL: the update's claim and the ballot context in ONE statement (a round trip
    fewer per press): `WITH claim AS (INSERT ... ON CONFLICT DO NOTHING RETURNING ...)`,
    and the context's last column says whether this statement made the claim."""
    claim = (
        postgresql.insert(ProcessedUpdate)
        .values(
            bot_id=bindparam("bot_id"),
            update_id=bindparam("update_id"),
            seen_at=bindparam("seen_at"),
        )
        .on_conflict_do_nothing(index_elements=[ProcessedUpdate.bot_id, ProcessedUpdate.update_id])
        .returning(ProcessedUpdate.update_id)
        .cte("claim")
    )
    made = select(func.count()).select_from(claim).scalar_subquery()
    return _BALLOT_CONTEXT.add_columns(made.label("claimed"))


_CLAIMING_CONTEXT = _claiming_context()
_SQLITE_CLAIM_HOP = OneHop(
    sqlite.insert(ProcessedUpdate)
    .values(
        bot_id=bindparam("bot_id"), update_id=bindparam("update_id"), seen_at=bindparam("seen_at")
    )
    .on_conflict_do_nothing(index_elements=[ProcessedUpdate.bot_id, ProcessedUpdate.update_id])
    .returning(ProcessedUpdate.update_id)  # a row only when this statement made the claim
)
_UPSERTS: dict[str, Insert] = {}
_UPSERT_HOPS: dict[str, OneHop] = {}
_UPSERT_COLUMNS = ("id", "poll_id", "ballot_key", "role", "choices")


def _ballot_upsert(dialect: str) -> Insert:
    """INSERT ... ON CONFLICT (poll, key) DO UPDATE, one constant statement per dialect."""
    statement = _UPSERTS.get(dialect)
    if statement is None:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        base = insert(Ballot)
        statement = base.on_conflict_do_update(
            index_elements=[Ballot.poll_id, Ballot.ballot_key],
            # Never the role: a ballot keeps the role it was first cast under, so a change of
            # role (or a forged one) cannot move a ballot already in the tally.
            set_={"choices": base.excluded.choices},
        )
        _UPSERTS[dialect] = statement
    return statement


def _ballot_upsert_hop(dialect: str) -> OneHop:
    hop = _UPSERT_HOPS.get(dialect)
    if hop is None:
        hop = _UPSERT_HOPS[dialect] = OneHop(_ballot_upsert(dialect), _UPSERT_COLUMNS)
    return hop


class PollRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, poll: Poll) -> Poll:
        self._session.add(poll)
        await self._session.flush()
        return poll

    async def get(self, poll_id: int, *, for_writing: bool = False) -> Poll | None:
        """`for_writing`: held (FOR SHARE) until commit, so the poll cannot close meanwhile."""
        if for_writing:
            return await self._session.get(Poll, poll_id, with_for_update={"read": True})
        return await self._session.get(Poll, poll_id)

    async def by_message(self, group_id: int, message_id: int) -> Poll | None:
        return await self._session.scalar(
            select(Poll).where(Poll.group_id == group_id, Poll.message_id == message_id)
        )

    async def of_group(self, group_id: int, *, status: str, limit: int) -> list[Poll]:
        order = Poll.created_at.desc() if status == OPEN else Poll.closed_at.desc()
        rows = await self._session.scalars(
            select(Poll)
            .where(Poll.group_id == group_id, Poll.status == status)
            .order_by(order, Poll.id.desc())
            .limit(limit)
        )
        return list(rows)

    async def open_numbers(self, group_id: int) -> list[int]:
        """The numbers of the group's open polls (bot/domain/role_changes.py), and of closed
        ones that may still be reopened: a vote given after reopening counts under the role
        held when the poll opened, so that role is not forgotten before the window ends."""
        rows = await self._session.scalars(
            select(Poll.number).where(
                Poll.group_id == group_id,
                or_(Poll.status == OPEN, Poll.unlink_after.is_not(None)),
            )
        )
        return sorted(rows)

    async def open_with_times(self) -> list[Poll]:
        """Every open poll with a deadline: the jobs to rebuild when the bot starts."""
        rows = await self._session.scalars(
            select(Poll).where(Poll.status == OPEN, Poll.deadline.is_not(None))
        )
        return list(rows)

    async def due_to_close(self, now: datetime) -> list[int]:
        rows = await self._session.scalars(
            select(Poll.id).where(Poll.status == OPEN, Poll.deadline <= now).order_by(Poll.id)
        )
        return list(rows)

    async def due_reminders(self, now: datetime) -> list[int]:
        rows = await self._session.scalars(
            select(Poll.id).where(
                Poll.status == OPEN,
                Poll.reminder_sent.is_(False),
                Poll.remind_at <= now,
                Poll.deadline > now,  # too late to remind: the poll is closing
                or_(Poll.reminder_lease.is_(None), Poll.reminder_lease < now),
            )
        )
        return list(rows)

    async def unannounced(self, now: datetime) -> list[int]:
        """Closed polls whose results are not out yet and nobody is busy announcing."""
        rows = await self._session.scalars(
            select(Poll.id).where(
                Poll.status == CLOSED,
                Poll.announced.is_(False),
                or_(Poll.announce_lease.is_(None), Poll.announce_lease < now),
            )
        )
        return list(rows)

    async def claim_close(
        self, poll_id: int, now: datetime, unlink_after: datetime | None = None
    ) -> bool:
        """Close the poll if it is still open. Exactly one caller, in any process, wins."""
        result = await self._session.execute(
            update(Poll)
            .where(Poll.id == poll_id, Poll.status == OPEN)
            .values(status=CLOSED, closed_at=now, unlink_after=unlink_after)
        )
        return bool(getattr(result, "rowcount", 0))

    async def claim_reopen(self, poll_id: int, now: datetime) -> bool:
        """Open a closed poll again, only while its keys are still linked (the window), and
        only once. Exactly one caller wins; its results are to be announced again at the
        next close. A deadline that closed it is dropped: a facilitator closes it now."""
        result = await self._session.execute(
            update(Poll)
            .where(
                Poll.id == poll_id,
                Poll.status == CLOSED,
                Poll.reopened.is_(False),
                Poll.unlink_after > now,
            )
            .values(
                status=OPEN,
                closed_at=None,
                unlink_after=None,
                deadline=None,
                remind_at=None,
                announced=False,
                announce_lease=None,
                reopened=True,
            )
        )
        return bool(getattr(result, "rowcount", 0))

    async def claim_unlinking(self, poll_id: int, now: datetime | None) -> bool:
        """End the reopen window of a closed poll (at `now` if it has passed; None: at once).
        Exactly one caller wins, and holds the poll's row until it commits, so no reopen
        can come between and the caller unlinks its keys."""
        due = Poll.unlink_after.is_not(None) if now is None else Poll.unlink_after <= now
        result = await self._session.execute(
            update(Poll)
            .where(Poll.id == poll_id, Poll.status == CLOSED, due)
            .values(unlink_after=None)
        )
        return bool(getattr(result, "rowcount", 0))

    async def due_to_unlink(self, now: datetime) -> list[int]:
        rows = await self._session.scalars(
            select(Poll.id).where(Poll.status == CLOSED, Poll.unlink_after <= now).order_by(Poll.id)
        )
        return list(rows)

    async def unlink_pending(self) -> list[tuple[int, datetime]]:
        """Closed polls still in their reopen window, and when it ends (jobs after a start)."""
        rows = await self._session.execute(
            select(Poll.id, Poll.unlink_after).where(
                Poll.status == CLOSED, Poll.unlink_after.is_not(None)
            )
        )
        return [(int(pid), when) for pid, when in rows if when is not None]

    async def unlink_voters(self, poll_id: int) -> int:
        """Replace the poll's ballot keys with random values and drop its reason keys: after
        the close nobody, the secret's holder included, can find whose ballot is whose. The
        rows are written again in random order, so the order people voted in goes too.

        Only under the poll's row lock (the close's update holds it; presses wait for it),
        and only while some key is still linked: a second call changes nothing.
        """
        linked = await self._session.scalar(
            select(func.count())
            .select_from(Ballot)
            .where(Ballot.poll_id == poll_id, still_linked(Ballot.ballot_key))
        )
        reasons_linked = await self._session.scalar(
            select(func.count())
            .select_from(PollReason)
            .where(PollReason.poll_id == poll_id, PollReason.reason_key.is_not(None))
        )
        if reasons_linked:
            await rewrite_in_random_order(
                self._session,
                PollReason,
                PollReason.poll_id == poll_id,
                lambda row: {**row, "reason_key": None},
            )
        if not linked:
            return 0
        await rewrite_in_random_order(
            self._session, Ballot, Ballot.poll_id == poll_id, with_key_unlinked("ballot_key")
        )
        return int(linked)

    async def lease_reminder(self, poll_id: int, now: datetime, until: datetime) -> bool:
        """Take the reminder for a while; only one process at a time can hold it."""
        result = await self._session.execute(
            update(Poll)
            .where(
                Poll.id == poll_id,
                Poll.status == OPEN,
                Poll.reminder_sent.is_(False),
                Poll.deadline > now,
                or_(Poll.reminder_lease.is_(None), Poll.reminder_lease < now),
            )
            .values(reminder_lease=until)
        )
        return bool(getattr(result, "rowcount", 0))

    async def reminder_done(self, poll_id: int) -> None:
        await self._session.execute(
            update(Poll).where(Poll.id == poll_id).values(reminder_sent=True, reminder_lease=None)
        )

    async def lease_announcement(self, poll_id: int, now: datetime, until: datetime) -> bool:
        result = await self._session.execute(
            update(Poll)
            .where(
                Poll.id == poll_id,
                Poll.status == CLOSED,
                Poll.announced.is_(False),
                or_(Poll.announce_lease.is_(None), Poll.announce_lease < now),
            )
            .values(announce_lease=until)
        )
        return bool(getattr(result, "rowcount", 0))

    async def announcement_done(self, poll_id: int) -> None:
        await self._session.execute(
            update(Poll).where(Poll.id == poll_id).values(announced=True, announce_lease=None)
        )

    # Ballots

    async def ballot_context(
        self, poll_id: int, ballot_key: str, member_key: str | None
    ) -> BallotContext | None:
        """The poll, its group, the voter's role and current ballot: ONE query per press.

        The member key is derived from the poll's group, so the caller passes the group it
        believes the poll is in; `role` is only meaningful when `group_id` matches it.
        """
        connection = await self._session.connection()
        rows = await _BALLOT_CONTEXT_HOP.rows(
            connection, {"poll_id": poll_id, "ballot_key": ballot_key, "member_key": member_key}
        )
        if not rows:
            return None
        return _context(rows[0])

    async def claim_and_context(
        self, claim: UpdateClaim, poll_id: int, ballot_key: str, member_key: str | None
    ) -> tuple[bool, BallotContext | None]:
        """The update's claim (False: it was claimed before) and `ballot_context`: one
        statement on PostgreSQL. A claim is made even when the poll is not found."""
        params = {
            "poll_id": poll_id,
            "ballot_key": ballot_key,
            "member_key": member_key,
            "bot_id": claim.bot_id,
            "update_id": claim.update_id,
            "seen_at": claim.seen_at,
        }
        connection = await self._session.connection()
        if connection.dialect.name != "postgresql":
            # SQLite: the claim, then the read, in one hand-off to aiosqlite's thread.
            claimed, rows = await in_one_hop(
                connection, [(_SQLITE_CLAIM_HOP, params), (_BALLOT_CONTEXT_HOP, params)]
            )
            return bool(claimed), _context(rows[0]) if rows else None
        rows = (await connection.execute(_CLAIMING_CONTEXT, params)).all()
        if not rows:
            return True, None  # no such poll: whoever pressed is told so, replay or not
        return bool(rows[0][-1]), _context(rows[0])

    # A batch of presses (bot/services/ballot_presses.py): three reads and at most three
    # writes for the whole batch, however many presses it holds. On PostgreSQL the reads
    # lock what they read in one order (polls, then ballots, each sorted), so two replicas'
    # batches wait for each other instead of deadlocking, and what was read cannot change
    # before the batch commits. On SQLite the batch's claim, written first, holds the one
    # writer lock, which does the same.

    async def polls_for_voting(self, poll_ids: Sequence[int]) -> dict[int, BallotContext]:
        """Each poll with its group, as `ballot_context` reads it, without a voter: role
        and ballot are None here. Held FOR SHARE until commit, as `ballot_context` holds it."""
        rows = await self._session.execute(
            select(*list(_BALLOT_CONTEXT.selected_columns)[:12])
            .outerjoin(Group, Group.id == Poll.group_id)
            .where(Poll.id.in_(sorted(set(poll_ids))))
            .order_by(Poll.id)
            .with_for_update(read=True, of=Poll)
        )
        return {row[0]: _context((*row, None, None, None, None)) for row in rows}

    async def roles_of(
        self, keys: Sequence[tuple[int, str]]
    ) -> dict[tuple[int, str], tuple[str, str | None, int | None]]:
        """(group, member key) -> (role, previous role, role applies from poll number)."""
        if not keys:
            return {}
        rows = await self._session.execute(
            select(
                Membership.group_id,
                Membership.member_key,
                Membership.role,
                Membership.previous_role,
                Membership.role_applies_from,
            ).where(tuple_(Membership.group_id, Membership.member_key).in_(sorted(set(keys))))
        )
        return {(row[0], row[1]): (row[2], row[3], row[4]) for row in rows}

    async def ballots_of(self, keys: Sequence[tuple[int, str]]) -> dict[tuple[int, str], int]:
        """(poll, ballot key) -> choices, for the ballots that exist; locked FOR UPDATE on
        PostgreSQL, in (poll, key) order, until the batch commits."""
        if not keys:
            return {}
        rows = await self._session.execute(
            select(Ballot.poll_id, Ballot.ballot_key, Ballot.choices)
            .where(tuple_(Ballot.poll_id, Ballot.ballot_key).in_(sorted(set(keys))))
            .order_by(Ballot.poll_id, Ballot.ballot_key)
            .with_for_update()
        )
        return {(row[0], row[1]): row[2] for row in rows}

    async def add_ballots(self, rows: Sequence[tuple[int, str, str, int]]) -> int:
        """Insert (poll, key, role, choices) rows that were not there when read; how many
        went in. Fewer than given: another process wrote one of them meanwhile."""
        if not rows:
            return 0
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        result = await self._session.execute(
            insert(Ballot)
            .on_conflict_do_nothing(index_elements=[Ballot.poll_id, Ballot.ballot_key])
            .returning(Ballot.poll_id),
            [_ballot_row(row) for row in sorted(rows)],
        )
        return len(result.all())

    async def replace_ballots(self, rows: Sequence[tuple[int, str, str, int]]) -> None:
        """New choices for ballots read (and locked) in this transaction; roles stay."""
        if rows:
            dialect = self._session.get_bind().dialect.name
            await self._session.execute(
                _ballot_upsert(dialect), [_ballot_row(row) for row in sorted(rows)]
            )

    async def remove_ballots(self, keys: Sequence[tuple[int, str]]) -> int:
        if not keys:
            return 0
        result = await self._session.execute(
            delete(Ballot).where(tuple_(Ballot.poll_id, Ballot.ballot_key).in_(sorted(keys)))
        )
        return int(getattr(result, "rowcount", 0))

    async def ballot_choices(self, poll_id: int, ballot_key: str) -> int | None:
        return await self._session.scalar(
            select(Ballot.choices).where(Ballot.poll_id == poll_id, Ballot.ballot_key == ballot_key)
        )

    async def put_ballot(self, poll_id: int, ballot_key: str, role: str, choices: int) -> None:
        """Insert this person's one ballot, or replace its choices, atomically (a unique key
        arbitrates). `role` is written with the first ballot only."""
        values: dict[str, Any] = {
            "id": random_id(),  # the column's own default, given here for the one-hop path
            "poll_id": poll_id,
            "ballot_key": ballot_key,
            "role": role,
            "choices": choices,
        }
        connection = await self._session.connection()
        await _ballot_upsert_hop(connection.dialect.name).rows(connection, values)

    async def swap_ballot(
        self, poll_id: int, ballot_key: str, role: str, before: int | None, after: int
    ) -> bool:
        """Compare and set: write `after` only if the ballot still holds `before` (None = no
        ballot yet). False when another process changed it since it was read: the caller
        reads again. A multiple-choice tick builds on the ticks before it, so a blind write
        from a stale read would drop a tick pressed at the same moment on another replica.
        """
        if before is None:
            dialect = self._session.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            statement: Any = (
                insert(Ballot)
                .values(poll_id=poll_id, ballot_key=ballot_key, role=role, choices=after)
                .on_conflict_do_nothing(index_elements=[Ballot.poll_id, Ballot.ballot_key])
            )
        else:
            statement = (
                update(Ballot)
                .where(
                    Ballot.poll_id == poll_id,
                    Ballot.ballot_key == ballot_key,
                    Ballot.choices == before,
                )
                .values(choices=after)  # the role stays as first cast (see put_ballot)
            )
        result = await self._session.execute(statement)
        return int(getattr(result, "rowcount", 0)) == 1

    async def remove_ballot(
        self, poll_id: int, ballot_key: str, *, holding: int | None = None
    ) -> bool:
        """Remove the ballot (only if it still holds `holding`, when given)."""
        statement = delete(Ballot).where(Ballot.poll_id == poll_id, Ballot.ballot_key == ballot_key)
        if holding is not None:
            statement = statement.where(Ballot.choices == holding)
        result = await self._session.execute(statement)
        return bool(getattr(result, "rowcount", 0))

    async def tally_rows(self, poll_id: int, n_options: int) -> list[tuple[str, int, list[int]]]:
        """Per role: (role, voters, [voters who chose option i, ...]), in ONE aggregate query."""
        picked = [
            func.sum(case((Ballot.choices.op("&")(1 << index) != 0, 1), else_=0))
            for index in range(n_options)
        ]
        rows = await self._session.execute(
            select(Ballot.role, func.count(), *picked)
            .where(Ballot.poll_id == poll_id)
            .group_by(Ballot.role)
        )
        return [(row[0], int(row[1]), [int(v or 0) for v in row[2:]]) for row in rows]

    # Reasons

    async def put_reason(self, poll_id: int, reason_key: str, option: int, text: str) -> None:
        """This person's reason for this poll, replacing the one they gave before."""
        await self.drop_reason(poll_id, reason_key)
        self._session.add(
            PollReason(poll_id=poll_id, reason_key=reason_key, option=option, text=text)
        )

    async def drop_reason(self, poll_id: int, reason_key: str) -> None:
        await self._session.execute(
            delete(PollReason).where(
                PollReason.poll_id == poll_id, PollReason.reason_key == reason_key
            )
        )

    async def reasons(self, poll_id: int) -> list[tuple[int, str]]:
        rows = await self._session.execute(
            select(PollReason.option, PollReason.text)
            .where(PollReason.poll_id == poll_id)
            .order_by(PollReason.option, PollReason.id)
        )
        return [(int(option), str(text)) for option, text in rows]

    async def closed_of_group(self, group_id: int) -> Sequence[Poll]:
        rows = await self._session.scalars(
            select(Poll)
            .where(Poll.group_id == group_id, Poll.status == CLOSED)
            .order_by(Poll.closed_at)
        )
        return list(rows)


async def ballot_context_unlocked(
    connection: AsyncConnection, poll_id: int, ballot_key: str, member_key: str | None
) -> BallotContext | None:
    """`ballot_context` without holding the poll row (storage/votes_at_once.py: the write
    that follows holds it)."""
    params = {"poll_id": poll_id, "ballot_key": ballot_key, "member_key": member_key}
    rows = (await connection.execute(_BALLOT_CONTEXT_UNLOCKED, params)).all()
    return _context(rows[0]) if rows else None


def _context(row: Sequence[Any]) -> BallotContext:
    """A row of `_BALLOT_CONTEXT`'s columns, in order."""
    return BallotContext(
        poll_id=row[0],
        group_id=row[1],
        chat_id=row[2],
        timezone=row[3],
        options=list(row[4]),
        kind=row[5],
        max_choices=row[6],
        visibility=row[7],
        status=row[8],
        deadline=row[9],
        number=row[10],
        notice_roles=row[11],
        role=row[12],
        previous_role=row[13],
        role_applies_from=row[14],
        choices=row[15],
    )


def _ballot_row(row: tuple[int, str, str, int]) -> dict[str, Any]:
    poll_id, key, role, choices = row
    return {
        "id": random_id(),
        "poll_id": poll_id,
        "ballot_key": key,
        "role": role,
        "choices": choices,
    }
