"""Private replies to anonymous feedback, both ways, without either side seeing the other.

The writer's chat id is kept sealed in its own table (feedback_reply_channels), never beside
the item's row, for 30 days at most; a channel is found by its item only. Facilitators are
never stored: a reply is taken from whoever presses "Reply privately" as a facilitator, and
an answer goes to every facilitator the bot can reach.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain.feedback_rules import received_hour
from bot.domain.reply_rules import REPLY_DAILY_LIMIT, REPLY_PERIOD
from bot.sealing import seal_chat, unseal_chat
from bot.services.feedback_delivery import Item, item
from storage.uow import UnitOfWork


class Turn(StrEnum):
    OK = "ok"
    LIMIT = "limit"  # today's messages on this side are used up
    CLOSED = "closed"  # stopped, expired, erased, or never allowed


@dataclass(frozen=True, slots=True)
class Channel:
    """An item open to replies, as handlers need it: never who wrote it, beyond where to."""

    item: Item
    writer_chat: int
    expires_at: datetime


async def allow(
    uow: UnitOfWork, secret: bytes, feedback_id: int, chat_id: int, now: datetime
) -> None:
    """The writer allowed replies when sending: until 30 days after the item's hour."""
    await uow.replies.add(
        feedback_id, seal_chat(secret, chat_id), received_hour(now) + REPLY_PERIOD
    )
    await uow.commit()


async def open_channel(
    uow: UnitOfWork, secret: bytes, feedback_id: int, now: datetime
) -> Channel | None:
    row = await uow.replies.open_for(feedback_id, now)
    if row is None:
        return None
    chat = unseal_chat(secret, row.sealed_chat)
    found = await item(uow, feedback_id)
    if chat is None or found is None:
        return None
    return Channel(found, chat, row.expires_at)


async def which_open(uow: UnitOfWork, feedback_ids: list[int], now: datetime) -> set[int]:
    return await uow.replies.which_open(feedback_ids, now)


async def take_turn(
    uow: UnitOfWork, secret: bytes, feedback_id: int, *, writer: bool, now: datetime
) -> tuple[Turn, Channel | None]:
    """Count one message on this side; the channel, or why not."""
    channel = await open_channel(uow, secret, feedback_id, now)
    if channel is None:
        return Turn.CLOSED, None
    if not await uow.replies.count_turn(
        feedback_id, writer=writer, day=now.date(), limit=REPLY_DAILY_LIMIT
    ):
        return Turn.LIMIT, channel
    await uow.commit()
    return Turn.OK, channel


async def close(uow: UnitOfWork, feedback_id: int) -> bool:
    """Stop replies (the writer's button, or a writer who blocked the bot)."""
    closed = await uow.replies.close(feedback_id)
    await uow.commit()
    if closed:
        await uow.scrub()
    return closed


async def close_expired(uow: UnitOfWork, now: datetime) -> int:
    closed = await uow.replies.close_expired(now)
    await uow.commit()
    if closed:
        await uow.scrub()
    return closed


async def close_all_of(uow: UnitOfWork, secret: bytes, chat_id: int) -> int:
    """/forgetme: every channel to this person, found by unsealing each in memory (no key
    beside a channel could find them faster without also linking them to their items)."""
    closed = 0
    for feedback_id, sealed in await uow.replies.all_sealed():
        if unseal_chat(secret, sealed) == chat_id:
            closed += await uow.replies.close(feedback_id)
    return closed


async def count_of(uow: UnitOfWork, secret: bytes, chat_id: int) -> int:
    """/mydata: how many items this person still lets facilitators reply to."""
    return sum(
        unseal_chat(secret, sealed) == chat_id for _, sealed in await uow.replies.all_sealed()
    )
