"""One effect per update: Telegram may deliver an update again (a webhook retry when the
answer was lost, a replica that took it too, a restart before the offset was confirmed), and
the second delivery must change nothing and send nothing.

The claim is a row keyed by (bot id, update id); the database's primary key decides which
delivery is first, across processes. Ballot presses claim inside the transaction that writes
the ballot, so the claim and the vote stand or fall together; every other update claims in a
short transaction of its own before any handler runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.repositories.processed_updates import UpdateClaim as UpdateClaim  # re-exported
from storage.uow import UnitOfWork

__all__ = [
    "KEEP_CLAIMS",
    "UpdateClaim",
    "first_delivery",
    "forget_old_claims",
    "to_the_hour",
]

# Telegram keeps an undelivered update for at most 24 hours; two days covers any redelivery.
KEEP_CLAIMS = timedelta(days=2)


async def first_delivery(uow: UnitOfWork, bot_id: int, update_id: int, now: datetime) -> bool:
    """Claim the update; False when it was claimed before (a replay). Not committed here."""
    return await uow.updates.claim(bot_id, update_id, to_the_hour(now))


def to_the_hour(moment: datetime) -> datetime:
    """Claims keep only the hour they came in: enough to know when to forget them, and too
    coarse to tell when a ballot (written in the same transaction as its claim) was cast.
    """
    return moment.replace(minute=0, second=0, microsecond=0)


async def forget_old_claims(uow: UnitOfWork, now: datetime) -> int:
    """Drop claims older than any redelivery could be. Not committed here."""
    return await uow.updates.purge_before(now - KEEP_CLAIMS)
