"""The exact disclosure audit: what an insider can learn from what a poll publishes.

The question (DESIGN section 3, promise 4)
-------------------------------------------
A poll publishes some function ``P`` of its count table (:mod:`bot.domain.outcome_space`): a
head count, an equal-weight decision, rounded scores... The group knows the public facts (the
kind of poll, the number of options, how many voters each role has) and sees ``P``. Could
someone in the group work out how another person voted?

**Who attacks.** An *insider*: one voter, who knows their own role and ballot, or two voters who
pool theirs (a *pair*). We assume, to be safe, that the insider also knows how many voters each
role has and which role the person they are curious about (the *target*) holds: roles are often
known socially, and promising more than "your vote stays yours" would be dishonest.

**What they know before.** Equal prior odds for everyone else's choices: every other voter picks
each option with the same chance (for a multiple-choice option: ticks it or not, evenly),
independently.

**What they learn.** After seeing ``y = P(table)``, the insider's *posterior* that the target
chose option ``o`` is, because voters of one role are interchangeable to them,

    post(o) = E[ c'_r(o) | y, own ballots ] / n'_r

where ``c'_r(o)`` counts the *other* voters of the target's role ``r`` (not the insiders) who chose
``o`` and ``n'_r`` is their number. We compute it exactly, by summing over every count table.

**The baseline: a head count.** Any result that says how many chose each option lets an insider
subtract their own ballot: if everyone else chose A, the head count says so. Certainty that
follows from that alone is accepted ("any count says it"; DESIGN). Every finding below is
measured *against the head count*: an event counts only if the head count would not have
given the same.

The findings, per insider (one voter of each role; each pair of roles)
-----------------------------------------------------------------------
- ``certain``: some published value makes the insider certain (posterior exactly 1) of a
  target's choice in an outcome where the head count would not (not everyone else chose it).
- ``worst``: the highest posterior over all outcomes, leaving out outcomes where everyone else
  chose the same (there the head count already says it).
- ``chance``: the probability, over outcomes, that the insider's posterior about some target
  exceeds the bar's ``posterior_bound`` while the head count's posterior about the same target
  and option does not.

A publication *passes* the bar when no insider is ever ``certain`` and every insider's
``chance`` is at most the bar's ``chance_bound`` (:class:`Bar`).

Why only some options need looking at
-------------------------------------
Where two options look alike in what is published (same published figures, same relation to
the insiders' own ballots), they are interchangeable to the insider, and the target's posterior
for each is at most 1/2. Only options that stand out alone (a clear leader, the option an
insider chose, an option with a unique head count) can carry a posterior above 1/2, and the
bar's bound is above 1/2, so only those are computed.

Large groups
------------
See :func:`jensen_chance_bound`: a bound, valid for *every* publication, on the chance that an
insider's posterior about a member of a large role exceeds the bound. Where it clears the bar
for every role, the audit only needs the certainty part, which :mod:`bot.domain.disclosure_ladder`
establishes for its large-group rule by construction; the tests check the bound against the
exact figures wherever both can be computed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from math import comb

import numpy as np
import numpy.typing as npt

from bot.domain.outcome_space import FloatArray, IntArray, OutcomeSpace

# Per-option codes of a publication: (K, m) integers; two options with the same code show the
# same published figures. The whole publication is a function of the codes (and, for symmetric
# spaces, of their multiset), so equal codes mean "the group cannot tell these apart".
Publisher = Callable[[OutcomeSpace], IntArray]

Insider = tuple[int, ...]  # role indexes of the insiders: (a,) or (a, b) with a <= b

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Bar:
    """What a publication must keep: nobody certain, and a posterior above `posterior_bound`
    at most `chance_bound` of the time (beyond what a head count gives)."""

    posterior_bound: Fraction = Fraction(9, 10)
    chance_bound: Fraction = Fraction(1, 20)


DEFAULT_BAR = Bar()


@dataclass(frozen=True)
class InsiderFinding:
    insider: Insider
    certain: bool
    certain_about: frozenset[int]  # target roles an insider can become certain of
    worst: float
    chance: float
    risky_targets: frozenset[int] = frozenset()  # target roles behind the chance


@dataclass(frozen=True)
class AuditReport:
    findings: tuple[InsiderFinding, ...] = field(default_factory=tuple)

    @property
    def certain(self) -> bool:
        return any(f.certain for f in self.findings)

    @property
    def worst(self) -> float:
        return max((f.worst for f in self.findings), default=0.0)

    @property
    def chance(self) -> float:
        return max((f.chance for f in self.findings), default=0.0)

    def passes(self, bar: Bar) -> bool:
        return not self.certain and self.chance <= float(bar.chance_bound) + 1e-12

    def exposed_roles(self, bar: Bar) -> frozenset[int]:
        """Roles whose members an insider could learn about beyond the bar."""
        out: set[int] = set()
        for f in self.findings:
            out |= f.certain_about
            if f.chance > float(bar.chance_bound) + 1e-12:
                out |= f.risky_targets
        return frozenset(out)


def insiders(voters: Sequence[int]) -> list[Insider]:
    """Every kind of insider a poll with these voters has: each role alone, each pair."""
    out: list[Insider] = [(a,) for a in range(3) if voters[a] >= 1]
    for a in range(3):
        for b in range(a, 3):
            if (a == b and voters[a] >= 2) or (a != b and voters[a] >= 1 and voters[b] >= 1):
                out.append((a, b))
    return out


def audit(space: OutcomeSpace, publish: Publisher, bar: Bar = DEFAULT_BAR) -> AuditReport:
    """Every insider's findings for one publication over one outcome space.

    Roles of equal size are interchangeable (every publication treats roles alike), so an
    insider of one is audited once and the finding is carried over to the other.
    """
    codes = publish(space)
    return audit_each(space.voters, lambda insider: _insider_finding(space, codes, insider, bar))


def audit_each(voters: Sequence[int], find: Callable[[Insider], InsiderFinding]) -> AuditReport:
    """Run `find` for every kind of insider, once per kind up to swapping equal-sized roles."""
    total = sum(voters)
    done: dict[Insider, InsiderFinding] = {}
    for insider in insiders(voters):
        if total - len(insider) <= 0:
            continue
        done[insider] = _twin(voters, insider, done) or find(insider)
    return AuditReport(tuple(done.values()))


def _twin(
    voters: Sequence[int], insider: Insider, done: dict[Insider, InsiderFinding]
) -> InsiderFinding | None:
    """A finding already made for an insider that a swap of two equal-sized roles maps here."""
    for a in range(3):
        for b in range(a + 1, 3):
            if voters[a] != voters[b]:
                continue
            swap = {a: b, b: a}
            image = tuple(sorted(swap.get(r, r) for r in insider))
            found = done.get(image)
            if found is not None and image != insider:
                return InsiderFinding(
                    insider=insider,
                    certain=found.certain,
                    certain_about=frozenset(swap.get(r, r) for r in found.certain_about),
                    worst=found.worst,
                    chance=found.chance,
                    risky_targets=frozenset(swap.get(r, r) for r in found.risky_targets),
                )
    return None


# ------------------------------------------------------------------------------ the engine


@dataclass(frozen=True)
class _Rows:
    """One row per (table, insiders' ballots): the insiders' view of one outcome."""

    table: IntArray  # (R,) index into space.tables
    marks: IntArray  # (R, k) the option each insider chose
    weight: FloatArray  # (R,) chance of the table and those ballots


def _rows(space: OutcomeSpace, insider: Insider) -> _Rows:
    t = space.tables
    n = space.voters
    m = space.n_options
    k_tables = t.shape[0]
    if len(insider) == 1:
        (a,) = insider
        idx, opt = np.nonzero(t[:, :, a] > 0)
        w = space.chances[idx] * t[idx, opt, a] / n[a]
        return _Rows(idx, opt.reshape(-1, 1), w)
    a, b = insider
    same = 1 if a == b else 0
    tk = np.repeat(np.arange(k_tables), m * m)
    j1 = np.tile(np.repeat(np.arange(m), m), k_tables)
    j2 = np.tile(np.arange(m), k_tables * m)
    first = t[tk, j1, a]
    second = t[tk, j2, b] - (same * (j1 == j2))
    w = space.chances[tk] * first / n[a] * np.clip(second, 0, None) / (n[b] - same)
    keep = (first > 0) & (second > 0)
    return _Rows(tk[keep], np.stack([j1[keep], j2[keep]], axis=1), w[keep])


def _group_ids(matrix: IntArray) -> tuple[IntArray, int]:
    """A dense id per distinct row of an integer matrix."""
    if matrix.shape[0] == 0:
        return np.zeros(0, dtype=np.int64), 0
    contiguous = np.ascontiguousarray(matrix, dtype=np.int64)
    view = contiguous.view(np.dtype((np.void, contiguous.dtype.itemsize * contiguous.shape[1])))
    _, inverse = np.unique(view.ravel(), return_inverse=True)
    inverse = inverse.ravel().astype(np.int64)
    return inverse, int(inverse.max()) + 1


def _insider_finding(
    space: OutcomeSpace, codes: IntArray, insider: Insider, bar: Bar
) -> InsiderFinding:
    n = space.voters
    m = space.n_options
    k = len(insider)
    rows = _rows(space, insider)
    r_count = rows.table.shape[0]
    tables = space.tables[rows.table]  # (R, m, 3)
    row_codes = codes[rows.table]  # (R, m)

    # How many insiders of each role chose each option: (R, m, 3).
    marked = np.zeros((r_count, m, 3), dtype=np.int64)
    pattern = np.zeros((r_count, m), dtype=np.int64)  # which insiders chose each option (bits)
    for i, role in enumerate(insider):
        np.add.at(marked, (np.arange(r_count), rows.marks[:, i], np.full(r_count, role)), 1)
        np.add.at(pattern, (np.arange(r_count), rows.marks[:, i]), 1 << i)
    others = tables - marked  # (R, m, 3)
    others_n = np.array([n[r] - insider.count(r) for r in range(3)], dtype=np.int64)
    others_total = int(others_n.sum())
    others_raw = others.sum(axis=2)  # (R, m)

    # What the insiders see: the publication plus their own ballots.
    if space.symmetric:
        seen = [np.sort(row_codes, axis=1)]
        seen += [row_codes[np.arange(r_count), rows.marks[:, i]][:, None] for i in range(k)]
        if k == 2:
            seen.append((rows.marks[:, 0] == rows.marks[:, 1]).astype(np.int64)[:, None])
        key, _ = _group_ids(np.concatenate(seen, axis=1))
        # An option's class: its code and which insiders chose it.
        cls = row_codes * (1 << k) + pattern
        alone = (cls[:, :, None] == cls[:, None, :]).sum(axis=2) == 1
    else:
        key, _ = _group_ids(np.concatenate([row_codes, rows.marks], axis=1))
        cls = np.broadcast_to(np.arange(m), (r_count, m))
        alone = np.ones((r_count, m), dtype=bool)

    flat_row, flat_opt = np.nonzero(alone)
    flat_key = key[flat_row]
    flat_cls = cls[flat_row, flat_opt]
    cell, n_cells = _group_ids(np.stack([flat_key, flat_cls], axis=1))
    flat_w = rows.weight[flat_row]
    cell_w = np.bincount(cell, weights=flat_w, minlength=n_cells)
    not_everyone = np.bincount(
        cell, weights=(others_raw[flat_row, flat_opt] != others_total), minlength=n_cells
    )

    head = others_raw[flat_row, flat_opt] / others_total  # the head count's posterior
    theta = float(bar.posterior_bound)
    row_hit = np.zeros(r_count, dtype=bool)
    certain_about: set[int] = set()
    risky: set[int] = set()
    worst = 0.0
    certain = False
    for r in range(3):
        if others_n[r] == 0:
            continue
        c = others[flat_row, flat_opt, r]
        post = np.bincount(cell, weights=flat_w * c, minlength=n_cells) / (cell_w * others_n[r])
        short = np.bincount(cell, weights=(c != others_n[r]), minlength=n_cells)
        sure = (short == 0) & (not_everyone > 0)
        if sure.any():
            certain = True
            certain_about.add(r)
        beyond_head = not_everyone > 0
        if beyond_head.any():
            worst = max(worst, float(post[beyond_head].max()))
        hit = (post[cell] > theta + 1e-12) & (head <= theta + 1e-12)
        if hit.any():
            risky.add(r)
            row_hit[flat_row[hit]] = True
    chance = float(rows.weight[row_hit].sum() / rows.weight.sum())
    return InsiderFinding(
        insider=insider,
        certain=certain,
        certain_about=frozenset(certain_about),
        worst=min(worst, 1.0),
        chance=chance,
        risky_targets=frozenset(risky),
    )


# ---------------------------------------------------------------- the large-group bound


def jensen_chance_bound(others: int, m: int, bar: Bar = DEFAULT_BAR) -> float:
    """An upper bound, valid for every publication, on the chance that an insider's posterior
    that a given member of a role (with `others` other members besides the insiders) chose some
    option exceeds the bar's bound, in a poll with `m` options.

    Proof. Let ``s = c'_r(o) / n'`` be the share of the target's role (insiders left out) who
    chose option ``o``; the posterior that the target chose ``o`` after seeing ``y`` is
    ``E[s | y]`` (interchangeable voters). For any ``t`` with ``1/2 <= t < theta`` the function
    ``x -> (x - t)+`` is convex and non-negative, so by Jensen's inequality for conditional
    expectations ``(E[s|y] - t)+ <= E[(s - t)+ | y]``, and taking expectations,
    ``E[(E[s|y] - t)+] <= E[(s - t)+]``, whatever ``y`` is. Markov's inequality then gives
    ``P(E[s|y] > theta) <= E[(s - t)+] / (theta - t)``. Because shares over the options sum to
    one, at most one option can have a posterior above ``t >= 1/2``, so the events for the
    ``m`` options are disjoint and the chance for *some* option is at most ``m`` times the
    bound for one. ``n' s`` is Binomial(n', 1/m) under equal prior odds (the insiders' own
    ballots are independent of the others'), so the right-hand side is computed exactly; the
    best ``t`` on a grid is taken. The bound ignores the head-count exemption, so it is
    conservative. For a multiple-choice option (two columns, ticked or not, odds 1/2) call it
    with ``m = 2``.
    """
    if others <= 0:
        return 1.0
    theta = float(bar.posterior_bound)
    p = 1.0 / m
    pmf = [comb(others, x) * p**x * (1 - p) ** (others - x) for x in range(others + 1)]
    best = 1.0
    steps = 40
    for i in range(steps):
        t = 0.5 + (theta - 0.5) * i / steps
        excess = sum(q * max(0.0, x / others - t) for x, q in enumerate(pmf))
        best = min(best, m * excess / (theta - t))
    return min(best, 1.0)
