"""Rows that stand for people, written again in random order, so their order says nothing.

A random primary key (storage/models.py::order_free_id) hides the order rows were written in
from `ORDER BY id`, but not from where they sit: PostgreSQL appends new rows to its table
files, so a plain `SELECT` or a `pg_dump` lists them in the order they came, and each row
carries the number of the transaction that wrote it (`xmin`); SQLite's pages keep the order
cells were written in. Deleting a set of rows and inserting them again, sorted by fresh
random ids, in one statement, puts them in random order with one transaction number for all.
The old copies are dead rows until PostgreSQL vacuums them (docs/PRIVACY.md, backups).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

from storage.types import random_id

Row = dict[str, Any]


async def rewrite_in_random_order(
    session: AsyncSession,
    model: type[DeclarativeBase],
    where: ColumnElement[bool],
    change: Callable[[Row], Row] | None = None,
) -> int:
    """Delete the rows `where` selects and insert them again with new random ids, in random
    order, each first passed through `change` (to unlink a key on the way). Returns how many.

    The caller holds whatever lock keeps others from writing these rows meanwhile (a group's
    row for memberships, the poll's for ballots): a row written by someone else between the
    read and the delete would be lost.
    """
    table = cast(Table, model.__table__)
    rows = [dict(row._mapping) for row in await session.execute(select(table).where(where))]
    if not rows:
        return 0
    await session.execute(delete(table).where(where))
    fresh = [{**(change(row) if change else row), "id": random_id()} for row in rows]
    fresh.sort(key=lambda row: row["id"])  # random order, and SQLite's b-tree order too
    await session.execute(insert(table), fresh)
    return len(fresh)
