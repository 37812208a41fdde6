"""A pooled PostgreSQL connection the server dropped while it sat idle (a database restart, an
idle timeout) is replaced before use: the next vote is written, not failed.

The engine pings only connections idle longer than PING_AFTER_IDLE_SECONDS (a ping is a round
trip, and under load it was one of six per press), so this test makes every connection count
as idle.
"""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import text

from storage import engine as engines
from storage.engine import create_engine
from tests.conftest import reset_postgres


async def test_a_connection_dropped_while_idle_is_replaced_before_use(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await reset_postgres(postgres_url)
    engine = create_engine(postgres_url)
    try:
        async with engine.connect() as connection:
            pid = await connection.scalar(text("SELECT pg_backend_pid()"))
        # The server drops the pooled connection, as a restart would.
        dsn = postgres_url.replace("postgresql+asyncpg", "postgresql")
        admin = await asyncpg.connect(dsn)
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        monkeypatch.setattr(engines, "PING_AFTER_IDLE_SECONDS", 0.0)
        async with engine.connect() as connection:
            assert await connection.scalar(text("SELECT 1")) == 1
            assert await connection.scalar(text("SELECT pg_backend_pid()")) != pid
    finally:
        await engine.dispose()
