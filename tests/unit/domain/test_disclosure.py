"""What a poll publishes (bot/domain/disclosure.py): the audited codes, the plan before voting,
the rung at closing, nothing while open, and the same rule for every other count of roles."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Hashable

import numpy as np
import pytest

from bot.domain.disclosure import (
    Plan,
    Publication,
    SmallRoles,
    closing_rung,
    disclose,
    may_tag_role,
    participation_word,
    plan,
)
from bot.domain.disclosure_audit import DEFAULT_BAR
from bot.domain.disclosure_ladder import (
    LADDER,
    PollFacts,
    Rung,
    choose,
    judge,
    publisher,
    rank,
    scale_codes,
)
from bot.domain.outcome_space import choice_space, tick_space
from bot.domain.poll_rules import PollKind
from bot.domain.roles import ROLES, Role
from bot.domain.tally import Tally, TallyInput, tally

from .helpers import CA, ST, SU, from_counts

RUNGS = (Rung.HEAD_COUNT, *LADDER)
ISSUE_GROUP = {SU: 5, CA: 2, ST: 6}  # the issue's group: 5 service users, 2 carers, 6 staff


def _tally(table: np.ndarray, voters: tuple[int, int, int], kind: PollKind) -> Tally:
    """The tally of one count table (m options x 3 roles)."""
    m = table.shape[0]
    chosen = {(ROLES[r], o): int(table[o, r]) for o in range(m) for r in range(3)}
    return tally(TallyInput(m, dict(zip(ROLES, voters, strict=True)), chosen, kind))


def _key(pub: Publication) -> str:
    return repr(pub)


# ------------------------------------------------ the publication says what the audit saw


@pytest.mark.parametrize("rung", RUNGS)
@pytest.mark.parametrize(
    ("kind", "m", "voters"),
    [
        (PollKind.SINGLE, 2, (2, 1, 3)),
        (PollKind.SINGLE, 3, (1, 2, 2)),
        (PollKind.PROPOSAL, 4, (1, 1, 2)),
        (PollKind.SINGLE, 2, (3, 3, 3)),
    ],
)
def test_tallies_with_the_same_audited_codes_publish_the_same(
    kind: PollKind, m: int, voters: tuple[int, int, int], rung: Rung
) -> None:
    """The audit judges the codes; people see disclose(). If two outcomes the audit cannot tell
    apart were published differently, the audit's verdict would not be about what people see."""
    space = choice_space(voters, m)
    codes = publisher(kind, rung)(space)
    seen: dict[tuple[int, ...], set[Hashable]] = defaultdict(set)
    for i in range(space.size):
        pub = disclose(_tally(space.tables[i], voters, kind), rung)
        seen[tuple(int(x) for x in codes[i])].add(_key(pub))
    assert all(len(published) == 1 for published in seen.values())
    # ...and it is not vacuous: different codes do publish differently somewhere.
    assert len({next(iter(p)) for p in seen.values()}) == len(seen)


# The full table is judged on count tables (full_table_passes), not on role sums.
@pytest.mark.parametrize("rung", [r for r in RUNGS if r is not Rung.FULL])
def test_a_scale_publishes_a_function_of_its_audited_codes(rung: Rung) -> None:
    voters = (2, 1, 3)
    space = choice_space(voters, 5)
    seen: dict[int, set[Hashable]] = defaultdict(set)
    for i in range(space.size):
        table = space.tables[i]
        sums = np.array([[sum((o + 1) * int(table[o, r]) for o in range(5)) for r in range(3)]])
        code = int(scale_codes(rung, sums, voters)[0])
        seen[code].add(_key(disclose(_tally(table, voters, PollKind.SCALE), rung)))
    assert all(len(published) == 1 for published in seen.values())


@pytest.mark.parametrize("rung", RUNGS)
def test_a_multiple_choice_option_publishes_a_function_of_its_audited_code(rung: Rung) -> None:
    voters = (1, 2, 3)
    space = tick_space(voters)
    codes = publisher(PollKind.MULTIPLE, rung)(space)
    seen: dict[int, set[Hashable]] = defaultdict(set)
    for i in range(space.size):
        ticked = space.tables[i][:1]  # column 0 is "ticked": a one-option poll
        pub = disclose(_tally(ticked, voters, PollKind.MULTIPLE), rung)
        seen[int(codes[i, 0])].add(_key(pub))
    assert all(len(published) == 1 for published in seen.values())


def test_each_rung_shows_what_its_name_says() -> None:
    t = from_counts({SU: [3, 0], CA: [2, 1], ST: [1, 3]})
    decision = disclose(t, Rung.DECISION)
    assert decision.decision == frozenset({0}) and decision.raw is None
    assert decision.scores is None and not decision.publishes_per_role
    decisions = disclose(t, Rung.DECISIONS)
    assert decisions.raw_leaders == frozenset({0}) and decisions.raw is None
    counted = disclose(t, Rung.DECISION_AND_COUNT)
    assert counted.raw == (6, 4) and counted.scores is None
    rounded = disclose(t, Rung.ROUNDED)
    assert rounded.scores is not None and rounded.scores_rounded
    assert all(s.denominator in (1, 2, 5, 10) for s in rounded.scores)
    full = disclose(t, Rung.FULL)
    assert full.shares and full.participation == {SU: 3, CA: 3, ST: 4}
    head = disclose(t, Rung.HEAD_COUNT)
    assert head.raw == (6, 4) and not head.carries_equal_weight
    # Below the full table nobody's role is counted, not even who voted.
    assert all(not disclose(t, r).participation for r in RUNGS if r is not Rung.FULL)


@pytest.mark.parametrize("rung", RUNGS)
def test_nothing_per_option_or_role_while_a_poll_is_open(rung: Rung) -> None:
    t = from_counts({SU: [1, 0], CA: [0, 3], ST: [3, 1]})
    pub = disclose(t, rung, closed=False)
    assert pub.total_voters == 8
    assert not pub.publishes_figures and not pub.publishes_per_role
    assert not pub.participation and not pub.missing_roles and not pub.voting_roles


def test_an_open_poll_looks_the_same_whoever_voted_but_for_the_total() -> None:
    """Differencing two views of an open poll gives the number of voters, nothing else."""
    before = disclose(from_counts({SU: [0, 0], CA: [2, 1], ST: [3, 1]}), Rung.FULL, closed=False)
    for after_counts in (
        {SU: [1, 0], CA: [2, 1], ST: [3, 1]},
        {SU: [0, 0], CA: [2, 1], ST: [3, 2]},
    ):
        after = disclose(from_counts(after_counts), Rung.FULL, closed=False)
        assert after.total_voters == before.total_voters + 1
        assert _key(after).replace("total_voters=8", "") == _key(before).replace(
            "total_voters=7", ""
        )


# -------------------------------------------------------------------- before voting


@pytest.mark.parametrize(
    ("kind", "m"),
    [(PollKind.SINGLE, 2), (PollKind.SINGLE, 3), (PollKind.PROPOSAL, 4), (PollKind.MULTIPLE, 3)],
)
def test_the_issue_group_keeps_its_equal_say_with_notice_of_exactly_what_is_exposed(
    kind: PollKind, m: int
) -> None:
    """Done when: in 5 / 2 / 6 every poll ends with an equal-weight decision, and the audit over
    every outcome finds no certainty (or likely guess) for any insider about a role the voters
    were not told about before voting."""
    found = plan(kind, m, ISSUE_GROUP, small_roles=SmallRoles.NOTICE)
    assert found.rung is Rung.DECISION and found.needs_choice
    assert CA in found.notice_roles
    report = judge(PollFacts(kind, m, (5, 2, 6)), Rung.DECISION).report
    assert report is not None
    exposed = {ROLES[i] for i in report.exposed_roles(DEFAULT_BAR)}
    assert exposed <= found.notice_roles
    # Protecting instead is a knowing choice: a head count.
    protected = plan(kind, m, ISSUE_GROUP, small_roles=SmallRoles.PROTECT)
    assert protected.rung is Rung.HEAD_COUNT and not protected.notice_roles


def test_the_issue_group_scale_passes_without_notice() -> None:
    found = plan(PollKind.SCALE, 5, ISSUE_GROUP, small_roles=SmallRoles.PROTECT)
    assert found.rung is Rung.DECISION and not found.needs_choice and not found.notice_roles


def test_equal_roles_get_figures_without_notice() -> None:
    found = plan(PollKind.SINGLE, 3, {SU: 3, CA: 3, ST: 3}, small_roles=SmallRoles.NOTICE)
    assert found == Plan(Rung.ROUNDED, needs_choice=False)


def test_the_plan_is_the_highest_rung_whose_audit_passes() -> None:
    for counts in ({SU: 3, CA: 3, ST: 5}, {SU: 4, CA: 4, ST: 4}, {SU: 10, CA: 5, ST: 5}):
        found = plan(PollKind.SINGLE, 3, counts, small_roles=SmallRoles.NOTICE)
        choice = choose(PollFacts(PollKind.SINGLE, 3, tuple(counts[r] for r in ROLES)))  # type: ignore[arg-type]
        assert found.rung is choice.rung
        above = LADDER[rank(found.rung) + 1]
        facts = PollFacts(PollKind.SINGLE, 3, tuple(counts[r] for r in ROLES))  # type: ignore[arg-type]
        assert not judge(facts, above).passes


# -------------------------------------------------------------------------- at closing


def test_closing_never_goes_above_what_was_posted() -> None:
    for voters in ({SU: 3, CA: 3, ST: 3}, {SU: 6, CA: 6, ST: 6}):
        for posted in RUNGS:
            rung = closing_rung(
                PollKind.SINGLE, 2, voters, posted=posted, small_roles=SmallRoles.NOTICE
            )
            assert rank(rung) <= rank(posted)


def test_fewer_voters_lower_the_rung_and_the_posted_choice_decides_below_the_decision() -> None:
    few = {SU: 1, CA: 3, ST: 3}  # one service user voted
    assert not judge(PollFacts(PollKind.SINGLE, 2, (1, 3, 3)), Rung.DECISION).passes
    notice = closing_rung(
        PollKind.SINGLE, 2, few, posted=Rung.ROUNDED, small_roles=SmallRoles.NOTICE
    )
    protect = closing_rung(
        PollKind.SINGLE, 2, few, posted=Rung.ROUNDED, small_roles=SmallRoles.PROTECT
    )
    assert notice is Rung.DECISION  # the message said so before voting
    assert protect is Rung.HEAD_COUNT
    # A poll posted protected stays protected, however many vote.
    assert (
        closing_rung(
            PollKind.SINGLE, 2, {SU: 9, CA: 9, ST: 9}, posted=Rung.HEAD_COUNT, small_roles=None
        )
        is Rung.HEAD_COUNT
    )


def test_a_poll_from_before_rungs_is_judged_on_its_voters_alone() -> None:
    equal = closing_rung(PollKind.SINGLE, 2, {SU: 3, CA: 3, ST: 3}, posted=None, small_roles=None)
    assert equal is Rung.ROUNDED
    lone = closing_rung(PollKind.SINGLE, 2, {SU: 1, CA: 3, ST: 3}, posted=None, small_roles=None)
    assert lone is Rung.HEAD_COUNT  # it never told anyone the equal say would be kept


@pytest.mark.parametrize("kind", [PollKind.SINGLE, PollKind.PROPOSAL])
def test_every_turnout_of_the_issue_group_ends_with_an_equal_weight_decision(
    kind: PollKind,
) -> None:
    m = 4 if kind is PollKind.PROPOSAL else 3
    found = plan(kind, m, ISSUE_GROUP, small_roles=SmallRoles.NOTICE)
    for su, ca, st in itertools.product(range(6), range(3), range(7)):
        if su + ca + st == 0:
            continue
        rung = closing_rung(
            kind, m, {SU: su, CA: ca, ST: st}, posted=found.rung, small_roles=SmallRoles.NOTICE
        )
        assert rung.carries_equal_weight, (su, ca, st)


# ----------------------------------------------- the same rule wherever roles are counted


def test_a_feedback_role_tag_needs_a_role_of_min_cell() -> None:
    assert not may_tag_role(CA, {CA: 2}, 3)
    assert may_tag_role(CA, {CA: 3}, 3)
    assert not may_tag_role(None, {CA: 9}, 3)


def test_facilitators_hear_none_or_some_never_a_count() -> None:
    assert participation_word(0) == "none yet"
    assert {participation_word(n) for n in range(1, 30)} == {"some"}


def test_a_role_alone_carries_no_figures_that_name_anyone() -> None:
    """One voting role: equal weight is the head count, every rung passes."""
    found = plan(PollKind.SINGLE, 2, {Role.STAFF: 2}, small_roles=SmallRoles.NOTICE)
    assert found.rung is Rung.FULL


# ------------------------------------------------------------ several polls in one group


def _publication_of(votes: tuple[int, ...], people: tuple[Role, ...], rung: Rung) -> str:
    counts = {role: [0, 0] for role in ROLES}
    for role, vote in zip(people, votes, strict=True):
        counts[role][vote] += 1
    return _key(disclose(from_counts(counts), rung))


@pytest.mark.parametrize("rung", [Rung.DECISION, Rung.DECISION_AND_COUNT, Rung.HEAD_COUNT])
def test_combining_two_polls_tells_an_insider_nothing_more_about_either(rung: Rung) -> None:
    """Person by person, every joint outcome of two polls of the same people: what an insider
    (person 0, knowing their own two votes) believes about person 1's vote in the first poll is
    the same whether they look at the first result alone or at both. The audit's even odds make
    ballots of different polls independent; people whose votes are correlated across polls
    are outside it (docs/PRIVACY.md)."""
    people = (SU, CA, ST, ST, CA)
    n = len(people)
    outcomes = list(itertools.product(itertools.product((0, 1), repeat=n), repeat=2))
    alone: dict[tuple[object, ...], list[int]] = defaultdict(lambda: [0, 0])
    both: dict[tuple[object, ...], list[int]] = defaultdict(lambda: [0, 0])
    for first, second in outcomes:
        pub1 = _publication_of(first, people, rung)
        pub2 = _publication_of(second, people, rung)
        alone[(first[0], second[0], pub1)][first[1]] += 1
        both[(first[0], second[0], pub1, pub2)][first[1]] += 1
    for (own1, own2, seen_first, _seen_second), counts in both.items():
        base = alone[(own1, own2, seen_first)]
        assert counts[1] * sum(base) == base[1] * sum(counts)  # the same posterior, exactly
