"""Flood limits on an injected clock: a well-behaved bot never sees 429, a spammy one does."""

from __future__ import annotations

from bot.sandbox.flood import FloodControl, FloodLimits

from .conftest import FakeClock

GROUP = -4_100_000_001
PRIVATE = 5_100_000_001


def test_forty_quick_group_edits_hit_the_limit(clock: FakeClock) -> None:
    flood = FloodControl(FloodLimits(), clock)
    results = []
    for _ in range(40):
        results.append(flood.check(GROUP))
        clock.advance(0.1)
    assert results[:20] == [None] * 20
    refused = [r for r in results if r is not None]
    assert refused
    assert all(r >= 1 for r in refused)


def test_retry_after_is_when_the_window_frees(clock: FakeClock) -> None:
    flood = FloodControl(FloodLimits(), clock)
    for _ in range(20):
        assert flood.check(GROUP) is None
    retry_after = flood.check(GROUP)
    assert retry_after == 3  # 20 a minute drains one slot every 3 seconds
    clock.advance(retry_after)
    assert flood.check(GROUP) is None


def test_aioratelimiter_pace_never_refused(clock: FakeClock) -> None:
    """AIORateLimiter's buckets: a burst of 20, then one every 3 s per group; 30/s overall."""
    flood = FloodControl(FloodLimits(), clock)
    for _ in range(20):
        assert flood.check(GROUP) is None
    for _ in range(100):
        clock.advance(3.0)
        assert flood.check(GROUP) is None
    # 30 a second across many chats, for ten seconds (the overall bucket drains first).
    clock.advance(1.0)
    for second in range(10):
        for index in range(30):
            assert flood.check(PRIVATE + second * 100 + index) is None
        clock.advance(1.0)


def test_private_chat_allows_short_bursts(clock: FakeClock) -> None:
    flood = FloodControl(FloodLimits(per_chat_burst=5), clock)
    assert [flood.check(PRIVATE) for _ in range(5)] == [None] * 5
    assert flood.check(PRIVATE) == 1
    clock.advance(1.0)
    assert flood.check(PRIVATE) is None


def test_global_limit_and_disabled(clock: FakeClock) -> None:
    flood = FloodControl(FloodLimits(global_per_second=3), clock)
    assert [flood.check(PRIVATE + i) for i in range(3)] == [None] * 3
    assert flood.check(PRIVATE + 9) == 1
    off = FloodControl(FloodLimits(enabled=False), clock)
    assert all(off.check(GROUP) is None for _ in range(100))
