"""Unit of work: one session per update; commits only when told to, rolls back otherwise."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Self

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.models import MeetingDraft, PollDraft
from storage.repositories.drafts import DraftRepository
from storage.repositories.feedback import FeedbackRepository
from storage.repositories.feedback_counters import FeedbackCounterRepository
from storage.repositories.groups import GroupRepository
from storage.repositories.involvement import InvolvementRepository
from storage.repositories.languages import LanguageRepository
from storage.repositories.meeting_reminders import MeetingReminderRepository
from storage.repositories.meetings import MeetingRepository
from storage.repositories.memberships import MembershipRepository
from storage.repositories.outcomes import OutcomeRepository
from storage.repositories.polls import PollRepository
from storage.repositories.processed_updates import ProcessedUpdateRepository
from storage.repositories.reachable_people import ReachablePeopleRepository
from storage.repositories.reply_channels import ReplyChannelRepository
from storage.repositories.reports import ReportRepository
from storage.repositories.urgent_feedback import UrgentFeedbackRepository
from storage.repositories.urgent_mutes import UrgentMuteRepository
from storage.votes_at_once import VotesAtOnce, votes_at_once


class UnitOfWork:
    """`async with uow:` opens a session; `await uow.commit()` makes the work stick."""

    groups: GroupRepository
    members: MembershipRepository
    polls: PollRepository
    poll_drafts: DraftRepository[PollDraft]
    meeting_drafts: DraftRepository[MeetingDraft]
    feedback: FeedbackRepository
    feedback_counters: FeedbackCounterRepository
    urgent: UrgentFeedbackRepository
    urgent_mutes: UrgentMuteRepository
    replies: ReplyChannelRepository
    outcomes: OutcomeRepository
    reports: ReportRepository
    involvement: InvolvementRepository
    reachable: ReachablePeopleRepository
    languages: LanguageRepository
    meetings: MeetingRepository
    meeting_reminders: MeetingReminderRepository
    updates: ProcessedUpdateRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("use the unit of work inside `async with`")
        return self._session

    async def __aenter__(self) -> Self:
        self._session = self._sessions()
        self.groups = GroupRepository(self._session)
        self.members = MembershipRepository(self._session)
        self.polls = PollRepository(self._session)
        self.poll_drafts = DraftRepository(self._session, PollDraft)
        self.meeting_drafts = DraftRepository(self._session, MeetingDraft)
        self.meetings = MeetingRepository(self._session)
        self.meeting_reminders = MeetingReminderRepository(self._session)
        self.feedback = FeedbackRepository(self._session)
        self.feedback_counters = FeedbackCounterRepository(self._session)
        self.urgent = UrgentFeedbackRepository(self._session)
        self.urgent_mutes = UrgentMuteRepository(self._session)
        self.replies = ReplyChannelRepository(self._session)
        self.outcomes = OutcomeRepository(self._session)
        self.reports = ReportRepository(self._session)
        self.involvement = InvolvementRepository(self._session)
        self.reachable = ReachablePeopleRepository(self._session)
        self.languages = LanguageRepository(self._session)
        self.updates = ProcessedUpdateRepository(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            await session.rollback()
        finally:
            await session.close()
            self._session = None

    async def commit(self) -> None:
        await self.session.commit()

    def votes_at_once(self) -> AbstractAsyncContextManager[VotesAtOnce | None]:
        """PostgreSQL's two-round-trip vote (storage/votes_at_once.py), on a connection of its
        own, outside this unit's transaction; None on SQLite."""
        bind = self.session.bind
        assert isinstance(bind, AsyncEngine)
        return votes_at_once(bind)

    async def scrub(self) -> None:
        """After committing an erasure or an unlinking: leave the old values nowhere in the
        database's files. On SQLite, secure_delete (storage/engine.py) has zeroed them in
        the pages, but earlier copies of those pages still stand in the write-ahead log; a
        TRUNCATE checkpoint copies the log into the database file and empties it (waiting,
        up to the busy timeout, for readers of older snapshots). On PostgreSQL the old rows
        stay as dead tuples until (auto)vacuum: docs/PRIVACY.md says what to do about it.
        """
        if self.session.get_bind().dialect.name == "sqlite":
            await self.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


class UnitOfWorkFactory:
    """What handlers hold: a fresh unit of work per use (`async with factory() as uow`)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.sessions)
