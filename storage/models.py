"""SQLAlchemy 2 typed models.

Anonymity is a property of the schema (DESIGN section 3): no table holds a Telegram user id
next to a role, a ballot or feedback. People appear only as keyed hashes (HMAC with the
deployment's secret) that are different in every group, so even two memberships of one
person cannot be linked from a copy of the database.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UTCDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Group(Base):
    """A Telegram group the bot was added to. `chat_id` follows supergroup upgrades."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    title: Mapped[str] = mapped_column(String(255), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_forum: Mapped[bool] = mapped_column(Boolean, default=False)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    anyone_can_poll: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Membership(Base):
    """One person's role in one group, keyed by HMAC(secret, group, user): never a user id."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("group_id", "member_key", name="uq_membership_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    member_key: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    role_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Poll(Base):
    """A poll posted in a group. Deadlines and reminders live here, so they survive restarts."""

    __tablename__ = "polls"
    __table_args__ = (Index("ix_polls_status_deadline", "status", "deadline"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON)
    kind: Mapped[str] = mapped_column(String(16))
    max_choices: Mapped[int] = mapped_column(Integer, default=1)
    visibility: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="open")
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reminder_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    reminder_lease: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    announced: Mapped[bool] = mapped_column(Boolean, default=False)
    announce_lease: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    thread_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Ballot(Base):
    """One person's one ballot in one poll.

    `ballot_key` is HMAC(secret, poll, user): unique per poll, so a second press can only ever
    change this row. The role is the one held when the ballot was (last) cast. `choices` is a
    bit set of option indexes, so the tally is a single GROUP BY. No timestamps: a time of
    voting could be matched against when someone was seen online.
    """

    __tablename__ = "ballots"
    __table_args__ = (
        UniqueConstraint("poll_id", "ballot_key", name="uq_ballot_key"),
        Index("ix_ballots_tally", "poll_id", "role", "choices"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    ballot_key: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    choices: Mapped[int] = mapped_column(Integer)


class PollReason(Base):
    """A short reason given privately with a proposal vote; shown anonymously with results."""

    __tablename__ = "poll_reasons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    option: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(400))


class PollDraft(Base):
    """A poll being set up step by step in a private chat, so a restart loses nothing.

    The owner is `person_key` (an HMAC), never a Telegram id; one draft per person. Drafts
    hold only what the facilitator typed for the poll and are discarded after a day.
    """

    __tablename__ = "poll_drafts"
    # Buttons carry the draft's id, so an id must never come back for a newer draft: SQLite
    # would otherwise reuse the id of the draft just replaced and revive its old buttons.
    __table_args__ = (
        UniqueConstraint("owner_key", name="uq_poll_draft_owner"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    owner_key: Mapped[str] = mapped_column(String(64))
    thread_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    step: Mapped[str] = mapped_column(String(24))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
