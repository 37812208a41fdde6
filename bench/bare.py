"""Issue 17, point 2: the bare floor under the vote path, with no SQLAlchemy at all.

The same sandbox transport and Application (rate limiter, defaults, update processing), with
every handler swapped for one `CallbackQueryHandler` that decodes the press, derives the
ballot key, writes it with the raw driver on one connection and answers. SQLite: aiosqlite,
`INSERT OR REPLACE` and a commit per vote, under the pragmas the bot's own engine sets.
PostgreSQL: asyncpg, an upsert per vote in autocommit (each statement its own commit).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import aiosqlite
import asyncpg
from sqlalchemy.engine import make_url
from telegram import Update

from bench.databases import asyncpg_dsn
from bot.context import AppContext
from bot.domain.keyed_hash import ballot_key
from bot.domain.roles import Role
from bot.views.callbacks import decode
from storage.engine import SQLITE_BUSY_TIMEOUT_MS
from storage.types import random_id

Write = Callable[[int, str, str, int], Awaitable[None]]

_SQLITE_UPSERT = (
    "INSERT OR REPLACE INTO ballots (id, poll_id, ballot_key, role, choices) VALUES (?, ?, ?, ?, ?)"
)
_POSTGRES_UPSERT = (
    "INSERT INTO ballots (id, poll_id, ballot_key, role, choices) VALUES ($1, $2, $3, $4, $5) "
    "ON CONFLICT (poll_id, ballot_key) DO UPDATE SET choices = excluded.choices"
)


class BareStore:
    """One raw connection to the run's database, and the one write a bare press makes."""

    def __init__(self, close: Callable[[], Awaitable[None]], write: Write) -> None:
        self.close, self.write = close, write

    @classmethod
    async def open(cls, url: str) -> BareStore:
        if make_url(url).get_backend_name() == "sqlite":
            return await cls._sqlite(url)
        return await cls._postgres(url)

    @classmethod
    async def _sqlite(cls, url: str) -> BareStore:
        path = make_url(url).database
        assert path is not None
        db = await aiosqlite.connect(path)
        for pragma in (
            "PRAGMA secure_delete=ON",
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
            "PRAGMA synchronous=NORMAL",
        ):
            await db.execute(pragma)

        async def write(poll_id: int, key: str, role: str, choices: int) -> None:
            await db.execute(_SQLITE_UPSERT, (random_id(), poll_id, key, role, choices))
            await db.commit()

        return cls(db.close, write)

    @classmethod
    async def _postgres(cls, url: str) -> BareStore:
        connection: Any = await asyncpg.connect(asyncpg_dsn(url))
        statement = await connection.prepare(_POSTGRES_UPSERT)

        async def write(poll_id: int, key: str, role: str, choices: int) -> None:
            await statement.fetch(random_id(), poll_id, key, role, choices)

        return cls(connection.close, write)


def bare_handler(store: BareStore) -> Callable[[Update, AppContext], Coroutine[Any, Any, None]]:
    """Decode, derive the ballot key, one raw write with its commit, answer. Nothing else."""

    async def bare_vote(update: Update, context: AppContext) -> None:
        query = update.callback_query
        assert query is not None
        press = decode(query.data)
        assert press is not None
        poll_id, option = press.args
        key = ballot_key(context.secret, poll_id, query.from_user.id)
        await store.write(poll_id, key, Role.STAFF.value, 1 << option)
        await query.answer("Thank you, your vote is in.")

    return bare_vote
