"""Issue 7, point 5: resident memory of a running bot holding 1,000 groups.

Measured in a child process (`python -m bench.memory --child ...`), so nothing the other
benchmarks allocated counts. A first child (`--store`) stores the groups (each with members
and an open poll with a deadline, so the JobQueue holds an alarm per poll) and the meetings
in a SQLite file; a second starts the real Application on that file against the in-process
sandbox, votes in one group to load the vote path, and reports its RSS (psutil) as one JSON
line. The storing has its own process because a running bot finds its rows already in the
database: building 20,000 reminder rows left about 19 MB in the process that built them.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import psutil
from sqlalchemy import insert, select

from bench.databases import sqlite_url
from bench.harness import BenchBot, bench_settings, electorate, queue_presses
from bench.meetings_hook import MEETINGS_READY, store_meetings
from bot.clock import now
from bot.domain.keyed_hash import member_key
from bot.domain.roles import ROLES
from bot.sandbox import FakeTelegram
from storage import migrate
from storage.engine import create_engine, create_sessionmaker
from storage.models import Group, Membership, Poll
from storage.uow import UnitOfWorkFactory

MEMBERS_PER_GROUP = 10


async def _store_groups(url: str, groups: int, meetings: int) -> tuple[int, int]:
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        sessions = create_sessionmaker(engine)
        moment = now()
        async with sessions() as session:
            await session.execute(
                insert(Group),
                [
                    {"chat_id": -1_000_000 - n, "title": f"Group {n}", "timezone": "Europe/London"}
                    for n in range(groups)
                ],
            )
            group_ids = list(await session.scalars(select(Group.id)))
            secret = b"bench-memory"
            await session.execute(
                insert(Membership),
                [
                    {
                        "group_id": gid,
                        "member_key": member_key(secret, gid, m),
                        "role": ROLES[m % 3].value,
                    }
                    for gid in group_ids
                    for m in range(MEMBERS_PER_GROUP)
                ],
            )
            await session.execute(
                insert(Poll),
                [
                    {
                        "group_id": gid,
                        "question": "Where should we meet next month?",
                        "options": ["Library", "Community centre", "Online"],
                        "kind": "single",
                        "max_choices": 1,
                        "visibility": "after_close",
                        "status": "open",
                        "deadline": moment + timedelta(days=7),
                        "remind_at": moment + timedelta(days=6),
                        "reminder_sent": False,
                        "announced": False,
                        "created_at": moment,
                    }
                    for gid in group_ids
                ],
            )
            await session.commit()
        reminders = await store_meetings(
            UnitOfWorkFactory(sessions), [int(g) for g in group_ids], meetings
        )
        return len(group_ids), reminders
    finally:
        await engine.dispose()


async def store(url: str, groups: int, meetings: int) -> dict[str, int]:
    stored, reminders = await _store_groups(url, groups, meetings)
    return {"groups": stored, "reminders": reminders}


async def child(url: str) -> dict[str, int]:
    tg = FakeTelegram(spec_path=None)
    async with BenchBot(tg, bench_settings(tg, url), concurrent=False) as bot:
        people = await electorate(bot, 30)  # one live group, so the vote path is loaded
        for raw in queue_presses(tg, people, 2):
            await bot.feed(raw)
        jobs = len(bot.app.job_queue.jobs()) if bot.app.job_queue else 0
        gc.collect()
        rss = psutil.Process().memory_info().rss
    return {"rss": rss, "jobs": jobs}


def _run(*args: str) -> dict[str, int]:
    done = subprocess.run(  # noqa: S603 - our own module, with our own interpreter
        [sys.executable, "-m", "bench.memory", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the memory child failed:\n{done.stderr[-3000:]}")
    result: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(groups: int, meetings: int) -> dict[str, int]:
    """Store the data in one child, run the bot in another, and read its report."""

    # Called from the bench's own event loop, so the temporary folder is made here directly.
    with tempfile.TemporaryDirectory(prefix="equalsay-bench-") as folder:
        url = sqlite_url(Path(folder))
        stored = _run("--store", url, str(groups), str(meetings))
        running = _run("--child", url)
    return {**running, "groups": stored["groups"] + 1, "reminders": stored["reminders"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", nargs=3, metavar=("URL", "GROUPS", "MEETINGS"))
    parser.add_argument("--child", metavar="URL")
    args = parser.parse_args()
    if args.store:
        url, groups, meetings = args.store
        print(json.dumps(asyncio.run(store(url, int(groups), int(meetings)))))
    elif args.child:
        print(json.dumps(asyncio.run(child(args.child))))
    else:
        print(measure(1000, 10_000 if MEETINGS_READY else 0))


if __name__ == "__main__":
    main()
