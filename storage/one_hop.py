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
        self._compiled: tuple[Compiled, list[str], list[Processor], list[Processor]] | None = None

    async def rows(
        self, connection: AsyncConnection, params: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        return (await in_one_hop(connection, [(self, params)]))[0]

    def _sql(self, dialect: Dialect, params: Mapping[str, Any]) -> tuple[str, list[Any]]:
        compiled, names, _, binders = self._compile(dialect)
        values = [
            params[n] if b is None else b(params[n]) for n, b in zip(names, binders, strict=True)
        ]
        return compiled.string, values

    def _rows(self, dialect: Dialect, found: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
        processors = self._compile(dialect)[2]
        if not processors:  # e.g. an INSERT ... RETURNING: its values come back as stored
            return [tuple(row) for row in found]
        return [_processed(processors, row) for row in found]

    def _compile(
        self, dialect: Dialect
    ) -> tuple[Compiled, list[str], list[Processor], list[Processor]]:
        if self._compiled is None:
            compiled = self._statement.compile(  # type: ignore[attr-defined]
                dialect=dialect, column_keys=self._column_keys
            )
            names = list(compiled.positiontup or [])
            columns = getattr(self._statement, "selected_columns", [])
            processors = [column.type._cached_result_processor(dialect, None) for column in columns]
            # Each parameter as SQLAlchemy would send it (an aware datetime as naive UTC text).
            binders = [compiled.binds[name].type._cached_bind_processor(dialect) for name in names]
            self._compiled = (compiled, names, processors, binders)
        return self._compiled


def _processed(processors: list[Processor], row: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(value if p is None else p(value) for p, value in zip(processors, row, strict=True))


async def in_one_hop(
    connection: AsyncConnection, statements: Sequence[tuple[OneHop, Mapping[str, Any]]]
) -> list[list[tuple[Any, ...]]]:
    """Each statement's rows, the statements run in order in the session's transaction; on
    aiosqlite all of them in ONE hand-off to its thread (a ballot press's claim and read: one
    hop instead of two). Any other driver runs them through SQLAlchemy, one after the other.
    """
    dialect = connection.dialect
    if dialect.name != "sqlite" or dialect.driver != "aiosqlite":
        results = []
        for hop, params in statements:
            result = await connection.execute(hop._statement, dict(params))
            results.append([tuple(row) for row in result] if result.returns_rows else [])
        return results
    prepared = [hop._sql(dialect, params) for hop, params in statements]
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection  # aiosqlite.Connection

    def run_all() -> list[list[Any]]:  # on aiosqlite's thread, on its sqlite3 connection
        found = []
        for sql, values in prepared:
            cursor = driver._conn.execute(sql, values)
            try:
                found.append(cursor.fetchall())
            finally:
                cursor.close()
        return found

    if len(prepared) == 1:
        found = [await driver.execute_fetchall(*prepared[0])]
    else:
        # aiosqlite's own way to run a function on its thread (what its execute_* use).
        found = await driver._execute(run_all)
    return [hop._rows(dialect, rows) for (hop, _), rows in zip(statements, found, strict=True)]
