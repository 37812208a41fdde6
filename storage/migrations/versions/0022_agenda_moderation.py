"""Private agenda items go through the group's feedback moderation (issue 13, point 5): a
feedback row may be an agenda item waiting for a facilitator, for one meeting date.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("feedback", sa.Column("occurrence_id", sa.Integer(), nullable=True))
    op.create_index("ix_feedback_occurrence_id", "feedback", ["occurrence_id"])


def downgrade() -> None:
    # Dropped in place, never through a batch copy: copying feedback would cascade away its
    # reply channels and copies on SQLite (see 0012's downgrade).
    op.drop_index("ix_feedback_occurrence_id", table_name="feedback")
    op.drop_column("feedback", "occurrence_id")
