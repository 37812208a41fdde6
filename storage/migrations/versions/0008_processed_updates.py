"""Update ids already handled, so a redelivered update has one effect.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # No person in here: the bot, Telegram's update number, and when it arrived.
    op.create_table(
        "processed_updates",
        sa.Column("bot_id", sa.BigInteger(), primary_key=True),
        sa.Column("update_id", sa.BigInteger(), primary_key=True),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_processed_updates_seen_at", "processed_updates", ["seen_at"])


def downgrade() -> None:
    op.drop_index("ix_processed_updates_seen_at", table_name="processed_updates")
    op.drop_table("processed_updates")
