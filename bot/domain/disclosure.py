"""What of a tally may be published (DESIGN section 3, promise 4: small cells are suppressed).

Threat model
------------
The per-role participation counts ``n_r`` are always public (the poll message shows them), so we
assume an observer knows every ``n_r`` and everything we publish, and tries to work out how a
*small* role answered: a role with ``0 < n_r < k`` voters (``k`` = minimum cell size, default 3).
A figure is unsafe if, together with the ``n_r``, it leaves only one possible answer vector
``(c_r(o))_o`` for a small role. The one exception we accept is unanimity: if every voter made the
same choice, any per-option figure at all says so, and that is not specific to a role.

The decision depends only on the public ``n_r`` (and ``k``), never on how people voted. A rule
that withheld figures "only when they would reveal something" would itself reveal something:
the fact of withholding.

The rule
--------
Let S = voting roles with ``0 < n_r < k`` (small), B = roles with ``n_r >= k`` (big).

1. S is empty: publish everything: raw tally, equal-weight scores, every voting role's shares
   and leaders, the agreement across roles, scale means, block count and who blocked.
2. S is non-empty: publish no role shares and no per-role leaders or means (a big role's shares
   plus the raw tally give the small role by subtraction), and **no equal-weight figure**:
   neither scores, nor the equal-weight leader, nor the equal-weight mean.

   - ``|B| >= 1``: publish the raw tally and what follows from it alone (head-count leaders, raw
     scale mean, block count).
   - ``|B| == 0``: publish nothing per option, only participation and the reason.

Why no equal-weight figure when S is non-empty (a deliberate change from the first draft of
this rule, which published raw + scores for ``|B| >= 2`` and scores alone for ``|B| == 1``):
equal weight gives each of the few small-role voters a weight of ``1 / (#roles * n_s)``, far
larger than a big-role voter's, so the weighted sum can be decoded. Examples found by the
brute-force test in ``tests/unit/domain/test_disclosure.py``:

- scores alone, n = (1 service user, 3 carers, 4 staff), A/B: the service user chose A and all
  the others B gives E(A) = 1/3 with raw A = 1; no other ballots give that pair, and a score
  such as E(A) = 11/12 (service user A, one staff B) is reachable *only* if the service user
  chose A, even without raw;
- two voting roles, n = (1, 3): E(A) = (c_s + c_b/3) / 2 takes the same value for c_s = 0 and
  c_s = 1 only at 1/2, so the score almost always gives the lone voter away;
- even the equal-weight *leader* alone leaks: n = (2, 3, 3), A/B, "A and B are tied" is only
  possible when the two service users split 1:1; and raw + leader leaks for n = (1, 3, 3).

Why the raw tally is safe when S is non-empty and at least two roles voted (single answer):
the set of small-role vectors consistent with a raw tally ``R`` is every ``c`` with
``0 <= c <= R`` and ``sum(c) = n_s`` (the other roles can absorb any remainder, one option per
ballot). If ``R`` has two non-zero options and other voters exist, one unit can be moved
between options, so ``c`` is never unique unless the vote was unanimous. With only small roles
(``|B| == 0``) we still withhold raw: the groups are then tiny, and a voter who subtracts their
own ballot from a handful of others learns too much.

Not covered, stated plainly: a voter knows their own ballot, and colluding voters know several;
subtracting them from the raw tally can narrow down a small role further. Probabilistic
inference (e.g. "9 of 10 chose A, so the lone carer probably did") is not prevented either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction

from bot.domain.poll_rules import PollKind
from bot.domain.roles import ROLES, Role
from bot.domain.tally import Tally

DEFAULT_MIN_CELL = 3


@dataclass(frozen=True)
class Publication:
    """The figures of a tally that may be shown to the group, and why others are not.

    A ``None`` (or an empty mapping) means "withheld", never "zero".
    """

    k: int
    participation: Mapping[Role, int]
    voting_roles: tuple[Role, ...]
    missing_roles: tuple[Role, ...]
    suppressed_roles: tuple[Role, ...]
    raw: tuple[int, ...] | None = None
    raw_leaders: frozenset[int] | None = None
    raw_mean: Fraction | None = None
    blocks: int | None = None
    scores: tuple[Fraction, ...] | None = None
    leaders: frozenset[int] | None = None
    equal_weight_mean: Fraction | None = None
    shares: Mapping[Role, tuple[Fraction, ...]] = field(default_factory=dict)
    role_leaders: Mapping[Role, frozenset[int]] = field(default_factory=dict)
    role_means: Mapping[Role, Fraction] = field(default_factory=dict)
    agreement: int | None = None
    blocked_by: frozenset[Role] | None = None
    withheld_reason: str | None = None

    @property
    def total_voters(self) -> int:
        return sum(self.participation.values())

    @property
    def balanced(self) -> bool:
        return not self.missing_roles

    @property
    def publishes_raw(self) -> bool:
        return self.raw is not None

    @property
    def publishes_scores(self) -> bool:
        return self.scores is not None

    @property
    def publishes_shares(self) -> bool:
        return bool(self.shares)

    @property
    def publishes_per_role(self) -> bool:
        """Any figure about one role's answers (shares, leaders, means, who blocked)."""
        return bool(self.shares or self.role_leaders or self.role_means or self.blocked_by)

    @property
    def publishes_figures(self) -> bool:
        """Anything per option beyond participation."""
        return self.publishes_raw or self.publishes_scores or self.publishes_per_role

    def fingerprint(self) -> tuple[object, ...]:
        """Every published value as one hashable tuple: two tallies with the same fingerprint
        are indistinguishable to someone who sees only the publication."""
        return (
            self.k,
            tuple(self.participation.get(r, 0) for r in ROLES),
            self.raw,
            None if self.raw_leaders is None else tuple(sorted(self.raw_leaders)),
            self.raw_mean,
            self.blocks,
            self.scores,
            None if self.leaders is None else tuple(sorted(self.leaders)),
            self.equal_weight_mean,
            tuple((r, self.shares[r]) for r in ROLES if r in self.shares),
            tuple(
                (r, tuple(sorted(self.role_leaders[r]))) for r in ROLES if r in self.role_leaders
            ),
            tuple((r, self.role_means[r]) for r in ROLES if r in self.role_means),
            self.agreement,
            None if self.blocked_by is None else tuple(r for r in ROLES if r in self.blocked_by),
        )


def small_roles(voters: Mapping[Role, int], k: int = DEFAULT_MIN_CELL) -> tuple[Role, ...]:
    """Roles that voted, but fewer than k times."""
    return tuple(r for r in ROLES if 0 < voters.get(r, 0) < k)


def _reason(suppressed: tuple[Role, ...], any_big: bool, k: int) -> str:
    names = _join([r.plural for r in suppressed])
    if any_big:
        return (
            f"Fewer than {k} {names} voted, so results by role and equal-weight scores are held "
            "back to protect their privacy. Only the head count is shown."
        )
    return (
        f"Too few people of each role voted to show results safely: results are shown only "
        f"when at least {k} people of a role have voted."
    )


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def disclose(t: Tally, k: int = DEFAULT_MIN_CELL) -> Publication:
    """Apply the small-cell rule of this module's docstring to a tally."""
    if k < 1:
        raise ValueError("k must be at least 1")
    suppressed = small_roles(t.voters, k)
    big = tuple(r for r in ROLES if t.voters.get(r, 0) >= k)
    base = Publication(
        k=k,
        participation=dict(t.voters),
        voting_roles=t.voting_roles,
        missing_roles=t.missing_roles,
        suppressed_roles=suppressed,
    )
    if not t.voting_roles:
        return base
    proposal = t.kind is PollKind.PROPOSAL
    if not suppressed:
        return replace(
            base,
            raw=t.raw,
            raw_leaders=t.raw_leaders,
            raw_mean=t.raw_mean,
            blocks=t.blocks if proposal else None,
            scores=t.scores,
            leaders=t.leaders,
            equal_weight_mean=t.equal_weight_mean,
            shares=dict(t.shares),
            role_leaders=dict(t.role_leaders),
            role_means=dict(t.role_means),
            agreement=t.agreement,
            blocked_by=t.blocked_by if proposal else None,
        )
    reason = _reason(suppressed, bool(big), k)
    if big:
        # Raw alone is safe (see docstring); everything it yields is a function of raw only.
        return replace(
            base,
            raw=t.raw,
            raw_leaders=t.raw_leaders,
            raw_mean=t.raw_mean,
            blocks=t.blocks if proposal else None,
            withheld_reason=reason,
        )
    return replace(base, withheld_reason=reason)
