"""Keyed hashes that name nobody any more: once a poll is closed or a meeting date is over,
nothing needs to find a person's ballot, reason or answer again, so the HMAC that could (with
the secret) is replaced by a random value. The row stays, so tallies and totals stay.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, String, cast, func, literal
from sqlalchemy.orm import InstrumentedAttribute

# Unlinked keys start with this; an HMAC's hex digest never does.
UNLINKED = "~"


def random_key(dialect: str) -> ColumnElement[str]:
    """A fresh random value per row, evaluated in the database (one UPDATE for the lot)."""
    if dialect == "postgresql":
        random: ColumnElement[str] = func.replace(cast(func.gen_random_uuid(), String), "-", "")
    else:
        random = func.lower(func.hex(func.randomblob(16)))
    return literal(UNLINKED, String) + random


def still_linked(column: InstrumentedAttribute[str]) -> ColumnElement[bool]:
    return column.not_like(f"{UNLINKED}%")
