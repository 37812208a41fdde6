"""Facilitators' mutes of one sender's urgent items (issue 13, point 8): the sender's keyed
mute key and when the mute ends, nothing else.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "urgent_mutes",
        sa.Column("mute_key", sa.String(16), primary_key=True),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_urgent_mutes_until", "urgent_mutes", ["until"])


def downgrade() -> None:
    op.drop_index("ix_urgent_mutes_until", table_name="urgent_mutes")
    op.drop_table("urgent_mutes")
