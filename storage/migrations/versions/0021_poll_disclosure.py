"""What each poll may publish (issue 12): the rung fixed when it was posted, the rung it
closed on, the roles its notice named, and what it does if too few of a role vote; and each
group's default for that choice.

Polls from before have no rung (NULL): they are judged at closing on their voters alone.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("polls", sa.Column("rung", sa.String(24), nullable=True))
    op.add_column("polls", sa.Column("closed_rung", sa.String(24), nullable=True))
    op.add_column(
        "polls", sa.Column("notice_roles", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("polls", sa.Column("small_roles", sa.String(16), nullable=True))
    op.add_column(
        "groups",
        sa.Column("small_roles", sa.String(16), nullable=False, server_default="notice"),
    )


def downgrade() -> None:
    # Dropped in place, never through a batch copy: copying groups would cascade away every
    # membership on SQLite (see 0012's downgrade).
    op.drop_column("groups", "small_roles")
    op.drop_column("polls", "small_roles")
    op.drop_column("polls", "notice_roles")
    op.drop_column("polls", "closed_rung")
    op.drop_column("polls", "rung")
