"""The disclosure audit for scale polls (answers 1 to 5), over role sums instead of tables.

What a scale poll publishes below ``FULL`` is averages: the equal-weight average and the head
count's average, rounded. Both are functions of each role's *sum* of answers ``T_r``, so the
audit can enumerate ``(T_1, T_2, T_3)`` (at most 241 values per role for 60 voters) instead of
count tables (millions). The model and the findings are those of
:mod:`bot.domain.disclosure_audit`; only the arithmetic differs:

- the others in role ``r`` (insiders left out, ``n'`` of them) give the sum ``T'_r`` with chance
  ``N(n', T') / 5^n'``, where ``N(k, s)`` counts the ways ``k`` answers from 1 to 5 add up to ``s``
  (every sequence of answers is equally likely under equal prior odds);
- given ``T'_r``, the chance that one particular other member answered ``v`` is
  ``N(n' - 1, T' - v) / N(n', T')``, so the insider's posterior is its average over the outcomes
  consistent with what they see;
- the baseline is the head count's average: an event counts only if the posterior given the
  overall sum alone would not have been as high. That baseline says less than a full head count
  (the number of people per answer), so measuring against it is the stricter choice.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np

from bot.domain.disclosure_audit import (
    DEFAULT_BAR,
    AuditReport,
    Bar,
    Insider,
    InsiderFinding,
    audit_each,
)
from bot.domain.outcome_space import Counts, FloatArray, IntArray

VALUES = 5

# Codes of what is published, from an (R, 3) array of role sums (everyone included).
SumPublisher = Callable[[IntArray], IntArray]


@cache
def ways(k: int, s: int) -> int:
    """How many sequences of k answers (each 1..5) add up to s."""
    if k == 0:
        return 1 if s == 0 else 0
    if s < k or s > VALUES * k:
        return 0
    return sum(ways(k - 1, s - v) for v in range(1, VALUES + 1))


def _sums(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Possible sums of n answers and their chances."""
    if n == 0:
        return np.array([0], dtype=np.int64), np.array([1.0])
    sums = np.arange(n, VALUES * n + 1, dtype=np.int64)
    chances = np.array([ways(n, int(s)) / VALUES**n for s in sums])
    return sums, chances


def _lookup(sums: IntArray, value: Callable[..., float]) -> FloatArray:
    """value(sum) for every row, computed once per distinct sum."""
    low = int(sums.min())
    table = np.array([value(t) for t in range(low, int(sums.max()) + 1)], dtype=np.float64)
    return table[sums - low]


def scale_rows(voters: Counts) -> int:
    """How many rows the audit of a pair of insiders would hold (its cost)."""
    size = 1
    for n in voters:
        size *= 4 * n + 1
    return size * VALUES * VALUES


def scale_audit(voters: Counts, publish: SumPublisher, bar: Bar = DEFAULT_BAR) -> AuditReport:
    return audit_each(voters, lambda insider: _finding(voters, publish, insider, bar))


def _finding(voters: Counts, publish: SumPublisher, insider: Insider, bar: Bar) -> InsiderFinding:
    others_n = [voters[r] - insider.count(r) for r in range(3)]
    others_total = sum(others_n)
    grids = [_sums(n) for n in others_n]
    s0, s1, s2 = np.meshgrid(grids[0][0], grids[1][0], grids[2][0], indexing="ij")
    w = (
        grids[0][1][:, None, None] * grids[1][1][None, :, None] * grids[2][1][None, None, :]
    ).ravel()
    others = np.stack([s0.ravel(), s1.ravel(), s2.ravel()], axis=1)  # (G, 3)
    g = others.shape[0]
    k = len(insider)
    combos = [
        (a,) if k == 1 else (a, b)
        for a in range(1, VALUES + 1)
        for b in (range(1, VALUES + 1) if k == 2 else [0])
    ]
    rows_others = np.tile(others, (len(combos), 1))
    rows_w = np.tile(w, len(combos)) / len(combos)
    combo_index = np.repeat(np.arange(len(combos)), g)
    own = np.zeros((len(combos), 3), dtype=np.int64)
    for ci, values in enumerate(combos):
        for role, v in zip(insider, values, strict=False):
            own[ci, role] += v
    codes = publish(rows_others + own[combo_index])
    key = codes * len(combos) + combo_index
    _, key = np.unique(key, return_inverse=True)
    key = key.ravel()
    n_keys = int(key.max()) + 1
    key_w = np.bincount(key, weights=rows_w, minlength=n_keys)

    theta = float(bar.posterior_bound)
    overall = rows_others.sum(axis=1)
    certain = False
    certain_about: set[int] = set()
    risky: set[int] = set()
    worst = 0.0
    row_hit = np.zeros(rows_w.shape[0], dtype=bool)
    for v in range(1, VALUES + 1):
        # The head count's posterior, and whether everyone else answered v (looked up by sum).
        head = _lookup(
            overall, lambda t, v=v: ways(others_total - 1, t - v) / ways(others_total, t)
        )
        everyone = np.ones(rows_w.shape[0])
        for r in range(3):
            if others_n[r]:
                n_r = others_n[r]
                everyone *= _lookup(
                    rows_others[:, r],
                    lambda t, n_r=n_r, v=v: 1 / ways(n_r, t) if t == v * n_r else 0.0,
                )
        # Counted, not weighed: an outcome's chance can be as small as 5^-60.
        not_everyone = np.bincount(key, weights=(everyone < 1.0), minlength=n_keys)
        for r in range(3):
            if not others_n[r]:
                continue
            n_r = others_n[r]
            col = rows_others[:, r]
            q = _lookup(col, lambda t, n_r=n_r, v=v: ways(n_r - 1, t - v) / ways(n_r, t))
            sure_row = _lookup(
                col, lambda t, n_r=n_r, v=v: 1.0 if ways(n_r - 1, t - v) == ways(n_r, t) else 0.0
            )
            post = np.bincount(key, weights=rows_w * q, minlength=n_keys) / key_w
            short = np.bincount(key, weights=1.0 - sure_row, minlength=n_keys)
            sure = (short == 0) & (not_everyone > 0)
            if sure.any():
                certain = True
                certain_about.add(r)
            beyond = not_everyone > 0
            if beyond.any():
                worst = max(worst, float(post[beyond].max()))
            hit = (post[key] > theta + 1e-12) & (head <= theta + 1e-12)
            if hit.any():
                risky.add(r)
                row_hit |= hit
    return InsiderFinding(
        insider=insider,
        certain=certain,
        certain_about=frozenset(certain_about),
        worst=min(worst, 1.0),
        chance=float(rows_w[row_hit].sum() / rows_w.sum()),
        risky_targets=frozenset(risky),
    )
