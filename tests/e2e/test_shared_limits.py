"""Replicas share Telegram's limits (issue 17): several real Applications on one PostgreSQL.

Telegram counts per bot, not per process. With the budgets kept per process, two replicas
taking presses for one poll would edit its message twice as often as one, and could land an
older render after a newer one; N replicas sending at once would get 429s. Here two or three
Applications run side by side on one database and one sandbox that enforces Telegram's limits.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.config import Settings
from bot.domain.keyed_hash import member_key
from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.rate_limits import SHARED_OVERALL
from bot.sandbox import FakeTelegram
from bot.scheduling.group_sender import deliver_to_group
from bot.services import groups
from storage import migrate
from storage.engine import create_engine
from storage.shared_limits import Budget, SharedPace
from tests.conftest import make_settings, reset_postgres
from tests.e2e.poll_helpers import button, context_of, eventually, shown

pytestmark = pytest.mark.postgres

SPEED = 20  # how much faster than real time the sandbox's flood clock runs (second test)
VOTED = re.compile(r"(\d+) (?:people have|person has) voted so far")


@dataclass
class Seen:
    """Every call the sandbox answered, as Telegram would have seen it, with its time."""

    calls: list[tuple[float, str, dict[str, Any], int]] = field(default_factory=list)

    def edits(self, chat_id: int, message_id: int) -> list[tuple[float, str]]:
        return [
            (at, str(params.get("text", "")))
            for at, method, params, status in self.calls
            if method == "editMessageText"
            and status == 200
            and int(params.get("chat_id", 0)) == chat_id
            and int(params.get("message_id", 0)) == message_id
        ]

    def floods(self) -> int:
        return sum(1 for *_, status in self.calls if status == 429)

    def sent_to(self, chat_id: int) -> list[float]:
        return [
            at
            for at, method, params, status in self.calls
            if method == "sendMessage" and status == 200 and int(params["chat_id"]) == chat_id
        ]


def watch(tg: FakeTelegram, monkeypatch: pytest.MonkeyPatch) -> Seen:
    seen = Seen()
    answer: Callable[..., Awaitable[tuple[int, dict[str, Any]]]] = tg.call

    async def recorded(
        method: str, params: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[int, dict[str, Any]]:
        status, body = await answer(method, params, **kwargs)
        seen.calls.append((time.monotonic(), method, dict(params or {}), status))
        return status, body

    monkeypatch.setattr(tg, "call", recorded)
    return seen


@asynccontextmanager
async def replicas(
    tg: FakeTelegram, settings: Settings, count: int
) -> AsyncIterator[list[SandboxBot]]:
    """`count` real Applications on the same PostgreSQL, as `equalsay run` replicas are."""
    async with AsyncExitStack() as stack:
        yield [await stack.enter_async_context(SandboxBot(tg, settings)) for _ in range(count)]


async def _fresh(postgres_url: str, tg: FakeTelegram) -> Settings:
    await reset_postgres(postgres_url)
    engine = create_engine(postgres_url)
    await migrate.upgrade(engine)  # `equalsay migrate`, once, by the deployer
    await engine.dispose()
    return make_settings(tg, postgres_url)


async def test_two_replicas_edit_a_busy_poll_in_one_shared_rhythm_and_never_go_back(
    tg: FakeTelegram, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = await _fresh(postgres_url, tg)
    fiona = tg.create_user("Fiona", "fiona_f")
    voters = [tg.create_user(f"voter-{n}") for n in range(36)]
    group = tg.create_group("Co-production", members=voters, admins=[fiona])
    seen = watch(tg, monkeypatch)
    async with replicas(tg, settings, 2) as (first, second):
        await first.add_to_group(group, by=fiona)
        async with first.uow() as uow:
            info = await groups.find_group(uow, group.id)
            assert info is not None
            roles = (Role.SERVICE_USER, Role.CARER, Role.STAFF)
            await uow.members.put_many(
                info.id,
                {
                    member_key(settings.hash_key, info.id, user.id): roles[n % 3].value
                    for n, user in enumerate(voters)
                },
            )
            await uow.commit()
        await first.say(fiona, group, "/poll Where should we meet? | Library | Café")
        poll = first.last(group)
        # A shorter turn than Telegram's 3 s keeps the test short; the rule is the same.
        interval = 0.8
        for replica in (first, second):
            coalescer = replica.app.bot_data.coalescer
            assert coalescer.turns is not None, "on PostgreSQL the replicas take turns"
            coalescer.interval = coalescer.turns.interval = interval
        started = time.monotonic()
        for n, voter in enumerate(voters):  # presses alternate between the two replicas
            tg.press(voter, poll, data=button(poll, ("Library", "Café")[n % 2]))
            await (first, second)[n % 2].deliver()
            await asyncio.sleep(0.1)
        pressing = time.monotonic() - started
        await eventually(
            lambda: f"{len(voters)} people have voted so far" in shown(poll),
            "the final count shown",
        )
        await asyncio.sleep(interval * 2)  # nothing older may follow the final state

    edits = seen.edits(group.id, poll.message_id)
    times = [at for at, _ in edits]
    # Both replicas had votes to show all along: one rhythm for both, not one each. A turn
    # starts at most once an interval and only after the last edit ended, so an edit may land
    # early or late within its turn (the database and the pacer in between), but any four
    # intervals hold at most five edits; each replica on its own would make about eight.
    window = 4 * interval
    busiest = max(
        sum(1 for other in times[n:] if other - at < window) for n, at in enumerate(times)
    )
    assert busiest <= 5, [round(b - a, 2) for a, b in itertools.pairwise(times)]
    assert len(edits) <= pressing / interval + 3, (len(edits), pressing)
    counts = [int(m.group(1)) for _, text in edits if (m := VOTED.search(text))]
    assert counts == sorted(counts), counts  # never an older count after a newer one
    assert counts[-1] == len(voters)
    assert seen.floods() == 0


async def test_three_replicas_sending_at_once_stay_inside_the_shared_budgets(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Telegram's limits on a sandbox clock running 20 times fast, so a minute's group budget
    # passes in 3 s: a burst of 20, then 20 a minute (6.7 a second here), past which the sandbox
    # answers 429. The replicas share 18 and then 18 a minute (6 a second here), as they
    # would in production. Three replicas pacing alone would send 3 x 6 a second.
    tg = FakeTelegram(clock=lambda: time.monotonic() * SPEED)
    settings = await _fresh(postgres_url, tg)
    fiona = tg.create_user("Fiona", "fiona_f")
    group = tg.create_group("Co-production", members=[], admins=[fiona])
    people = [tg.create_user(f"person-{n}") for n in range(90)]
    for person in people:
        person.started_bot = True  # each started the bot earlier: it may write to them
    seen = watch(tg, monkeypatch)
    async with replicas(tg, settings, 3) as bots:
        await bots[0].add_to_group(group, by=fiona)
        engine = bots[0].app.bot_data.engine
        assert engine is not None
        for bot in bots:
            limiter: Any = bot.app.bot.rate_limiter
            fast = Budget(per_second=18 / 60 * SPEED, burst=18)
            limiter.share(SharedPace(engine, group=fast, overall=SHARED_OVERALL))
        started = time.monotonic()
        await asyncio.gather(
            *(
                deliver_to_group(context_of(bot), group.id, f"Note {n} from replica {r}")
                for r, bot in enumerate(bots)
                for n in range(12)
            )
        )
        to_group = time.monotonic() - started
        started = time.monotonic()
        await asyncio.gather(
            *(
                bot.app.bot.send_message(person.id, "Hello")
                for r, bot in enumerate(bots)
                for person in people[r::3]
            )
        )
        privately = time.monotonic() - started

    assert seen.floods() == 0, "no replica was refused by Telegram's limits"
    notes = [m for m in tg.messages(group) if shown(m).startswith("Note ")]
    assert len(notes) == 36
    # 18 at once, then 6 a second: the three replicas together, not each on its own; and
    # the bot's 25 a second (real time) shared by the three for the private messages.
    assert to_group >= (36 - 18) / 6 * 0.9, to_group
    assert privately >= (90 - 25) / 25 * 0.9, privately
