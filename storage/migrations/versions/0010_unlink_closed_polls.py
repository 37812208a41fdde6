"""Unlink the ballots and reasons of polls closed before closing did it (storage/unlinking.py).

From this release a poll's ballot keys become random values and its reason keys are dropped
when it closes; polls closed earlier get the same here, once. There is no way back: the
downgrade leaves them unlinked.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None

# The same values as storage/unlinking.py makes; spelled out here because a migration must
# keep doing what it did when it was written, whatever the code becomes.
_RANDOM = {
    "postgresql": "'~' || replace(CAST(gen_random_uuid() AS VARCHAR), '-', '')",
    "sqlite": "'~' || lower(hex(randomblob(16)))",
}
_CLOSED = "SELECT id FROM polls WHERE status = 'closed'"


def upgrade() -> None:
    bind = op.get_bind()
    random = _RANDOM[bind.dialect.name]
    bind.execute(
        sa.text(
            f"UPDATE ballots SET ballot_key = {random} "  # noqa: S608 - constants only
            f"WHERE poll_id IN ({_CLOSED}) AND ballot_key NOT LIKE '~%'"
        )
    )
    bind.execute(
        sa.text(
            f"UPDATE poll_reasons SET reason_key = NULL "  # noqa: S608 - constants only
            f"WHERE poll_id IN ({_CLOSED}) AND reason_key IS NOT NULL"
        )
    )


def downgrade() -> None:
    """Unlinked stays unlinked: nothing can find whose ballot was whose."""
