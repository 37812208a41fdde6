"""Count tables and their chances (bot.domain.outcome_space), checked against a labelled count.

The labelled enumeration below writes down every table the slow way (each role's voters spread
over labelled options, one multinomial per role, exact fractions) and groups it by the multiset
of its columns, which is what the symmetric space claims to hold, one row per group.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from itertools import product
from math import factorial

import numpy as np
import pytest

from bot.domain.outcome_space import (
    SpaceTooLarge,
    choice_space,
    labelled_size,
    tick_space,
)

Column = tuple[int, int, int]


def _compositions(n: int, parts: int) -> list[tuple[int, ...]]:
    """Every way to put n voters into `parts` labelled options."""
    return [c for c in product(range(n + 1), repeat=parts) if sum(c) == n]


def _labelled(voters: tuple[int, int, int], m: int) -> dict[tuple[int, ...], Fraction]:
    """Every labelled table (flattened: option by option, role by role) and its chance."""
    out: dict[tuple[int, ...], Fraction] = {}
    per_role = [_compositions(n, m) for n in voters]
    for split in product(*per_role):
        chance = Fraction(1)
        for n, counts in zip(voters, split, strict=True):
            ways = factorial(n)
            for c in counts:
                ways //= factorial(c)
            chance *= Fraction(ways, m**n)
        table = tuple(split[r][o] for o in range(m) for r in range(3))
        out[table] = chance
    return out


def _grouped(voters: tuple[int, int, int], m: int) -> dict[tuple[Column, ...], Fraction]:
    groups: dict[tuple[Column, ...], Fraction] = defaultdict(Fraction)
    for table, chance in _labelled(voters, m).items():
        columns = [(table[3 * o], table[3 * o + 1], table[3 * o + 2]) for o in range(m)]
        groups[tuple(sorted(columns, reverse=True))] += chance
    return groups


MIXES = [
    (1, 0, 0),
    (2, 1, 0),
    (1, 1, 1),
    (3, 2, 0),
    (2, 2, 2),
    (4, 1, 2),
    (0, 3, 3),
    (5, 2, 1),
]


@pytest.mark.parametrize("m", [2, 3, 4])
@pytest.mark.parametrize("voters", MIXES)
def test_choice_space_is_the_labelled_tables_grouped_by_their_columns(
    voters: tuple[int, int, int], m: int
) -> None:
    space = choice_space(voters, m)
    expected = _grouped(voters, m)
    got = {
        tuple(tuple(int(x) for x in col) for col in table): float(chance)
        for table, chance in zip(space.tables, space.chances, strict=True)
    }
    assert space.size == len(expected) == len(got)  # one row per multiset, none twice
    assert set(got) == set(expected)
    for key, chance in expected.items():
        assert got[key] == pytest.approx(float(chance), rel=1e-12)
    assert space.symmetric and space.voters == voters and space.n_options == m
    assert space.tables.shape == (space.size, m, 3)
    assert labelled_size(voters, m) == len(_labelled(voters, m))


@pytest.mark.parametrize("m", [2, 3, 5, 10])
@pytest.mark.parametrize("voters", [(5, 2, 6), (3, 3, 3), (7, 0, 4), (1, 1, 0)])
def test_choice_space_chances_sum_to_one_and_rows_sum_to_the_voters(
    voters: tuple[int, int, int], m: int
) -> None:
    space = choice_space(voters, m)
    assert space.chances.sum() == pytest.approx(1.0, abs=1e-12)
    assert (space.chances > 0).all()
    assert (space.tables.sum(axis=1) == np.array(voters)).all()
    # Columns are listed largest first, so each multiset appears once.
    for table in space.tables[:: max(1, space.size // 500)]:
        columns = [tuple(c) for c in table.tolist()]
        assert columns == sorted(columns, reverse=True)
    assert len({t.tobytes() for t in space.tables}) == space.size


def test_the_issue_group_with_ten_options_is_the_stated_size() -> None:
    """The docstring's figure: 8,669 tables for 5 / 2 / 6 and 10 options (not 551 million)."""
    assert choice_space((5, 2, 6), 10).size == 8669
    assert labelled_size((5, 2, 6), 10) == 2002 * 55 * 5005 == 551_100_550


@pytest.mark.parametrize("voters", [*MIXES, (5, 2, 6), (0, 0, 4)])
def test_tick_space_is_every_labelled_tick_count(voters: tuple[int, int, int]) -> None:
    space = tick_space(voters)
    expected = _labelled(voters, 2)  # ticked or not: two labelled columns
    got = {
        tuple(int(x) for x in table.reshape(-1)): float(chance)
        for table, chance in zip(space.tables, space.chances, strict=True)
    }
    assert set(got) == set(expected)
    for key, chance in expected.items():
        assert got[key] == pytest.approx(float(chance), rel=1e-12)
    assert not space.symmetric
    assert space.chances.sum() == pytest.approx(1.0, abs=1e-12)


def test_a_space_beyond_its_budget_is_refused() -> None:
    size = choice_space((4, 3, 2), 3).size
    assert choice_space((4, 3, 2), 3, budget=size).size == size  # exactly the budget is fine
    with pytest.raises(SpaceTooLarge):
        choice_space((4, 3, 2), 3, budget=size - 1)
    with pytest.raises(SpaceTooLarge):
        choice_space((20, 20, 20), 10, budget=1000)  # refused early, not after counting all


def test_a_poll_needs_two_options() -> None:
    with pytest.raises(ValueError, match="two options"):
        choice_space((2, 2, 2), 1)
