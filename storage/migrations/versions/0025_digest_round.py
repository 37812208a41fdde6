"""A digest round held by one process at a time (issue 17): its header is posted once,
however many sweeps or replicas wake at the digest hour.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("feedback_settings", sa.Column("digest_lease", UTCDateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("feedback_settings", "digest_lease")
