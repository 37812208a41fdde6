"""Small-cell suppression (DESIGN section 3, promise 4), including a brute-force check that no
publication lets an observer who knows every n_r derive how a small role answered."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.disclosure import DEFAULT_MIN_CELL, Publication, disclose, small_roles
from bot.domain.poll_rules import PollKind
from bot.domain.roles import ROLES, Role
from bot.domain.tally import Tally, TallyInput, tally

from .helpers import CA, ST, SU, from_counts

K = DEFAULT_MIN_CELL


def test_all_roles_big_publishes_everything() -> None:
    t = from_counts({SU: [3, 0], CA: [2, 1], ST: [1, 5]})
    p = disclose(t)
    assert p.raw == (6, 6)
    assert p.scores == t.scores
    assert p.leaders == t.leaders
    assert set(p.shares) == set(ROLES)
    assert p.role_leaders == t.role_leaders
    assert p.suppressed_roles == ()
    assert p.withheld_reason is None
    assert p.publishes_per_role


def test_design_example_is_suppressed() -> None:
    # 2 service users and 1 carer are small cells: no shares, no equal weight, raw only.
    t = from_counts({SU: [2, 0], CA: [1, 0], ST: [1, 5]})
    p = disclose(t)
    assert p.suppressed_roles == (SU, CA)
    assert p.raw == (4, 5)
    assert p.raw_leaders == frozenset({1})
    assert p.scores is None
    assert p.leaders is None
    assert p.shares == {}
    assert p.role_leaders == {}
    assert p.agreement is None
    assert not p.publishes_per_role
    assert p.withheld_reason is not None
    assert "service users or carers" in p.withheld_reason


def test_only_small_roles_publishes_nothing_per_option() -> None:
    p = disclose(from_counts({SU: [2, 0], CA: [1, 1], ST: [0, 2]}))
    assert not p.publishes_figures
    assert p.participation == {SU: 2, CA: 2, ST: 2}
    assert p.withheld_reason is not None
    assert "at least 3 people" in p.withheld_reason


def test_single_small_role_alone_publishes_nothing() -> None:
    p = disclose(from_counts({SU: [1, 1]}))
    assert not p.publishes_figures


def test_single_big_role_publishes_its_figures() -> None:
    p = disclose(from_counts({ST: [3, 1]}))
    assert p.raw == (3, 1)
    assert p.missing_roles == (SU, CA)
    assert not p.balanced


def test_no_voters() -> None:
    p = disclose(from_counts({SU: [0, 0]}))
    assert not p.publishes_figures
    assert p.total_voters == 0
    assert p.withheld_reason is None


def test_proposal_block_count_follows_raw() -> None:
    t = from_counts({SU: [0, 0, 0, 1], ST: [5, 0, 0, 0]}, kind=PollKind.PROPOSAL)
    p = disclose(t)
    assert p.blocks == 1
    assert p.blocked_by is None  # who blocked is per-role: withheld
    big = disclose(from_counts({SU: [2, 0, 0, 1], ST: [5, 0, 0, 0]}, kind=PollKind.PROPOSAL))
    assert big.blocks == 1
    assert big.blocked_by == frozenset({SU})


def test_scale_means_follow_the_rule() -> None:
    counts = {SU: [0, 0, 0, 1, 1], ST: [1, 1, 1, 0, 0]}
    p = disclose(from_counts(counts, kind=PollKind.SCALE))
    assert p.raw_mean == Fraction(15, 5)
    assert p.equal_weight_mean is None
    assert p.role_means == {}
    full = disclose(from_counts({SU: [0, 0, 1, 1, 1], ST: [1, 1, 1, 0, 0]}, kind=PollKind.SCALE))
    assert full.equal_weight_mean == (Fraction(4) + Fraction(2)) / 2
    assert set(full.role_means) == {SU, ST}


def test_k_is_configurable() -> None:
    t = from_counts({SU: [2, 0], CA: [1, 0], ST: [1, 5]})
    assert disclose(t, k=1).publishes_shares
    assert disclose(t, k=2).suppressed_roles == (CA,)
    with pytest.raises(ValueError, match="at least 1"):
        disclose(t, k=0)


@st.composite
def any_tally(draw: st.DrawFn) -> Tally:
    kind = draw(st.sampled_from(list(PollKind)))
    m = {PollKind.PROPOSAL: 4, PollKind.SCALE: 5}.get(kind) or draw(st.integers(2, 4))
    voters: dict[Role, int] = {}
    chosen: dict[tuple[Role, int], int] = {}
    for r in ROLES:
        if kind is PollKind.MULTIPLE:
            ballots = draw(st.lists(st.frozensets(st.integers(0, m - 1), min_size=1), max_size=6))
        else:
            ballots = [frozenset({o}) for o in draw(st.lists(st.integers(0, m - 1), max_size=6))]
        voters[r] = len(ballots)
        for b in ballots:
            for o in b:
                chosen[(r, o)] = chosen.get((r, o), 0) + 1
    return tally(TallyInput(n_options=m, voters=voters, chosen=chosen, kind=kind))


@settings(max_examples=300, deadline=None)
@given(any_tally(), st.integers(1, 5))
def test_never_a_per_role_figure_for_a_small_role(t: Tally, k: int) -> None:
    p = disclose(t, k)
    small = small_roles(t.voters, k)
    assert p.suppressed_roles == small
    for r in ROLES:
        if t.voters[r] < k:
            assert r not in p.shares
            assert r not in p.role_leaders
            assert r not in p.role_means
    if small:
        # Any role figure, or any equal-weight figure, could be decoded (see module docstring).
        assert not p.publishes_per_role
        assert p.scores is None
        assert p.leaders is None
        assert p.equal_weight_mean is None
        assert p.agreement is None
        assert p.withheld_reason
    # The decision depends on public participation only, never on the votes.
    assert p.participation == t.voters


# ---- brute force: non-derivability -------------------------------------------------------

Fingerprint = Callable[[Tally], object]


def compositions(n: int, m: int) -> Iterator[tuple[int, ...]]:
    """All ways n single-answer ballots can fall on m options."""
    if m == 1:
        yield (n,)
        return
    for first in range(n + 1):
        for rest in compositions(n - first, m - 1):
            yield (first, *rest)


def multi_vectors(n: int, m: int) -> set[tuple[int, ...]]:
    """All count vectors n multiple-choice ballots (non-empty subsets of m options) can give."""
    subsets = [s for s in itertools.product((0, 1), repeat=m) if any(s)]
    return {
        tuple(sum(col) for col in zip(*combo, strict=True)) if combo else (0,) * m
        for combo in itertools.combinations_with_replacement(subsets, n)
    }


def leaks(
    ns: tuple[int, int, int],
    m: int,
    fingerprint: Fingerprint,
    kind: PollKind = PollKind.SINGLE,
) -> list[tuple[tuple[int, ...], ...]]:
    """Configurations (count vectors per role) where a small role's answers are determined by
    what is published, the vote was not unanimous, and figures were published at all."""
    if kind is PollKind.MULTIPLE:
        per_role = [sorted(multi_vectors(n, m)) for n in ns]
    else:
        per_role = [list(compositions(n, m)) for n in ns]
    seen: dict[object, list[set[tuple[int, ...]]]] = defaultdict(lambda: [set(), set(), set()])
    configs: list[tuple[tuple[tuple[int, ...], ...], object, Tally]] = []
    for cfg in itertools.product(*per_role):
        t = tally(
            TallyInput(
                n_options=m,
                voters=dict(zip(ROLES, ns, strict=True)),
                chosen={(r, o): cfg[i][o] for i, r in enumerate(ROLES) for o in range(m)},
                kind=kind,
            )
        )
        fp = fingerprint(t)
        for i in range(3):
            seen[fp][i].add(cfg[i])
        configs.append((cfg, fp, t))
    bad = []
    for cfg, fp, t in configs:
        if t.unanimous or not disclose(t).publishes_figures:
            continue
        if any(0 < ns[i] < K and len(seen[fp][i]) < 2 for i in range(3)):
            bad.append(cfg)
    return bad


def published(t: Tally) -> object:
    return disclose(t).fingerprint()


# Every participation triple with n_r <= 4 where at least one role is small.
SIZES: list[tuple[int, int, int]] = [
    (a, b, c)
    for a, b, c in itertools.product(range(5), repeat=3)
    if any(0 < n < K for n in (a, b, c))
]


@pytest.mark.parametrize("m", [2, 3])
def test_brute_force_no_small_role_is_derivable(m: int) -> None:
    failures = {ns: bad[0] for ns in SIZES if (bad := leaks(ns, m, published))}
    assert failures == {}


@pytest.mark.parametrize("ns", [(1, 0, 3), (2, 1, 3), (1, 3, 3), (2, 0, 4), (1, 1, 1)])
def test_brute_force_proposal(ns: tuple[int, int, int]) -> None:
    assert leaks(ns, 4, published, PollKind.PROPOSAL) == []


# Kept small: the number of multiple-choice configurations grows fast.
@pytest.mark.parametrize("ns", [(1, 0, 3), (2, 3, 0), (1, 1, 3), (1, 3, 3), (2, 0, 4)])
@pytest.mark.parametrize("m", [2, 3])
def test_brute_force_multiple_choice(ns: tuple[int, int, int], m: int) -> None:
    assert leaks(ns, m, published, PollKind.MULTIPLE) == []


def _scores_only(t: Tally) -> object:
    return (tuple(t.voters.values()), t.scores)


def _raw_and_scores(t: Tally) -> object:
    return (tuple(t.voters.values()), t.raw, t.scores)


def _leaders_only(t: Tally) -> object:
    return (tuple(t.voters.values()), t.leaders)


@pytest.mark.parametrize(
    ("ns", "fingerprint"),
    [
        ((1, 3, 0), _scores_only),  # |B| == 1: the first draft published scores here
        ((1, 3, 4), _scores_only),
        ((1, 3, 4), _raw_and_scores),  # |B| == 2: the first draft published raw + scores here
        ((2, 3, 3), _leaders_only),  # even the equal-weight leader alone
    ],
)
def test_equal_weight_figures_would_leak(
    ns: tuple[int, int, int], fingerprint: Fingerprint
) -> None:
    """Why the rule publishes no equal-weight figure while a role is small: these do leak."""
    assert leaks(ns, 2, fingerprint) != []


def test_publication_is_frozen() -> None:
    p = disclose(from_counts({ST: [3, 1]}))
    assert isinstance(p, Publication)
    with pytest.raises(AttributeError):
        p.raw = None  # type: ignore[misc]
