"""A constant Core statement run on aiosqlite in ONE hand-off to its thread.

Why: SQLAlchemy's aiosqlite adapter makes four hand-offs to aiosqlite's thread per statement
(open a cursor, execute, fetch, close the cursor), each about 0.25 ms on a busy machine; the
vote path's SELECT and upsert made seven of a press's nine (docs/PERFORMANCE.md).
aiosqlite's own `execute_fetchall` does the same work in one. The statement is compiled by
SQLAlchemy once (so it is the same SQL), it runs on the session's own connection inside the
session's transaction (the same sqlite3 connection and implicit BEGIN that SQLAlchemy would
use), and each column's result processor turns the values into what SQLAlchemy would return.
Any other database or driver runs the statement through SQLAlchemy as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import Compiled

Processor = Callable[[Any], Any] | None


class OneHop:
    """`await OneHop(statement).rows(connection, params)`: its rows as tuples."""

    def __init__(self, statement: Executable, column_keys: Sequence[str] | None = None) -> None:
        self._statement = statement
        self._column_keys = list(column_keys) if column_keys is not None else None
        self._compiled: tuple[Compiled, list[str], list[Processor]] | None = None

    async def rows(
        self, connection: AsyncConnection, params: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        dialect = connection.dialect
        if dialect.name != "sqlite" or dialect.driver != "aiosqlite":
            result = await connection.execute(self._statement, dict(params))
            return [tuple(row) for row in result] if result.returns_rows else []
        compiled, names, processors = self._compile(dialect)
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection  # aiosqlite.Connection
        found = await driver.execute_fetchall(compiled.string, [params[name] for name in names])
        return [_processed(processors, row) for row in found]

    def _compile(self, dialect: Dialect) -> tuple[Compiled, list[str], list[Processor]]:
        if self._compiled is None:
            compiled = self._statement.compile(  # type: ignore[attr-defined]
                dialect=dialect, column_keys=self._column_keys
            )
            names = list(compiled.positiontup or [])
            columns = getattr(self._statement, "selected_columns", [])
            processors = [column.type._cached_result_processor(dialect, None) for column in columns]
            self._compiled = (compiled, names, processors)
        return self._compiled


def _processed(processors: list[Processor], row: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(value if p is None else p(value) for p, value in zip(processors, row, strict=True))
