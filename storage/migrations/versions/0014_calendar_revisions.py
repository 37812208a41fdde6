"""Meetings and their dates count their changes: the SEQUENCE of the calendar files.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | None = None
depends_on: str | None = None

_TABLES = ("meetings", "meeting_occurrences")


def upgrade() -> None:
    for name in _TABLES:
        with op.batch_alter_table(name) as table:
            table.add_column(
                sa.Column("revision", sa.Integer(), nullable=False, server_default="0")
            )


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+ too): a batch copy would drop the old table, and with
    # foreign keys on, every date, answer and reminder of it by ON DELETE CASCADE.
    for name in _TABLES:
        op.execute(f"ALTER TABLE {name} DROP COLUMN revision")
