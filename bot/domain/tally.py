"""The arithmetic of equal weight (DESIGN section 1).

The input is aggregate counts, as one ``GROUP BY role, option`` query produces them:

- ``n_r``    = ballots cast by people wearing role ``r``;
- ``c_r(o)`` = of those, how many chose option ``o``.

From them: the raw tally (a show of hands), each role's shares ``c_r(o) / n_r``, and the
equal-weight score, the mean of the shares over the roles that voted, so each voting role carries
the same weight whatever its headcount.

All arithmetic is done in :class:`fractions.Fraction` so that ties are exact: two options with
scores 1/3 and 1/3 are tied even when the floats 0.333... would happen to differ in the last
bit after different sums. Floats are only for display.

This module computes everything; what may be *published* is decided by
:mod:`bot.domain.disclosure`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from bot.domain.poll_rules import (
    BLOCK_INDEX,
    PROPOSAL_OPTIONS,
    SCALE_OPTIONS,
    SINGLE_ANSWER_KINDS,
    PollKind,
)
from bot.domain.roles import ROLES, Role

ZERO = Fraction(0)


@dataclass(frozen=True)
class TallyInput:
    """Aggregate counts for one poll. Missing keys count as zero."""

    n_options: int
    voters: Mapping[Role, int]
    chosen: Mapping[tuple[Role, int], int]
    kind: PollKind = PollKind.SINGLE

    def __post_init__(self) -> None:
        # Inconsistent counts mean a bug upstream; failing loudly beats publishing nonsense.
        if self.n_options < 1:
            raise ValueError("a poll has at least one option")
        if self.kind is PollKind.PROPOSAL and self.n_options != len(PROPOSAL_OPTIONS):
            raise ValueError("a proposal has exactly the fixed proposal options")
        if self.kind is PollKind.SCALE and self.n_options != len(SCALE_OPTIONS):
            raise ValueError("a scale has exactly the fixed scale options")
        for role, n in self.voters.items():
            if n < 0:
                raise ValueError(f"negative voter count for {role}")
        for (role, option), c in self.chosen.items():
            if not 0 <= option < self.n_options:
                raise ValueError(f"option index {option} out of range")
            if not 0 <= c <= self.voters.get(role, 0):
                raise ValueError(f"count {c} for {role}/{option} exceeds that role's voters")
        if self.kind in SINGLE_ANSWER_KINDS:
            for role in ROLES:
                total = sum(self.count(role, o) for o in range(self.n_options))
                if total != self.n_voters(role):
                    raise ValueError(f"{role}: {total} choices for {self.n_voters(role)} ballots")

    def n_voters(self, role: Role) -> int:
        return self.voters.get(role, 0)

    def count(self, role: Role, option: int) -> int:
        return self.chosen.get((role, option), 0)

    @classmethod
    def from_rows(
        cls,
        n_options: int,
        voters: Mapping[Role, int],
        rows: Sequence[tuple[Role, int, int]],
        kind: PollKind = PollKind.SINGLE,
    ) -> TallyInput:
        """Build from ``(role, option, count)`` rows, the shape a GROUP BY query returns."""
        chosen: dict[tuple[Role, int], int] = {}
        for role, option, c in rows:
            chosen[(role, option)] = chosen.get((role, option), 0) + c
        return cls(n_options=n_options, voters=dict(voters), chosen=chosen, kind=kind)


# The name the issue used; one type, two names.
RoleCounts = TallyInput


def _top(values: Sequence[Fraction]) -> frozenset[int]:
    if not values:
        return frozenset()
    best = max(values)
    return frozenset(i for i, v in enumerate(values) if v == best)


def _tiers(values: Sequence[Fraction]) -> tuple[frozenset[int], ...]:
    """Options grouped by equal value, highest first; exact, so ties stay together."""
    distinct = sorted(set(values), reverse=True)
    return tuple(frozenset(i for i, v in enumerate(values) if v == d) for d in distinct)


@dataclass(frozen=True)
class Tally:
    """Everything computable from the counts. Not everything here may be shown to the group."""

    kind: PollKind
    n_options: int
    voters: Mapping[Role, int]
    counts: Mapping[Role, tuple[int, ...]]
    raw: tuple[int, ...]
    shares: Mapping[Role, tuple[Fraction, ...]]
    scores: tuple[Fraction, ...]
    voting_roles: tuple[Role, ...]
    missing_roles: tuple[Role, ...]
    ranking: tuple[frozenset[int], ...]
    leaders: frozenset[int]
    raw_leaders: frozenset[int]
    role_leaders: Mapping[Role, frozenset[int]]
    agreement: int | None
    role_means: Mapping[Role, Fraction] = field(default_factory=dict)
    equal_weight_mean: Fraction | None = None
    raw_mean: Fraction | None = None
    blocks: int = 0
    blocked_by: frozenset[Role] = frozenset()

    @property
    def total_voters(self) -> int:
        return sum(self.voters.values())

    @property
    def balanced(self) -> bool:
        """True only when all three roles voted: only then is the result called balanced."""
        return not self.missing_roles

    @property
    def unanimous(self) -> bool:
        """Everyone who voted made the same choice.

        From aggregates alone this is exact: every option was chosen by nobody or by everybody
        exactly when every voter ticked the same set (for single answers: the same option).
        """
        n = self.total_voters
        return n > 0 and all(x in (0, n) for x in self.raw)

    def score_floats(self) -> tuple[float, ...]:
        return tuple(float(s) for s in self.scores)

    def share_floats(self, role: Role) -> tuple[float, ...]:
        return tuple(float(s) for s in self.shares[role])


def tally(inp: TallyInput) -> Tally:
    """Compute raw tally, role shares, equal-weight scores and the derived leaders."""
    m = inp.n_options
    voters = {r: inp.n_voters(r) for r in ROLES}
    counts = {r: tuple(inp.count(r, o) for o in range(m)) for r in ROLES}
    voting = tuple(r for r in ROLES if voters[r] > 0)
    missing = tuple(r for r in ROLES if voters[r] == 0)

    raw = tuple(sum(counts[r][o] for r in ROLES) for o in range(m))
    shares = {r: tuple(Fraction(c, voters[r]) for c in counts[r]) for r in voting}
    if voting:
        # Each voting role one 1/k-th of the weight, whatever its headcount.
        scores = tuple(sum((shares[r][o] for r in voting), ZERO) / len(voting) for o in range(m))
    else:
        scores = tuple(ZERO for _ in range(m))

    ranking = _tiers(scores) if voting else ()
    leaders = ranking[0] if ranking else frozenset()
    raw_leaders = _top([Fraction(x) for x in raw]) if voting else frozenset()
    role_leaders = {r: _top(shares[r]) for r in voting}

    agreement: int | None = None
    if voting:
        firsts = {role_leaders[r] for r in voting}
        if len(firsts) == 1:
            (only,) = firsts
            if len(only) == 1:
                (agreement,) = only

    role_means: dict[Role, Fraction] = {}
    equal_weight_mean: Fraction | None = None
    raw_mean: Fraction | None = None
    if inp.kind is PollKind.SCALE and voting:
        for r in voting:
            role_means[r] = sum((shares[r][o] * (o + 1) for o in range(m)), ZERO)
        equal_weight_mean = sum(role_means.values(), ZERO) / len(voting)
        raw_mean = Fraction(sum(raw[o] * (o + 1) for o in range(m)), sum(voters.values()))

    blocks = 0
    blocked_by: frozenset[Role] = frozenset()
    if inp.kind is PollKind.PROPOSAL:
        blocks = raw[BLOCK_INDEX]
        blocked_by = frozenset(r for r in voting if counts[r][BLOCK_INDEX] > 0)

    return Tally(
        kind=inp.kind,
        n_options=m,
        voters=voters,
        counts=counts,
        raw=raw,
        shares=shares,
        scores=scores,
        voting_roles=voting,
        missing_roles=missing,
        ranking=ranking,
        leaders=leaders,
        raw_leaders=raw_leaders,
        role_leaders=role_leaders,
        agreement=agreement,
        role_means=role_means,
        equal_weight_mean=equal_weight_mean,
        raw_mean=raw_mean,
        blocks=blocks,
        blocked_by=blocked_by,
    )
