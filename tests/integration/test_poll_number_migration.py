"""Migration 0015: polls numbered per group in the order they were made; nothing else moves,
and going back down deletes no membership or ballot (SQLite cascades on a table copy)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from storage import migrate
from storage.engine import create_engine


async def test_polls_are_numbered_per_group_and_no_row_is_lost(db_url: str) -> None:
    engine = create_engine(db_url)
    pg = engine.dialect.name == "postgresql"
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    at = {"t": moment if pg else moment.replace(tzinfo=None)}
    try:
        await migrate.upgrade(engine, "0014")
        async with engine.begin() as connection:
            for chat in (-1, -2):
                await connection.execute(
                    text(
                        "INSERT INTO groups (chat_id, title, active, is_forum, timezone,"
                        " anyone_can_poll, created_at, updated_at)"
                        " VALUES (:chat, 'G', true, false, 'Europe/London', false, :t, :t)"
                    ),
                    {"chat": chat, **at},
                )
            for group in (1, 2, 1, 1, 2):  # the groups' polls, interleaved
                await connection.execute(
                    text(
                        "INSERT INTO polls (group_id, question, options, kind, max_choices,"
                        " visibility, status, reminder_sent, announced, created_at)"
                        " VALUES (:g, 'Q', '[\"Yes\", \"No\"]', 'single', 1, 'after_close',"
                        " 'open', false, false, :t)"
                    ),
                    {"g": group, **at},
                )
            await connection.execute(
                text(
                    "INSERT INTO memberships (id, group_id, member_key, role)"
                    " VALUES (7, 1, 'k', 'carer')"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO ballots (id, poll_id, ballot_key, role, choices)"
                    " VALUES (9, 1, 'b', 'carer', 1)"
                )
            )

        await migrate.upgrade(engine)
        async with engine.connect() as connection:
            numbers = (
                await connection.execute(text("SELECT group_id, id, number FROM polls ORDER BY id"))
            ).all()
            assert [(g, n) for g, _, n in numbers] == [(1, 1), (2, 1), (1, 2), (1, 3), (2, 2)]
            opened = (
                await connection.execute(text("SELECT id, polls_opened FROM groups ORDER BY id"))
            ).all()
            assert [tuple(row) for row in opened] == [(1, 3), (2, 2)]
            member = (
                await connection.execute(
                    text("SELECT role, previous_role, role_applies_from FROM memberships")
                )
            ).one()
            assert tuple(member) == ("carer", None, None)  # no change settling

        await migrate.downgrade(engine, "0014")
        async with engine.connect() as connection:
            assert await connection.scalar(text("SELECT count(*) FROM memberships")) == 1
            assert await connection.scalar(text("SELECT count(*) FROM ballots")) == 1
            assert await connection.scalar(text("SELECT count(*) FROM polls")) == 5
    finally:
        await engine.dispose()
