"""Keyed hashes that name nobody any more: once a poll is closed or a meeting date is over,
nothing needs to find a person's ballot, reason or answer again, so the HMAC that could (with
the secret) is replaced by a random value. The row stays, so tallies and totals stay; it is
written again in random order (storage/row_order.py), so neither does the order in which
people voted or answered.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

from storage.row_order import Row

# Unlinked keys start with this; an HMAC's hex digest never does.
UNLINKED = "~"


def unlinked_key() -> str:
    """A fresh random value, in the key's place: unique, and nobody's."""
    return UNLINKED + secrets.token_hex(16)


def still_linked(column: InstrumentedAttribute[str]) -> ColumnElement[bool]:
    return column.not_like(f"{UNLINKED}%")


def with_key_unlinked(column: str) -> Callable[[Row], Row]:
    """For storage/row_order.py: the row, its `column` replaced by a random value."""

    def change(row: Row) -> Row:
        return {**row, column: unlinked_key()}

    return change
