"""Polls, anonymous ballots (one per keyed hash) and anonymous proposal reasons.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "polls",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey("groups.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("max_choices", sa.Integer(), nullable=False),
        sa.Column("visibility", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("deadline", UTCDateTime(), nullable=True),
        sa.Column("remind_at", UTCDateTime(), nullable=True),
        sa.Column("reminder_sent", sa.Boolean(), nullable=False),
        # Leases: a job claims the work until then, sends, then marks it done; a process that
        # dies mid-send leaves the lease to expire, and the sweep tries again.
        sa.Column("reminder_lease", UTCDateTime(), nullable=True),
        sa.Column("announced", sa.Boolean(), nullable=False),
        sa.Column("announce_lease", UTCDateTime(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_polls_group_id", "polls", ["group_id"])
    op.create_index("ix_polls_status_deadline", "polls", ["status", "deadline"])
    op.create_table(
        "ballots",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "poll_id",
            sa.Integer(),
            sa.ForeignKey("polls.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("ballot_key", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("choices", sa.Integer(), nullable=False),
        sa.UniqueConstraint("poll_id", "ballot_key", name="uq_ballot_key"),
    )
    op.create_index("ix_ballots_tally", "ballots", ["poll_id", "role", "choices"])
    op.create_table(
        "poll_reasons",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "poll_id",
            sa.Integer(),
            sa.ForeignKey("polls.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("option", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(400), nullable=False),
    )
    op.create_index("ix_poll_reasons_poll_id", "poll_reasons", ["poll_id"])


def downgrade() -> None:
    op.drop_index("ix_poll_reasons_poll_id", table_name="poll_reasons")
    op.drop_table("poll_reasons")
    op.drop_index("ix_ballots_tally", table_name="ballots")
    op.drop_table("ballots")
    op.drop_index("ix_polls_status_deadline", table_name="polls")
    op.drop_index("ix_polls_group_id", table_name="polls")
    op.drop_table("polls")
