"""The deployment's key fingerprint: read it, or claim the row for the key in use."""

from __future__ import annotations

from sqlalchemy import inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.models import DeploymentKey

_ROW = 1


async def _read(connection: AsyncConnection) -> str | None:
    def has_table(sync: Connection) -> bool:
        return inspect(sync).has_table(DeploymentKey.__tablename__)

    if not await connection.run_sync(has_table):  # set up before the fingerprint existed
        return None
    fingerprint: str | None = await connection.scalar(
        select(DeploymentKey.fingerprint).where(DeploymentKey.id == _ROW)
    )
    return fingerprint


async def stored_fingerprint(engine: AsyncEngine) -> str | None:
    """The fingerprint the database was set up with; None before any was written."""
    async with engine.connect() as connection:
        return await _read(connection)


async def claim_fingerprint(engine: AsyncEngine, fingerprint: str) -> str:
    """Write the fingerprint if none is stored; return the stored one (the first process to
    claim wins, so replicas started with different keys cannot both go on)."""
    async with engine.begin() as connection:
        dialect = connection.dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        await connection.execute(
            insert(DeploymentKey)
            .values(id=_ROW, fingerprint=fingerprint)
            .on_conflict_do_nothing(index_elements=[DeploymentKey.id])
        )
        stored = await _read(connection)
    assert stored is not None  # written just now, or by whoever came first
    return stored
