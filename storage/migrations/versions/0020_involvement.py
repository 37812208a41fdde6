"""The opt-in involvement record (issue 16, part 2): whether a group records it, the people
who chose to be recorded (a name they gave, payment wanted or not) and the meetings they took
part in (date, meeting, optional minutes and travel expenses, exported or not). Keyed by an
involvement key of its own label: nothing joins it to roles, ballots, answers or feedback.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | None = None
depends_on: str | None = None

_RANDOM_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "involvement_settings",
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey("groups.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("recording", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "involvement_people",
        sa.Column("id", _RANDOM_ID, primary_key=True, autoincrement=False),
        sa.Column(
            "group_id", sa.Integer(), sa.ForeignKey("groups.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("person_key", sa.String(64), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("wants_payment", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.UniqueConstraint("group_id", "person_key", name="uq_involvement_person"),
    )
    op.create_table(
        "involvement_entries",
        sa.Column("id", _RANDOM_ID, primary_key=True, autoincrement=False),
        sa.Column(
            "group_id", sa.Integer(), sa.ForeignKey("groups.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("person_key", sa.String(64), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("meeting", sa.String(200), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("expenses_pence", sa.Integer(), nullable=True),
        sa.Column("exported", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("person_key", "occurrence_id", name="uq_involvement_entry"),
    )
    op.create_index("ix_involvement_entries_group_id", "involvement_entries", ["group_id"])


def downgrade() -> None:
    op.drop_index("ix_involvement_entries_group_id", table_name="involvement_entries")
    op.drop_table("involvement_entries")
    op.drop_table("involvement_people")
    op.drop_table("involvement_settings")
