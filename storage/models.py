"""SQLAlchemy 2 typed models.

Anonymity is a property of the schema (DESIGN section 3): no table holds a Telegram user id
next to a role, a ballot or feedback. People appear only as keyed hashes (HMAC with the
deployment's secret) that are different in every group, so even two memberships of one
person cannot be linked from a copy of the database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UTCDateTime, random_id


def order_free_id() -> Mapped[int]:
    """A primary key for a row that stands for a person: a random 63-bit number, not a count.

    A counter numbers rows in the order they were written, so a copy of the database would
    show who joined (or first voted, or answered) before whom, beside their role; Telegram
    shows every member when each person joined. The type is INTEGER on SQLite so that it is
    the rowid itself: a separate rowid would count again.
    """
    return mapped_column(
        BigInteger().with_variant(Integer, "sqlite"),
        primary_key=True,
        autoincrement=False,
        default=random_id,
    )


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
    # How many polls were opened here: each poll takes the next number (Poll.number).
    polls_opened: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The group's default when a poll's equal-weight result could give a small role away.
    small_roles: Mapped[str] = mapped_column(String(16), default="notice", server_default="notice")
    # The language of the group's messages (bot/i18n): the adder's at first, then /grouplanguage.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When newcomers were last welcomed: at most one welcome per window, whichever process
    # sees the arrivals (a conditional UPDATE claims it). The group saw that message anyway.
    welcomed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Membership(Base):
    """One person's role in one group, keyed by HMAC(secret, group, user): never a user id.

    No date and no order: when someone joined or changed role could be matched against the
    group's "X joined" history, which every member sees. The id is random, and a group's
    rows are written again in random order whenever one changes
    (storage/repositories/memberships.py), so neither row order nor, on PostgreSQL, where a
    row sits in the table or which transaction wrote it tells who came first.
    """

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("group_id", "member_key", name="uq_membership_key"),)

    id: Mapped[int] = order_free_id()
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    member_key: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    # While a change of role settles (bot/domain/role_changes.py): the role before it, and the
    # number of the first poll the new role counts in (polls opened before it keep the old
    # one). A poll number, not a date; both go once those polls have closed.
    previous_role: Mapped[str | None] = mapped_column(String(16), nullable=True)
    role_applies_from: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Poll(Base):
    """A poll posted in a group. Deadlines and reminders live here, so they survive restarts."""

    __tablename__ = "polls"
    __table_args__ = (Index("ix_polls_status_deadline", "status", "deadline"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    # The group's 1st, 2nd, 3rd... poll: a ballot counts under the role held when it opened.
    number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
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
    # What it may publish (bot/domain/disclosure.py): the rung fixed when posted (NULL: a poll
    # from before rungs), the rung it closed on, the roles its notice named (bits in ROLES
    # order) and what it does if too few of a role vote ("notice" or "protect").
    rung: Mapped[str | None] = mapped_column(String(24), nullable=True)
    closed_rung: Mapped[str | None] = mapped_column(String(24), nullable=True)
    notice_roles: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    small_roles: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # A closed poll's ballot and reason keys stay linked until this time (the reopen window,
    # issue 14 point 4), then they are unlinked and it is NULL again: NULL on an open poll
    # and on a closed one whose keys are unlinked.
    unlink_after: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    results_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    reopened: Mapped[bool] = mapped_column(Boolean, default=False)


class Ballot(Base):
    """One person's one ballot in one poll.

        `ballot_key` is HMAC(secret, poll, user): unique per poll, so a second press can only ever
        change this row. The role is the one held when the poll opened, written with the first
    ballot and never rewritten by a later press (bot/domain/role_changes.py). `choices` is a
        bit set of option indexes, so the tally is a single GROUP BY. No timestamps: a time of
        voting could be matched against when someone was seen online.
    """

    __tablename__ = "ballots"
    __table_args__ = (
        UniqueConstraint("poll_id", "ballot_key", name="uq_ballot_key"),
        Index("ix_ballots_tally", "poll_id", "role", "choices"),
    )

    id: Mapped[int] = order_free_id()
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    ballot_key: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    choices: Mapped[int] = mapped_column(Integer)


class PollReason(Base):
    """A short reason given privately with a proposal vote; shown anonymously with results."""

    __tablename__ = "poll_reasons"
    __table_args__ = (UniqueConstraint("poll_id", "reason_key", name="uq_poll_reason_key"),)

    id: Mapped[int] = order_free_id()
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    option: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(400))
    # HMAC(secret, "reason", poll, user): one reason per person, replaced when they write
    # again and dropped when they no longer disagree; it matches no ballot key.
    reason_key: Mapped[str | None] = mapped_column(String(64), nullable=True)


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


class FeedbackSettings(Base):
    """How a group's anonymous feedback reaches it, and the counter behind "#N"."""

    __tablename__ = "feedback_settings"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    delivery: Mapped[str] = mapped_column(String(16), default="moderated")
    digest_hour: Mapped[int] = mapped_column(Integer, default=17)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
    # The local day the group was last told, content-free, that feedback waits for a
    # facilitator: at most once a day, at a fixed hour, whatever process posts it.
    notice_day: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Held while one process posts a digest round (header, then items): two sweeps, or two
    # replicas, that wake at the hour would otherwise each post a header for half the items.
    digest_lease: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Feedback(Base):
    """One anonymous feedback item. It holds NOTHING that points at its sender: no user id,
    no keyed hash, and its arrival only to the hour (a minute could be matched to who was
    online). `number` is the group's "#N", given when it is posted, so rejected items leave
    no gaps for the group to count.
    """

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("group_id", "number", name="uq_feedback_number"),
        Index("ix_feedback_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    role_tag: Mapped[str | None] = mapped_column(String(16), nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    reached_facilitators: Mapped[bool] = mapped_column(Boolean, default=False)
    number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    post_lease: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Urgent items: when a facilitator first pressed "I've seen this" (never who), and when
    # to remind the facilitators if nobody has (cleared once reminded or seen).
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # An agenda item sent privately to a group whose feedback is moderated: the meeting date
    # it is for. It goes through the same moderation, and Publish lists it on that agenda
    # instead of posting it. No foreign key: a date deleted since just cannot take it.
    occurrence_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)


class FeedbackReplyChannel(Base):
    """An item whose writer let the facilitators reply privately: where to write to them
    (the chat id sealed, bot/sealing.py), until when (to the hour, as the item's arrival),
    and today's message counts each way (the rate limits). Its own table, apart from the
    item's row, deleted at expiry, on /forgetme, "Stop replies", or when the writer blocks
    the bot.
    """

    __tablename__ = "feedback_reply_channels"

    id: Mapped[int] = order_free_id()
    feedback_id: Mapped[int] = mapped_column(
        ForeignKey("feedback.id", ondelete="CASCADE"), unique=True
    )
    sealed_chat: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    day: Mapped[date | None] = mapped_column(Date, nullable=True)
    from_writer: Mapped[int] = mapped_column(Integer, default=0)
    from_facilitators: Mapped[int] = mapped_column(Integer, default=0)


class Outcome(Base):
    """ "You said, we did": what became of a published feedback item or a closed poll, as a
    facilitator recorded it. About the group's decisions, never about a person.
    """

    __tablename__ = "outcomes"
    __table_args__ = (UniqueConstraint("subject", "subject_id", name="uq_outcome_subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(8))  # "feedback" or "poll"
    subject_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    why: Mapped[str | None] = mapped_column(Text, nullable=True)
    owner: Mapped[str | None] = mapped_column(String(120), nullable=True)
    review_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    review_reminded: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutcomeSettings(Base):
    """Whether a group gets the monthly "You said, we did" digest, and the last month sent."""

    __tablename__ = "outcome_settings"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    monthly: Mapped[bool] = mapped_column(Boolean, default=False)
    last_month: Mapped[str | None] = mapped_column(String(7), nullable=True)  # "2026-12"


class FeedbackCopy(Base):
    """Where a facilitator's copy of an urgent or moderated item was sent, so that the first
    "I've seen this", Publish or Reject can update every facilitator's copy. The chat id is
    sealed (bot/sealing.py); rows go at that first action, or with the item's text at the end
    of the retention period.
    """

    __tablename__ = "feedback_copies"

    id: Mapped[int] = order_free_id()
    feedback_id: Mapped[int] = mapped_column(
        ForeignKey("feedback.id", ondelete="CASCADE"), index=True
    )
    sealed_chat: Mapped[str] = mapped_column(String(255))
    message_id: Mapped[int] = mapped_column(BigInteger)


class FeedbackCounter(Base):
    """Today's feedback count per person and group, under a key that changes every day
    (daily_key), so yesterday's rows link to nobody and are deleted anyway.
    """

    __tablename__ = "feedback_counters"

    counter_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class UrgentMute(Base):
    """A sender whose urgent items a facilitator muted, until a time: their mute key
    (`mute_key`, derived from group and person like the daily counters), never beside an
    item. Deleted once over.
    """

    __tablename__ = "urgent_mutes"

    mute_key: Mapped[str] = mapped_column(String(16), primary_key=True)
    until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class LanguageChoice(Base):
    """The language a person reads, keyed by its own HMAC purpose (language_key): nothing
    beside it, so it joins no role, ballot or feedback. `chosen` is False while it only
    follows Telegram's language setting, True once the person picked it with /language.
    """

    __tablename__ = "language_choices"

    language_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    language: Mapped[str] = mapped_column(String(8))
    chosen: Mapped[bool] = mapped_column(Boolean, default=False)


class ReachablePerson(Base):
    """Someone who has opened a private chat with the bot, as person_key only: how the bot
    knows which facilitators it can message without trying (and failing) every admin.
    """

    __tablename__ = "reachable_people"

    person_key: Mapped[str] = mapped_column(String(64), primary_key=True)


# ---------------------------------------------------------------------------------- meetings


class Meeting(Base):
    """A meeting, or a series of them. The rule is in LOCAL time (start_local + zone), so a
    series keeps its wall-clock hour across daylight-saving changes; occurrences are rows."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(300), default="")
    zone: Mapped[str] = mapped_column(String(64))
    start_local: Mapped[datetime] = mapped_column(DateTime(timezone=False))  # naive wall clock
    recurrence: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16), default="active")
    thread_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    generated_until: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Raised by every move or cancellation: the calendar files' SEQUENCE, so a file made
    # later replaces the copy already in people's calendars (RFC 5545 3.8.7.4).
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class MeetingOccurrence(Base):
    """One date of a meeting. `series_local` is the rule's local start it came from, so the
    horizon can be extended without making the same date twice."""

    __tablename__ = "meeting_occurrences"
    __table_args__ = (
        UniqueConstraint("meeting_id", "series_local", name="uq_occurrence_series_local"),
        Index("ix_occurrences_starts_at", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    series_local: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    moved: Mapped[bool] = mapped_column(Boolean, default=False)
    message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # as above


class MeetingRsvp(Base):
    """One person's one answer to one occurrence, keyed by HMAC(secret, occurrence, user).

    Like a ballot it may carry the role (for the "no carers coming" warning) but never a user
    id, and no timestamp.
    """

    __tablename__ = "meeting_rsvps"
    __table_args__ = (UniqueConstraint("occurrence_id", "rsvp_key", name="uq_rsvp_key"),)

    id: Mapped[int] = order_free_id()
    occurrence_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_occurrences.id", ondelete="CASCADE"), index=True
    )
    rsvp_key: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    answer: Mapped[int] = mapped_column(Integer)


class MeetingReminder(Base):
    """One group reminder: one per occurrence and offset. Claimed with a lease, then marked."""

    __tablename__ = "meeting_reminders"
    __table_args__ = (
        UniqueConstraint("occurrence_id", "offset_minutes", name="uq_reminder_offset"),
        Index("ix_meeting_reminders_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurrence_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_occurrences.id", ondelete="CASCADE"), index=True
    )
    offset_minutes: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class MeetingDmOptIn(Base):
    """ "Remind me privately": an occurrence, whose it is, and where to write. Nothing else.

    Apart from meeting_rsvps, with no role, answer or time. The person is their `person_key`
    (an HMAC) and the chat id is sealed (bot/sealing.py), so a copy of the database alone
    names nobody beside the date they said they would come to. Once the date's last group
    reminder is sent, a sender claims the row with a lease (`lease_until`, the only time here,
    and about the bot's work, not the person), sends, then deletes it; a send that failed for
    now leaves the row to be claimed again when the lease runs out, one that cannot succeed
    (blocked, chat not found) deletes it. Rows are also dropped when the person answers Can't
    come and when the occurrence is cancelled or has started.
    """

    __tablename__ = "meeting_dm_optins"
    __table_args__ = (UniqueConstraint("occurrence_id", "person_key", name="uq_dm_optin"),)

    id: Mapped[int] = order_free_id()
    occurrence_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_occurrences.id", ondelete="CASCADE"), index=True
    )
    person_key: Mapped[str] = mapped_column(String(64))
    sealed_chat: Mapped[str] = mapped_column(String(255))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AgendaItem(Base):
    """An agenda item for a group's next meeting; no author is stored, so private ones are
    anonymous by construction."""

    __tablename__ = "meeting_agenda_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurrence_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_occurrences.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(400))


class MeetingDraft(Base):
    """A meeting typed but not yet confirmed (one-line or guided); one per person, by
    person_key. Nothing is a meeting until Save is pressed."""

    __tablename__ = "meeting_drafts"
    __table_args__ = (
        UniqueConstraint("owner_key", name="uq_meeting_draft_owner"),
        {"sqlite_autoincrement": True},  # buttons name the draft: never reuse an id
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    owner_key: Mapped[str] = mapped_column(String(64))
    thread_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    step: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class MeetingPrefs(Base):
    """A group's reminder offsets (minutes before a meeting); no row means the defaults."""

    __tablename__ = "meeting_prefs"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    offsets: Mapped[list[int]] = mapped_column(JSON)


class InvolvementSettings(Base):
    """Whether a group records involvement for payment (issue 16.2); off unless switched on."""

    __tablename__ = "involvement_settings"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    recording: Mapped[bool] = mapped_column(Boolean, default=False)


class InvolvementPerson(Base):
    """Someone who chose to have their involvement recorded in one group: the name they gave
    (for payroll) and whether they want payment. Keyed by a key of its own label, so nothing
    joins it to their role, ballots, answers or feedback; no date is kept."""

    __tablename__ = "involvement_people"
    __table_args__ = (UniqueConstraint("group_id", "person_key", name="uq_involvement_person"),)

    id: Mapped[int] = order_free_id()
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    person_key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(80))
    wants_payment: Mapped[bool] = mapped_column(Boolean, default=True)


class InvolvementEntry(Base):
    """One meeting a person said they took part in: the date and meeting, optional minutes and
    travel expenses they typed, and whether facilitators have exported it. Never a role, a
    vote, an answer, a reason or feedback."""

    __tablename__ = "involvement_entries"
    __table_args__ = (UniqueConstraint("person_key", "occurrence_id", name="uq_involvement_entry"),)

    id: Mapped[int] = order_free_id()
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    person_key: Mapped[str] = mapped_column(String(64))
    occurrence_id: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date)
    meeting: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    expenses_pence: Mapped[int | None] = mapped_column(Integer, nullable=True)
    exported: Mapped[bool] = mapped_column(Boolean, default=False)


class ProcessedUpdate(Base):
    """An update the bot has begun to handle, so a second delivery of it (a webhook retry, a
    replay after a restart, the other replica) has no effect. Holds nothing about a person:
    the bot's id, Telegram's update number, and when it came (rows go after two days; Telegram
    never delivers an update older than one).
    """

    __tablename__ = "processed_updates"

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class DeploymentKey(Base):
    """Which SECRET_KEY this database was set up with, as a fingerprint (an HMAC of a fixed
    text under the key, bot/domain/keyed_hash.py): a start with another key is refused
    instead of silently forgetting every role. One row."""

    __tablename__ = "deployment_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    fingerprint: Mapped[str] = mapped_column(String(64))


class SendPace(Base):
    """A shared flood budget (a group's, or the bot's overall) as a GCRA bucket's theoretical
    arrival time in epoch seconds: every replica reserves its sends here (storage/shared_limits.py).
    Holds a chat id only for groups, never a person."""

    __tablename__ = "send_pace"

    bucket: Mapped[str] = mapped_column(String(40), primary_key=True)
    tat: Mapped[float] = mapped_column(Float)


class EditTurn(Base):
    """Whose turn it is to edit a group's poll and meeting messages, across replicas: the newest
    render's number, when the next turn may start and when this one's lease ends (epoch s)."""

    __tablename__ = "edit_turns"

    group_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    render_seq: Mapped[int] = mapped_column(BigInteger)
    next_at: Mapped[float] = mapped_column(Float)
    lease_until: Mapped[float] = mapped_column(Float)
