"""On PostgreSQL the deployer migrates (`equalsay migrate`); a replica never does, so two
replicas starting together cannot race through the same migration."""

from __future__ import annotations

import pytest

from bot.app import DatabaseNotMigratedError
from bot.harness import SandboxBot
from bot.sandbox import FakeTelegram
from storage import migrate
from storage.engine import create_engine
from tests.conftest import make_settings, reset_postgres


async def test_a_replica_refuses_an_unmigrated_postgres_and_starts_once_migrated(
    tg: FakeTelegram, postgres_url: str
) -> None:
    await reset_postgres(postgres_url)
    settings = make_settings(tg, postgres_url)
    with pytest.raises(DatabaseNotMigratedError, match="equalsay migrate"):
        async with SandboxBot(tg, settings):
            pass
    engine = create_engine(postgres_url)
    try:
        assert await migrate.current_revision(engine) is None, "the replica migrated nothing"
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()
    async with SandboxBot(tg, settings) as bot:
        sam = tg.create_user("Sam")
        await bot.start(sam)
        assert "Equal Say" in bot.last_text(bot.private(sam))
