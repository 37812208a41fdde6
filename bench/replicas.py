"""Three `equalsay run` replicas in webhook mode on one PostgreSQL (issue 17).

`python -m bench.replicas [--voters 1000 --presses 5 --groups 10]`: the sandbox's HTTP server
stands in for Telegram (and enforces its flood limits: 429 with retry_after), its webhook
delivery hands each update to a round-robin balancer in front of three real processes. 1,000
voters in 10 groups press 5 times each (a different option each time). Afterwards: the most
edits of one poll message in any 60 s (target at most 20), the most messages and edits in any
second (at most 30), 429s (0), every press answered exactly once, every group's message
showing the final count, and that count equal to a raw recount of the ballots. Prints a
table; exits 1 on a miss.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.databases import postgres_database
from bot.config import load_settings
from bot.harness import SandboxBot
from bot.sandbox import FakeMessage, FakeTelegram, SandboxHttpServer
from bot.sandbox.balancer import RoundRobin
from storage.engine import create_engine, create_sessionmaker
from storage.models import Ballot
from storage.uow import UnitOfWorkFactory

REPLICAS = 3
SECRET = "K_xJLRb_3tBwS07RqrsfRb1Z1mmGIIw_mo31vVBh77XAZf50G4kpKa-rsa1FBo5W"  # bench only
OPTIONS = ("Library", "Café", "Online")
VOTED = re.compile(r"(\d+) (?:people have|person has) voted so far")


class Recorder:
    """Every Bot API call the sandbox answered, with when and how."""

    def __init__(self, tg: FakeTelegram) -> None:
        self.calls: list[tuple[float, str, dict[str, Any], int]] = []
        answer: Callable[..., Awaitable[tuple[int, dict[str, Any]]]] = tg.call

        async def recorded(
            method: str, params: dict[str, Any] | None = None, **kwargs: Any
        ) -> tuple[int, dict[str, Any]]:
            status, body = await answer(method, params, **kwargs)
            self.calls.append((time.monotonic(), method, dict(params or {}), status))
            return status, body

        tg.call = recorded  # type: ignore[method-assign]

    def counted(self, since: float) -> list[tuple[float, str, dict[str, Any]]]:
        """Messages and edits Telegram accepted (what its flood limits count)."""
        return [
            (at, method, params)
            for at, method, params, status in self.calls
            if at >= since and status == 200 and method.startswith(("send", "edit"))
        ]

    def floods(self, since: float) -> int:
        return sum(1 for at, *_, status in self.calls if at >= since and status == 429)


def _most_in(times: list[float], window: float) -> int:
    times = sorted(times)
    most, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= window:
            start += 1
        most = max(most, end - start + 1)
    return most


async def _seed(
    tg: FakeTelegram, url: str, voters: int, group_count: int
) -> list[tuple[int, FakeMessage, list[Any]]]:
    """What an earlier process did: the groups, their members' roles, a poll in each."""
    settings = load_settings(bot_token=tg.token, database_url=url, secret_key=SECRET)
    fiona = tg.create_user("Fiona", "fiona_f")
    people = [tg.create_user(f"Voter {n}") for n in range(voters)]
    seeded = []
    async with SandboxBot(tg, settings) as bot:
        for g in range(group_count):
            members = people[g::group_count]
            group = tg.create_group(f"Group {g}", members=members, admins=[fiona])
            await bot.add_to_group(group, by=fiona)
            await bot.seed_roles(group, members)
            await bot.say(fiona, group, f"/poll Where should we meet? | {' | '.join(OPTIONS)}")
            seeded.append((group.id, bot.last(group), members))
    return seeded


def _env(tg: FakeTelegram, server: SandboxHttpServer, url: str, folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "WEBHOOK_"))}
    env.update(
        BOT_TOKEN=tg.token,
        DATABASE_URL=url,
        SECRET_KEY=SECRET,
        SECRET_KEY_FILE=str(folder / "secret_key"),
        HEALTH_FILE=str(folder / "alive"),
        TELEGRAM_API_URL=f"http://127.0.0.1:{server.port}",
        LOG_LEVEL="WARNING",
        MODE="webhook",
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_SECRET_TOKEN="only-telegram-knows",  # noqa: S106 - the sandbox's, bench only
    )
    return env


async def measure(voters: int, presses: int, group_count: int) -> list[tuple[str, str, str, bool]]:
    tg = FakeTelegram(spec_path=None)
    async with postgres_database() as url, SandboxHttpServer(tg) as server:
        seeded = await _seed(tg, url, voters, group_count)
        recorder = Recorder(tg)
        balancer = RoundRobin([_free_port() for _ in range(REPLICAS)])
        await balancer.start()
        folder = Path(tempfile.mkdtemp(prefix="equalsay-replicas-"))
        env = _env(tg, server, url, folder)
        processes = []
        try:
            for n, port in enumerate(balancer.ports):
                replica = {**env, "WEBHOOK_URL": balancer.url, "WEBHOOK_PORT": str(port)}
                log = (folder / f"replica-{n}.log").open("ab")
                processes.append(
                    await asyncio.create_subprocess_exec(
                        sys.executable, "-m", "bot", "run", env=replica, stdout=log, stderr=log
                    )
                )
            await _until(lambda: len(tg.calls_to("setWebhook")) >= REPLICAS, 60, "replicas up")
            started = time.monotonic()
            queries = []
            for round_ in range(presses):
                for _, poll, members in seeded:
                    for n, voter in enumerate(members):
                        label = OPTIONS[(n + round_) % 3]
                        data = next(b.data for row in poll.buttons for b in row if label in b.text)
                        queries.append(tg.press(voter, poll, data=str(data)))
            await _until(
                lambda: all(
                    tg.callback_answer(q["callback_query"]["id"]) is not None for q in queries
                ),
                1800,
                "every press answered",
            )
            pressing = time.monotonic() - started
            engine = create_engine(url)
            uows = UnitOfWorkFactory(create_sessionmaker(engine))
            async with uows() as uow:
                recount = dict(
                    (
                        await uow.session.execute(
                            select(Ballot.poll_id, func.count()).group_by(Ballot.poll_id)
                        )
                    ).all()
                )
            await engine.dispose()

            def final_shown() -> bool:
                shown = []
                for group_id, poll, _ in seeded:
                    current = tg.find_message(group_id, poll.message_id)
                    match = VOTED.search((current.text if current else "") or "")
                    shown.append(int(match.group(1)) if match else -1)
                return sorted(shown) == sorted(recount.values())

            await _until(final_shown, 120, "the final state shown")
            settled = time.monotonic() - started
        finally:
            for process in processes:
                if process.returncode is None:
                    process.send_signal(2)
            for process in processes:
                try:
                    await asyncio.wait_for(process.wait(), 30)
                except TimeoutError:
                    process.kill()
            await balancer.stop()
        counted = recorder.counted(started)
        per_group: dict[int, list[float]] = {}
        for at, method, params in counted:
            if method == "editMessageText" and int(params.get("chat_id", 0)) < 0:
                per_group.setdefault(int(params["chat_id"]), []).append(at)
        worst_edits = max((_most_in(times, 60.0) for times in per_group.values()), default=0)
        worst_second = _most_in([at for at, *_ in counted], 1.0)
        floods = recorder.floods(started)
        answers = Counter(
            str(params.get("callback_query_id"))
            for at, method, params, status in recorder.calls
            if method == "answerCallbackQuery" and status == 200
        )
        once = all(answers[q["callback_query"]["id"]] == 1 for q in queries)
        handled = Counter(balancer.routed.values())
    total = len(queries)
    return [
        (
            "presses (voters x presses, groups)",
            f"{total} ({voters} x {presses}, {group_count})",
            "",
            True,
        ),
        ("updates per replica", str(dict(sorted(handled.items()))), "", len(handled) == REPLICAS),
        ("time to answer every press", f"{pressing:.1f} s", "", True),
        ("time to the final state in every group", f"{settled:.1f} s", "", True),
        ("most edits of one group's poll in 60 s", str(worst_edits), "<= 20", worst_edits <= 20),
        ("most messages and edits in 1 s, overall", str(worst_second), "<= 30", worst_second <= 30),
        ("429s from the sandbox", str(floods), "0", floods == 0),
        ("every press answered exactly once", str(once), "True", once),
        # Reached only once every group showed it (else the run stops with a timeout).
        ("final count shown = raw recount, every group", "True", "True", True),
    ]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _until(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--presses", type=int, default=5)
    parser.add_argument("--groups", type=int, default=10)
    args = parser.parse_args()
    rows = asyncio.run(measure(args.voters, args.presses, args.groups))
    print(f"{'3 replicas, one PostgreSQL':<46} {'measured':>22} {'target':>7}")
    for name, value, target, ok in rows:
        print(f"{name:<46} {value:>22} {target:>7} {'' if ok else 'MISS'}")
    sys.exit(0 if all(ok for *_, ok in rows) else 1)


if __name__ == "__main__":
    main()
