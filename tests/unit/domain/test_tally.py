"""Equal-weight arithmetic (DESIGN section 1), hand-computed and by property."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.poll_rules import PollKind
from bot.domain.roles import ROLES, Role
from bot.domain.tally import TallyInput, tally

from .helpers import CA, ST, SU, from_counts, multiple, single

A, B, C = 0, 1, 2


def test_design_worked_example() -> None:
    # 2 service users, 1 carer, 6 staff; SU 2A, carer 1A, staff 1A 5B.
    t = from_counts({SU: [2, 0], CA: [1, 0], ST: [1, 5]})
    assert t.raw == (4, 5)
    assert t.raw_leaders == {B}
    assert t.scores == (Fraction(13, 18), Fraction(5, 18))
    assert round(float(t.scores[A]), 2) == 0.72
    assert t.leaders == {A}
    assert t.role_leaders == {SU: {A}, CA: {A}, ST: {B}}
    assert t.agreement is None
    assert t.balanced


def test_own_example_three_options() -> None:
    # 3 SU: AAA; 3 carers: AAC; 10 staff: A BBBBBBB CC.
    t = from_counts({SU: [3, 0, 0], CA: [2, 0, 1], ST: [1, 7, 2]})
    assert t.raw == (6, 7, 3)
    assert t.shares[CA] == (Fraction(2, 3), Fraction(0), Fraction(1, 3))
    assert t.shares[ST] == (Fraction(1, 10), Fraction(7, 10), Fraction(1, 5))
    # A = (1 + 2/3 + 1/10) / 3 = 53/90, B = (7/10) / 3 = 21/90, C = (1/3 + 1/5) / 3 = 16/90
    assert t.scores == (Fraction(53, 90), Fraction(21, 90), Fraction(16, 90))
    assert sum(t.scores) == 1
    assert t.ranking == (frozenset({A}), frozenset({B}), frozenset({C}))
    assert t.leaders == {A}
    assert t.raw_leaders == {B}
    assert t.total_voters == 16


def test_agreement_when_every_role_leads_with_same_option() -> None:
    t = from_counts({SU: [2, 1], CA: [3, 0], ST: [4, 3]})
    assert t.agreement == A
    assert t.leaders == {A}


def test_no_agreement_when_a_role_is_tied() -> None:
    t = from_counts({SU: [2, 1], CA: [3, 0], ST: [2, 2]})
    assert t.role_leaders[ST] == {A, B}
    assert t.agreement is None


def test_missing_role() -> None:
    t = from_counts({SU: [3, 0], CA: [0, 0], ST: [1, 3]})
    assert t.voting_roles == (SU, ST)
    assert t.missing_roles == (CA,)
    assert not t.balanced
    assert CA not in t.shares
    # Mean over the two voting roles only: A = (1 + 1/4) / 2, B = (0 + 3/4) / 2.
    assert t.scores == (Fraction(5, 8), Fraction(3, 8))


def test_empty_poll() -> None:
    t = from_counts({SU: [0, 0, 0]})
    assert t.raw == (0, 0, 0)
    assert t.scores == (Fraction(0),) * 3
    assert t.voting_roles == ()
    assert t.missing_roles == ROLES
    assert not t.balanced
    assert t.leaders == frozenset()
    assert t.raw_leaders == frozenset()
    assert t.ranking == ()
    assert t.agreement is None
    assert not t.unanimous


def test_multiple_choice_shares_per_voter() -> None:
    t = multiple(
        3,
        {
            SU: [{A, B}, {A, B}, {A}],
            CA: [{A, B}, {B}, {B}],
            ST: [{B, C}, {C}, {C}, {B, C}],
        },
    )
    assert t.raw == (4, 7, 4)
    assert t.shares[SU] == (Fraction(1), Fraction(2, 3), Fraction(0))
    assert sum(t.shares[SU]) > 1  # a voter counts in several options: fine
    # A = (1 + 1/3 + 0)/3 = 4/9; B = (2/3 + 1 + 1/2)/3 = 13/18; C = (0 + 0 + 1)/3 = 1/3
    assert t.scores == (Fraction(4, 9), Fraction(13, 18), Fraction(1, 3))
    assert t.leaders == {B}


def test_proposal_with_a_block() -> None:
    # Agree, Unsure, Disagree, Block
    t = from_counts({SU: [2, 0, 0, 1], CA: [3, 0, 0, 0], ST: [2, 1, 0, 0]}, kind=PollKind.PROPOSAL)
    assert t.blocks == 1
    assert t.blocked_by == {SU}
    assert t.agreement == 0


def test_proposal_without_blocks() -> None:
    t = from_counts({SU: [2, 1, 0, 0]}, kind=PollKind.PROPOSAL)
    assert t.blocks == 0
    assert t.blocked_by == frozenset()


def test_scale_means() -> None:
    # SU 5,5,4; carers 3,3,3; staff 1,1,2,2,3,3 (option index = value - 1).
    t = single(
        5,
        {SU: [4, 4, 3], CA: [2, 2, 2], ST: [0, 0, 1, 1, 2, 2]},
        kind=PollKind.SCALE,
    )
    assert t.role_means == {SU: Fraction(14, 3), CA: Fraction(3), ST: Fraction(2)}
    assert t.equal_weight_mean == Fraction(29, 9)
    assert t.raw_mean == Fraction(35, 12)


def test_scale_fields_absent_for_other_kinds() -> None:
    t = from_counts({SU: [1, 2]})
    assert t.role_means == {}
    assert t.equal_weight_mean is None
    assert t.raw_mean is None


def test_exact_tie_not_broken_by_float_rounding() -> None:
    # 3 SU: 1A 2B; 4 carers: 2A 2B; 3 staff: 2A 1B. Exactly 1/2 each, but in floats
    # (1/3 + 2/4 + 2/3)/3 = 0.5 and (2/3 + 2/4 + 1/3)/3 = 0.49999999999999994.
    t = from_counts({SU: [1, 2], CA: [2, 2], ST: [2, 1]})
    assert t.scores == (Fraction(1, 2), Fraction(1, 2))
    assert t.leaders == {A, B}
    assert t.ranking == (frozenset({A, B}),)
    sizes = (3, 4, 3)
    floats = [sum(x / n for x, n in zip(v, sizes, strict=True)) / 3 for v in [(1, 2, 2), (2, 2, 1)]]
    assert floats[0] != floats[1]  # the trap this test is about is real


def test_from_rows_matches_group_by_shape() -> None:
    inp = TallyInput.from_rows(2, {SU: 3, ST: 1}, [(SU, 0, 2), (SU, 1, 1), (ST, 1, 1)])
    assert tally(inp).raw == (2, 2)


@pytest.mark.parametrize(
    ("voters", "chosen"),
    [
        ({SU: 1}, {(SU, 0): 2}),  # more choices than voters
        ({SU: 1}, {(SU, 5): 1}),  # option out of range
        ({SU: 2}, {(SU, 0): 1}),  # a single-choice ballot without a choice
        ({SU: -1}, {}),
    ],
)
def test_inconsistent_counts_rejected(
    voters: dict[Role, int], chosen: dict[tuple[Role, int], int]
) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - any of several messages
        TallyInput(n_options=2, voters=voters, chosen=chosen)


# ---- properties -------------------------------------------------------------------------


@st.composite
def single_counts(draw: st.DrawFn, max_voters: int = 12) -> dict[Role, list[int]]:
    m = draw(st.integers(2, 5))
    out: dict[Role, list[int]] = {}
    for r in ROLES:
        picks = draw(st.lists(st.integers(0, m - 1), max_size=max_voters))
        out[r] = [picks.count(o) for o in range(m)]
    return out


@st.composite
def multiple_inputs(draw: st.DrawFn) -> TallyInput:
    m = draw(st.integers(2, 4))
    ballot = st.frozensets(st.integers(0, m - 1), min_size=1)
    voters: dict[Role, int] = {}
    chosen: dict[tuple[Role, int], int] = {}
    for r in ROLES:
        bs = draw(st.lists(ballot, max_size=8))
        voters[r] = len(bs)
        for b in bs:
            for o in b:
                chosen[(r, o)] = chosen.get((r, o), 0) + 1
    return TallyInput(n_options=m, voters=voters, chosen=chosen, kind=PollKind.MULTIPLE)


@settings(max_examples=150, deadline=None)
@given(single_counts())
def test_scores_in_unit_interval_and_sum_to_one(counts: dict[Role, list[int]]) -> None:
    t = from_counts(counts)
    assert all(0 <= s <= 1 for s in t.scores)
    if t.voting_roles:
        assert sum(t.scores) == 1  # single answer: shares of each role sum to 1


@settings(max_examples=100, deadline=None)
@given(multiple_inputs())
def test_multiple_scores_in_unit_interval(inp: TallyInput) -> None:
    t = tally(inp)
    assert all(0 <= s <= 1 for s in t.scores)
    assert t.raw == tuple(sum(inp.count(r, o) for r in ROLES) for o in range(inp.n_options))


@settings(max_examples=150, deadline=None)
@given(single_counts(), st.sampled_from(ROLES), st.integers(2, 7))
def test_scaling_one_role_leaves_scores_unchanged(
    counts: dict[Role, list[int]], role: Role, factor: int
) -> None:
    before = from_counts(counts)
    scaled = dict(counts)
    scaled[role] = [c * factor for c in counts[role]]
    after = from_counts(scaled)
    assert after.scores == before.scores
    assert after.leaders == before.leaders
    assert after.agreement == before.agreement


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 5), st.integers(1, 8), st.data())
def test_equal_role_sizes_make_equal_weight_order_the_raw_order(
    m: int, n: int, data: st.DataObject
) -> None:
    counts: dict[Role, list[int]] = {}
    for r in ROLES:
        picks = data.draw(st.lists(st.integers(0, m - 1), min_size=n, max_size=n))
        counts[r] = [picks.count(o) for o in range(m)]
    t = from_counts(counts)
    raw_order = sorted(range(m), key=lambda o: (-t.raw[o], o))
    score_order = sorted(range(m), key=lambda o: (-t.scores[o], o))
    assert raw_order == score_order
    assert t.leaders == t.raw_leaders
