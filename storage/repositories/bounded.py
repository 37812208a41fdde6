"""Lists of values bound into one statement, cut to a size every database accepts.

One bound parameter per value: PostgreSQL refuses a statement with more than 32,767, SQLite
one with more than 32,766, and a person's keys are one per group the bot is in.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

# Well under both limits, and leaving room for the statement's other parameters.
MAX_BOUND = 5_000


def chunks(values: Sequence[T], size: int = MAX_BOUND) -> Iterator[list[T]]:
    """The values in lists of at most `size`, in order."""
    for start in range(0, len(values), size):
        yield list(values[start : start + size])
