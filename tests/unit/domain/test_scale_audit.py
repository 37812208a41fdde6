"""The scale audit (bot.domain.scale_audit) against a brute force over people.

Each person answers 1 to 5; the oracle (tests/unit/domain/disclosure_oracle.py) lists every
assignment of answers to labelled people and reads the publication off the scalar rules
(scale_band, tenths), so it checks the audit's counting by role sums *and* the vectorized
scale_codes at once.
"""

from __future__ import annotations

from functools import cache
from itertools import product

import pytest

from bot.domain.disclosure_audit import jensen_chance_bound
from bot.domain.disclosure_ladder import (
    LADDER,
    PollFacts,
    Rung,
    full_table_passes,
    judge,
    scale_codes,
)
from bot.domain.poll_rules import PollKind
from bot.domain.scale_audit import _sums, scale_audit, scale_rows, ways
from tests.unit.domain.disclosure_oracle import Finding, brute_scale, mixes, passes
from tests.unit.domain.test_disclosure_audit import assert_same

BELOW_FULL = (Rung.HEAD_COUNT, *LADDER[:-1])

# The brute force is the slow part: each (mix, rung) is counted once for all the tests here.
_brute = cache(brute_scale)

# 5^4 = 625 outcomes per mix of four; a few mixes of five (3,125) where roles of two and three
# meet, the sizes at which a rounded average starts to pin people down.
SMALL = [*mixes(4), (2, 2, 1), (3, 2, 0), (1, 2, 2)]


def _audit(voters: tuple[int, int, int], rung: Rung):  # type: ignore[no-untyped-def]
    return scale_audit(voters, lambda sums: scale_codes(rung, sums, voters))


@pytest.mark.parametrize("voters", SMALL, ids=str)
def test_every_rung_below_full_equals_the_brute_force(voters: tuple[int, int, int]) -> None:
    for rung in BELOW_FULL:
        assert_same(_audit(voters, rung), _brute(voters, rung), f"{voters} {rung}")


def test_the_full_table_closed_form_holds_for_scales() -> None:
    """FULL (each role's figures) is decided without enumerating; people say the same."""
    for voters in mixes(4):
        expected = passes(brute_scale(voters, Rung.FULL))
        assert full_table_passes(voters) == expected, voters
        if sum(1 for n in voters if n) >= 2:
            assert judge(PollFacts(PollKind.SCALE, 5, voters), Rung.FULL).passes == expected


def test_judge_agrees_with_the_brute_force_for_small_scales() -> None:
    for voters in SMALL:
        if sum(1 for n in voters if n) < 2:
            continue
        for rung in LADDER[:-1]:
            verdict = judge(PollFacts(PollKind.SCALE, 5, voters), rung)
            assert verdict.passes == passes(_brute(voters, rung)), (voters, rung)


def test_the_oracle_finds_what_a_band_gives_away() -> None:
    """Not a vacuous comparison: with 2 service users and 1 carer even the band can make an
    insider certain of another's answer (an average of 3.5 or more needs high answers from a
    role of one); with two roles of two, no rung below FULL ever does."""
    assert any(f.certain for f in _brute((2, 1, 0), Rung.DECISION).values())
    assert not any(f.certain for f in _brute((2, 2, 0), Rung.ROUNDED).values())
    head: dict[tuple[int, ...], Finding] = _brute((2, 1, 1), Rung.HEAD_COUNT)
    assert all(f.chance == 0 and not f.certain for f in head.values())


@pytest.mark.parametrize("voters", mixes(4), ids=str)
def test_the_jensen_bound_holds_for_each_target_role(voters: tuple[int, int, int]) -> None:
    """With five answers (m = 5), per target role, on every rung: never below the exact
    chance counted over people."""
    for rung in (*BELOW_FULL, Rung.FULL):
        for insider, finding in _brute(voters, rung).items():
            for r in range(3):
                others = voters[r] - insider.count(r)
                if others > 0:
                    assert float(finding.chance_by_role[r]) <= jensen_chance_bound(others, 5)


def test_ways_counts_sequences_of_answers() -> None:
    for k in range(5):
        counted: dict[int, int] = {}
        for answers in product(range(1, 6), repeat=k):
            counted[sum(answers)] = counted.get(sum(answers), 0) + 1
        for s in range(-1, 5 * k + 3):
            assert ways(k, s) == counted.get(s, 0)
    for n in (0, 1, 7, 60):
        sums, chances = _sums(n)
        assert chances.sum() == pytest.approx(1.0)
        assert len(sums) == 4 * n + 1


def test_scale_rows_is_the_pair_audits_size() -> None:
    assert scale_rows((5, 2, 6)) == 21 * 9 * 25 * 25
    assert scale_rows((0, 0, 1)) == 5 * 25
