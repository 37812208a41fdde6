"""Reopening a poll closed by mistake (issue 14, point 4): how long its ballot keys stay
linked after the close (the reopen window), the results message to edit when it is reopened
or the window ends, and whether it was reopened (once only).

Polls from before were unlinked at their close: NULL, so nothing is pending for them.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("polls", sa.Column("unlink_after", UTCDateTime(), nullable=True))
    op.add_column("polls", sa.Column("results_message_id", sa.BigInteger(), nullable=True))
    op.add_column(
        "polls", sa.Column("reopened", sa.Boolean(), nullable=False, server_default=sa.false())
    )


def downgrade() -> None:
    # Dropped in place (see 0021): a batch copy of polls would cascade away its ballots.
    op.drop_column("polls", "reopened")
    op.drop_column("polls", "results_message_id")
    op.drop_column("polls", "unlink_after")
