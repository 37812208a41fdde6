"""Shared fixtures: databases on SQLite and PostgreSQL, the sandbox, the real Application.

PostgreSQL tests run against EQUALSAY_TEST_POSTGRES_URL (CI sets it to 127.0.0.1:5432). Each
run creates its own throwaway database there and drops it afterwards. Under CI a missing
URL is a failure, never a skip.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot.config import Settings, load_settings

if TYPE_CHECKING:
    from bot.harness import SandboxBot
    from bot.sandbox import FakeTelegram

POSTGRES_ENV = "EQUALSAY_TEST_POSTGRES_URL"
SPEC_ENV = "TELEGRAM_BOT_API_SPEC"


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this run, dropped at the end."""
    admin_url = os.environ.get(POSTGRES_ENV)
    if not admin_url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_ENV} must be set in CI: the PostgreSQL tests may not skip")
        pytest.skip(f"set {POSTGRES_ENV} to run the PostgreSQL tests")
    name = f"equalsay_test_{uuid.uuid4().hex[:12]}"
    admin_dsn = _asyncpg_dsn(admin_url)

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(admin_dsn)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    def run_admin(sql: str) -> None:
        # Its own thread and loop: this fixture may be set up from inside a running loop.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, admin(sql)).result()

    run_admin(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        run_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def reset_postgres(url: str) -> None:
    """An empty schema, so each test starts from nothing (and migrates itself)."""
    connection = await asyncpg.connect(_asyncpg_dsn(url))
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """Every test that takes this runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'equalsay.db'}"
        return
    url: str = request.getfixturevalue("postgres_url")
    await reset_postgres(url)
    yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'equalsay.db'}"


def spec_path() -> Path | None:
    value = os.environ.get(SPEC_ENV)
    return Path(value) if value else None


@pytest.fixture
def tg() -> Iterator[FakeTelegram]:
    """The fake Telegram; any call that breaks the Bot API spec fails the test."""
    from bot.sandbox import FakeTelegram

    fake = FakeTelegram(spec_path=spec_path())
    yield fake
    assert not fake.spec_violations, f"Bot API spec violations: {fake.spec_violations}"


def make_settings(tg: FakeTelegram, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "bot_token": tg.token,
        "database_url": database_url,
        "secret_key": "test-secret-key-not-for-production",
        "min_cell": 3,
    }
    values.update(overrides)
    return load_settings(**values)


@pytest.fixture
def settings(tg: FakeTelegram, sqlite_url: str) -> Settings:
    return make_settings(tg, sqlite_url)


@pytest.fixture
async def bot(tg: FakeTelegram, settings: Settings) -> AsyncIterator[SandboxBot]:
    """The real Application with every handler, against the sandbox, on SQLite."""
    from bot.harness import SandboxBot

    async with SandboxBot(tg, settings) as running:
        yield running


@pytest.fixture
async def bot_on(tg: FakeTelegram, db_url: str) -> AsyncIterator[SandboxBot]:
    """Like `bot`, once on SQLite and once on PostgreSQL."""
    from bot.harness import SandboxBot

    settings = make_settings(tg, db_url)
    if not settings.is_sqlite:
        from storage import migrate
        from storage.engine import create_engine

        engine = create_engine(db_url)
        await migrate.upgrade(engine)
        await engine.dispose()
    async with SandboxBot(tg, settings) as running:
        yield running
