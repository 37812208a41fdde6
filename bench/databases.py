"""Throwaway databases: a SQLite file in a temporary directory, a PostgreSQL database on
127.0.0.1 created for the run and dropped after it (as tests/conftest.py does)."""

from __future__ import annotations

import ipaddress
import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from storage import migrate
from storage.engine import create_engine

POSTGRES_ENV = "EQUALSAY_BENCH_POSTGRES_URL"
DEFAULT_POSTGRES_ADMIN = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def postgres_admin_url() -> str:
    """The server to create benchmark databases on; loopback only, whatever is configured."""
    url = os.environ.get(POSTGRES_ENV, DEFAULT_POSTGRES_ADMIN)
    host = make_url(url).host or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise SystemExit(f"{POSTGRES_ENV} must point at 127.0.0.1 (loopback only), not {host!r}")
    return url


def asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@asynccontextmanager
async def sqlite_database() -> AsyncIterator[str]:
    """The embedded default: a SQLite file, here in a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="equalsay-bench-") as folder:
        yield sqlite_url(Path(folder))


def sqlite_url(folder: Path) -> str:
    """The bench's SQLite database in `folder`."""
    return f"sqlite+aiosqlite:///{folder / 'equalsay.db'}"


@asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """A fresh, migrated PostgreSQL database, dropped (even if the bench fails) afterwards."""
    admin_url = postgres_admin_url()
    name = f"equalsay_bench_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(asyncpg_dsn(admin_url))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        engine = create_engine(url)
        try:
            await migrate.upgrade(engine)
        finally:
            await engine.dispose()
        yield url
    finally:
        admin = await asyncpg.connect(asyncpg_dsn(admin_url))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


def database(kind: str) -> AbstractAsyncContextManager[str]:
    """`async with database("sqlite" | "postgres") as url:`"""
    return postgres_database() if kind == "postgres" else sqlite_database()
