"""A brute-force oracle for the disclosure audit: labelled people, every ballot, exact fractions.

It uses none of the engine's shortcuts (count tables, option symmetry, swapping equal-sized
roles, "only options that stand out"): every voter is a person with a role, every assignment of
ballots to people is one equally likely outcome, and a publication is computed by the *scalar*
rules of bot.domain.disclosure_ladder (close_set, support_class, scale_band, ten_points, tenths)
on that outcome's labelled figures. For each insider (the first voter of a role, or the first
two voters of one or two roles) and each other person (a target), the posterior that the target's
ballot has some property ("chose option 2", "ticked it", "answered 4") is counted exactly.

The findings follow the docstring of bot.domain.disclosure_audit word for word:
- certain: some observation pins a target's property (posterior 1) while some outcome behind
  that observation has not every other voter sharing the property (the head count's exemption);
- worst: the highest posterior, over observations where not every other voter shares it;
- chance: the share of outcomes in which some target's posterior exceeds the bound while the
  head count's posterior (the same computation with the head count as the publication) does not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from typing import Any

from bot.domain.disclosure_ladder import (
    Rung,
    close_set,
    scale_band,
    support_class,
    ten_points,
    tenths,
)

Insider = tuple[int, ...]
Outcome = tuple[Any, ...]
Atoms = Callable[[Any], Sequence[Hashable]]
Publication = Callable[[Outcome], Hashable]


@dataclass(frozen=True)
class Finding:
    certain_about: frozenset[int]
    worst: Fraction
    chance: Fraction
    risky: frozenset[int]
    # The chance that some target *of this role* is exposed beyond the bound (per target role).
    chance_by_role: tuple[Fraction, Fraction, Fraction]

    @property
    def certain(self) -> bool:
        return bool(self.certain_about)


def roles_of(voters: Sequence[int]) -> tuple[int, ...]:
    """One role per person, people numbered role by role."""
    return tuple(r for r in range(3) for _ in range(voters[r]))


def insider_kinds(voters: Sequence[int]) -> list[Insider]:
    """Every insider with somebody left to learn about: one voter, or two."""
    total = sum(voters)
    out: list[Insider] = []
    for a in range(3):
        if voters[a] >= 1 and total >= 2:
            out.append((a,))
    for a in range(3):
        for b in range(a, 3):
            need = Counter((a, b))
            if all(voters[r] >= k for r, k in need.items()) and total >= 3:
                out.append((a, b))
    return out


def _people(roles: Sequence[int], insider: Insider) -> tuple[int, ...]:
    chosen: list[int] = []
    for role in insider:
        chosen.append(next(i for i, r in enumerate(roles) if r == role and i not in chosen))
    return tuple(chosen)


def brute_audit(
    voters: Sequence[int],
    ballots: Sequence[Any],
    atoms: Atoms,
    publish: Publication,
    head: Publication,
    theta: Fraction = Fraction(9, 10),
) -> dict[Insider, Finding]:
    roles = roles_of(voters)
    outcomes = list(product(ballots, repeat=len(roles)))
    published = [publish(o) for o in outcomes]
    counted = [head(o) for o in outcomes]
    return {
        insider: _finding(
            roles, outcomes, published, counted, _people(roles, insider), atoms, theta
        )
        for insider in insider_kinds(voters)
    }


def _groups(
    outcomes: list[Outcome], seen: list[Hashable], people: tuple[int, ...]
) -> tuple[list[int], list[list[int]]]:
    """Outcomes grouped by what the insiders observe: the publication and their own ballots."""
    index: dict[Hashable, int] = {}
    of: list[int] = []
    groups: list[list[int]] = []
    for i, outcome in enumerate(outcomes):
        key = (seen[i], tuple(outcome[p] for p in people))
        g = index.setdefault(key, len(groups))
        if g == len(groups):
            groups.append([])
        groups[g].append(i)
        of.append(g)
    return of, groups


def _posteriors(
    outcomes: list[Outcome], group: list[int], others: list[int], atoms: Atoms
) -> dict[tuple[int, Hashable], Fraction]:
    counts: Counter[tuple[int, Hashable]] = Counter()
    for i in group:
        for t in others:
            for atom in atoms(outcomes[i][t]):
                counts[(t, atom)] += 1
    return {key: Fraction(c, len(group)) for key, c in counts.items()}


def _finding(
    roles: tuple[int, ...],
    outcomes: list[Outcome],
    published: list[Hashable],
    counted: list[Hashable],
    people: tuple[int, ...],
    atoms: Atoms,
    theta: Fraction,
) -> Finding:
    others = [p for p in range(len(roles)) if p not in people]
    of, groups = _groups(outcomes, published, people)
    head_of, head_groups = _groups(outcomes, counted, people)
    post = [_posteriors(outcomes, g, others, atoms) for g in groups]
    head_post = [_posteriors(outcomes, g, others, atoms) for g in head_groups]

    def everyone(i: int) -> set[Hashable]:
        """The properties every other voter's ballot shares in outcome i."""
        shared = set(atoms(outcomes[i][others[0]]))
        for t in others[1:]:
            shared &= set(atoms(outcomes[i][t]))
        return shared

    certain: set[int] = set()
    worst = Fraction(0)
    for g, group in enumerate(groups):
        # A property is exempt in this observation when every outcome behind it has every
        # other voter sharing it: then the head count says it too.
        exempt = set.intersection(*(everyone(i) for i in group))
        for (t, atom), p in post[g].items():
            if atom in exempt:
                continue
            worst = max(worst, p)
            if p == 1:
                certain.add(roles[t])
    hits = 0
    by_role = [0, 0, 0]
    for i in range(len(outcomes)):
        exposed = {
            roles[t]
            for (t, atom), p in post[of[i]].items()
            if p > theta and head_post[head_of[i]].get((t, atom), Fraction(0)) <= theta
        }
        hits += bool(exposed)
        for r in exposed:
            by_role[r] += 1
    n = len(outcomes)
    return Finding(
        certain_about=frozenset(certain),
        worst=worst,
        chance=Fraction(hits, n),
        risky=frozenset(r for r in range(3) if by_role[r]),
        chance_by_role=(Fraction(by_role[0], n), Fraction(by_role[1], n), Fraction(by_role[2], n)),
    )


# ------------------------------------------------------------- publications, by the scalar rules


def _voting(voters: Sequence[int]) -> list[int]:
    return [r for r in range(3) if voters[r] > 0]


def _mean(shares: list[Fraction]) -> Fraction:
    """The equal-weight figure: each voting role's share, averaged over the voting roles."""
    return sum(shares, Fraction(0)) / len(shares)


def _role_counts(outcome: Outcome, roles: tuple[int, ...], m: int) -> list[list[int]]:
    """counts[o][r]: how many people of role r chose option o."""
    counts = [[0, 0, 0] for _ in range(m)]
    for person, option in enumerate(outcome):
        counts[option][roles[person]] += 1
    return counts


def choice_publication(voters: Sequence[int], m: int, rung: Rung) -> Publication:
    """What a single-answer poll (or a proposal) shows at `rung`, for labelled options."""
    roles = roles_of(voters)
    voting = _voting(voters)

    def publish(outcome: Outcome) -> Hashable:
        counts = _role_counts(outcome, roles, m)
        raw = tuple(sum(c) for c in counts)
        if rung is Rung.HEAD_COUNT:
            return raw
        if rung is Rung.FULL:
            return tuple(tuple(c) for c in counts)
        scores = [_mean([Fraction(c[r], voters[r]) for r in voting]) for c in counts]
        decision = close_set(scores)
        if rung is Rung.DECISION:
            return decision
        if rung is Rung.DECISIONS:
            return decision, frozenset(o for o in range(m) if raw[o] == max(raw))
        if rung is Rung.DECISION_AND_COUNT:
            return decision, raw
        return decision, raw, tuple(ten_points(s) for s in scores)  # ROUNDED

    return publish


def tick_publication(voters: Sequence[int], rung: Rung) -> Callable[[Sequence[int]], Hashable]:
    """What a multiple-choice poll shows about one option, from its ticks (1) in person order."""
    roles = roles_of(voters)
    voting = _voting(voters)
    total = sum(voters)

    def publish(ticks: Sequence[int]) -> Hashable:
        per_role = [0, 0, 0]
        for person, ticked in enumerate(ticks):
            per_role[roles[person]] += ticked
        raw = sum(per_role)
        if rung is Rung.HEAD_COUNT:
            return raw
        if rung is Rung.FULL:
            return tuple(per_role)
        score = _mean([Fraction(per_role[r], voters[r]) for r in voting])
        support = support_class(score)
        if rung is Rung.DECISION:
            return support
        if rung is Rung.DECISIONS:
            return support, (2 * raw > total) - (2 * raw < total)
        if rung is Rung.DECISION_AND_COUNT:
            return support, raw
        return support, raw, ten_points(score)  # ROUNDED

    return publish


def scale_publication(voters: Sequence[int], rung: Rung) -> Publication:
    """What a 1-5 scale shows at `rung` (below FULL: averages), from answers in person order."""
    roles = roles_of(voters)
    voting = _voting(voters)
    total = sum(voters)

    def publish(answers: Outcome) -> Hashable:
        sums = [0, 0, 0]
        for person, answer in enumerate(answers):
            sums[roles[person]] += answer
        raw = Fraction(sum(sums), total)
        if rung is Rung.HEAD_COUNT:
            return raw
        if rung is Rung.FULL:
            return tuple(sums)
        average = _mean([Fraction(sums[r], voters[r]) for r in voting])
        band = scale_band(average)
        if rung is Rung.DECISION:
            return band
        if rung is Rung.DECISIONS:
            return band, scale_band(raw)
        if rung is Rung.DECISION_AND_COUNT:
            return band, scale_band(raw), tenths(raw)
        return band, scale_band(raw), tenths(raw), tenths(average)  # ROUNDED

    return publish


# ------------------------------------------------------------------------------ ready-made audits


def brute_choice(voters: Sequence[int], m: int, rung: Rung) -> dict[Insider, Finding]:
    return brute_audit(
        voters,
        range(m),
        lambda option: (option,),
        choice_publication(voters, m, rung),
        choice_publication(voters, m, Rung.HEAD_COUNT),
    )


def brute_tick(voters: Sequence[int], rung: Rung) -> dict[Insider, Finding]:
    """One option of a multiple-choice poll; the property is the audit's column: 0 ticked, 1 not."""
    return brute_audit(
        voters,
        (1, 0),
        lambda ticked: (0 if ticked else 1,),
        tick_publication(voters, rung),
        tick_publication(voters, Rung.HEAD_COUNT),
    )


def brute_multiple(voters: Sequence[int], m: int, rung: Rung) -> dict[Insider, Finding]:
    """A whole multiple-choice poll: each person ticks any set of the m options."""
    one = tick_publication(voters, rung)
    count = tick_publication(voters, Rung.HEAD_COUNT)

    def columns(outcome: Outcome) -> list[tuple[int, ...]]:
        return [tuple(ballot[o] for ballot in outcome) for o in range(m)]

    return brute_audit(
        voters,
        list(product((0, 1), repeat=m)),
        lambda ballot: tuple((o, ticked) for o, ticked in enumerate(ballot)),
        lambda outcome: tuple(one(c) for c in columns(outcome)),
        lambda outcome: tuple(count(c) for c in columns(outcome)),
    )


def brute_scale(voters: Sequence[int], rung: Rung) -> dict[Insider, Finding]:
    return brute_audit(
        voters,
        range(1, 6),
        lambda answer: (answer,),
        scale_publication(voters, rung),
        scale_publication(voters, Rung.HEAD_COUNT),
    )


def passes(findings: dict[Insider, Finding], chance_bound: Fraction = Fraction(1, 20)) -> bool:
    return all(not f.certain and f.chance <= chance_bound for f in findings.values())


def mixes(max_people: int, min_people: int = 2) -> list[tuple[int, int, int]]:
    """Every labelled role mix (roles in order, empty roles allowed) of a size in range."""
    return [
        (a, b, c)
        for a in range(max_people + 1)
        for b in range(max_people + 1 - a)
        for c in range(max_people + 1 - a - b)
        if min_people <= a + b + c
    ]
