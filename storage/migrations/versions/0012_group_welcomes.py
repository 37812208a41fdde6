"""When newcomers to a group were last welcomed, so arrivals close together share one welcome.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("groups") as table:
        table.add_column(sa.Column("welcomed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+ too): a batch copy of `groups` would drop the old
    # table, and with foreign keys on, every membership, poll and ballot by ON DELETE CASCADE.
    op.execute("ALTER TABLE groups DROP COLUMN welcomed_at")
