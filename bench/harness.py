"""The bot under benchmark: the real Application on the in-process sandbox, timed.

`TimedTelegram` is the sandbox with a stopwatch: it notes when each callback query is
answered and when each poll message is edited, as Telegram would see them.
`BenchBot` is the tests' SandboxBot with PTB's concurrent updates switchable, and with an
optional *reference* handler in place of every real one: the same Application, rate limiter,
defaults and engine, doing one raw SQL upsert plus a commit per press.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from telegram import Update
from telegram.ext import CallbackQueryHandler

from bench.bare import BareStore, bare_handler
from bot.config import Settings, load_settings
from bot.context import AppContext
from bot.domain.keyed_hash import ballot_key
from bot.domain.roles import ROLES, Role
from bot.harness import SandboxBot
from bot.sandbox import FakeChat, FakeMessage, FakeTelegram, FakeUser, SandboxRequest
from bot.services import membership
from bot.services.groups import find_group
from bot.views.callbacks import decode
from storage.types import random_id

OPTIONS = ("Alpha", "Beta", "Gamma")
SECRET = "bench-secret-key-not-for-production"


class TimedTelegram(FakeTelegram):
    """The sandbox, noting when answers and edits reach it (perf_counter seconds)."""

    def __init__(self) -> None:
        # No spec check: it would time the sandbox, not the bot (the tests check the calls).
        logging.getLogger("bot.sandbox.spec_check").setLevel(logging.ERROR)
        super().__init__(spec_path=None)
        self.answered_at: dict[str, float] = {}
        self.answers: Counter[str] = Counter()
        self.edits: list[tuple[float, int]] = []  # (when, chat id)

    async def call(
        self, method: str, params: dict[str, Any] | None = None, *, token: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        status, body = await super().call(method, params, token=token)
        stamp = time.perf_counter()
        if method == "answerCallbackQuery" and params is not None:
            query_id = str(params.get("callback_query_id"))
            self.answers[query_id] += 1
            self.answered_at.setdefault(query_id, stamp)
        elif method.startswith("editMessage") and status == 200 and params is not None:
            self.edits.append((stamp, int(params.get("chat_id") or 0)))
        return status, body


def bench_settings(tg: FakeTelegram, database_url: str) -> Settings:
    return load_settings(
        bot_token=tg.token, database_url=database_url, secret_key=SECRET, log_level="WARNING"
    )


class BenchBot(SandboxBot):
    """SandboxBot with PTB's `concurrent_updates` (bot/app.py passes it to the builder)."""

    def __init__(self, tg: FakeTelegram, settings: Settings, *, concurrent: bool | int) -> None:
        from bot.app import build_application

        self.tg = tg
        self.settings = settings
        self.app = build_application(
            settings,
            request=SandboxRequest(tg),
            updates_request=SandboxRequest(tg),
            concurrent_updates=concurrent,
            freeze_startup=True,  # as `equalsay run` does (bot/heap.py)
        )

    def use_reference_handler(self) -> None:
        """Swap every real handler for the bare raw-SQL one (after the set-up used them)."""
        for group, handlers in list(self.app.handlers.items()):
            for handler in list(handlers):
                self.app.remove_handler(handler, group)
        self.app.add_handler(CallbackQueryHandler(reference_vote))

    def use_bare_handler(self, store: BareStore) -> None:
        """Swap every real handler for the bare one: raw driver, no SQLAlchemy (bench/bare.py)."""
        for group, handlers in list(self.app.handlers.items()):
            for handler in list(handlers):
                self.app.remove_handler(handler, group)
        self.app.add_handler(CallbackQueryHandler(bare_handler(store)))


_UPSERT = text(
    "INSERT INTO ballots (id, poll_id, ballot_key, role, choices) "
    "VALUES (:id, :poll_id, :ballot_key, :role, :choices) "
    "ON CONFLICT (poll_id, ballot_key) DO UPDATE "
    "SET role = excluded.role, choices = excluded.choices"
)


async def reference_vote(update: Update, context: AppContext) -> None:
    """The floor to compare with: decode, one raw upsert, commit, answer. Nothing else."""
    query = update.callback_query
    engine = context.bot_data.engine
    assert query is not None and engine is not None
    press = decode(query.data)
    assert press is not None
    poll_id, option = press.args
    async with engine.connect() as connection:
        await connection.execute(
            _UPSERT,
            {
                "id": random_id(),  # the real path's order-free id (PostgreSQL has no default)
                "poll_id": poll_id,
                "ballot_key": ballot_key(context.secret, poll_id, query.from_user.id),
                "role": Role.STAFF.value,
                "choices": 1 << option,
            },
        )
        await connection.commit()
    await query.answer("Thank you, your vote is in.")


@dataclass
class Electorate:
    """One group, its voters (each with a role, set through the service) and a poll."""

    group: FakeChat
    group_id: int
    voters: list[FakeUser]
    poll: FakeMessage
    poll_id: int
    option_data: list[str]


async def electorate(bot: SandboxBot, voters: int) -> Electorate:
    """A group of `voters` people with roles, and a three-option poll posted by /poll."""
    tg = bot.tg
    fiona = tg.create_user("Fiona", "fiona_f")
    people = [tg.create_user(f"voter-{n}") for n in range(voters)]
    group = tg.create_group("Bench circle", members=people, admins=[fiona])
    await bot.add_to_group(group, by=fiona)
    async with bot.uow() as uow:
        found = await find_group(uow, group.id)
    assert found is not None, "the bot did not register the group"
    secret = bot.settings.hash_key
    # Straight through the service, not 1,000 join conversations: the roles are what matter.
    for n, person in enumerate(people):
        async with bot.uow() as uow:
            await membership.choose_role(uow, secret, found.id, person.id, ROLES[n % len(ROLES)])
    await bot.say(fiona, group, "/poll Which option? | " + " | ".join(OPTIONS))
    poll = bot.last(group)
    data = [b.data for row in poll.buttons for b in row if b.data and b.data.startswith("v:")]
    assert len(data) == len(OPTIONS), f"unexpected poll keyboard: {poll.buttons}"
    press = decode(data[0])
    assert press is not None
    return Electorate(group, found.id, people, poll, press.args[0], data)


def queue_presses(tg: FakeTelegram, people: Electorate, rounds: int) -> list[dict[str, Any]]:
    """`rounds` presses per voter, interleaved, each a different option from the last, so
    every press changes a ballot (no cheap "already chosen" answers)."""
    for turn in range(rounds):
        for n, person in enumerate(people.voters):
            tg.press(person, people.poll, data=people.option_data[(n + turn) % len(OPTIONS)])
    return tg.take_updates()


def final_option(voter_index: int, rounds: int) -> int:
    return (voter_index + rounds - 1) % len(OPTIONS)
