"""The fingerprint of the SECRET_KEY the database was set up with.

One row, written at the first start after this migration (bot/startup.py): a later start with
another key is refused, because every keyed hash would silently stop matching (every role
forgotten, everyone able to vote again in open polls).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "deployment_key",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("deployment_key")
