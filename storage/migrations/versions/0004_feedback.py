"""Anonymous feedback: items, per-group delivery settings, daily counters, reachable people.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "feedback_settings",
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey("groups.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("delivery", sa.String(16), nullable=False),
        sa.Column("digest_hour", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
    )
    # No user id and no keyed hash of the sender: nothing in a feedback row points at anyone.
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey("groups.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("role_tag", sa.String(16), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("reached_facilitators", sa.Boolean(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("due_at", UTCDateTime(), nullable=True),
        sa.Column("post_lease", UTCDateTime(), nullable=True),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("posted_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("group_id", "number", name="uq_feedback_number"),
    )
    op.create_index("ix_feedback_group_id", "feedback", ["group_id"])
    op.create_index("ix_feedback_status_due", "feedback", ["status", "due_at"])
    # Keyed by a hash that changes daily; rows older than a day are deleted.
    op.create_table(
        "feedback_counters",
        sa.Column("counter_key", sa.String(64), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
    )
    op.create_index("ix_feedback_counters_day", "feedback_counters", ["day"])
    op.create_table(
        "reachable_people",
        sa.Column("person_key", sa.String(64), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("reachable_people")
    op.drop_index("ix_feedback_counters_day", table_name="feedback_counters")
    op.drop_table("feedback_counters")
    op.drop_index("ix_feedback_status_due", table_name="feedback")
    op.drop_index("ix_feedback_group_id", table_name="feedback")
    op.drop_table("feedback")
    op.drop_table("feedback_settings")
