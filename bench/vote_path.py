"""Issue 7, points 1 and 2: the vote path against a raw-SQL reference, and its Telegram calls.

Every run gets a fresh database and a fresh Application; the presses are queued in the
sandbox first, then fed one by one (sequential: each awaited, as the tests' `deliver()`
does) or all at once through PTB's update queue (concurrent updates on). Press-to-answer
is the time from feeding an update to the sandbox recording its answerCallbackQuery.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from telegram import Update

from bench.bare import BareStore
from bench.harness import (
    OPTIONS,
    BenchBot,
    Electorate,
    TimedTelegram,
    bench_settings,
    electorate,
    final_option,
    queue_presses,
)
from bot.clock import now
from bot.sandbox.entities_html import parse_html
from bot.scheduling.edits import EDIT_INTERVAL
from bot.services import polls
from bot.views import polls as poll_views

MODES = ("bare", "reference", "sequential", "concurrent")
CONCURRENCY = 256  # what PTB's concurrent_updates(True) means


@dataclass
class VoteRun:
    backend: str
    mode: str
    presses: int
    seconds: float
    latencies: list[float] = field(default_factory=list)  # sequential runs only
    answered_once: bool = False
    ballots: int = 0
    distinct_keys: int = 0
    voters_expected: int = 0
    recount_matches: bool = False
    final_choices_match: bool | None = None  # sequential: every voter's last press stands
    edits: list[float] = field(default_factory=list)  # seconds since the first press
    final_state_shown: bool | None = None

    @property
    def throughput(self) -> float:
        return self.presses / self.seconds

    def latency(self, quantile: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]

    @property
    def no_lost_or_duplicated(self) -> bool:
        return (
            self.ballots == self.distinct_keys == self.voters_expected
            and self.recount_matches
            and self.answered_once
        )

    def max_edits_per_minute(self) -> int:
        return max(
            (sum(1 for t in self.edits if start <= t < start + 60) for start in self.edits),
            default=0,
        )


async def run_votes(backend: str, url: str, mode: str, *, voters: int, rounds: int) -> VoteRun:
    tg = TimedTelegram()
    concurrent = mode == "concurrent"
    bot = BenchBot(tg, bench_settings(tg, url), concurrent=CONCURRENCY if concurrent else False)
    async with bot:
        people = await electorate(bot, voters)
        store = await BareStore.open(url) if mode == "bare" else None
        if store is not None:
            bot.use_bare_handler(store)
        elif mode == "reference":
            bot.use_reference_handler()
        raws = queue_presses(tg, people, rounds)
        tg.edits.clear()
        fed: dict[str, float] = {}
        start = time.perf_counter()
        if concurrent:
            for raw in raws:
                bot.app.update_queue.put_nowait(Update.de_json(raw, bot.app.bot))
            await bot.app.update_queue.join()
        else:
            for raw in raws:
                fed[raw["callback_query"]["id"]] = time.perf_counter()
                await bot.app.process_update(Update.de_json(raw, bot.app.bot))
        seconds = time.perf_counter() - start
        if store is not None:
            await store.close()
        run = VoteRun(backend, mode, len(raws), seconds, voters_expected=voters)
        run.latencies = [tg.answered_at[q] - t for q, t in fed.items() if q in tg.answered_at]
        ids = [str(raw["callback_query"]["id"]) for raw in raws]
        run.answered_once = all(tg.answers[q] == 1 for q in ids) and len(tg.answers) == len(ids)
        if mode in {"sequential", "concurrent"}:
            run.final_state_shown = await _final_state_shown(bot, tg, people)
        run.edits = [t - start for t, chat in tg.edits if chat == people.group.id]
        await _count_ballots(bot, people, run, rounds if mode == "sequential" else None)
    return run


async def _final_state_shown(bot: BenchBot, tg: TimedTelegram, people: Electorate) -> bool:
    """Wait for the coalesced edits to settle; the message must show the final tally."""
    coalescer = bot.app.bot_data.coalescer
    for _ in range(int((4 * EDIT_INTERVAL + 10) / 0.1)):  # the coalescer has no event to await
        if not coalescer.pending(people.group_id):
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)  # a flush that had started is finishing its edit
    async with bot.uow() as uow:
        snap = await polls.snapshot(uow, people.poll_id, min_cell=bot.settings.min_cell)
    assert snap is not None
    expected = parse_html(poll_views.poll_message(snap, now=now())).text
    shown = tg.find_message(people.group.id, people.poll.message_id)
    return shown is not None and shown.text == expected


async def _count_ballots(
    bot: BenchBot, people: Electorate, run: VoteRun, rounds: int | None
) -> None:
    """Count with raw SQL, independently of the code under test, and compare with the tally."""
    params: dict[str, Any] = {"poll": people.poll_id}
    async with bot.uow() as uow:
        session = uow.session
        total, distinct = (
            await session.execute(
                text(
                    "SELECT count(*), count(DISTINCT ballot_key) FROM ballots WHERE poll_id = :poll"
                ),
                params,
            )
        ).one()
        by_choices = (
            await session.execute(
                text(
                    "SELECT choices, count(*) FROM ballots WHERE poll_id = :poll GROUP BY choices"
                ),
                params,
            )
        ).all()
        snap = await polls.snapshot(uow, people.poll_id, min_cell=bot.settings.min_cell)
    run.ballots, run.distinct_keys = int(total), int(distinct)
    recount = [0] * len(OPTIONS)
    for choices, count in by_choices:
        for option in range(len(OPTIONS)):
            if int(choices) >> option & 1:
                recount[option] += int(count)
    run.recount_matches = snap is not None and list(snap.tally.raw) == recount
    if rounds is not None:
        expected = [0] * len(OPTIONS)
        for n in range(len(people.voters)):
            expected[final_option(n, rounds)] += 1
        run.final_choices_match = recount == expected
