"""Languages (issue 15): each person's language, keyed by its own HMAC purpose, and each
group's language for its messages.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "language_choices",
        sa.Column("language_key", sa.String(64), primary_key=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("chosen", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "groups", sa.Column("language", sa.String(8), nullable=False, server_default="en")
    )


def downgrade() -> None:
    # Dropped in place, never through a batch copy (see 0012's downgrade).
    op.drop_column("groups", "language")
    op.drop_table("language_choices")
