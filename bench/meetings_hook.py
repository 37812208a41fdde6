"""Issue 7, point 4 (reminders at scale) and the meetings half of point 5 (memory).

- `store_meetings(uows, group_ids, count)`: `count` one-off meetings with two reminders each
  (a day and an hour before), spread over `group_ids`, bulk-inserted (Core `insert` with a
  list of rows: what `meetings.create_meeting` stores, without 10,000 chat flows). The memory
  child calls it before the bot starts.
- `reminders_at_scale(url)`: 1,000 groups in the sandbox and the database, 10,000 meetings;
  1,000 of them have their hour-before reminder due at one instant a few seconds after the
  bot has started (spread over `DUE_GROUPS` groups, 10 each: Telegram allows 20 a minute per
  group and 30 a second overall, so the rate limiter has to pace them). The start-up
  (`open_resources`: migrations, poll, meeting and feedback jobs, commands) is timed; then
  the JobQueue's alarms and the minute sweep must send all 1,000 within 60 s of the due
  time, each once (sendMessage per reminder title, counted in the sandbox), with no 429.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from bench.harness import BenchBot, bench_settings
from bench.report import Figure, check
from bot.clock import now
from bot.sandbox import FakeTelegram
from storage import migrate
from storage.engine import create_engine, create_sessionmaker
from storage.models import Group, Meeting, MeetingOccurrence, MeetingReminder
from storage.repositories.meeting_reminders import PENDING, SENT
from storage.uow import UnitOfWorkFactory

MEETINGS_READY = True

MEETINGS = 10_000
GROUPS = 1_000
DUE = 1_000
DUE_GROUPS = 100  # 10 due reminders a group: half of Telegram's 20 a minute
OFFSETS = (1440, 60)  # a day and an hour before (the defaults)
LEAD = timedelta(seconds=20)  # due time after the data is stored: room for the start-up
WINDOW = 60.0
ZONE = "Europe/London"
_TITLE = re.compile(r"Reminder: <b>(.*?)</b>")


async def store_meetings(
    uows: UnitOfWorkFactory,
    group_ids: list[int],
    count: int,
    *,
    due_at: datetime | None = None,
    due: int = 0,
    due_groups: int = DUE_GROUPS,
) -> int:
    """Store `count` meetings with two reminders each; returns the reminders stored.

    With `due_at`, the first `due` meetings start an hour after it in the first `due_groups`
    groups: their hour-before reminder falls due at `due_at`, their day-before one is marked
    sent (it went out yesterday). The rest start over the next weeks, both reminders pending.
    """
    moment = now()
    async with uows() as uow:
        session = uow.session
        base = int(await session.scalar(select(func.coalesce(func.max(Meeting.id), 0))) or 0)
        occ_base = int(
            await session.scalar(select(func.coalesce(func.max(MeetingOccurrence.id), 0))) or 0
        )
        meetings: list[dict[str, Any]] = []
        occurrences: list[dict[str, Any]] = []
        reminders: list[dict[str, Any]] = []
        for n in range(count):
            is_due = due_at is not None and n < due
            if is_due:
                assert due_at is not None
                group = group_ids[n % due_groups]
                starts = due_at + timedelta(minutes=OFFSETS[-1])
            else:
                group = group_ids[n % len(group_ids)]
                starts = moment + timedelta(days=2, minutes=7 * n)
            local = starts.replace(tzinfo=None)  # the bench's zone is UTC-ish; only shown
            meetings.append(
                {
                    "id": base + n + 1,
                    "group_id": group,
                    "title": f"Meeting {n}",
                    "place": "Community centre",
                    "zone": ZONE,
                    "start_local": local,
                    "recurrence": "none",
                    "status": "active",
                    "thread_id": None,
                    "generated_until": moment,
                    "created_at": moment,
                }
            )
            occurrences.append(
                {
                    "id": occ_base + n + 1,
                    "meeting_id": base + n + 1,
                    "series_local": local.isoformat(timespec="minutes"),
                    "starts_at": starts,
                    "status": "scheduled",
                    "moved": False,
                    "message_id": None,
                }
            )
            for offset in OFFSETS:
                due_time = starts - timedelta(minutes=offset)
                reminders.append(
                    {
                        "occurrence_id": occ_base + n + 1,
                        "offset_minutes": offset,
                        "due_at": due_time,
                        "status": SENT if is_due and offset != OFFSETS[-1] else PENDING,
                        "lease_until": None,
                    }
                )
        await session.execute(insert(Meeting), meetings)
        await session.execute(insert(MeetingOccurrence), occurrences)
        await session.execute(insert(MeetingReminder), reminders)
        await uow.commit()
    return len(reminders)


class CountingTelegram(FakeTelegram):
    """The sandbox, counting reminder sends per meeting title and every 429."""

    def __init__(self) -> None:
        logging.getLogger("bot.sandbox.spec_check").setLevel(logging.ERROR)
        super().__init__(spec_path=None)
        self.reminders: Counter[str] = Counter()
        self.sent_at: list[float] = []
        self.too_many = 0
        self.refused: list[tuple[str, int]] = []

    async def call(
        self, method: str, params: dict[str, Any] | None = None, *, token: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        status, body = await super().call(method, params, token=token)
        if status == 429:
            self.too_many += 1
            self.refused.append((method, int((params or {}).get("chat_id") or 0)))
        elif method == "sendMessage" and status == 200 and params is not None:
            found = _TITLE.search(str(params.get("text", "")))
            if found:
                self.reminders[found.group(1)] += 1
                self.sent_at.append(time.time())
        return status, body


@dataclass
class ReminderRun:
    startup: float = 0.0
    alarms: int = 0
    sent: int = 0
    twice: int = 0
    too_many: int = 0
    last_after_due: float = float("inf")
    db_sent: int = 0
    notes: list[str] = field(default_factory=list)


async def _prepare(url: str, tg: FakeTelegram, due_at: datetime) -> int:
    """The groups in the sandbox (the bot a member) and in the database; the meetings."""
    admin = tg.create_user("Fiona", "fiona_f")
    people = [tg.create_user(f"member-{n}") for n in range(3)]
    chats = []
    for n in range(GROUPS):
        chat = tg.create_group(f"Circle {n}", members=people, admins=[admin])
        chat.bot_status = "member"
        chats.append(chat)
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        sessions = create_sessionmaker(engine)
        async with sessions() as session:
            await session.execute(
                insert(Group),
                [
                    {"chat_id": chat.id, "title": chat.title or "", "timezone": ZONE}
                    for chat in chats
                ],
            )
            await session.commit()
            group_ids = [int(g) for g in await session.scalars(select(Group.id).order_by(Group.id))]
        return await store_meetings(
            UnitOfWorkFactory(sessions), group_ids, MEETINGS, due_at=due_at, due=DUE
        )
    finally:
        await engine.dispose()


async def _run(url: str) -> ReminderRun:
    tg = CountingTelegram()
    result = ReminderRun()
    due_at = now() + LEAD
    stored = await _prepare(url, tg, due_at)
    result.notes.append(f"{stored} reminders stored")
    bot = BenchBot(tg, bench_settings(tg, url), concurrent=False)
    started = time.perf_counter()
    await bot.__aenter__()
    try:
        result.startup = time.perf_counter() - started
        queue = bot.app.job_queue
        jobs = list(queue.jobs()) if queue is not None else []
        result.alarms = len([j for j in jobs if (j.name or "").startswith("meeting-reminder")])
        due = due_at.timestamp()
        # Wait (really: the JobQueue is real) for the due time and the window after it.
        while time.time() < due + WINDOW + 2 and sum(tg.reminders.values()) < DUE:  # noqa: ASYNC110 - polls a counter
            await asyncio.sleep(0.2)
        await asyncio.sleep(2)  # anything sent twice would show up now
        result.sent = len(tg.reminders)
        result.twice = sum(1 for n in tg.reminders.values() if n > 1)
        result.too_many = tg.too_many
        if tg.refused:
            logging.getLogger(__name__).warning("429 for %s", tg.refused[:10])
        if tg.sent_at:
            result.last_after_due = max(tg.sent_at) - due
        async with bot.uow() as uow:
            result.db_sent = int(
                await uow.session.scalar(
                    select(func.count())
                    .select_from(MeetingReminder)
                    .where(MeetingReminder.status == SENT, MeetingReminder.offset_minutes == 60)
                )
                or 0
            )
    finally:
        await bot.__aexit__(None, None, None)
    return result


async def reminders_at_scale(url: str) -> list[Figure]:
    """Issue 7 point 4, on the database at `url` (fresh)."""
    run = await _run(url)
    in_time = run.last_after_due <= WINDOW
    ok = run.sent == DUE and run.db_sent == DUE and run.twice == 0 and run.too_many == 0 and in_time
    return [
        check(
            f"4. reminders: start-up with {MEETINGS:,} meetings",
            "< 3 s",
            f"{run.startup:.2f} s ({2 * MEETINGS:,} reminders, {run.alarms} alarms)",
            run.startup / 3,
            run.startup < 3,
        ),
        check(
            f"4. reminders: {DUE:,} due in one minute, {DUE_GROUPS} groups",
            "all in 60 s, none twice, no 429",
            f"{run.sent} sent (db {run.db_sent}), last {run.last_after_due:.1f} s after due, "
            f"{run.twice} twice, {run.too_many} x 429",
            run.last_after_due / WINDOW,
            ok,
        ),
    ]


def main() -> None:
    from bench.databases import sqlite_database
    from bench.report import render

    async def go() -> list[Figure]:
        async with sqlite_database() as url:
            return await reminders_at_scale(url)

    print(render(asyncio.run(go())))


if __name__ == "__main__":
    main()
