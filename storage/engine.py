"""The one async engine factory: SQLite (embedded default) and PostgreSQL behave alike."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession
from sqlalchemy.pool import ConnectionPoolEntry

SQLITE_BUSY_TIMEOUT_MS = 5000
# A pooled PostgreSQL connection idle longer than this is pinged before use (see _ping_if_idle).
PING_AFTER_IDLE_SECONDS = 10.0


def _tune_sqlite(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers run beside the writer; foreign keys are off by default in SQLite;
    # the busy timeout makes a second writer wait instead of failing at once. secure_delete
    # zeroes what is deleted or overwritten (a closed poll's old ballot keys, a forgotten
    # person's rows) instead of leaving it in free pages: it is on only in some builds of
    # SQLite, so it is asked for here.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """Build the application's engine; one per process, disposed in post_shutdown.

    No reset on return to the pool: every unit of work, and every `engine.connect()`/
    `begin()` block, has already committed or rolled back when its connection goes back, so
    the pool's own `rollback()` only cost one more hand-off to aiosqlite's thread per press.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_async_engine(
            url, echo=echo, hide_parameters=True, pool_reset_on_return=None
        )
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
        return engine
    engine = create_async_engine(
        url,
        echo=echo,
        hide_parameters=True,
        pool_reset_on_return=None,
        pool_size=10,
        max_overflow=10,
    )
    event.listen(engine.sync_engine, "checkin", _checked_in)
    event.listen(engine.sync_engine, "checkout", _ping_if_idle)
    return engine


def _checked_in(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    record.info["checked_in"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
    """`pool_pre_ping`, but only for a connection that sat idle: a ping is a round trip, and
    under load (a connection back in the pool milliseconds ago) it was one of six per press.
    A connection the server dropped while idle (a restart, an idle timeout) is replaced here
    as pre-ping would; one dropped in the moment since its last use fails that one unit of
    work, and SQLAlchemy then invalidates the rest of the pool."""
    idle = time.monotonic() - record.info.get("checked_in", 0.0)
    if idle < PING_AFTER_IDLE_SECONDS:
        return
    try:
        dbapi_connection.ping()
    except Exception as error:
        raise exc.DisconnectionError("an idle pooled connection was dropped") from error


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
