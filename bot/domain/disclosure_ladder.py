"""The ladder of what a poll may publish, and the rung each poll gets (DESIGN section 3).

Rungs, from least to most said (each says everything the one before it says):

- ``DECISION``: the equal-weight decision alone: "On equal weight: Monthly", or, when the top
  equal-weight scores are within ``DECISION_MARGIN`` of each other, "too close to call between
  Monthly and Weekly". For a multiple-choice option: whether most, about half or few support it
  on equal weight. For a scale: whether the equal-weight average is low, middle or high.
- ``DECISIONS``: also what a show of hands decides (the head-count winner, or a tie).
- ``DECISION_AND_COUNT``: the equal-weight decision and the head count (votes per option).
- ``ROUNDED``: also the equal-weight scores, to the nearest 10 points.
- ``FULL``: every figure, each role's shares and leaders too.

Beside the ladder stands ``HEAD_COUNT``: the head count alone, no equal weight: what "protect
small roles" publishes. It is the baseline of the audit (an insider subtracting their own
ballot from a head count is accepted: any count says it), so it always passes.

How a poll gets its rung
------------------------
Before anyone votes, from public facts only (the kind, the number of options, how many members
each role has), never from the votes: the audit (:mod:`bot.domain.disclosure_audit`) runs on
each rung from the bottom of the ladder up, and the poll gets the highest rung that passes with
every rung below it passing too. If ``DECISION`` fails, no rung carries the equal-weight
decision safely: the facilitator chooses between protecting small roles (``HEAD_COUNT``) and
"equal say, with notice" (``DECISION``, after telling the voters what may be worked out).
At closing, the audit runs again on the voters who actually voted (fewer people may have voted
than are members): the rung can only go down then, never up, and a poll posted with notice
keeps its decision.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache

import numpy as np

from bot.domain.disclosure_audit import (
    DEFAULT_BAR,
    AuditReport,
    Bar,
    InsiderFinding,
    Publisher,
    audit,
    insiders,
    jensen_chance_bound,
)
from bot.domain.outcome_space import (
    Counts,
    IntArray,
    OutcomeSpace,
    SpaceTooLarge,
    choice_space,
    tick_space,
)
from bot.domain.poll_rules import PollKind
from bot.domain.scale_audit import scale_audit, scale_rows

# The equal-weight decision calls a lead "clear" only when it is at least this much (on the
# 0-1 equal-weight scale, so 5 points). Below it the result is "too close to call": a lead
# smaller than one person's weight in most small groups is not a decision, and an exact tie
# is a number-theoretic accident that can pin down how a small role voted.
DECISION_MARGIN = Fraction(1, 20)


class Rung(StrEnum):
    HEAD_COUNT = "head_count"
    DECISION = "decision"
    DECISIONS = "decisions"
    DECISION_AND_COUNT = "decision_and_count"
    ROUNDED = "rounded"
    FULL = "full"

    @property
    def carries_equal_weight(self) -> bool:
        return self is not Rung.HEAD_COUNT

    @property
    def shows_head_count(self) -> bool:
        return self in (Rung.HEAD_COUNT, Rung.DECISION_AND_COUNT, Rung.ROUNDED, Rung.FULL)


LADDER: tuple[Rung, ...] = (
    Rung.DECISION,
    Rung.DECISIONS,
    Rung.DECISION_AND_COUNT,
    Rung.ROUNDED,
    Rung.FULL,
)


def rank(rung: Rung) -> int:
    """Position on the ladder; HEAD_COUNT is below it."""
    return -1 if rung is Rung.HEAD_COUNT else LADDER.index(rung)


# ------------------------------------------------------------------- shared scalar rules


def close_set(scores: Sequence[Fraction]) -> frozenset[int]:
    """The options within DECISION_MARGIN of the best equal-weight score (one: a clear lead)."""
    top = max(scores)
    return frozenset(i for i, s in enumerate(scores) if s > top - DECISION_MARGIN)


def support_class(score: Fraction) -> int:
    """A multiple-choice option's equal-weight support: 2 most, 1 about half, 0 few."""
    if score >= Fraction(1, 2) + DECISION_MARGIN:
        return 2
    if score <= Fraction(1, 2) - DECISION_MARGIN:
        return 0
    return 1


def scale_band(value: Fraction) -> int:
    """A 1-5 average in three bands: 0 low (under 2.5), 1 middle, 2 high (3.5 or more).

    Bands, not half points: a rounded average pins down a small role at the extremes (the
    audit finds certainty for 3 / 3 / 2 voters at half points and at whole points alike), while
    bands this wide pass the bar even for 5 / 2 / 6."""
    if value < Fraction(5, 2):
        return 0
    if value >= Fraction(7, 2):
        return 2
    return 1


def tenths(value: Fraction) -> Fraction:
    """To one decimal, halves rounding up."""
    return Fraction(math.floor(value * 10 + Fraction(1, 2)), 10)


def ten_points(value: Fraction) -> int:
    """A 0-1 score to the nearest 10 points (0..10), halves rounding up."""
    return math.floor(value * 10 + Fraction(1, 2))


# --------------------------------------------------------- the same rules over outcome spaces


@dataclass(frozen=True)
class _Scores:
    """Equal-weight sums as integers: score(o) = ew[:, o] / total (exact)."""

    ew: IntArray  # (K, m)
    total: int  # voting roles x lcm of their sizes


def _ew(space: OutcomeSpace) -> _Scores:
    n = space.voters
    voting = [r for r in range(3) if n[r] > 0]
    lcm = 1
    for r in voting:
        lcm = lcm * n[r] // math.gcd(lcm, n[r])
    t = space.tables
    ew = np.zeros(t.shape[:2], dtype=np.int64)
    for r in voting:
        ew += t[:, :, r] * (lcm // n[r])
    return _Scores(ew, len(voting) * lcm)


def _status(values: IntArray, total: int) -> IntArray:
    """2 for the clear leader, 1 for options too close to call, 0 for the rest (codes for
    close_set on scores values / total)."""
    p, q = DECISION_MARGIN.numerator, DECISION_MARGIN.denominator
    top = values.max(axis=1, keepdims=True)
    close = q * values > q * top - p * total
    alone = close.sum(axis=1, keepdims=True) == 1
    return np.where(close, np.where(alone, 2, 1), 0).astype(np.int64)


def _raw_status(raw: IntArray) -> IntArray:
    top = raw.max(axis=1, keepdims=True)
    lead = raw == top
    return np.where(lead, np.where(lead.sum(axis=1, keepdims=True) == 1, 2, 1), 0).astype(np.int64)


def _ten_points(values: IntArray, total: int) -> IntArray:
    return (20 * values + total) // (2 * total)


def _ints(values: object) -> IntArray:
    return np.asarray(values, dtype=np.int64)


_RAW = 128  # a head count per option is below this (at most 60 voters)


def _choice_codes(rung: Rung, space: OutcomeSpace) -> IntArray:
    t = space.tables
    raw = t.sum(axis=2)
    if rung is Rung.HEAD_COUNT:
        return _ints(raw)
    if rung is Rung.FULL:
        return (t[:, :, 0] * _RAW + t[:, :, 1]) * _RAW + t[:, :, 2]
    s = _ew(space)
    status = _status(s.ew, s.total)
    if rung is Rung.DECISION:
        return status
    if rung is Rung.DECISIONS:
        return status * 3 + _raw_status(raw)
    with_count = status * _RAW + raw
    if rung is Rung.DECISION_AND_COUNT:
        return _ints(with_count)
    return _ints(with_count * 16 + _ten_points(s.ew, s.total))  # ROUNDED


def _tick_codes(rung: Rung, space: OutcomeSpace) -> IntArray:
    """Column 0 is 'ticked': its code carries everything published about the option."""
    t = space.tables
    raw = t[:, 0, :].sum(axis=1)
    total_voters = sum(space.voters)
    if rung is Rung.FULL:
        first = (t[:, 0, 0] * _RAW + t[:, 0, 1]) * _RAW + t[:, 0, 2]
    elif rung is Rung.HEAD_COUNT:
        first = raw
    else:
        s = _ew(space)
        p, q = DECISION_MARGIN.numerator, DECISION_MARGIN.denominator
        ew = s.ew[:, 0]
        # support_class: >= 1/2 + margin, <= 1/2 - margin, else about half
        most = 2 * q * ew >= (q + 2 * p) * s.total
        few = 2 * q * ew <= (q - 2 * p) * s.total
        cls = np.where(most, 2, np.where(few, 0, 1)).astype(np.int64)
        raw_cls = np.sign(2 * raw - total_voters) + 1
        if rung is Rung.DECISION:
            first = cls
        elif rung is Rung.DECISIONS:
            first = cls * 3 + raw_cls
        elif rung is Rung.DECISION_AND_COUNT:
            first = cls * _RAW + raw
        else:
            first = (cls * _RAW + raw) * 16 + _ten_points(s.ew[:, :1], s.total)[:, 0]
    codes = np.zeros(t.shape[:2], dtype=np.int64)
    codes[:, 0] = first
    return codes


def _bands(values: IntArray, total: int) -> IntArray:
    """scale_band of values / total, vectorized."""
    return _ints(np.where(2 * values < 5 * total, 0, np.where(2 * values >= 7 * total, 2, 1)))


def scale_codes(rung: Rung, sums: IntArray, voters: Counts) -> IntArray:
    """A scale poll's publication from each role's sum of answers: (R, 3) -> (R,) codes.

    Below FULL a scale publishes averages only (equal weight, and the head count's), which are
    functions of the role sums: that is what lets bot.domain.scale_audit count sums, not tables.
    """
    voting = [r for r in range(3) if voters[r] > 0]
    lcm = 1
    for r in voting:
        lcm = lcm * voters[r] // math.gcd(lcm, voters[r])
    total = len(voting) * lcm
    ew = _ints(sum(sums[:, r] * (lcm // voters[r]) for r in voting))  # average = ew / total
    n_total = sum(voters)
    raw = sums.sum(axis=1)
    if rung is Rung.HEAD_COUNT:
        return _ints(raw)
    if rung is Rung.FULL:
        return (sums[:, 0] * 512 + sums[:, 1]) * 512 + sums[:, 2]
    band = _bands(ew, total)
    if rung is Rung.DECISION:
        return band
    decisions = _ints(band * 3 + _bands(raw, n_total))
    if rung is Rung.DECISIONS:
        return decisions
    # Each rung says everything the one below it says, so the bands stay in the code: tenths do
    # not settle them (an average of 2.46 shows as 2.5 but is in the low band).
    with_count = decisions * 64 + (20 * raw + n_total) // (2 * n_total)
    if rung is Rung.DECISION_AND_COUNT:
        return _ints(with_count)
    return _ints(with_count * 64 + (20 * ew + total) // (2 * total))  # ROUNDED


def publisher(kind: PollKind, rung: Rung) -> Publisher:
    """The audit's view of what `rung` publishes for a poll of `kind`."""
    if kind is PollKind.MULTIPLE:
        return lambda space: _tick_codes(rung, space)
    return lambda space: _choice_codes(rung, space)


# ------------------------------------------------------------------------------- choosing


# Beyond this many count tables the exact audit would keep a person waiting; the large-group
# rule below decides instead.
EXACT_BUDGET = 150_000
SCALE_BUDGET = 600_000


@dataclass(frozen=True)
class PollFacts:
    """What is public before anyone votes: the kind, the options, voters per role."""

    kind: PollKind
    n_options: int
    voters: Counts

    @property
    def total(self) -> int:
        return sum(self.voters)


@dataclass(frozen=True)
class RungVerdict:
    rung: Rung
    passes: bool
    method: str  # "exact" or "large-group bound"
    report: AuditReport | None = None


@dataclass(frozen=True)
class Choice:
    """The highest rung that passes, or None when even DECISION fails (notice needed)."""

    facts: PollFacts
    rung: Rung | None
    verdicts: tuple[RungVerdict, ...] = field(default_factory=tuple)

    @property
    def needs_notice(self) -> bool:
        return self.rung is None

    def verdict(self, rung: Rung) -> RungVerdict | None:
        return next((v for v in self.verdicts if v.rung is rung), None)

    def exposed_roles(self, bar: Bar = DEFAULT_BAR) -> frozenset[int]:
        """Roles whose members someone could work out under the equal-weight decision."""
        v = self.verdict(Rung.DECISION)
        if v is None or v.report is None:
            return frozenset(r for r in range(3) if self.facts.voters[r] > 0)
        return v.report.exposed_roles(bar)

    def watchers(self, bar: Bar = DEFAULT_BAR) -> frozenset[int]:
        """Roles of the insiders who could work something out under DECISION."""
        v = self.verdict(Rung.DECISION)
        if v is None or v.report is None:
            return frozenset(r for r in range(3) if self.facts.voters[r] > 0)
        out: set[int] = set()
        for f in v.report.findings:
            if f.certain or f.chance > float(bar.chance_bound) + 1e-12:
                out |= set(f.insider)
        return frozenset(out)


# The rungs of one climb share a space; `choose` lets it go after the climb (`judge` keeps
# the verdicts), since a space can be tens of MB.
@lru_cache(maxsize=4)
def _space(kind: PollKind, m: int, voters: Counts) -> OutcomeSpace:
    if kind is PollKind.MULTIPLE:
        if math.prod(n + 1 for n in voters) > EXACT_BUDGET:  # one table per ticks per role
            raise SpaceTooLarge(f"{voters} ticking")
        return tick_space(voters)
    return choice_space(voters, m, EXACT_BUDGET)


@lru_cache(maxsize=2048)
def judge(facts: PollFacts, rung: Rung, bar: Bar = DEFAULT_BAR) -> RungVerdict:
    """Whether one rung passes the bar for these facts (cached: facts repeat)."""
    if rung is Rung.HEAD_COUNT or len([n for n in facts.voters if n > 0]) <= 1:
        # One role only: equal weight is the head count, and the head count is the baseline.
        return RungVerdict(rung, True, "baseline")
    if rung is Rung.FULL:
        return RungVerdict(rung, full_table_passes(facts.voters), "closed form")
    if facts.kind is PollKind.SCALE:
        if _large_scale_passes(facts, rung, bar):
            return RungVerdict(rung, True, "large-group bound")
        if scale_rows(facts.voters) > SCALE_BUDGET:
            return RungVerdict(rung, False, "too large to check")
        report = scale_audit(facts.voters, lambda sums: scale_codes(rung, sums, facts.voters), bar)
        return RungVerdict(rung, report.passes(bar), "exact", report)
    try:
        space = _space(facts.kind, facts.n_options, facts.voters)
    except SpaceTooLarge:
        return RungVerdict(rung, _large_group_passes(facts, rung, bar), "large-group bound")
    report = audit(space, publisher(facts.kind, rung), bar)
    if facts.kind is PollKind.MULTIPLE:
        report = _whole_poll(report, facts.n_options)
    return RungVerdict(rung, report.passes(bar), "exact", report)


def full_table_passes(voters: Counts) -> bool:
    """FULL shows each role's counts, so it makes an insider certain of a target's choice as
    soon as the target's role can be unanimous while someone outside it (not an insider) chose
    otherwise: that outcome has a positive chance whenever the non-insiders of some insider
    span two roles. Otherwise (everyone else is in one role) FULL says no more than the head
    count. Exact, with no enumeration."""
    for insider in insiders(voters):
        others = [voters[r] - insider.count(r) for r in range(3)]
        if sum(1 for x in others if x > 0) >= 2:
            return False
    return True


def _whole_poll(option: AuditReport, m: int) -> AuditReport:
    """A multiple-choice poll is m options ticked independently (equal prior odds per tick),
    each published on its own: the chance that an insider learns too much about *some* option
    is 1 - (1 - c)^m."""
    return AuditReport(
        tuple(
            InsiderFinding(
                insider=f.insider,
                certain=f.certain,
                certain_about=f.certain_about,
                worst=f.worst,
                chance=1 - (1 - f.chance) ** m,
                risky_targets=f.risky_targets,
            )
            for f in option.findings
        )
    )


def choose(facts: PollFacts, bar: Bar = DEFAULT_BAR) -> Choice:
    """Climb the ladder while every rung passes."""
    verdicts: list[RungVerdict] = []
    chosen: Rung | None = None
    try:
        for rung in LADDER:
            verdict = judge(facts, rung, bar)
            verdicts.append(verdict)
            if not verdict.passes:
                break
            chosen = rung
    finally:
        _space.cache_clear()  # a climb running beside this one at worst enumerates again
    return Choice(facts, chosen, tuple(verdicts))


# ----------------------------------------------------------------- the large-group rule


def large_group_minimum(m: int) -> int:
    """How many voters every voting role needs for the large-group rule's certainty lemma.

    Lemma. Let every voting role have at least ``L = max(3m + 3, 21)`` voters (``m`` options,
    decision margin 1/20). Then for every published equal-weight decision and every choice of
    the insiders' ballots (at most two), and every option ``o`` and target, some outcome with
    that same publication and those ballots has the target *not* choosing ``o``. So no insider
    is ever certain of anyone's choice under ``DECISION``.

    Proof. Call the insiders and the target the fixed voters (at most three). *A clear
    leader* ``l``: put every other voter on ``l`` and the target on ``l`` if ``o != l``, else on
    any other option. Each role's share of ``l`` is then at least ``1 - 3/L``, so ``l``'s
    equal-weight score is at least ``1 - 3/L`` and every other option's at most ``3/L``; the
    lead ``1 - 6/L`` is at least the margin, so ``l`` is still the clear leader. *Too close
    between the options Y* (two or more): put the target on an option of Y other than ``o``.
    In every role, share the role's voters over Y as evenly as possible around the fixed
    ballots (possible because ``L - 3 >= 3m >= 3|Y|`` leaves enough free voters to even out
    three fixed ones), so each role's counts on Y differ by at most one, and nothing sits outside
    Y but fixed ballots. The scores on Y then differ by at most ``1/L`` (one voter of the
    smallest role), which is below the margin since ``L >= 21``; each score on Y is at least
    ``(1 - 3/L)/m - 1/L`` (a role's voters, less three fixed ones, spread over at most m
    options, rounded down), and each option outside Y holds only fixed ballots and scores at
    most ``3/L``; ``L`` is raised until ``3/L <= (1 - 3/L)/m - 1/L - 1/20``, so every option
    outside Y stays more than the margin behind. The insiders' options keep their places
    (in Y, outside it, or the leader), so the insiders see exactly what they saw, and the
    target did not choose ``o``.

    For a multiple-choice option (support most / about half / few) the same construction
    works with Y = {ticked, not ticked}: all free voters tick (most) or none do (few), or each
    role splits evenly (about half: the support is within ``1/L < 1/20`` of one half).
    """
    lowest = max(3 * m + 3, 21)
    while 3 / lowest > (1 - 3 / lowest) / m - 1 / lowest - float(DECISION_MARGIN):
        lowest += 1
    return lowest


def _large_group_passes(facts: PollFacts, rung: Rung, bar: Bar) -> bool:
    """Only DECISION is vouched for without the exact audit: certainty is excluded by the
    lemma of `large_group_minimum`, and the chance by `jensen_chance_bound` for every insider
    and every target role."""
    if rung is not Rung.DECISION:
        return False
    m = 2 if facts.kind is PollKind.MULTIPLE else facts.n_options
    voting = [n for n in facts.voters if n > 0]
    if min(voting) < large_group_minimum(m):
        return False
    repeats = facts.n_options if facts.kind is PollKind.MULTIPLE else 1
    return _jensen_passes(facts.voters, m, bar, repeats)


def _jensen_passes(voters: Counts, m: int, bar: Bar, repeats: int = 1) -> bool:
    """Every insider's chance, bounded by Jensen over every target role, within the bar
    (`repeats` independent publications, as a multiple-choice poll's options are)."""
    for insider in insiders(voters):
        chance = 0.0
        for r in range(3):
            others = voters[r] - insider.count(r)
            if others > 0:
                chance += jensen_chance_bound(others, m, bar)
        chance = 1 - (1 - min(chance, 1.0)) ** repeats
        if chance > float(bar.chance_bound):
            return False
    return True


# A scale's bands cannot pin anyone down once every voting role has this many voters.
SCALE_LARGE_MINIMUM = 9


def _large_scale_passes(facts: PollFacts, rung: Rung, bar: Bar) -> bool:
    """The scale's DECISION (the equal-weight average's band) for large roles, without the
    exact audit.

    Lemma. If every voting role has at least ``L = 9`` voters, no insider is ever certain of a
    target's answer from the band. Proof: fix the insiders' answers (at most two) and the
    target's, any values; at most three voters are fixed. The equal-weight average is the mean
    of at least two roles' averages, so a fixed voter whose answer is ``d`` away from the free
    voters' moves it by at most ``d / (2L)``. With every free voter on 5 (``d <= 4``) the
    average is at least ``5 - 6/L >= 3.5`` (high); on 1, at most ``1 + 6/L < 2.5`` (low); on 3
    (``d <= 2``), within ``3/L < 1/2`` of 3, so in [2.5, 3.5) (middle). (``L = 7`` would do;
    9 leaves room.) So every band is reachable whatever the target chose, and the
    insiders see the same. The chance part is :func:`jensen_chance_bound` with 5 answers.
    """
    if rung is not Rung.DECISION:
        return False
    voting = [n for n in facts.voters if n > 0]
    if min(voting) < SCALE_LARGE_MINIMUM:
        return False
    return _jensen_passes(facts.voters, 5, bar)
