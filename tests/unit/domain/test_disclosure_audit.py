"""The exact disclosure audit (bot.domain.disclosure_audit) against a brute force over people.

tests/unit/domain/disclosure_oracle.py lists every assignment of ballots to labelled people and
counts each insider's posteriors exactly; here its findings must equal the engine's, for every
rung of the ladder (and the head count), single answers with 2 and 3 options, one option of a
multiple-choice poll, and whole multiple-choice polls, over every role mix of the sizes below
(empty roles included). Then the large-group bound: jensen_chance_bound is never below an exact
chance.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from bot.domain.disclosure_audit import (
    DEFAULT_BAR,
    AuditReport,
    Bar,
    InsiderFinding,
    audit,
    insiders,
    jensen_chance_bound,
)
from bot.domain.disclosure_ladder import (
    LADDER,
    PollFacts,
    Rung,
    full_table_passes,
    judge,
    publisher,
)
from bot.domain.outcome_space import choice_space, tick_space
from bot.domain.poll_rules import PollKind
from tests.unit.domain.disclosure_oracle import (
    Finding,
    brute_choice,
    brute_multiple,
    brute_tick,
    insider_kinds,
    mixes,
    passes,
)

RUNGS = (Rung.HEAD_COUNT, *LADDER)


def assert_same(report: AuditReport, oracle: dict[tuple[int, ...], Finding], where: str) -> None:
    got = {f.insider: f for f in report.findings}
    assert set(got) == set(oracle), where
    for insider, want in oracle.items():
        f = got[insider]
        at = f"{where} insider {insider}"
        assert f.certain == want.certain, at
        assert f.certain_about == want.certain_about, at
        assert f.risky_targets == want.risky, at
        assert f.chance == pytest.approx(float(want.chance), abs=1e-9), at
        assert f.worst == pytest.approx(float(want.worst), abs=1e-9), at


def _two_roles_at_least(voters: tuple[int, int, int]) -> bool:
    return sum(1 for n in voters if n) >= 2


# Every role mix of 2 to 6 people (and some of 7) for two options and a ticked option; 2 to 5
# people (and a few of 6) for three options: 3^6 = 729 outcomes per mix is where the brute
# force starts to cost.
SMALL = [*mixes(6), (3, 2, 2), (1, 3, 3), (4, 0, 3), (5, 1, 1)]
THREE = [*mixes(5), (2, 2, 2), (3, 2, 1), (1, 4, 1), (0, 3, 3)]


@pytest.mark.parametrize("voters", SMALL, ids=str)
def test_two_options_equal_the_brute_force_on_every_rung(voters: tuple[int, int, int]) -> None:
    space = choice_space(voters, 2)
    for rung in RUNGS:
        report = audit(space, publisher(PollKind.SINGLE, rung))
        assert_same(report, brute_choice(voters, 2, rung), f"{voters} {rung}")


@pytest.mark.parametrize("voters", THREE, ids=str)
def test_three_options_equal_the_brute_force_on_every_rung(voters: tuple[int, int, int]) -> None:
    space = choice_space(voters, 3)
    for kind in (PollKind.SINGLE, PollKind.PROPOSAL):  # a proposal publishes as a single answer
        for rung in RUNGS:
            report = audit(space, publisher(kind, rung))
            assert_same(report, brute_choice(voters, 3, rung), f"{voters} {kind} {rung}")


@pytest.mark.parametrize("voters", SMALL, ids=str)
def test_a_ticked_option_equals_the_brute_force_on_every_rung(
    voters: tuple[int, int, int],
) -> None:
    space = tick_space(voters)
    for rung in RUNGS:
        report = audit(space, publisher(PollKind.MULTIPLE, rung))
        assert_same(report, brute_tick(voters, rung), f"{voters} {rung}")


@pytest.mark.parametrize("voters", [(9, 2, 0), (8, 2, 1), (6, 3, 2)], ids=str)
def test_eleven_people_where_a_head_count_reaches_the_bound(voters: tuple[int, int, int]) -> None:
    """With 10 other voters a head count's posterior can be exactly 9/10, the bar's bound:
    an event counts only when the head count stays at or below it."""
    for rung in RUNGS:
        report = audit(tick_space(voters), publisher(PollKind.MULTIPLE, rung))
        assert_same(report, brute_tick(voters, rung), f"{voters} {rung}")
    for rung in (Rung.DECISION, Rung.DECISION_AND_COUNT):
        report = audit(choice_space(voters, 2), publisher(PollKind.SINGLE, rung))
        assert_same(report, brute_choice(voters, 2, rung), f"{voters} {rung}")


@pytest.mark.parametrize(("m", "people"), [(2, 4), (3, 3)])
def test_a_whole_multiple_choice_poll_equals_the_brute_force(m: int, people: int) -> None:
    """Each person ticks any set of the options; the ladder's judge turns one option's audit
    into the whole poll's (1 - (1 - c)^m) and must agree with the people counted directly."""
    for voters in mixes(people):
        if not _two_roles_at_least(voters):
            continue
        for rung in LADDER:
            verdict = judge(PollFacts(PollKind.MULTIPLE, m, voters), rung)
            oracle = brute_multiple(voters, m, rung)
            assert verdict.passes == passes(oracle), (voters, rung)
            if verdict.report is not None:
                assert_same(verdict.report, oracle, f"{voters} m={m} {rung}")


def test_the_full_table_closed_form_equals_the_brute_force() -> None:
    """judge() decides FULL without enumerating (full_table_passes): check it on every mix."""
    for voters in SMALL:
        expected = passes(brute_choice(voters, 2, Rung.FULL))
        assert passes(brute_tick(voters, Rung.FULL)) == expected, voters
        assert full_table_passes(voters) == expected, voters
        if _two_roles_at_least(voters):
            for kind in (PollKind.SINGLE, PollKind.MULTIPLE):
                assert judge(PollFacts(kind, 2, voters), Rung.FULL).passes == expected


def test_the_oracle_sees_the_attacks_the_issue_names() -> None:
    """The comparison above means something only if the oracle finds things: a voter who
    subtracts their own ballot from a two-person role's shares, a pair who pool theirs, and
    "9 of 10 chose A, so the lone carer probably did"."""
    # 2 service users, 1 carer, 1 staff, every figure shown: one service user learns the other's.
    full = brute_choice((2, 1, 1), 2, Rung.FULL)
    assert 0 in full[(0,)].certain_about
    # 1 / 1 / 3 and the decision alone: two staff who pool their ballots can pin down the
    # service user or the carer; one staff member alone cannot.
    pooled = brute_choice((1, 1, 3), 2, Rung.DECISION)
    assert pooled[(2, 2)].certain_about == {0, 1} and not pooled[(2,)].certain
    # The head count alone never makes anyone certain beyond "everyone else chose it".
    for voters in mixes(6):
        assert not any(f.certain for f in brute_choice(voters, 2, Rung.HEAD_COUNT).values())
        assert all(f.chance == 0 for f in brute_choice(voters, 2, Rung.HEAD_COUNT).values())
    # "3 of the 4 others chose A, so the lone carer probably did": a head count's 3/4, never
    # certain, and the baseline the other rungs are measured against (chance 0).
    lone = brute_choice((4, 1, 0), 2, Rung.HEAD_COUNT)[(0,)]
    assert (lone.worst, lone.certain, lone.chance) == (Fraction(3, 4), False, Fraction(0))


def test_insiders_are_every_voter_and_every_pair() -> None:
    for voters in mixes(5, min_people=0):
        expected = set(insider_kinds(voters))
        engine = {i for i in insiders(voters) if sum(voters) - len(i) > 0}
        assert engine == expected, voters


def test_a_report_passes_only_without_certainty_and_within_the_chance() -> None:
    bar = Bar(Fraction(9, 10), Fraction(1, 20))

    def report(certain: bool, chance: float) -> AuditReport:
        finding = InsiderFinding((0,), certain, frozenset({1} if certain else ()), 1.0, chance)
        return AuditReport((finding, InsiderFinding((1,), False, frozenset(), 0.5, 0.0)))

    assert report(False, 0.05).passes(bar)
    assert not report(False, 0.0500001).passes(bar)
    assert not report(True, 0.0).passes(bar)
    assert report(True, 0.0).exposed_roles(bar) == {1}
    risky = AuditReport((InsiderFinding((0,), False, frozenset(), 0.95, 0.2, frozenset({2})),))
    assert risky.exposed_roles(bar) == {2}
    assert risky.chance == 0.2 and risky.worst == 0.95
    assert bar == DEFAULT_BAR


# ------------------------------------------------------------------------ the large-group bound


def _bound(voters: tuple[int, ...], insider: tuple[int, ...], m: int) -> float:
    """What the ladder's large-group rule adds up for one insider: a bound per target role."""
    total = 0.0
    for r in range(3):
        others = voters[r] - insider.count(r)
        if others > 0:
            total += jensen_chance_bound(others, m)
    return total


@pytest.mark.parametrize("voters", mixes(5), ids=str)
def test_the_jensen_bound_holds_for_each_target_role_by_brute_force(
    voters: tuple[int, int, int],
) -> None:
    """Per target role, on every rung: the exact chance (people counted) never exceeds it."""
    cases = [(2, brute_choice(voters, 2, rung)) for rung in RUNGS]
    cases += [(2, brute_tick(voters, rung)) for rung in RUNGS]
    if sum(voters) <= 4:
        cases += [(3, brute_choice(voters, 3, rung)) for rung in RUNGS]
    for m, oracle in cases:
        for insider, finding in oracle.items():
            for r in range(3):
                others = voters[r] - insider.count(r)
                if others > 0:
                    bound = jensen_chance_bound(others, m)
                    assert float(finding.chance_by_role[r]) <= bound + 1e-12, (voters, insider)
                else:
                    assert finding.chance_by_role[r] == 0


def _engine_mixes(max_people: int) -> list[tuple[int, int, int]]:
    """Every mix up to max_people, largest role first (the audit treats roles alike)."""
    return [v for v in mixes(max_people) if v[0] >= v[1] >= v[2] and v[1] > 0]


@pytest.mark.parametrize("m", [2, 3, 4])
def test_the_jensen_bound_holds_on_every_mix_up_to_twelve(m: int) -> None:
    """The sum the large-group rule uses is never below the engine's exact chance, for the
    most telling rung (FULL) and the decision, on every mix of up to 12 people (9 for 4
    options, where the tables grow fast)."""
    limit = {2: 12, 3: 12, 4: 9}[m]
    checked = 0
    for voters in _engine_mixes(limit):
        spaces = [(PollKind.SINGLE, choice_space(voters, m), m)]
        if m == 2:
            spaces.append((PollKind.MULTIPLE, tick_space(voters), 2))
        for kind, space, options in spaces:
            for rung in (Rung.DECISION, Rung.FULL):
                for f in audit(space, publisher(kind, rung)).findings:
                    assert f.chance <= _bound(voters, f.insider, options) + 1e-12, (voters, rung)
                    checked += 1
    assert checked > 100


def test_the_jensen_bound_is_a_real_bound() -> None:
    """Not trivially 1 where the large-group rule relies on it, and 1 with nobody to learn."""
    assert jensen_chance_bound(0, 2) == 1.0
    assert 3 * jensen_chance_bound(19, 2) < float(DEFAULT_BAR.chance_bound)
    assert jensen_chance_bound(7, 5) < 0.01
    assert jensen_chance_bound(1, 2) == 1.0  # one other voter: nothing to average over
    for m in (2, 3, 5):
        values = [jensen_chance_bound(n, m) for n in range(1, 40)]
        assert all(0 <= v <= 1 for v in values)
        assert values[-1] < values[0]
