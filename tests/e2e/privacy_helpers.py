"""The privacy audit's tools: every row of every table, and a detector for people in text.

`dump_tables` reflects the tables from the database itself, so a table added later is audited
without anyone listing it here. `Identity` is everything about one Telegram user that would
name them if it were stored or logged: the id (in decimal, in hex, and as an unkeyed hash, which
anyone can recompute), the username and the first name; and for raw database files, the
id's bytes as SQLite stores an integer.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import MetaData, select

from storage.engine import create_engine

Row = tuple[str, tuple[object, ...]]


async def dump_rows(database_url: str) -> list[tuple[str, dict[str, object]]]:
    """Every row of every table, column by column, as the holder of a copy would see it."""
    engine = create_engine(database_url)
    rows: list[tuple[str, dict[str, object]]] = []
    try:
        async with engine.connect() as connection:
            metadata = MetaData()
            await connection.run_sync(metadata.reflect)
            for table in metadata.sorted_tables:
                for row in await connection.execute(select(table)):
                    rows.append((table.name, dict(row._mapping)))
    finally:
        await engine.dispose()
    return rows


async def dump_tables(database_url: str) -> list[Row]:
    """Every row of every table, as the holder of a database copy would see it."""
    return [(table, tuple(row.values())) for table, row in await dump_rows(database_url)]


async def table_names(database_url: str) -> set[str]:
    """Every table the database holds (reflected, so new tables are included)."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            metadata = MetaData()
            await connection.run_sync(metadata.reflect)
            return set(metadata.tables)
    finally:
        await engine.dispose()


def holds_any(value: str, needles: set[str]) -> bool:
    """Whether an id or username appears as a whole token (not inside a longer number)."""
    return any(re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", value) for n in needles)


def render(value: object) -> str:
    """A cell as text: JSON columns as JSON (so an int inside is its digits), bytes as bytes."""
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("latin-1")
    return str(value)


def row_text(row: Sequence[object]) -> str:
    return " | ".join(render(cell) for cell in row)


@dataclass(frozen=True)
class Identity:
    """What would name one Telegram user if it were found in a row, a log line or a file."""

    label: str
    patterns: tuple[re.Pattern[str], ...]
    raw: tuple[bytes, ...]

    @classmethod
    def of(cls, user_id: int, username: str | None, first_name: str | None) -> Identity:
        decimal = str(user_id)
        patterns = [
            re.compile(rf"(?<!\d){decimal}(?!\d)"),  # an int, a string, inside JSON or a URL
            re.compile(rf"(?<![0-9a-f]){user_id:x}(?![0-9a-f])", re.IGNORECASE),
            # An unkeyed hash is no protection: anyone can hash every candidate id.
            *(
                re.compile(hashlib.new(name, decimal.encode()).hexdigest(), re.IGNORECASE)
                for name in ("md5", "sha1", "sha256")
            ),
        ]
        raw = [decimal.encode(), user_id.to_bytes(6, "big"), user_id.to_bytes(8, "big")]
        for word in (username, first_name):
            if word:
                patterns.append(
                    re.compile(rf"(?<![a-z0-9_]){re.escape(word)}(?![a-z0-9_])", re.IGNORECASE)
                )
                raw.append(word.encode())
        return cls(username or decimal, tuple(patterns), tuple(raw))

    def found_in(self, text: str) -> bool:
        return any(pattern.search(text) for pattern in self.patterns)

    def found_in_bytes(self, data: bytes) -> bool:
        return any(needle in data for needle in self.raw)


def named(text: str, people: Iterable[Identity]) -> list[str]:
    """The people this text names."""
    return [person.label for person in people if person.found_in(text)]


def markers_in(text: str, markers: Iterable[str]) -> list[str]:
    """Which of these words (roles, choices, feedback texts...) the text holds, any case."""
    folded = text.casefold()
    return [marker for marker in markers if marker.casefold() in folded]


def sqlite_files(database_url: str) -> list[Path]:
    """The SQLite database file and its companions (-wal, -shm, -journal), as on disk."""
    path = Path(database_url.split(":///", 1)[1])
    return sorted(p for p in path.parent.glob(f"{path.name}*") if p.is_file())


_HEX_KEY = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")


def keyed_hashes(text: str) -> set[str]:
    """The 64-hex values (HMAC-SHA256 pseudonyms) a row holds."""
    return set(_HEX_KEY.findall(text))
