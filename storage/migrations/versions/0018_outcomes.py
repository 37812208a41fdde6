""" "You said, we did": outcomes of published feedback and closed polls, and each group's
monthly digest setting.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey("groups.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("subject", sa.String(8), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("why", sa.Text(), nullable=True),
        sa.Column("owner", sa.String(120), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("review_reminded", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("subject", "subject_id", name="uq_outcome_subject"),
    )
    op.create_index("ix_outcomes_group_id", "outcomes", ["group_id"])
    op.create_table(
        "outcome_settings",
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey("groups.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("monthly", sa.Boolean(), nullable=False),
        sa.Column("last_month", sa.String(7), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("outcome_settings")
    op.drop_index("ix_outcomes_group_id", table_name="outcomes")
    op.drop_table("outcomes")
