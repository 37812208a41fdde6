"""The ladder (bot.domain.disclosure_ladder): its codes, its large-group lemmas, its choice.

- The vectorized publication codes say exactly what the scalar rules say (two options, or two
  tables, get equal codes iff the scalar rules publish equal figures), and each rung says
  everything the rung below it says.
- The large-group lemmas: their constructions are built and checked outcome by outcome, and
  the rules that lean on them never pass where the exact audit finds certainty.
- choose() on every role mix up to 20 people (two options; three and four options and scales on
  a stated subset, the rest in tests/property/test_disclosure_props.py), checked against audits
  made here, not through judge().
- The issue's group of 5 service users, 2 carers and 6 staff, people counted one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from fractions import Fraction
from itertools import combinations, pairwise, product

import numpy as np
import pytest

from bench.disclosure import mixes as bench_mixes
from bot.domain.disclosure_audit import DEFAULT_BAR, AuditReport, audit
from bot.domain.disclosure_ladder import (
    DECISION_MARGIN,
    LADDER,
    SCALE_LARGE_MINIMUM,
    PollFacts,
    Rung,
    _choice_codes,
    _large_group_passes,
    _large_scale_passes,
    _tick_codes,
    choose,
    close_set,
    judge,
    large_group_minimum,
    publisher,
    rank,
    scale_band,
    scale_codes,
    support_class,
    ten_points,
    tenths,
)
from bot.domain.outcome_space import OutcomeSpace, choice_space, tick_space
from bot.domain.poll_rules import PollKind
from bot.domain.scale_audit import scale_audit
from tests.unit.domain.disclosure_oracle import brute_choice, brute_tick, mixes
from tests.unit.domain.test_disclosure_audit import assert_same

Voters = tuple[int, int, int]
RUNGS = (Rung.HEAD_COUNT, *LADDER)
BOUND = float(DEFAULT_BAR.chance_bound)

# ------------------------------------------------- what each rung publishes, by the scalar rules


def _mean(shares: Iterable[Fraction]) -> Fraction:
    values = list(shares)
    return sum(values, Fraction(0)) / len(values)


def choice_figures(table: Sequence[Sequence[int]], voters: Voters, rung: Rung) -> list[Hashable]:
    """What `rung` shows about each option of a single-answer table (table[o][r])."""
    voting = [r for r in range(3) if voters[r]]
    raw = [sum(col) for col in table]
    scores = [_mean(Fraction(col[r], voters[r]) for r in voting) for col in table]
    close = close_set(scores)
    top = [o for o, x in enumerate(raw) if x == max(raw)]
    out: list[Hashable] = []
    for o, col in enumerate(table):
        # An option's own figure: whether it leads, alone or too close to call; the table's
        # figures (who leads) are the options' figures together.
        decision = (o in close, o in close and len(close) == 1)
        show_of_hands = (o in top, o in top and len(top) == 1)
        figures: Hashable = {
            Rung.HEAD_COUNT: raw[o],
            Rung.DECISION: decision,
            Rung.DECISIONS: (decision, show_of_hands),
            Rung.DECISION_AND_COUNT: (decision, raw[o]),
            Rung.ROUNDED: (decision, raw[o], ten_points(scores[o])),
            Rung.FULL: tuple(col),
        }[rung]
        out.append(figures)
    return out


def tick_figures(ticked: Sequence[int], voters: Voters, rung: Rung) -> Hashable:
    """What `rung` shows about a multiple-choice option ticked by ticked[r] of each role."""
    voting = [r for r in range(3) if voters[r]]
    raw = sum(ticked)
    score = _mean(Fraction(ticked[r], voters[r]) for r in voting)
    support = support_class(score)
    majority = (2 * raw > sum(voters)) - (2 * raw < sum(voters))
    return {
        Rung.HEAD_COUNT: raw,
        Rung.DECISION: support,
        Rung.DECISIONS: (support, majority),
        Rung.DECISION_AND_COUNT: (support, raw),
        Rung.ROUNDED: (support, raw, ten_points(score)),
        Rung.FULL: tuple(ticked),
    }[rung]


def scale_figures(sums: Sequence[int], voters: Voters, rung: Rung) -> Hashable:
    """What `rung` shows of a scale whose roles' answers add up to sums[r]."""
    voting = [r for r in range(3) if voters[r]]
    average = _mean(Fraction(sums[r], voters[r]) for r in voting)
    raw = Fraction(sum(sums), sum(voters))
    bands = (scale_band(average), scale_band(raw))
    return {
        Rung.HEAD_COUNT: raw,
        Rung.DECISION: bands[0],
        Rung.DECISIONS: bands,
        Rung.DECISION_AND_COUNT: (bands, tenths(raw)),
        Rung.ROUNDED: (bands, tenths(raw), tenths(average)),
        Rung.FULL: tuple(sums),
    }[rung]


def assert_same_classes(codes: Iterable[Hashable], figures: Iterable[Hashable], where: str) -> None:
    """Equal codes iff equal figures: each determines the other."""
    by_code: dict[Hashable, Hashable] = {}
    by_figure: dict[Hashable, Hashable] = {}
    for code, figure in zip(codes, figures, strict=True):
        assert by_code.setdefault(code, figure) == figure, f"{where}: one code, two figures"
        assert by_figure.setdefault(figure, code) == code, f"{where}: one figure, two codes"


def check_choice_codes(space: OutcomeSpace, rung: Rung) -> None:
    codes = _choice_codes(rung, space)
    figures = [
        f for table in space.tables.tolist() for f in choice_figures(table, space.voters, rung)
    ]
    assert_same_classes(codes.reshape(-1).tolist(), figures, f"{space.voters} {rung}")


def check_tick_codes(space: OutcomeSpace, rung: Rung) -> None:
    codes = _tick_codes(rung, space)
    assert (codes[:, 1] == 0).all()  # "not ticked" carries nothing of its own
    figures = [tick_figures(table[0], space.voters, rung) for table in space.tables.tolist()]
    assert_same_classes(codes[:, 0].tolist(), figures, f"{space.voters} {rung}")


def all_sums(voters: Voters) -> np.ndarray:
    ranges = [range(n, 5 * n + 1) if n else range(1) for n in voters]
    return np.array(list(product(*ranges)), dtype=np.int64).reshape(-1, 3)


def check_scale_codes(sums: np.ndarray, voters: Voters, rung: Rung) -> None:
    codes = scale_codes(rung, sums, voters)
    figures = [scale_figures(row, voters, rung) for row in sums.tolist()]
    assert_same_classes(codes.tolist(), figures, f"{voters} {rung}")


CODE_MIXES = [*[v for v in mixes(9) if sum(1 for n in v if n) >= 2][::7], (5, 2, 6), (3, 7, 0)]


@pytest.mark.parametrize("voters", CODE_MIXES, ids=str)
def test_the_codes_say_what_the_scalar_rules_say(voters: Voters) -> None:
    """Every table of these mixes, every rung: single answers with 2 to 4 options, a ticked
    option, every role sum of a scale."""
    spaces = [choice_space(voters, m) for m in (2, 3, 4)]
    sums = all_sums(voters)
    for rung in RUNGS:
        for space in spaces:
            check_choice_codes(space, rung)
        check_tick_codes(tick_space(voters), rung)
        check_scale_codes(sums, voters, rung)


def test_scale_codes_keep_the_bands_when_rounded() -> None:
    """The bug this suite found: ROUNDED showed the tenths only, and 2.46 rounds to 2.5 while
    its band is "low", so a higher rung said less than the decision below it. 3 service users,
    4 carers and 5 staff reach such averages."""
    voters = (3, 4, 5)
    sums = all_sums(voters)
    for rung in (Rung.DECISION_AND_COUNT, Rung.ROUNDED):
        check_scale_codes(sums, voters, rung)


def _refines(finer: np.ndarray, coarser: np.ndarray) -> bool:
    """Whether each row of `finer` codes determines the row of `coarser` codes."""
    seen: dict[bytes, bytes] = {}
    for a, b in zip(finer, coarser, strict=True):
        if seen.setdefault(a.tobytes(), b.tobytes()) != b.tobytes():
            return False
    return True


@pytest.mark.parametrize("voters", [(3, 4, 5), (5, 2, 6), (2, 2, 2), (7, 1, 0)], ids=str)
def test_each_rung_says_everything_the_one_below_says(voters: Voters) -> None:
    """The ladder's promise (and why climbing it is sound): a table's codes on a rung settle
    its codes on every rung below, for every kind. DECISION_AND_COUNT shows the head count."""
    sums = all_sums(voters)
    tables: list[tuple[OutcomeSpace, Callable[[Rung, OutcomeSpace], np.ndarray]]] = [
        (choice_space(voters, 3), _choice_codes),
        (tick_space(voters), _tick_codes),
    ]
    for lower, higher in pairwise(LADDER):
        for space, codes in tables:
            assert _refines(codes(higher, space), codes(lower, space)), (lower, higher)
        assert _refines(
            scale_codes(higher, sums, voters)[:, None], scale_codes(lower, sums, voters)[:, None]
        ), (lower, higher)
    for space, codes in tables:
        assert _refines(codes(Rung.DECISION_AND_COUNT, space), codes(Rung.HEAD_COUNT, space))


# ------------------------------------------------------------------- the large-group lemmas


def _fill_evenly(counts: list[int], options: Sequence[int], free: int) -> None:
    """Put `free` voters on `options`, each on one that has the fewest so far."""
    for _ in range(free):
        low = min(options, key=lambda o: counts[o])
        counts[low] += 1


def _witness(
    voters: Voters, m: int, published: frozenset[int], fixed: Sequence[tuple[int, int]]
) -> list[list[int]] | None:
    """The lemma's outcome: the fixed voters (role, option) where they are, everyone else as
    the proof says. None when a role has too few free voters for it."""
    table = [[0, 0, 0] for _ in range(m)]
    for role, option in fixed:
        table[option][role] += 1
    for r in range(3):
        column = [table[o][r] for o in range(m)]
        free = voters[r] - sum(column)
        if free < 0:
            return None
        if len(published) == 1:
            (column[next(iter(published))],) = (column[next(iter(published))] + free,)
        else:
            _fill_evenly(column, sorted(published), free)
        for o in range(m):
            table[o][r] = column[o]
    return table


def _decision(table: list[list[int]], voters: Voters) -> frozenset[int]:
    voting = [r for r in range(3) if voters[r]]
    return close_set([_mean(Fraction(c[r], voters[r]) for r in voting) for c in table])


def lemma_counterexample(voters: Voters, m: int) -> tuple[object, ...] | None:
    """Search every published decision, insiders' ballots, target and option for a case where
    the lemma's construction does not keep the publication while moving the target off the
    option. None when the construction works everywhere."""
    decisions = [frozenset(c) for k in range(1, m + 1) for c in combinations(range(m), k)]
    roles = [r for r in range(3) if voters[r]]
    insider_roles = [(a,) for a in roles] + list(combinations(roles, 2)) + [(a, a) for a in roles]
    for shown in decisions:
        for insider in insider_roles:
            for ballots in product(range(m), repeat=len(insider)):
                for target in roles:
                    for o in range(m):
                        if len(shown) == 1:
                            (lead,) = shown
                            moved = lead if o != lead else (lead + 1) % m
                        else:
                            moved = min(y for y in shown if y != o)
                        fixed = [*zip(insider, ballots, strict=True), (target, moved)]
                        table = _witness(voters, m, shown, fixed)
                        if table is None or _decision(table, voters) != shown:
                            return shown, insider, ballots, target, o
    return None


@pytest.mark.parametrize("m", [2, 3, 4])
def test_the_large_group_lemma_construction_works(m: int) -> None:
    """At the stated minimum, for every role size from it upwards that we try, the proof's
    outcome keeps the published decision and the insiders' ballots and moves the target."""
    low = large_group_minimum(m)
    for voters in [(low, low, low), (low, low, 0), (low, low + 1, low + 7), (0, low + 3, low)]:
        assert lemma_counterexample(voters, m) is None, voters


def test_the_large_group_lemma_is_not_vacuous() -> None:
    """The search above can fail: with roles of 5, or of 19 (two options) or 20 (three),
    the construction breaks: one voter moves a score by the margin or more."""
    assert lemma_counterexample((5, 5, 5), 3) is not None
    assert lemma_counterexample((19, 19, 19), 2) is not None
    assert lemma_counterexample((20, 20, 20), 3) is not None
    assert large_group_minimum(2) == 21 and Fraction(1, 20) == DECISION_MARGIN


def test_the_tick_version_of_the_lemma() -> None:
    """Multiple choice: all free voters tick (most), none do (few), or each role splits
    evenly (about half), whatever the fixed voters (at most three) did."""
    low = large_group_minimum(2)
    for voters in [(low, low, low), (low, low, 0), (low + 2, low, low + 5)]:
        roles = [r for r in range(3) if voters[r]]
        for fixed_roles in product(roles, repeat=3):
            for fixed_ticks in product((0, 1), repeat=3):
                for shown in (0, 1, 2):
                    ticked = [0, 0, 0]
                    for r, t in zip(fixed_roles, fixed_ticks, strict=True):
                        ticked[r] += t
                    for r in roles:
                        free = voters[r] - fixed_roles.count(r)
                        on_role = ticked[r]
                        off_role = fixed_roles.count(r) - on_role
                        if shown == 2:
                            ticked[r] += free
                        elif shown == 1:
                            # evenly: bring ticked and not ticked within one of each other
                            ticked[r] += max(0, min(free, (voters[r] + 1) // 2 - on_role))
                            assert abs(2 * ticked[r] - voters[r]) <= 1 or off_role > 0
                    score = _mean(Fraction(ticked[r], voters[r]) for r in roles)
                    assert support_class(score) == shown, (voters, fixed_roles, fixed_ticks)


def scale_lemma_counterexample(voters: Voters) -> tuple[object, ...] | None:
    """The scale lemma's construction: free voters all on 5, 3 or 1 give the high, middle or
    low band whatever the (at most three) fixed voters answered. A case where it does not."""
    roles = [r for r in range(3) if voters[r]]
    for fixed_roles in product(roles, repeat=3):
        if any(fixed_roles.count(r) > voters[r] for r in roles):
            continue
        for answers in product(range(1, 6), repeat=3):
            for free_answer, band in ((5, 2), (3, 1), (1, 0)):
                sums = [0, 0, 0]
                for r, a in zip(fixed_roles, answers, strict=True):
                    sums[r] += a
                for r in roles:
                    sums[r] += free_answer * (voters[r] - fixed_roles.count(r))
                average = _mean(Fraction(sums[r], voters[r]) for r in roles)
                if scale_band(average) != band:
                    return fixed_roles, answers, free_answer
    return None


def test_the_scale_lemma_construction_works() -> None:
    """Every voting role of at least 9, with two voting roles (where one voter weighs more)
    as with three; and the minimum matters: roles of 5 break it."""
    low = SCALE_LARGE_MINIMUM
    for voters in [(low, low, low), (low, low, 0), (0, low, low + 4), (low + 1, low, low)]:
        assert scale_lemma_counterexample(voters) is None, voters
    assert scale_lemma_counterexample((5, 5, 0)) is not None
    # The proof's own margin: 7 would do (3/L < 1/2), 6 does not.
    assert scale_lemma_counterexample((7, 7, 0)) is None
    assert scale_lemma_counterexample((7, 7, 7)) is None
    assert scale_lemma_counterexample((6, 6, 0)) is not None


@pytest.mark.parametrize(
    ("kind", "m", "voters"),
    [
        (PollKind.SINGLE, 2, (21, 21, 21)),
        (PollKind.SINGLE, 3, (21, 21, 0)),
        (PollKind.PROPOSAL, 3, (0, 22, 21)),
        (PollKind.MULTIPLE, 2, (21, 21, 21)),
        (PollKind.MULTIPLE, 4, (23, 21, 0)),
    ],
)
def test_the_large_group_rule_passes_only_where_the_exact_audit_finds_no_certainty(
    kind: PollKind, m: int, voters: Voters
) -> None:
    facts = PollFacts(kind, m, voters)
    assert _large_group_passes(facts, Rung.DECISION, DEFAULT_BAR)  # the case is not vacuous
    space = tick_space(voters) if kind is PollKind.MULTIPLE else choice_space(voters, m)
    report = audit(space, publisher(kind, Rung.DECISION))
    assert not report.certain
    repeats = m if kind is PollKind.MULTIPLE else 1
    assert 1 - (1 - report.chance) ** repeats <= BOUND
    # Only the decision is vouched for that way.
    for rung in LADDER[1:]:
        assert not _large_group_passes(facts, rung, DEFAULT_BAR)


def test_the_large_group_rule_refuses_below_its_minimum() -> None:
    for m in (2, 3):
        low = large_group_minimum(m)
        facts = PollFacts(PollKind.SINGLE, m, (low - 1, low, low))
        assert not _large_group_passes(facts, Rung.DECISION, DEFAULT_BAR)
        # ... and where the exact audit can look, roles that small can be unmasked: a role of
        # two under the decision (a pair of the other roles) is one such case.
    small = audit(choice_space((2, 9, 9), 2), publisher(PollKind.SINGLE, Rung.DECISION))
    assert small.certain or small.chance > BOUND


@pytest.mark.parametrize("voters", [(9, 9, 0), (9, 9, 9), (0, 10, 9)], ids=str)
def test_the_large_scale_rule_passes_only_where_the_exact_audit_finds_no_certainty(
    voters: Voters,
) -> None:
    facts = PollFacts(PollKind.SCALE, 5, voters)
    assert _large_scale_passes(facts, Rung.DECISION, DEFAULT_BAR)
    report = scale_audit(voters, lambda sums: scale_codes(Rung.DECISION, sums, voters))
    assert not report.certain and report.passes(DEFAULT_BAR)
    assert not _large_scale_passes(facts, Rung.DECISIONS, DEFAULT_BAR)
    below = PollFacts(PollKind.SCALE, 5, (SCALE_LARGE_MINIMUM - 1, 9, 9))
    assert not _large_scale_passes(below, Rung.DECISION, DEFAULT_BAR)


# ------------------------------------------------------------------------- choose(), every mix


def independent_report(facts: PollFacts, rung: Rung) -> AuditReport:
    """The exact audit of one rung, made here rather than through judge()."""
    if facts.kind is PollKind.SCALE:
        return scale_audit(facts.voters, lambda s: scale_codes(rung, s, facts.voters))
    if facts.kind is PollKind.MULTIPLE:
        return audit(tick_space(facts.voters), publisher(facts.kind, rung))
    return audit(choice_space(facts.voters, facts.n_options), publisher(facts.kind, rung))


def independent_passes(facts: PollFacts, rung: Rung) -> bool:
    if sum(1 for n in facts.voters if n) < 2 or rung is Rung.HEAD_COUNT:
        return True  # one voting role: equal weight is the head count, the baseline
    report = independent_report(facts, rung)
    # A multiple-choice poll publishes each option on its own, ticked independently.
    repeats = facts.n_options if facts.kind is PollKind.MULTIPLE else 1
    chance = 1 - (1 - report.chance) ** repeats
    return not report.certain and chance <= BOUND + 1e-12


def check_rule(facts: PollFacts, check: Callable[[PollFacts, Rung], bool]) -> None:
    """choose() took the highest rung with every rung up to it passing."""
    chosen = choose(facts)
    top = rank(chosen.rung) if chosen.rung is not None else -1
    for rung in LADDER[: top + 1]:
        assert check(facts, rung), (facts, rung, "chosen but fails")
    if top + 1 < len(LADDER):
        assert not check(facts, LADDER[top + 1]), (facts, LADDER[top + 1], "passes but refused")
    assert chosen.needs_notice == (chosen.rung is None)


def check_verdicts(facts: PollFacts) -> None:
    """Cheaper: the rule on judge()'s own exact reports (no second audit)."""

    def check(facts: PollFacts, rung: Rung) -> bool:
        verdict = judge(facts, rung)
        if verdict.report is not None:
            assert verdict.passes == verdict.report.passes(DEFAULT_BAR)
        return verdict.passes

    check_rule(facts, check)


ALL_MIXES = list(bench_mixes(20))


@pytest.mark.parametrize("kind", [PollKind.SINGLE, PollKind.MULTIPLE])
def test_the_rule_on_every_mix_up_to_twenty_with_two_options(kind: PollKind) -> None:
    """Every role mix of up to 20 people (largest role first: the audit treats roles alike,
    which the brute-force tests check with roles in every order), audited again here."""
    assert len(ALL_MIXES) == 337
    for voters in ALL_MIXES:
        check_rule(PollFacts(kind, 2, voters), independent_passes)


@pytest.mark.parametrize("m", [3, 4])
def test_the_rule_on_every_mix_up_to_twenty_multiple_choice(m: int) -> None:
    for voters in ALL_MIXES:
        check_rule(PollFacts(PollKind.MULTIPLE, m, voters), independent_passes)


# Three and four options and scales cost more (all 337 mixes: 17 s, 176 s and 96 s of audits
# on this machine), so a fixed subset here: every mix up to 12 people for three options, up to
# 8 for four and for scales, and a spread of larger ones; hypothesis adds generated mixes
# (tests/property/test_disclosure_props.py). A proposal publishes as a single answer with four
# options (the same codes), so it gets the small mixes only.
SPREAD = [(6, 5, 4), (12, 4, 4), (10, 9, 1), (17, 2, 1), (5, 2, 6)]


@pytest.mark.parametrize(
    ("kind", "m", "mixes_here"),
    [
        (PollKind.SINGLE, 3, [*bench_mixes(12), *SPREAD, (8, 6, 6), (7, 7, 6)]),
        (PollKind.SINGLE, 4, [*bench_mixes(8), *SPREAD]),
        (PollKind.PROPOSAL, 4, [*bench_mixes(8), (5, 2, 6)]),
    ],
    ids=["single3", "single4", "proposal"],
)
def test_the_rule_on_more_options(kind: PollKind, m: int, mixes_here: list[Voters]) -> None:
    for voters in mixes_here:
        check_verdicts(PollFacts(kind, m, voters))


def test_the_rule_on_scales() -> None:
    for voters in [*bench_mixes(8), (6, 5, 4), (12, 4, 4), (17, 2, 1), (5, 2, 6), (10, 9, 9)]:
        check_verdicts(PollFacts(PollKind.SCALE, 5, voters))


def test_the_checks_can_fail() -> None:
    """check_rule refuses a choice one rung too high or too low."""
    facts = PollFacts(PollKind.SINGLE, 2, (5, 2, 6))
    with pytest.raises(AssertionError, match="passes but refused"):
        check_rule(facts, lambda f, r: True)
    with pytest.raises(AssertionError, match="chosen but fails"):
        check_rule(PollFacts(PollKind.SINGLE, 2, (8, 8, 4)), lambda f, r: False)


# ------------------------------------------- the issue: 5 service users, 2 carers, 6 staff

ISSUE = (5, 2, 6)


@pytest.mark.parametrize(
    ("kind", "m"),
    [
        (PollKind.SINGLE, 2),
        (PollKind.SINGLE, 3),
        (PollKind.SINGLE, 4),
        (PollKind.MULTIPLE, 2),
        (PollKind.MULTIPLE, 4),
        (PollKind.PROPOSAL, 4),
    ],
)
def test_the_issue_group_needs_notice_for_its_carers(kind: PollKind, m: int) -> None:
    chosen = choose(PollFacts(kind, m, ISSUE))
    assert chosen.rung is None and chosen.needs_notice
    assert 1 in chosen.exposed_roles()
    verdict = chosen.verdict(Rung.DECISION)
    assert verdict is not None and verdict.report is not None and not verdict.passes
    # Under the decision with notice, no insider is certain about a role nobody was told of.
    for finding in verdict.report.findings:
        assert finding.certain_about <= chosen.exposed_roles()


def test_the_issue_group_scale_states_its_decision_without_notice() -> None:
    chosen = choose(PollFacts(PollKind.SCALE, 5, ISSUE))
    assert chosen.rung is not None and rank(chosen.rung) >= rank(Rung.DECISION)


@pytest.mark.parametrize("kind", [PollKind.SINGLE, PollKind.MULTIPLE])
def test_the_issue_group_counted_person_by_person(kind: PollKind) -> None:
    """2^13 outcomes, 13 labelled people, exact fractions, under the decision with notice:
    the engine's findings equal the count, nobody can become certain of anything the voters
    were not told about, and the notice names exactly the roles at risk (the carers)."""
    facts = PollFacts(kind, 2, ISSUE)
    chosen = choose(facts)
    assert chosen.needs_notice
    told = chosen.exposed_roles()
    if kind is PollKind.MULTIPLE:
        oracle = brute_tick(ISSUE, Rung.DECISION)
        engine = audit(tick_space(ISSUE), publisher(kind, Rung.DECISION))
    else:
        oracle = brute_choice(ISSUE, 2, Rung.DECISION)
        engine = audit(choice_space(ISSUE, 2), publisher(kind, Rung.DECISION))
    assert_same(engine, oracle, f"5/2/6 {kind}")
    for finding in oracle.values():
        assert finding.certain_about <= told
    at_risk = {r for f in oracle.values() for r in f.risky if f.chance > DEFAULT_BAR.chance_bound}
    assert at_risk == set(told) == {1}
