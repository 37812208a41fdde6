"""The migration stairway: every revision up, down and up again, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from storage import migrate
from storage.engine import create_engine
from storage.models import Base


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


def _differences(connection: Connection) -> list[Any]:
    """What autogenerate would write to make the database match the models: nothing, when
    the migrations and the models agree on every table, column, type, null and index."""
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": False}
    )
    return [d for d in compare_metadata(context, Base.metadata) if "alembic_version" not in str(d)]


async def test_stairway_up_down_up(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        revisions = migrate.revisions()
        assert revisions, "there must be at least one migration"
        previous: str = "base"
        for revision in revisions:
            await migrate.upgrade(engine, revision)
            assert await migrate.current_revision(engine) == revision
            await migrate.downgrade(engine, previous)
            assert await migrate.current_revision(engine) == (
                None if previous == "base" else previous
            )
            await migrate.upgrade(engine, revision)
            previous = revision
        assert await migrate.is_up_to_date(engine)
    finally:
        await engine.dispose()


async def test_head_matches_the_models(db_url: str) -> None:
    """The migrations create exactly the schema the models describe."""
    engine = create_engine(db_url)
    try:
        await migrate.upgrade(engine)
        async with engine.connect() as connection:
            tables = await connection.run_sync(_tables)
        assert tables == set(Base.metadata.tables)
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences)
        assert differences == [], differences
        await migrate.downgrade(engine, "base")
        async with engine.connect() as connection:
            assert await connection.run_sync(_tables) == set()
    finally:
        await engine.dispose()
