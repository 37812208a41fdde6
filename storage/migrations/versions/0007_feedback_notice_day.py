"""The day a group was last told that feedback waits for a facilitator.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("feedback_settings") as table:
        table.add_column(sa.Column("notice_day", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feedback_settings") as table:
        table.drop_column("notice_day")
