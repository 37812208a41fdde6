"""`python -m bench.board_report`: the 12-month board report of a busy group (issue 16).

Stores, in a fresh SQLite database, a group with 50 closed polls (30 voters each, every
kind), 200 feedback items (published, rejected, urgent) and 24 meetings with answers over
the last year; loads what a running bot has already loaded (the report's modules, matplotlib
and the fonts, by building a report of an empty period first); then builds the year's report
as /report does (gather, then the PDF with a chart per decision) and prints a table: time,
PDF size, and memory above the running bot (RSS growth, and Python's traced peak).
Targets: under 10 s and under 50 MB. Exits 1 when one is missed.
"""

from __future__ import annotations

import asyncio
import gc
import random
import secrets
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta

import psutil
from sqlalchemy import insert, select

from bench.databases import sqlite_database
from bench.report import Figure, check, info, render
from bot.domain.poll_rules import PollKind, Visibility
from bot.domain.report_period import Period
from bot.domain.roles import ROLES
from bot.services import reports
from bot.views import poll_chart
from bot.views.report_pdf import report_pdf
from storage import migrate
from storage.engine import create_engine, create_sessionmaker
from storage.models import (
    Ballot,
    Feedback,
    Group,
    Meeting,
    MeetingOccurrence,
    MeetingRsvp,
    Poll,
)
from storage.uow import UnitOfWorkFactory

POLLS, FEEDBACK, MEETINGS, VOTERS = 50, 200, 24, 30
SECONDS, MEGABYTES = 10.0, 50.0
MB = 1024 * 1024


def _poll_rows(group_id: int, year_ago: datetime, rng: random.Random) -> list[dict[str, object]]:
    kinds = [PollKind.SINGLE, PollKind.MULTIPLE, PollKind.PROPOSAL, PollKind.SCALE]
    rows: list[dict[str, object]] = []
    for n in range(POLLS):
        kind = kinds[n % len(kinds)]
        options = (
            ["Agree", "Unsure", "Disagree", "Block"]
            if kind is PollKind.PROPOSAL
            else ["1", "2", "3", "4", "5"]
            if kind is PollKind.SCALE
            else [f"Option {chr(65 + i)} for item {n}" for i in range(rng.randint(2, 5))]
        )
        closed = year_ago + timedelta(days=7 * n + 3)
        rows.append(
            {
                "group_id": group_id,
                "number": n + 1,
                "question": f"Decision {n + 1}: shall we change how the group works on {n}?",
                "options": options,
                "kind": kind.value,
                "max_choices": 2 if kind is PollKind.MULTIPLE else 1,
                "visibility": Visibility.AFTER_CLOSE.value,
                "status": "closed",
                "created_at": closed - timedelta(days=2),
                "closed_at": closed,
            }
        )
    return rows


async def store_busy_group(url: str, today: date) -> int:
    """The busy group's year; its id."""
    rng = random.Random(16)
    engine = create_engine(url)
    await migrate.upgrade(engine)
    sessions = create_sessionmaker(engine)
    year_ago = datetime.combine(today - timedelta(days=365), datetime.min.time(), UTC)
    async with sessions() as session:
        await session.execute(
            insert(Group),
            [{"chat_id": -100_123, "title": "Busy group", "timezone": "Europe/London"}],
        )
        group_id = int(await session.scalar(select(Group.id)) or 0)
        await session.execute(insert(Poll), _poll_rows(group_id, year_ago, rng))
        polls = list(await session.execute(select(Poll.id, Poll.options, Poll.kind)))
        ballots = []
        for poll_id, options, kind in polls:
            small = rng.random() < 0.3  # some polls with a small role: figures held back
            for v in range(VOTERS):
                role = ROLES[0 if small and v < VOTERS - 2 else v % 3]
                choices = 1 << rng.randrange(len(options))
                if kind == PollKind.MULTIPLE.value:
                    choices |= 1 << rng.randrange(len(options))
                ballots.append(
                    {
                        "poll_id": poll_id,
                        "ballot_key": secrets.token_hex(16),
                        "role": role.value,
                        "choices": choices,
                    }
                )
        await session.execute(insert(Ballot), ballots)
        statuses = ["published"] * 6 + ["rejected", "pending"]
        await session.execute(
            insert(Feedback),
            [
                {
                    "group_id": group_id,
                    "text": f"Feedback {n}: " + "the room was cold and the papers came late. " * 3,
                    "status": "urgent" if n % 25 == 0 else statuses[n % len(statuses)],
                    "urgent": n % 25 == 0,
                    "number": n + 1,
                    "received_at": year_ago + timedelta(hours=43 * n + 5),
                }
                for n in range(FEEDBACK)
            ],
        )
        await session.execute(
            insert(Meeting),
            [
                {
                    "group_id": group_id,
                    "title": "Monthly co-production meeting",
                    "place": "Room 4",
                    "zone": "Europe/London",
                    "start_local": year_ago.replace(tzinfo=None) + timedelta(hours=10),
                    "recurrence": "fortnightly",
                    "status": "active",
                    "generated_until": year_ago + timedelta(days=366),
                }
            ],
        )
        meeting_id = int(await session.scalar(select(Meeting.id)) or 0)
        await session.execute(
            insert(MeetingOccurrence),
            [
                {
                    "meeting_id": meeting_id,
                    "series_local": f"k{n}",
                    "starts_at": year_ago + timedelta(days=14 * n + 1, hours=10),
                    "status": "scheduled",
                }
                for n in range(MEETINGS)
            ],
        )
        occurrences = list(await session.scalars(select(MeetingOccurrence.id)))
        await session.execute(
            insert(MeetingRsvp),
            [
                {
                    "occurrence_id": oid,
                    "rsvp_key": secrets.token_hex(16),
                    "role": ROLES[v % 3].value,
                    "answer": rng.randrange(3),
                }
                for oid in occurrences
                for v in range(12)
            ],
        )
        await session.commit()
    await engine.dispose()
    return group_id


async def measure() -> list[Figure]:
    today = datetime.now(UTC).date()
    async with sqlite_database() as url:
        group_id = await store_busy_group(url, today)
        engine = create_engine(url)
        uow = UnitOfWorkFactory(create_sessionmaker(engine))
        now = datetime.now(UTC)
        year = Period(today - timedelta(days=365), today)
        # What a running bot has already loaded: the report's modules and fonts (a report of
        # a period with nothing in it) and matplotlib (the chart every closed poll is sent).
        async with uow() as u:
            empty = await reports.gather(
                u, group_id, Period(date(2001, 1, 1), date(2001, 1, 2)), min_cell=3, now=now
            )
            warm = await reports.gather(u, group_id, year, min_cell=3, now=now)
        assert empty is not None and warm is not None
        report_pdf(empty)
        poll_chart.results_chart(warm.decisions[0].snapshot)
        del warm
        gc.collect()
        process = psutil.Process()
        rss_before = process.memory_info().rss
        started = time.perf_counter()
        async with uow() as u:
            facts = await reports.gather(u, group_id, year, min_cell=3, now=now)
        gathered = time.perf_counter()
        assert facts is not None
        pdf = await asyncio.to_thread(report_pdf, facts)
        done = time.perf_counter()
        rss_growth = (process.memory_info().rss - rss_before) / MB
        # Python's own peak, in a second build (tracing slows it, so not in the timed one).
        tracemalloc.start()
        report_pdf(facts)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        await engine.dispose()
    total = done - started
    return [
        info(
            "decisions, feedback items, meetings in the year",
            f"{len(facts.decisions)}, {facts.feedback_received}, {len(facts.meetings)}",
        ),
        info("gather (database), s", f"{gathered - started:.2f}"),
        info("draw the PDF (charts included), s", f"{done - gathered:.2f}"),
        check(
            "12-month report, total, s",
            f"< {SECONDS:.0f}",
            f"{total:.2f}",
            total / SECONDS,
            total < SECONDS,
        ),
        info("PDF size, KB", f"{len(pdf) / 1024:.0f}"),
        info("pages", str(pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages"))),
        check(
            "memory above the running bot (RSS growth), MB",
            f"< {MEGABYTES:.0f}",
            f"{rss_growth:.1f}",
            rss_growth / MEGABYTES,
            rss_growth < MEGABYTES,
        ),
        info("Python's traced peak while building (a second build), MB", f"{peak / MB:.1f}"),
    ]


def main() -> None:
    figures = asyncio.run(measure())
    print(render(figures))
    sys.exit(1 if any(f.verdict == "FAIL" for f in figures) else 0)


if __name__ == "__main__":
    main()
