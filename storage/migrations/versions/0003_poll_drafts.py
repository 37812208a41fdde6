"""Poll drafts: the guided poll set-up in private, kept in the database across restarts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "poll_drafts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey("groups.id", ondelete="CASCADE"),
            nullable=False,
        ),
        # person_key (an HMAC of the user id), never the id itself; one draft per person.
        sa.Column("owner_key", sa.String(64), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("step", sa.String(24), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("owner_key", name="uq_poll_draft_owner"),
        # Never reuse an id on SQLite: the wizard's buttons name the draft by id.
        sqlite_autoincrement=True,
    )
    op.create_index("ix_poll_drafts_group_id", "poll_drafts", ["group_id"])


def downgrade() -> None:
    op.drop_index("ix_poll_drafts_group_id", table_name="poll_drafts")
    op.drop_table("poll_drafts")
