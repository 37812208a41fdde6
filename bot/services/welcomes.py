"""Welcoming people who join a group: at most one welcome per window, across processes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.uow import UnitOfWork

# Arrivals closer together than this share one welcome: a facilitator adding ten people, or
# an invite link shared in a meeting, is one message in the group, not ten.
WELCOME_EVERY = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class WelcomeTurn:
    """Whether to post the welcome now; if not, when newcomers can next be welcomed."""

    now: bool
    next_at: datetime | None = None


async def take_turn(uow: UnitOfWork, group_id: int, now: datetime) -> WelcomeTurn:
    """Claim the group's welcome (one caller, of any process, gets it per window)."""
    claimed = await uow.groups.claim_welcome(group_id, now, now - WELCOME_EVERY)
    last = None if claimed else await uow.groups.welcomed_at(group_id)
    await uow.commit()
    if claimed:
        return WelcomeTurn(now=True)
    # An inactive group (bot removed) has no next turn: nothing to post to.
    return WelcomeTurn(now=False, next_at=None if last is None else last + WELCOME_EVERY)
