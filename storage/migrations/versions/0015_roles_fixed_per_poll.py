"""Roles fixed per poll: polls are numbered per group, and a change of role waits for the
polls opened before it (bot/domain/role_changes.py).

`groups.polls_opened` counts the polls opened in the group; `polls.number` is each poll's
place in that count (existing polls are numbered in the order they were created);
`memberships.previous_role` and `memberships.role_applies_from` hold a change of role while
it settles (a poll number, never a date). Existing memberships have no change settling.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # Plain ADD and DROP COLUMN (SQLite 3.35+ too), never a batch copy of the table: with
    # foreign keys on, SQLite's copy-and-drop of `groups` or `polls` would delete every row
    # that hangs off them (memberships, ballots...) by ON DELETE CASCADE.
    op.add_column(
        "groups", sa.Column("polls_opened", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("polls", sa.Column("number", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("memberships", sa.Column("previous_role", sa.String(16), nullable=True))
    op.add_column("memberships", sa.Column("role_applies_from", sa.Integer(), nullable=True))
    # Poll ids grow as polls are created, so they give each group's order.
    op.execute(
        "UPDATE polls SET number = (SELECT count(*) FROM polls AS earlier "
        "WHERE earlier.group_id = polls.group_id AND earlier.id <= polls.id)"
    )
    op.execute(
        "UPDATE groups SET polls_opened = "
        "(SELECT count(*) FROM polls WHERE polls.group_id = groups.id)"
    )


def downgrade() -> None:
    for table, column in (
        ("memberships", "role_applies_from"),
        ("memberships", "previous_role"),
        ("polls", "number"),
        ("groups", "polls_opened"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
