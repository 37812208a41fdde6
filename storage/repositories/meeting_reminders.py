"""Meeting reminders and the personal-reminder opt-ins (occurrence and sealed chat id only),
both claimed with leases, so several processes send each once and a failed send is retried."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import (
    Meeting,
    MeetingDmOptIn,
    MeetingOccurrence,
    MeetingReminder,
    MeetingRsvp,
)
from storage.row_order import rewrite_in_random_order
from storage.unlinking import still_linked, with_key_unlinked

PENDING, SENT, SKIPPED, DROPPED = "pending", "sent", "skipped", "dropped"


def _claimable(now: datetime) -> list[object]:
    return [
        MeetingReminder.status == PENDING,
        MeetingReminder.due_at <= now,
        or_(MeetingReminder.lease_until.is_(None), MeetingReminder.lease_until < now),
    ]


def _opt_in_claimable(now: datetime) -> list[object]:
    """An opt-in is due once its date's last group reminder (the smallest offset, whatever
    the others' status) is sent, while the date is scheduled and has not started; and free
    once nobody holds a lease on it."""
    earlier = aliased(MeetingReminder)
    last_sent = select(MeetingReminder.occurrence_id).where(
        MeetingReminder.status == SENT,
        ~exists().where(
            earlier.occurrence_id == MeetingReminder.occurrence_id,
            earlier.offset_minutes < MeetingReminder.offset_minutes,
        ),
    )
    upcoming = select(MeetingOccurrence.id).where(
        MeetingOccurrence.status == "scheduled", MeetingOccurrence.starts_at > now
    )
    return [
        MeetingDmOptIn.occurrence_id.in_(last_sent.scalar_subquery()),
        MeetingDmOptIn.occurrence_id.in_(upcoming.scalar_subquery()),
        or_(MeetingDmOptIn.lease_until.is_(None), MeetingDmOptIn.lease_until < now),
    ]


class MeetingReminderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @property
    def _dialect(self) -> str:
        return self._session.get_bind().dialect.name

    async def add(self, occurrence_id: int, offset_minutes: int, due_at: datetime) -> None:
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        await self._session.execute(
            insert(MeetingReminder)
            .values(
                occurrence_id=occurrence_id,
                offset_minutes=offset_minutes,
                due_at=due_at,
                status=PENDING,
            )
            .on_conflict_do_nothing(index_elements=["occurrence_id", "offset_minutes"])
        )

    async def get(self, reminder_id: int) -> MeetingReminder | None:
        return await self._session.get(MeetingReminder, reminder_id)

    async def claim_due(self, now: datetime, until: datetime, *, limit: int) -> list[int]:
        """Lease up to ``limit`` due reminders to this caller and return their ids.

        PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED, then UPDATE in the same transaction, so
        a second process skips the rows this one holds instead of waiting for them and then
        finding them leased. SQLite has one writer at a time: UPDATE ... RETURNING is the claim.
        Either way the UPDATE re-checks the conditions, and the caller commits at once.
        """
        due = (
            select(MeetingReminder.id)
            .where(*_claimable(now))  # type: ignore[arg-type]
            .order_by(MeetingReminder.due_at, MeetingReminder.id)
            .limit(limit)
        )
        if self._dialect == "postgresql":
            ids = list(await self._session.scalars(due.with_for_update(skip_locked=True)))
            if not ids:
                return []
            await self._session.execute(
                update(MeetingReminder).where(MeetingReminder.id.in_(ids)).values(lease_until=until)
            )
            return ids
        result = await self._session.execute(
            update(MeetingReminder)
            .where(MeetingReminder.id.in_(due.scalar_subquery()), *_claimable(now))  # type: ignore[arg-type]
            .values(lease_until=until)
            .returning(MeetingReminder.id)
        )
        return sorted(int(row) for row in result.scalars())

    async def skip_stale(self, cutoff: datetime, now: datetime) -> list[int]:
        """Mark as skipped every unclaimed reminder that fell due before ``cutoff``."""
        result = await self._session.execute(
            update(MeetingReminder)
            .where(
                MeetingReminder.status == PENDING,
                MeetingReminder.due_at < cutoff,
                or_(MeetingReminder.lease_until.is_(None), MeetingReminder.lease_until < now),
            )
            .values(status=SKIPPED, lease_until=None)
            .returning(MeetingReminder.id)
        )
        return list(result.scalars())

    async def mark(self, reminder_id: int, status: str) -> None:
        await self._session.execute(
            update(MeetingReminder)
            .where(MeetingReminder.id == reminder_id)
            .values(status=status, lease_until=None)
        )

    async def drop_pending(self, occurrence_ids: list[int]) -> list[int]:
        """Cancel: the occurrences' pending reminders are dropped; returns their ids."""
        if not occurrence_ids:
            return []
        result = await self._session.execute(
            update(MeetingReminder)
            .where(
                MeetingReminder.occurrence_id.in_(occurrence_ids),
                MeetingReminder.status == PENDING,
            )
            .values(status=DROPPED, lease_until=None)
            .returning(MeetingReminder.id)
        )
        return list(result.scalars())

    async def delete_pending(self, occurrence_id: int) -> list[int]:
        """Move: pending reminders are remade for the new time; returns the old ids."""
        result = await self._session.execute(
            delete(MeetingReminder)
            .where(
                MeetingReminder.occurrence_id == occurrence_id,
                MeetingReminder.status == PENDING,
            )
            .returning(MeetingReminder.id)
        )
        return list(result.scalars())

    async def forget_done(self, occurrence_id: int) -> None:
        """Move: reminders already sent (or skipped) were about the old time; the new time gets
        its own, so their rows must not block the new ones by their unique offset."""
        await self._session.execute(
            delete(MeetingReminder).where(
                MeetingReminder.occurrence_id == occurrence_id,
                MeetingReminder.status != PENDING,
            )
        )

    async def drop_pending_of_group(self, group_id: int) -> list[int]:
        """A group that removed the bot: nothing more is tried there (no retry storm)."""
        occurrences = (
            select(MeetingOccurrence.id)
            .join(Meeting, Meeting.id == MeetingOccurrence.meeting_id)
            .where(Meeting.group_id == group_id)
        )
        result = await self._session.execute(
            update(MeetingReminder)
            .where(
                MeetingReminder.occurrence_id.in_(occurrences.scalar_subquery()),
                MeetingReminder.status == PENDING,
            )
            .values(status=DROPPED, lease_until=None)
            .returning(MeetingReminder.id)
        )
        return list(result.scalars())

    async def pending(self, *, until: datetime | None = None) -> list[tuple[int, datetime]]:
        """(id, due) of every pending reminder (due by ``until``, if given): the alarms to set.

        With ``until`` the (status, due_at) index keeps it to the near ones, whatever the
        number of meetings stored."""
        query = select(MeetingReminder.id, MeetingReminder.due_at).where(
            MeetingReminder.status == PENDING
        )
        if until is not None:
            query = query.where(MeetingReminder.due_at <= until)
        rows = await self._session.execute(query)
        return [(int(i), due) for i, due in rows]

    async def pending_of(self, occurrence_id: int) -> list[tuple[int, datetime]]:
        rows = await self._session.execute(
            select(MeetingReminder.id, MeetingReminder.due_at).where(
                MeetingReminder.occurrence_id == occurrence_id,
                MeetingReminder.status == PENDING,
            )
        )
        return [(int(i), due) for i, due in rows]

    # Personal-reminder opt-ins

    async def opt_in(self, occurrence_id: int, person_key: str, sealed_chat: str) -> None:
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        await self._session.execute(
            insert(MeetingDmOptIn)
            .values(occurrence_id=occurrence_id, person_key=person_key, sealed_chat=sealed_chat)
            .on_conflict_do_nothing(index_elements=["occurrence_id", "person_key"])
        )

    async def opt_out(self, occurrence_id: int, person_key: str) -> bool:
        result = await self._session.execute(
            delete(MeetingDmOptIn).where(
                MeetingDmOptIn.occurrence_id == occurrence_id,
                MeetingDmOptIn.person_key == person_key,
            )
        )
        return bool(getattr(result, "rowcount", 0))

    async def claim_opt_ins(
        self, now: datetime, until: datetime, *, limit: int
    ) -> list[tuple[int, int, str]]:
        """Lease up to ``limit`` due opt-ins to this caller: (id, occurrence id, sealed chat).

        The same two ways as claim_due: on PostgreSQL, SELECT ... FOR UPDATE SKIP LOCKED (of
        the opt-in rows only) then UPDATE; on SQLite, UPDATE ... RETURNING. The caller commits
        at once, sends, then deletes the row (forget_opt_in); a send that failed for now
        leaves it leased, and the next claim after ``until`` tries again.
        """
        due = (
            select(MeetingDmOptIn.id)
            .where(*_opt_in_claimable(now))  # type: ignore[arg-type]
            .order_by(MeetingDmOptIn.occurrence_id, MeetingDmOptIn.id)
            .limit(limit)
        )
        taken = (MeetingDmOptIn.id, MeetingDmOptIn.occurrence_id, MeetingDmOptIn.sealed_chat)
        if self._dialect == "postgresql":
            locked = due.with_for_update(skip_locked=True, of=MeetingDmOptIn)
            ids = list(await self._session.scalars(locked))
            if not ids:
                return []
            result = await self._session.execute(
                update(MeetingDmOptIn)
                .where(MeetingDmOptIn.id.in_(ids))
                .values(lease_until=until)
                .returning(*taken)
            )
        else:
            result = await self._session.execute(
                update(MeetingDmOptIn)
                .where(MeetingDmOptIn.id.in_(due.scalar_subquery()), *_opt_in_claimable(now))  # type: ignore[arg-type]
                .values(lease_until=until)
                .returning(*taken)
            )
        return sorted((int(i), int(occurrence), str(sealed)) for i, occurrence, sealed in result)

    async def forget_opt_ins(self, opt_in_ids: list[int]) -> None:
        """Sent, or never to be sent (blocked, not coming, the date over): the rows go."""
        if opt_in_ids:
            await self._session.execute(
                delete(MeetingDmOptIn).where(MeetingDmOptIn.id.in_(opt_in_ids))
            )

    async def purge_opt_ins(self, now: datetime) -> int:
        """Opt-ins for occurrences that are cancelled or have started: nothing to send."""
        finished = select(MeetingOccurrence.id).where(
            or_(MeetingOccurrence.status != "scheduled", MeetingOccurrence.starts_at <= now)
        )
        result = await self._session.execute(
            delete(MeetingDmOptIn).where(
                MeetingDmOptIn.occurrence_id.in_(finished.scalar_subquery())
            )
        )
        return int(getattr(result, "rowcount", 0))

    async def unlink_past_answers(self, until: datetime, since: datetime | None = None) -> int:
        """Answers to dates that started in (since, until] keep their totals and lose their
        keys (storage/unlinking.py): nothing will look a person's answer up again."""
        started = MeetingOccurrence.starts_at <= until
        if since is not None:
            started = and_(started, MeetingOccurrence.starts_at > since)
        finished = select(MeetingOccurrence.id).where(started)
        occurrences = await self._session.scalars(
            select(MeetingRsvp.occurrence_id)
            .distinct()
            .where(
                MeetingRsvp.occurrence_id.in_(finished.scalar_subquery()),
                still_linked(MeetingRsvp.rsvp_key),
            )
        )
        unlinked = 0
        for occurrence_id in list(occurrences):
            # Rewritten in random order too (storage/row_order.py): nor does the order in
            # which people answered stay.
            unlinked += await rewrite_in_random_order(
                self._session,
                MeetingRsvp,
                MeetingRsvp.occurrence_id == occurrence_id,
                with_key_unlinked("rsvp_key"),
            )
        return unlinked

    async def count_opt_ins_of(self, person_key: str) -> int:
        return int(
            await self._session.scalar(
                select(func.count())
                .select_from(MeetingDmOptIn)
                .where(MeetingDmOptIn.person_key == person_key)
            )
            or 0
        )

    async def delete_opt_ins_of(self, person_key: str) -> int:
        """/forgetme: every personal reminder this person asked for."""
        result = await self._session.execute(
            delete(MeetingDmOptIn).where(MeetingDmOptIn.person_key == person_key)
        )
        return int(getattr(result, "rowcount", 0))

    async def offsets_of(self, occurrence_id: int) -> list[int]:
        """Every reminder offset of an occurrence, whatever its status."""
        rows = await self._session.scalars(
            select(MeetingReminder.offset_minutes).where(
                MeetingReminder.occurrence_id == occurrence_id
            )
        )
        return list(rows)
