"""Meetings: series in local time, occurrences, anonymous RSVPs, leased reminders, opt-ins.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def _fk(column: str, target: str) -> sa.Column[int]:
    return sa.Column(
        column, sa.Integer(), sa.ForeignKey(f"{target}.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("group_id", "groups"),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("place", sa.String(300), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        # Naive on purpose: the series' wall-clock start, stepped in local time.
        sa.Column("start_local", sa.DateTime(timezone=False), nullable=False),
        sa.Column("recurrence", sa.String(24), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("generated_until", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_meetings_group_id", "meetings", ["group_id"])
    op.create_table(
        "meeting_occurrences",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("meeting_id", "meetings"),
        sa.Column("series_local", sa.String(32), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("moved", sa.Boolean(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.UniqueConstraint("meeting_id", "series_local", name="uq_occurrence_series_local"),
    )
    op.create_index("ix_meeting_occurrences_meeting_id", "meeting_occurrences", ["meeting_id"])
    op.create_index("ix_occurrences_starts_at", "meeting_occurrences", ["status", "starts_at"])
    op.create_table(
        "meeting_rsvps",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("occurrence_id", "meeting_occurrences"),
        sa.Column("rsvp_key", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("answer", sa.Integer(), nullable=False),
        sa.UniqueConstraint("occurrence_id", "rsvp_key", name="uq_rsvp_key"),
    )
    op.create_index("ix_meeting_rsvps_occurrence_id", "meeting_rsvps", ["occurrence_id"])
    op.create_table(
        "meeting_reminders",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("occurrence_id", "meeting_occurrences"),
        sa.Column("offset_minutes", sa.Integer(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        # The claim: a process owns the reminder until then, sends, then marks it sent.
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("occurrence_id", "offset_minutes", name="uq_reminder_offset"),
    )
    op.create_index("ix_meeting_reminders_occurrence_id", "meeting_reminders", ["occurrence_id"])
    op.create_index("ix_meeting_reminders_due", "meeting_reminders", ["status", "due_at"])
    op.create_table(
        "meeting_dm_optins",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("occurrence_id", "meeting_occurrences"),
        # No role or answer; the person as an HMAC and the chat id sealed (bot/sealing.py).
        sa.Column("person_key", sa.String(64), nullable=False),
        sa.Column("sealed_chat", sa.String(255), nullable=False),
        sa.UniqueConstraint("occurrence_id", "person_key", name="uq_dm_optin"),
    )
    op.create_index("ix_meeting_dm_optins_occurrence_id", "meeting_dm_optins", ["occurrence_id"])
    op.create_table(
        "meeting_agenda_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("occurrence_id", "meeting_occurrences"),
        sa.Column("text", sa.String(400), nullable=False),
    )
    op.create_index(
        "ix_meeting_agenda_items_occurrence_id", "meeting_agenda_items", ["occurrence_id"]
    )
    op.create_table(
        "meeting_drafts",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("group_id", "groups"),
        sa.Column("owner_key", sa.String(64), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("step", sa.String(16), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("owner_key", name="uq_meeting_draft_owner"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_meeting_drafts_group_id", "meeting_drafts", ["group_id"])
    op.create_table(
        "meeting_prefs",
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey("groups.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("offsets", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("meeting_prefs")
    op.drop_index("ix_meeting_drafts_group_id", table_name="meeting_drafts")
    op.drop_table("meeting_drafts")
    for table in ("meeting_agenda_items", "meeting_dm_optins", "meeting_reminders"):
        op.drop_index(f"ix_{table}_occurrence_id", table_name=table)
    op.drop_index("ix_meeting_reminders_due", table_name="meeting_reminders")
    for table in ("meeting_agenda_items", "meeting_dm_optins", "meeting_reminders"):
        op.drop_table(table)
    op.drop_index("ix_meeting_rsvps_occurrence_id", table_name="meeting_rsvps")
    op.drop_table("meeting_rsvps")
    op.drop_index("ix_occurrences_starts_at", table_name="meeting_occurrences")
    op.drop_index("ix_meeting_occurrences_meeting_id", table_name="meeting_occurrences")
    op.drop_table("meeting_occurrences")
    op.drop_index("ix_meetings_group_id", table_name="meetings")
    op.drop_table("meetings")
