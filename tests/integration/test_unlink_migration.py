"""Polls closed before closing unlinked them are unlinked once by migration 0010."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.domain.keyed_hash import ballot_key, reason_key
from bot.domain.poll_rules import validate_draft
from bot.services import groups, polls
from storage import migrate
from storage.engine import create_engine, create_sessionmaker
from storage.models import Ballot, Poll, PollReason
from storage.uow import UnitOfWorkFactory

SECRET = b"migration-secret"


async def test_polls_closed_before_the_upgrade_are_unlinked_open_ones_are_not(
    db_url: str,
) -> None:
    engine = create_engine(db_url)
    try:
        await migrate.upgrade(engine, "0009")
        uow = UnitOfWorkFactory(create_sessionmaker(engine))
        now = datetime.now(UTC)
        async with uow() as u:
            group = await groups.bot_added(u, -5, "G", is_forum=False, timezone="Europe/London")
            ids = []
            for question in ("Closed long ago?", "Still open?"):
                draft = validate_draft(question, ["Yes", "No"])
                ids.append(await polls.create_poll(u, group.id, draft, now=now))
            closed, still_open = ids
            for poll_id in ids:
                # Small ids, as this schema (before 0011) counted them.
                u.session.add(
                    Ballot(
                        id=poll_id,
                        poll_id=poll_id,
                        ballot_key=ballot_key(SECRET, poll_id, 7),
                        role="staff",
                        choices=1,
                    )
                )
                u.session.add(
                    PollReason(
                        id=poll_id,
                        poll_id=poll_id,
                        option=1,
                        text="why",
                        reason_key=reason_key(SECRET, poll_id, 7),
                    )
                )
            (await u.session.get(Poll, closed)).status = "closed"  # type: ignore[union-attr]
            await u.commit()

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
