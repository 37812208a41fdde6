"""The disclosure ladder on generated role mixes and generated tallies.

- choose() is monotone: every rung up to the chosen one passes an audit made here (not through
  judge()), the rung above it fails, and a poll with notice is one whose decision fails. The
  choice does not depend on which role is which (the bench lists each mix once, largest role
  first; here the roles come in any order).
- The vectorized codes say what the scalar rules say, on random tallies of groups of up to 60
  with up to 10 options (the unit tests go through every table of small groups).
"""

from __future__ import annotations

from itertools import permutations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.disclosure_ladder import LADDER, PollFacts, Rung, choose, rank
from bot.domain.outcome_space import OutcomeSpace
from bot.domain.poll_rules import PollKind
from tests.unit.domain.test_disclosure_ladder import (
    RUNGS,
    check_choice_codes,
    check_rule,
    check_scale_codes,
    check_tick_codes,
    independent_passes,
)

CI = settings.get_profile("ci")

# The largest group generated per shape: the exact audit of four options grows fast.
SHAPES = {
    (PollKind.SINGLE, 2): 20,
    (PollKind.SINGLE, 3): 14,
    (PollKind.SINGLE, 4): 10,
    (PollKind.PROPOSAL, 4): 9,
    (PollKind.MULTIPLE, 2): 20,
    (PollKind.MULTIPLE, 3): 20,
    (PollKind.MULTIPLE, 4): 20,
    (PollKind.SCALE, 5): 10,
}


@st.composite
def poll_facts(draw: st.DrawFn) -> PollFacts:
    kind, m = draw(st.sampled_from(sorted(SHAPES, key=str)))
    most = SHAPES[(kind, m)]
    a = draw(st.integers(0, min(most, 12)))
    b = draw(st.integers(0, min(most - a, 12)))
    c = draw(st.integers(0, min(most - a - b, 12)))
    return PollFacts(kind, m, (a, b, c))


@settings(CI, max_examples=250)
@given(poll_facts())
def test_choose_is_monotone_and_the_rung_above_fails(facts: PollFacts) -> None:
    check_rule(facts, independent_passes)
    chosen = choose(facts)
    if chosen.rung is None:
        assert not independent_passes(facts, Rung.DECISION)
    else:
        for rung in LADDER[: rank(chosen.rung)]:
            assert independent_passes(facts, rung)


@settings(CI, max_examples=150)
@given(poll_facts())
def test_which_role_is_which_does_not_change_the_rung(facts: PollFacts) -> None:
    rung = choose(facts).rung
    for a, b, c in set(permutations(facts.voters)):
        assert choose(PollFacts(facts.kind, facts.n_options, (a, b, c))).rung == rung


@st.composite
def random_tallies(draw: st.DrawFn) -> tuple[OutcomeSpace, np.ndarray]:
    """A batch of random count tables of one poll shape (a group of up to 60, 2 to 10
    options), as an outcome space (chances play no part in the codes), and as many random
    role sums of a scale."""
    voters = (draw(st.integers(0, 20)), draw(st.integers(1, 20)), draw(st.integers(1, 20)))
    m = draw(st.integers(2, 10))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    k = 40
    tables = np.zeros((k, m, 3), dtype=np.int64)
    for r in range(3):
        # Lumpy splits too (a few options take most voters), where leads and ties happen.
        weights = rng.dirichlet(np.full(m, draw(st.sampled_from([0.2, 1.0, 5.0]))), size=k)
        for i in range(k):
            tables[i, :, r] = rng.multinomial(voters[r], weights[i])
    lows = np.array(voters, dtype=np.int64)
    sums = rng.integers(lows, 5 * lows + 1, size=(k, 3))
    return OutcomeSpace(voters, m, tables, np.full(k, 1 / k), True), sums


@settings(CI, max_examples=150)
@given(random_tallies())
def test_codes_match_the_scalar_rules_on_random_tallies(
    tallies: tuple[OutcomeSpace, np.ndarray],
) -> None:
    space, sums = tallies
    ticks = OutcomeSpace(
        space.voters,
        2,
        np.stack([space.tables[:, 0, :], space.voters - space.tables[:, 0, :]], axis=1),
        space.chances,
        False,
    )
    for rung in RUNGS:
        check_choice_codes(space, rung)
        check_tick_codes(ticks, rung)
        check_scale_codes(sums, space.voters, rung)
