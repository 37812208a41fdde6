"""Feedback that can be answered, still anonymous: an item's writer may let facilitators
reply privately; where to write to them is kept sealed, in its own table, for 30 days.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "feedback_reply_channels",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column(
            "feedback_id",
            sa.Integer(),
            sa.ForeignKey("feedback.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("sealed_chat", sa.String(255), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("from_writer", sa.Integer(), nullable=False),
        sa.Column("from_facilitators", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("feedback_reply_channels")
