"""The edit coalescer keeps editing: after a late job, after a failed edit, one chain per group."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

from bot.harness import SandboxBot
from bot.scheduling.edits import EditCoalescer
from tests.e2e.poll_helpers import eventually


async def test_a_late_job_still_runs_and_a_failure_does_not_stop_later_edits(
    bot: SandboxBot,
) -> None:
    coalescer = EditCoalescer(interval=0.2)
    job_queue = bot.app.job_queue
    assert job_queue is not None
    refreshed: list[int] = []

    async def refresh(_: Any, item: int) -> None:
        refreshed.append(item)
        if item == 1:
            raise RuntimeError("Telegram said no")

    coalescer.touch(job_queue, 7, 1, refresh)
    # Block the loop on purpose past the scheduler's default misfire grace (1 s).
    time.sleep(1.5)  # noqa: ASYNC251
    await eventually(lambda: 1 in refreshed, "the late edit")
    coalescer.touch(job_queue, 7, 2, refresh)
    await eventually(lambda: 2 in refreshed, "an edit after a failed one")


async def test_votes_during_an_edit_never_start_a_second_chain(bot: SandboxBot) -> None:
    coalescer = EditCoalescer(interval=0.3)
    job_queue = bot.app.job_queue
    assert job_queue is not None
    started: list[float] = []

    async def slow_refresh(_: Any, item: int) -> None:
        started.append(time.monotonic())
        await asyncio.sleep(0.1)
        if item < 3:  # a vote arrives while this edit is on its way
            coalescer.touch(job_queue, 7, item + 10, slow_refresh)

    for item in (1, 2, 3):
        coalescer.touch(job_queue, 7, item, slow_refresh)
    await eventually(lambda: len(started) >= 5, "five edits", seconds=10)
    gaps = [b - a for a, b in itertools.pairwise(started)]
    assert min(gaps) >= 0.28, gaps  # never two edits closer than the interval


async def test_a_poll_and_a_meeting_with_the_same_id_are_both_edited(bot: SandboxBot) -> None:
    coalescer = EditCoalescer(interval=0.05)
    job_queue = bot.app.job_queue
    assert job_queue is not None
    seen: list[str] = []

    async def poll_refresh(_: Any, item: int) -> None:
        seen.append(f"poll {item}")

    async def meeting_refresh(_: Any, item: int) -> None:
        seen.append(f"meeting {item}")

    coalescer.touch(job_queue, 7, 1, poll_refresh)
    coalescer.touch(job_queue, 7, 1, meeting_refresh)
    await eventually(lambda: len(seen) == 2, "both edits")
    assert sorted(seen) == ["meeting 1", "poll 1"]
