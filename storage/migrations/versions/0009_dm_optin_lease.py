"""A lease on a personal reminder's opt-in, so a send that fails for now is tried again.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # When a sender's claim runs out: about the bot's work, nothing about the person.
    with op.batch_alter_table("meeting_dm_optins") as table:
        table.add_column(sa.Column("lease_until", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meeting_dm_optins") as table:
        table.drop_column("lease_until")
