"""Urgent feedback answered, not just seen: when it was first marked seen (never by whom),
when to remind facilitators, and where its copies went (sealed), to update them all.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("feedback") as table:
        table.add_column(sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("remind_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "feedback_copies",
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
        ),
        sa.Column("sealed_chat", sa.String(255), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_feedback_copies_feedback_id", "feedback_copies", ["feedback_id"])


def downgrade() -> None:
    op.drop_index("ix_feedback_copies_feedback_id", table_name="feedback_copies")
    op.drop_table("feedback_copies")
    # A plain DROP COLUMN (SQLite 3.35+ too), as in 0014: never a batch copy of a table.
    op.execute("ALTER TABLE feedback DROP COLUMN remind_at")
    op.execute("ALTER TABLE feedback DROP COLUMN seen_at")
