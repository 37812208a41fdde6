"""Migration 0011: memberships lose their dates, and person rows their counted ids and order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from storage import migrate
from storage.engine import create_engine

PEOPLE = 30
ROLES = ("carer", "staff", "service_user")


def _columns(connection: Connection, table: str) -> set[str]:
    return {column["name"] for column in inspect(connection).get_columns(table)}


async def test_existing_rows_keep_their_roles_and_lose_dates_and_order(db_url: str) -> None:
    engine = create_engine(db_url)
    pg = engine.dialect.name == "postgresql"
    try:
        await migrate.upgrade(engine, "0010")
        first = datetime(2026, 1, 1, tzinfo=UTC)
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO groups (chat_id, title, active, is_forum, timezone,"
                    " anyone_can_poll, created_at, updated_at)"
                    " VALUES (-1, 'G', true, false, 'Europe/London', false, :t, :t)"
                ),
                {"t": first if pg else first.replace(tzinfo=None)},
            )
            await connection.execute(
                text(
                    "INSERT INTO polls (group_id, question, options, kind, max_choices,"
                    " visibility, status, reminder_sent, announced, created_at)"
                    " VALUES (1, 'Q', '[\"Yes\", \"No\"]', 'single', 1, 'after_close', 'open',"
                    " false, false, :t)"
                ),
                {"t": first if pg else first.replace(tzinfo=None)},
            )
            for n in range(PEOPLE):  # one a day, ids counted, as before 0011
                day = first + timedelta(days=n)
                await connection.execute(
                    text(
                        "INSERT INTO memberships (group_id, member_key, role, joined_at,"
                        " role_since) VALUES (1, :key, :role, :day, :day)"
                    ),
                    {
                        "key": f"{n:064x}",
                        "role": ROLES[n % 3],
                        "day": day if pg else day.replace(tzinfo=None),
                    },
                )
                await connection.execute(
                    text(
                        "INSERT INTO ballots (poll_id, ballot_key, role, choices)"
                        " VALUES (1, :key, :role, 1)"
                    ),
                    {"key": f"{n:064x}", "role": ROLES[n % 3]},
                )

        await migrate.upgrade(engine)

        async with engine.connect() as connection:
            assert not {"joined_at", "role_since"} & await connection.run_sync(
                _columns, "memberships"
            )
            for table in ("memberships", "ballots"):
                rows = (
                    await connection.execute(
                        text(f"SELECT id, member_key, role FROM {table}")  # noqa: S608
                        if table == "memberships"
                        else text(f"SELECT id, ballot_key, role FROM {table}")  # noqa: S608
                    )
                ).all()
                # Every role is still with its key...
                assert {(key, role) for _, key, role in rows} == {
                    (f"{n:064x}", ROLES[n % 3]) for n in range(PEOPLE)
                }
                ids = [row[0] for row in rows]
                # ...under an id that is no count (1..30 before), and no longer in join order,
                # neither by id nor as the rows are stored.
                assert max(ids) > 2**40 and len(set(ids)) == PEOPLE
                by_id = [key for _, key, _ in sorted(rows)]
                assert by_id != sorted(by_id)
                assert [key for _, key, _ in rows] != sorted(by_id)
            # New rows take random ids from the application: no counter is left behind.
            if pg:
                left = await connection.scalar(
                    text("SELECT count(*) FROM pg_class WHERE relname = 'memberships_id_seq'")
                )
                assert left == 0

        await migrate.downgrade(engine, "0010")
        async with engine.connect() as connection:
            ids = sorted((await connection.execute(text("SELECT id FROM memberships"))).scalars())
            assert ids == list(range(1, PEOPLE + 1))  # counted again, in no remembered order
            assert {"joined_at", "role_since"} <= await connection.run_sync(_columns, "memberships")
    finally:
        await engine.dispose()
