"""Telegram's limits shared by every replica (issue 17): flood budgets and edit turns.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # UNLOGGED on PostgreSQL: every message sent pays a write here, and a logged write waits
    # for the WAL to reach the disk (measured: 5 to 8 ms a message here, 0.6 to 3 ms
    # unlogged; bench/shared_limits.py). A crash empties unlogged tables, which only
    # forgets who sent what in the last minute: the buckets start full again, as a restart of
    # a single process does today. SQLite never uses these tables.
    unlogged = ["UNLOGGED"] if op.get_bind().dialect.name == "postgresql" else []
    op.create_table(
        "send_pace",
        sa.Column("bucket", sa.String(length=40), primary_key=True),
        sa.Column("tat", sa.Float(), nullable=False),
        prefixes=unlogged,
    )
    op.create_table(
        "edit_turns",
        sa.Column("group_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("render_seq", sa.BigInteger(), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.Column("lease_until", sa.Float(), nullable=False),
        prefixes=unlogged,
    )


def downgrade() -> None:
    op.drop_table("edit_turns")
    op.drop_table("send_pace")
