"""Only messages and edits wait for Telegram's flood limits; reads and answers never do."""

from __future__ import annotations

from typing import Any

from bot.rate_limits import MessageRateLimiter, counts_towards_flood_limits


def test_what_counts() -> None:
    for method in ("sendMessage", "editMessageText", "sendPhoto", "sendDocument", "copyMessage"):
        assert counts_towards_flood_limits(method)
    for method in ("getChatMember", "getChatAdministrators", "answerCallbackQuery", "getMe"):
        assert not counts_towards_flood_limits(method)


async def test_reads_about_a_group_spend_none_of_its_budget() -> None:
    limiter = MessageRateLimiter()
    await limiter.initialize()
    calls = 0

    async def callback(*_: Any, **__: Any) -> bool:
        nonlocal calls
        calls += 1
        return True

    for _ in range(50):  # more than the group's 20 a minute: none of it may wait
        await limiter.process_request(callback, (), {}, "getChatMember", {"chat_id": -100}, None)
    assert calls == 50
    assert not limiter._group_limiters
    await limiter.process_request(callback, (), {}, "sendMessage", {"chat_id": -100}, None)
    assert -100 in limiter._group_limiters
    await limiter.shutdown()
