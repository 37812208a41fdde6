"""Polls closed before closing unlinked them are unlinked once by migration 0010."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, text

from bot.domain.keyed_hash import ballot_key, reason_key
from storage import migrate
from storage.engine import create_engine, create_sessionmaker
from storage.models import Ballot, PollReason
from storage.uow import UnitOfWorkFactory

SECRET = b"migration-secret"


async def test_polls_closed_before_the_upgrade_are_unlinked_open_ones_are_not(
    db_url: str,
) -> None:
    engine = create_engine(db_url)
    try:
        await migrate.upgrade(engine, "0009")
        uow = UnitOfWorkFactory(create_sessionmaker(engine))
        pg = engine.dialect.name == "postgresql"
        now = datetime.now(UTC)
        at = {"t": now if pg else now.replace(tzinfo=None)}
        # Written as SQL of that schema: today's models hold columns added since.
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO groups (id, chat_id, title, active, is_forum, timezone,"
                    " anyone_can_poll, created_at, updated_at)"
                    " VALUES (1, -5, 'G', true, false, 'Europe/London', false, :t, :t)"
                ),
                at,
            )
            ids = [1, 2]
            closed, still_open = ids
            for poll_id, status in ((closed, "closed"), (still_open, "open")):
                await connection.execute(
                    text(
                        "INSERT INTO polls (id, group_id, question, options, kind, max_choices,"
                        " visibility, status, reminder_sent, announced, created_at)"
                        " VALUES (:id, 1, 'Q', '[\"Yes\", \"No\"]', 'single', 1,"
                        " 'after_close', :status, false, false, :t)"
                    ),
                    {"id": poll_id, "status": status, **at},
                )
                # Small ids, as this schema (before 0011) counted them.
                await connection.execute(
                    text(
                        "INSERT INTO ballots (id, poll_id, ballot_key, role, choices)"
                        " VALUES (:id, :id, :key, 'staff', 1)"
                    ),
                    {"id": poll_id, "key": ballot_key(SECRET, poll_id, 7)},
                )
                await connection.execute(
                    text(
                        "INSERT INTO poll_reasons (id, poll_id, option, text, reason_key)"
                        " VALUES (:id, :id, 1, 'why', :key)"
                    ),
                    {"id": poll_id, "key": reason_key(SECRET, poll_id, 7)},
                )

        await migrate.upgrade(engine)

        async with uow() as u:
            keys = dict((await u.session.execute(select(Ballot.poll_id, Ballot.ballot_key))).all())
            reasons = dict(
                (await u.session.execute(select(PollReason.poll_id, PollReason.reason_key))).all()
            )
        assert keys[closed].startswith("~") and keys[closed] != ballot_key(SECRET, closed, 7)
        assert reasons[closed] is None
        assert keys[still_open] == ballot_key(SECRET, still_open, 7)  # open: still one each
        assert reasons[still_open] == reason_key(SECRET, still_open, 7)
    finally:
        await engine.dispose()
