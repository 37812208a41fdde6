"""Every way a poll's ballots can fall, as count tables, with their chances.

A poll's outcome, as far as anything published can depend on it, is its *count table*: for each
option ``o`` and role ``r``, how many voters of role ``r`` chose ``o`` (``c_r(o)``). The audit in
:mod:`bot.domain.disclosure_audit` enumerates these tables, never individuals: within a role,
voters are interchangeable, so a table stands for every assignment of ballots to people that
gives it, and its chance under "equal prior odds for everyone's choices" is the product of one
multinomial per role.

Two shapes of space:

- **choice** (single answer, proposals): each voter picks one of ``m`` options with equal odds.
  The options are interchangeable too (every publication treats them alike), so a table is
  enumerated once per *set of columns*: a multiset of ``m`` count triples. That shrinks the
  space by up to ``m!`` (for 5 service users, 2 carers and 6 staff with 10 options: 8,669
  tables instead of 551 million).
- **tick** (one option of a multiple-choice poll): each voter ticks it or not with equal odds,
  independently of the other options; two labelled columns, "ticked" and "not ticked".

Arrays are numpy: a table is ``(m, 3)`` counts, a space holds ``(K, m, 3)`` tables and ``(K,)``
chances that sum to 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from math import comb, factorial, prod

import numpy as np
import numpy.typing as npt

Counts = tuple[int, int, int]  # voters per role, in ROLES order

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


class SpaceTooLarge(Exception):  # noqa: N818 - a condition, not an error
    """The exact enumeration would exceed its budget (see disclosure_audit's large-group rule)."""


@dataclass(frozen=True)
class OutcomeSpace:
    """All count tables of one poll shape, each with its chance."""

    voters: Counts
    n_options: int
    tables: IntArray  # (K, m, 3)
    chances: FloatArray  # (K,), sums to 1
    # True when option columns are interchangeable (tables are one per multiset of columns).
    symmetric: bool

    @property
    def size(self) -> int:
        return int(self.tables.shape[0])


def _columns(voters: Counts) -> list[Counts]:
    cols = [
        (a, b, c)
        for a in range(voters[0] + 1)
        for b in range(voters[1] + 1)
        for c in range(voters[2] + 1)
    ]
    cols.sort(reverse=True)
    return cols


def _multisets(voters: Counts, m: int, budget: int) -> Iterator[tuple[Counts, ...]]:
    """Non-increasing sequences of m columns whose rows sum to `voters`."""
    cols = _columns(voters)
    found = 0
    acc: list[Counts] = []

    def rec(rem: Counts, start: int, left: int) -> Iterator[tuple[Counts, ...]]:
        nonlocal found
        if left == 0:
            if rem == (0, 0, 0):
                found += 1
                if found > budget:
                    raise SpaceTooLarge(f"more than {budget} tables")
                yield tuple(acc)
            return
        if left == 1:
            # The last column is forced; it must not come before the previous one.
            i = _index_of(cols, rem)
            if i >= start:
                acc.append(rem)
                yield from rec((0, 0, 0), i, 0)
                acc.pop()
            return
        for i in range(start, len(cols)):
            c = cols[i]
            if c[0] <= rem[0] and c[1] <= rem[1] and c[2] <= rem[2]:
                acc.append(c)
                yield from rec((rem[0] - c[0], rem[1] - c[1], rem[2] - c[2]), i, left - 1)
                acc.pop()

    yield from rec(voters, 0, m)


def _index_of(cols: list[Counts], col: Counts) -> int:
    # cols is sorted descending; a binary search would do, but m columns per table keep this
    # off the hot path.
    lo, hi = 0, len(cols)
    while lo < hi:
        mid = (lo + hi) // 2
        if cols[mid] > col:
            lo = mid + 1
        else:
            hi = mid
    return lo


def labelled_size(voters: Counts, m: int) -> int:
    """How many labelled count tables there are (the size before option symmetry)."""
    return prod(comb(n + m - 1, m - 1) for n in voters)


def choice_space(voters: Counts, m: int, budget: int = 400_000) -> OutcomeSpace:
    """Single-answer polls: tables up to a permutation of the options."""
    if m < 2:
        raise ValueError("a poll has at least two options")
    # Up to option order there are at least labelled / m! tables: far past the budget, say so
    # before enumerating (the enumeration's own budget check comes too late to be quick).
    if labelled_size(voters, m) > budget * factorial(m):
        raise SpaceTooLarge(f"{voters} with {m} options")
    tables = list(_multisets(voters, m, budget))
    total_ballots = sum(voters)
    denominator = m**total_ballots
    role_factorials = [factorial(n) for n in voters]
    chances = []
    for table in tables:
        arrangements = factorial(m)
        run = 1
        for i in range(1, m + 1):
            if i < m and table[i] == table[i - 1]:
                run += 1
            else:
                arrangements //= factorial(run)
                run = 1
        ways = arrangements
        for r in range(3):
            role_ways = role_factorials[r]
            for col in table:
                role_ways //= factorial(col[r])
            ways *= role_ways
        chances.append(ways / denominator)
    array = np.array(tables, dtype=np.int64).reshape(len(tables), m, 3)
    return OutcomeSpace(voters, m, array, np.array(chances, dtype=np.float64), True)


def tick_space(voters: Counts) -> OutcomeSpace:
    """One option of a multiple-choice poll: column 0 ticked, column 1 not."""
    rows = []
    chances = []
    total = sum(voters)
    for a in range(voters[0] + 1):
        for b in range(voters[1] + 1):
            for c in range(voters[2] + 1):
                rows.append(((a, b, c), (voters[0] - a, voters[1] - b, voters[2] - c)))
                ways = comb(voters[0], a) * comb(voters[1], b) * comb(voters[2], c)
                chances.append(ways / 2**total)
    array = np.array(rows, dtype=np.int64).reshape(len(rows), 2, 3)
    return OutcomeSpace(voters, 2, array, np.array(chances, dtype=np.float64), False)
