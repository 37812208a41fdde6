"""Muting one sender's urgent items (issue 13, point 8), without knowing who they are.

Items carry nothing of their sender, so "this sender" can only travel in the facilitators'
Mute button: the sender's mute key (keyed_hash.mute_key, per group), XORed with a pad of the
item (keyed_hash.mute_pad) so that no two buttons share a value. The press takes the pad off
and stores the key with an end; the sender's next urgent item, derived the same way, finds
it. A copy of the database holds mute keys and ends only, like the daily counters.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.feedback_rules import mute_ends
from bot.domain.keyed_hash import mute_key, mute_pad
from storage.uow import UnitOfWork


def _stored(key: int) -> str:
    return f"{key:016x}"


def button_token(secret: bytes, group_id: int, user_id: int, feedback_id: int) -> int:
    """What the item's Mute button carries: the sender's key, blinded for this item."""
    return mute_key(secret, group_id, user_id) ^ mute_pad(secret, feedback_id)


async def muted_until(
    uow: UnitOfWork, secret: bytes, group_id: int, user_id: int, now: datetime
) -> datetime | None:
    """When a facilitators' mute of this person's urgent items in this group ends, if on."""
    return await uow.urgent_mutes.until(_stored(mute_key(secret, group_id, user_id)), now)


async def mute(
    uow: UnitOfWork, secret: bytes, feedback_id: int, token: int, now: datetime
) -> datetime:
    """A facilitator pressed Mute on this item's copy: its sender is muted; when it ends."""
    until = await uow.urgent_mutes.mute(
        _stored(token ^ mute_pad(secret, feedback_id)), mute_ends(now)
    )
    await uow.commit()
    return until


async def purge_over(uow: UnitOfWork, now: datetime) -> int:
    """Mutes that are over are deleted (not committed here: the caller decides)."""
    return await uow.urgent_mutes.purge_over(now)
