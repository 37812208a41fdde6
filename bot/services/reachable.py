"""Who the bot can write to privately, known only by person_key (an HMAC of the id).

Telegram refuses messages to anyone who never opened a chat with the bot; remembering who
has (as a keyed hash, beside nothing else) lets moderation reach facilitators who can be
reached and tell the group when none can.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.keyed_hash import person_key
from storage.uow import UnitOfWork


async def remember(uow: UnitOfWork, secret: bytes, user_id: int) -> bool:
    """Note that the person opened the private chat; True the first time."""
    added = await uow.reachable.add(person_key(secret, user_id))
    await uow.commit()
    return added


async def forget(uow: UnitOfWork, secret: bytes, user_id: int) -> None:
    """They blocked the bot (or Telegram said they cannot be written to)."""
    await uow.reachable.remove(person_key(secret, user_id))
    await uow.commit()


async def among(uow: UnitOfWork, secret: bytes, user_ids: Iterable[int]) -> list[int]:
    """Those of these people the bot can write to."""
    keys = {person_key(secret, user_id): user_id for user_id in user_ids}
    known = await uow.reachable.known(list(keys))
    return sorted(user_id for key, user_id in keys.items() if key in known)
