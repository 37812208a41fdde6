"""Anonymous feedback items and each group's delivery settings. No sender anywhere."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Feedback, FeedbackSettings, Group

PENDING, URGENT, QUEUED, TO_POST, PUBLISHED, REJECTED = (
    "pending",
    "urgent",
    "queued",
    "to_post",
    "published",
    "rejected",
)


class FeedbackRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # Settings

    async def settings(self, group_id: int) -> FeedbackSettings:
        """The group's settings, created with the defaults the first time they are needed."""
        found = await self._session.get(FeedbackSettings, group_id)
        if found is None:
            found = FeedbackSettings(
                group_id=group_id, delivery="moderated", digest_hour=17, last_number=0
            )
            self._session.add(found)
            await self._session.flush()
        return found

    async def next_number(self, group_id: int) -> int:
        """The group's next "#N", atomically: two posts at once never share a number."""
        await self.settings(group_id)
        number = await self._session.scalar(
            update(FeedbackSettings)
            .where(FeedbackSettings.group_id == group_id)
            .values(last_number=FeedbackSettings.last_number + 1)
            .returning(FeedbackSettings.last_number)
        )
        assert number is not None
        return int(number)

    # Items

    async def add(self, item: Feedback) -> Feedback:
        self._session.add(item)
        await self._session.flush()
        return item

    async def forget_texts(self, received_before: datetime) -> int:
        """Rejected and urgent items that came before then keep only their status: the
        text and the role tag go."""
        result = await self._session.execute(
            update(Feedback)
            .where(
                Feedback.status.in_((REJECTED, URGENT)),
                Feedback.received_at < received_before,
                or_(Feedback.text != "", Feedback.role_tag.is_not(None)),
            )
            .values(text="", role_tag=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def agenda_waiting(self, occurrence_id: int) -> int:
        """Agenda items for this date still waiting for a facilitator's decision."""
        count = await self._session.scalar(
            select(func.count())
            .select_from(Feedback)
            .where(Feedback.occurrence_id == occurrence_id, Feedback.status == PENDING)
        )
        return int(count or 0)

    async def get(self, feedback_id: int) -> Feedback | None:
        return await self._session.get(Feedback, feedback_id)

    async def decide(self, feedback_id: int, *, publish: bool, now: datetime) -> bool:
        """Publish or reject a pending item. Exactly one facilitator's press wins."""
        result = await self._session.execute(
            update(Feedback)
            .where(Feedback.id == feedback_id, Feedback.status == PENDING)
            # A lease taken to reach facilitators ends with the decision.
            .values(status=TO_POST if publish else REJECTED, decided_at=now, post_lease=None)
        )
        return bool(getattr(result, "rowcount", 0))

    async def lease_post(self, feedback_id: int, now: datetime, until: datetime) -> bool:
        """Take an item for posting; only one process at a time, and never a posted one."""
        result = await self._session.execute(
            update(Feedback)
            .where(
                Feedback.id == feedback_id,
                Feedback.status.in_([TO_POST, QUEUED]),
                or_(Feedback.post_lease.is_(None), Feedback.post_lease < now),
            )
            .values(post_lease=until)
        )
        return bool(getattr(result, "rowcount", 0))

    async def give_number(self, feedback_id: int) -> int:
        """The item's "#N", given once: a retried post reuses it."""
        item = await self.get(feedback_id)
        assert item is not None
        if item.number is None:
            item.number = await self.next_number(item.group_id)
            await self._session.flush()
        return item.number

    async def posted(self, feedback_id: int, now: datetime) -> None:
        await self._session.execute(
            update(Feedback)
            .where(Feedback.id == feedback_id)
            .values(status=PUBLISHED, posted_at=now, post_lease=None)
        )

    async def release(self, feedback_id: int) -> None:
        """Posting failed: let the sweep try again later."""
        await self._session.execute(
            update(Feedback).where(Feedback.id == feedback_id).values(post_lease=None)
        )

    async def lease_reach(self, feedback_id: int, now: datetime, until: datetime) -> bool:
        """Take an item waiting for facilitators, so one process at a time sends it to them.

        The item's post_lease serves: an item for facilitators is not posted until decided,
        and a decision ends this lease.
        """
        result = await self._session.execute(
            update(Feedback)
            .where(
                Feedback.id == feedback_id,
                Feedback.status.in_([PENDING, URGENT]),
                Feedback.reached_facilitators.is_(False),
                or_(Feedback.post_lease.is_(None), Feedback.post_lease < now),
            )
            .values(post_lease=until)
        )
        return bool(getattr(result, "rowcount", 0))

    async def release_reach(self, feedback_id: int) -> None:
        """No facilitator was reached this time: let the sweep (or catch-up) try again."""
        await self._session.execute(
            update(Feedback)
            .where(Feedback.id == feedback_id, Feedback.status.in_([PENDING, URGENT]))
            .values(post_lease=None)
        )

    async def mark_reached(self, feedback_id: int) -> None:
        await self._session.execute(
            update(Feedback).where(Feedback.id == feedback_id).values(reached_facilitators=True)
        )
        # Only a lease for reaching facilitators ends here, never one for posting.
        await self.release_reach(feedback_id)

    async def waiting_since(self) -> list[tuple[int, datetime]]:
        """(group, oldest arrival) for active groups with items no facilitator received."""
        rows = await self._session.execute(
            select(Feedback.group_id, func.min(Feedback.received_at))
            .join(Group, Group.id == Feedback.group_id)
            .where(
                Feedback.status.in_([PENDING, URGENT]),
                Feedback.reached_facilitators.is_(False),
                Group.active.is_(True),
            )
            .group_by(Feedback.group_id)
        )
        return [(int(group_id), oldest) for group_id, oldest in rows if oldest is not None]

    async def claim_notice(self, group_id: int, day: date) -> tuple[bool, date | None]:
        """Mark the group as told on this local day: (False, _) if it already was (by anyone),
        else (True, the day it was told before), so a failed post can give the claim back.
        """
        found = await self.settings(group_id)
        before = found.notice_day
        result = await self._session.execute(
            update(FeedbackSettings)
            .where(
                FeedbackSettings.group_id == group_id,
                or_(FeedbackSettings.notice_day.is_(None), FeedbackSettings.notice_day < day),
            )
            .values(notice_day=day)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0)), before

    async def lease_digest(self, group_id: int, now: datetime, until: datetime) -> bool:
        """Take the group's digest round: one process at a time posts a header and items."""
        await self.settings(group_id)
        result = await self._session.execute(
            update(FeedbackSettings)
            .where(
                FeedbackSettings.group_id == group_id,
                or_(FeedbackSettings.digest_lease.is_(None), FeedbackSettings.digest_lease < now),
            )
            .values(digest_lease=until)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    async def release_digest(self, group_id: int) -> None:
        await self._session.execute(
            update(FeedbackSettings)
            .where(FeedbackSettings.group_id == group_id)
            .values(digest_lease=None)
            .execution_options(synchronize_session=False)
        )

    async def unclaim_notice(self, group_id: int, day: date, before: date | None) -> None:
        await self._session.execute(
            update(FeedbackSettings)
            .where(FeedbackSettings.group_id == group_id, FeedbackSettings.notice_day == day)
            .values(notice_day=before)
            .execution_options(synchronize_session=False)
        )

    async def unreached(self) -> list[Feedback]:
        """Items for facilitators that no facilitator has received yet, oldest first."""
        rows = await self._session.scalars(
            select(Feedback)
            .where(
                Feedback.status.in_([PENDING, URGENT]),
                Feedback.reached_facilitators.is_(False),
            )
            .order_by(Feedback.id)
        )
        return list(rows)

    async def due_digest(self, group_id: int, now: datetime) -> list[int]:
        rows = await self._session.scalars(
            select(Feedback.id)
            .where(
                Feedback.group_id == group_id,
                Feedback.status == QUEUED,
                Feedback.due_at <= now,
                or_(Feedback.post_lease.is_(None), Feedback.post_lease < now),
            )
            .order_by(Feedback.id)
        )
        return list(rows)

    async def digest_times(self) -> list[tuple[int, datetime]]:
        """(group, earliest due time) for every group with queued items in an active group."""
        rows = await self._session.execute(
            select(Feedback.group_id, func.min(Feedback.due_at))
            .join(Group, Group.id == Feedback.group_id)
            .where(Feedback.status == QUEUED, Group.active.is_(True))
            .group_by(Feedback.group_id)
        )
        return [(int(group_id), due) for group_id, due in rows if due is not None]

    async def to_post(self, now: datetime) -> list[int]:
        """Approved or direct items whose posting failed or was cut short (lease expired)."""
        rows = await self._session.scalars(
            select(Feedback.id)
            .join(Group, Group.id == Feedback.group_id)
            .where(
                Feedback.status == TO_POST,
                Group.active.is_(True),
                or_(Feedback.post_lease.is_(None), Feedback.post_lease < now),
            )
            .order_by(Feedback.id)
        )
        return list(rows)

    async def requeue(self, group_id: int, due_at: datetime) -> None:
        """The digest hour changed: queued items wait for the new one."""
        await self._session.execute(
            update(Feedback)
            .where(Feedback.group_id == group_id, Feedback.status == QUEUED)
            .values(due_at=due_at)
        )
