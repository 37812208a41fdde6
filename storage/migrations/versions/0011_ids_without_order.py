"""Rows that stand for people keep no date and no order (storage/models.py::order_free_id).

`memberships` loses the day each person joined and the day their role last changed: with
Telegram's "X joined the group" history, which every member sees, those days gave away
everyone's role. The ids of memberships, ballots, reasons, meeting answers and reminder
requests become random 63-bit numbers, as new rows get from now on: a counter numbered them
in the order people joined, voted and answered.

Existing rows get random ids here, and each table is then written again in the order of its
new ids (SQLite: copied into a new table; PostgreSQL: CLUSTER on the primary key), so neither
`ORDER BY id` nor the order rows sit in tells anything. The dropped dates are gone for good:
the downgrade puts back the day of the downgrade, and numbers the rows 1, 2, 3... in the
order of their random ids.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None

TABLES = ("memberships", "ballots", "poll_reasons", "meeting_rsvps", "meeting_dm_optins")
DATES = ("joined_at", "role_since")
# A random positive 63-bit number per row, evaluated in the database (one UPDATE a table).
# Spelled out here rather than imported: a migration must keep doing what it did.
_RANDOM_ID = {
    "sqlite": "(random() & 9223372036854775807)",
    # 64 bits of a random UUID (60 of them random) as a bigint, sign bit cleared.
    "postgresql": (
        "(('x' || substr(replace(CAST(gen_random_uuid() AS VARCHAR), '-', ''), 1, 16))"
        "::bit(64)::bigint & 9223372036854775807)"
    ),
}


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    for table in TABLES:
        if dialect == "postgresql":
            # The serial's sequence goes: new ids come from the application.
            op.execute(f"ALTER TABLE {table} ALTER COLUMN id DROP DEFAULT")
            op.execute(f"DROP SEQUENCE IF EXISTS {table}_id_seq")
            op.execute(f"ALTER TABLE {table} ALTER COLUMN id TYPE BIGINT")
        op.execute(f"UPDATE {table} SET id = {_RANDOM_ID[dialect]}")  # noqa: S608 - constants
        if dialect == "postgresql":
            if table == "memberships":
                for column in DATES:
                    op.drop_column(table, column)
            # Rewritten in the order of the new ids, with the dead rows left behind.
            pkey = sa.inspect(bind).get_pk_constraint(table)["name"]
            op.execute(f"CLUSTER {table} USING {pkey}")
            op.execute(f"ALTER TABLE {table} SET WITHOUT CLUSTER")
        else:
            # A copy into a new table, row by row in rowid (now random) order; the old pages
            # are freed, and zeroed (secure_delete, storage/engine.py).
            with op.batch_alter_table(table, recreate="always") as batch:
                if table == "memberships":
                    for column in DATES:
                        batch.drop_column(column)


def downgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    day = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    for column in DATES:
        op.add_column("memberships", sa.Column(column, UTCDateTime(), nullable=True))
        op.get_bind().execute(
            sa.text(f"UPDATE memberships SET {column} = :day"),  # noqa: S608 - constants
            {"day": day if dialect == "postgresql" else day.replace(tzinfo=None)},
        )
    with op.batch_alter_table("memberships") as batch:
        for column in DATES:
            batch.alter_column(column, existing_type=UTCDateTime(), nullable=False)
    for table in TABLES:
        op.execute(
            f"UPDATE {table} SET id = numbered.n FROM "  # noqa: S608 - constants only
            f"(SELECT id AS old, row_number() OVER (ORDER BY id) AS n FROM {table}) AS numbered "
            f"WHERE {table}.id = numbered.old"
        )
        if dialect == "postgresql":
            op.execute(f"ALTER TABLE {table} ALTER COLUMN id TYPE INTEGER")
            op.execute(f"CREATE SEQUENCE {table}_id_seq OWNED BY {table}.id")
            op.execute(
                f"SELECT setval('{table}_id_seq', "  # noqa: S608 - constants only
                f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
            op.execute(f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{table}_id_seq')")
