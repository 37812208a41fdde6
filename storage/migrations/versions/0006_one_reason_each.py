"""One proposal reason per person per poll.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("poll_reasons") as table:
        table.add_column(sa.Column("reason_key", sa.String(64), nullable=True))
        table.create_unique_constraint("uq_poll_reason_key", ["poll_id", "reason_key"])


def downgrade() -> None:
    with op.batch_alter_table("poll_reasons") as table:
        table.drop_constraint("uq_poll_reason_key", type_="unique")
        table.drop_column("reason_key")
