"""Profile the vote path (issue 7, point 6): `python -m bench.profile_votes [--html FILE]`.

Runs sequential presses through the real Application on SQLite under pyinstrument, which
follows async code across awaits, and prints where the time went.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path

from pyinstrument import Profiler
from telegram import Update

from bench.databases import database
from bench.harness import BenchBot, TimedTelegram, bench_settings, electorate, queue_presses


async def profile_presses(backend: str, voters: int, rounds: int) -> Profiler:
    async with database(backend) as url:
        tg = TimedTelegram()
        async with BenchBot(tg, bench_settings(tg, url), concurrent=False) as bot:
            people = await electorate(bot, voters)
            raws = queue_presses(tg, people, rounds)
            profiler = Profiler(interval=0.0002, async_mode="enabled")
            start = time.perf_counter()
            with profiler:
                for raw in raws:
                    await bot.app.process_update(Update.de_json(raw, bot.app.bot))
            seconds = time.perf_counter() - start
    print(f"{len(raws)} presses in {seconds:.2f} s under the profiler ({backend})")
    return profiler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--voters", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--html", type=Path, help="also write pyinstrument's HTML report here")
    parser.add_argument("--all", action="store_true", help="show library frames too")
    args = parser.parse_args()
    profiler = asyncio.run(profile_presses(args.backend, args.voters, args.rounds))
    print(
        profiler.output_text(unicode=True, color=False, short_mode=not args.all, show_all=args.all)
    )
    if args.html is not None:
        args.html.write_text(profiler.output_html())


if __name__ == "__main__":
    main()
