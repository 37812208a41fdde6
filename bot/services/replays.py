"""One effect per update: Telegram may deliver an update again (a webhook retry when the
answer was lost, a replica that took it too, a restart before the offset was confirmed), and
the second delivery must change nothing and send nothing.

The claim is a row keyed by (bot id, update id); the database's primary key decides which
delivery is first, across processes. Ballot presses claim inside the transaction that writes
the ballot, so the claim and the vote stand or fall together; every other update claims in a
short transaction of its own before any handler runs.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

from storage.repositories.processed_updates import UpdateClaim as UpdateClaim  # re-exported
from storage.uow import UnitOfWork

__all__ = [
    "KEEP_CLAIMS",
    "RecentUpdates",
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


class RecentUpdates:
    """The update ids this process handled lately, in memory: on SQLite (one process) the
    guard for ballot presses, which would otherwise each pay for a claim statement."""

    def __init__(self, size: int = 10_000) -> None:
        self._order: deque[int] = deque()
        self._seen: set[int] = set()
        self._size = size

    def first_time(self, update_id: int) -> bool:
        """True the first time an id is offered (and remembered), False after."""
        if update_id in self._seen:
            return False
        self._seen.add(update_id)
        self._order.append(update_id)
        if len(self._order) > self._size:
            self._seen.discard(self._order.popleft())
        return True
