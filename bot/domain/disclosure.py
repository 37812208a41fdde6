"""What a poll may publish, and what any view may say about roles (DESIGN section 3).

This is the one module that decides; every view renders its answer and nothing else.

A poll's *rung* (:mod:`bot.domain.disclosure_ladder`) is chosen when it is posted, from public
facts only: the kind, the number of options and how many members each role has (never the
votes: withholding must not itself say anything). The exact audit
(:mod:`bot.domain.disclosure_audit`) stands behind every rung. When not even the equal-weight
decision passes, the group's choice decides (:class:`SmallRoles`): protect small roles (a head
count only) or keep the equal say *with notice*: the poll message says before anyone votes
which roles could be worked out, and each voter of those roles is told again privately with
their first press.

At closing the rung is judged again on the people who actually voted (fewer may have voted
than are members): it can only go down. If even the decision fails then, the poll's own
choice applies again, which its message stated before voting.

While a poll is open nothing per option and nothing per role is shown (:func:`disclose` with
``closed=False``): a figure that changes with one vote tells whoever saw that person press.

:func:`disclose` turns a tally into a :class:`Publication` that says exactly what the rung's
audited codes say (``tests/unit/domain/test_disclosure.py`` checks that two tallies with the
same codes publish the same thing), so the audit's verdict is the verdict on what people see.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from fractions import Fraction

from bot.domain.disclosure_audit import DEFAULT_BAR, Bar
from bot.domain.disclosure_ladder import (
    PollFacts,
    Rung,
    choose,
    close_set,
    rank,
    scale_band,
    support_class,
    ten_points,
    tenths,
)
from bot.domain.poll_rules import BLOCK_INDEX, PollKind
from bot.domain.roles import ROLES, Role
from bot.domain.tally import Tally

DEFAULT_MIN_CELL = 3


class SmallRoles(StrEnum):
    """What a poll does when the equal-weight decision could let someone be worked out."""

    NOTICE = "notice"  # keep the equal say; say so before anyone votes
    PROTECT = "protect"  # a head count only


DEFAULT_SMALL_ROLES = SmallRoles.NOTICE


# ------------------------------------------------------------------------- before voting


def facts(kind: PollKind, n_options: int, counts: Mapping[Role, int]) -> PollFacts:
    su, carers, staff = (max(0, counts.get(r, 0)) for r in ROLES)
    return PollFacts(kind, n_options, (su, carers, staff))


@dataclass(frozen=True)
class Plan:
    """What a poll will publish, fixed when it is posted.

    ``rung``: the highest rung that passes for the members (a ceiling: closing may lower it).
    ``needs_choice``: not even the decision passes, so protect-or-notice had to be chosen.
    ``exposed``: the roles whose members could be worked out under the decision.
    """

    rung: Rung
    needs_choice: bool
    exposed: frozenset[Role] = frozenset()

    @property
    def notice_roles(self) -> frozenset[Role]:
        """The roles named in the notice: only when the equal say is kept despite the risk."""
        return self.exposed if self.needs_choice and self.rung is Rung.DECISION else frozenset()


def plan(
    kind: PollKind,
    n_options: int,
    members: Mapping[Role, int],
    *,
    small_roles: SmallRoles,
    bar: Bar = DEFAULT_BAR,
) -> Plan:
    """The rung a new poll gets (pure, and cached below: the same facts repeat)."""
    choice = choose(facts(kind, n_options, members), bar)
    if choice.rung is not None:
        return Plan(choice.rung, needs_choice=False)
    exposed = frozenset(ROLES[i] for i in choice.exposed_roles(bar))
    if small_roles is SmallRoles.PROTECT:
        return Plan(Rung.HEAD_COUNT, needs_choice=True, exposed=exposed)
    return Plan(Rung.DECISION, needs_choice=True, exposed=exposed)


def closing_rung(
    kind: PollKind,
    n_options: int,
    voters: Mapping[Role, int],
    *,
    posted: Rung | None,
    small_roles: SmallRoles | None,
    bar: Bar = DEFAULT_BAR,
) -> Rung:
    """The rung a poll closes on: the posted one, or lower if fewer people voted.

    ``posted`` None is a poll from before rungs: it is judged on its voters alone, and keeps the
    equal say only where that passes (it never told anyone otherwise)."""
    choice = choose(facts(kind, n_options, voters), bar).rung
    if posted is Rung.HEAD_COUNT:
        return Rung.HEAD_COUNT
    if choice is None:
        # The poll's message said before voting what happens then.
        return Rung.DECISION if small_roles is SmallRoles.NOTICE else Rung.HEAD_COUNT
    if posted is None:
        return choice
    return posted if rank(posted) <= rank(choice) else choice


# ----------------------------------------------------------------------- what is shown


@dataclass(frozen=True)
class Publication:
    """The figures of a tally that may be shown, and nothing more.

    ``None`` (or an empty mapping) means "not shown", never "zero". Which fields are filled is a
    function of the rung alone; their values are functions of the rung's audited codes.
    """

    rung: Rung
    closed: bool
    total_voters: int
    missing_roles: tuple[Role, ...]
    voting_roles: tuple[Role, ...]
    # Per-role participation: only with the full table.
    participation: Mapping[Role, int] = field(default_factory=dict)
    # The equal-weight decision: the options within the margin of the best score, and whether
    # one option leads clearly (single, proposal); support per option 2 most / 1 about half /
    # 0 few (multiple); the equal-weight average's band 0 low / 1 middle / 2 high (scale).
    decision: frozenset[int] | None = None
    support: tuple[int, ...] | None = None
    band: int | None = None
    # What a show of hands decides (DECISIONS and up).
    raw_leaders: frozenset[int] | None = None
    raw_support: tuple[int, ...] | None = None  # 2 a majority, 1 exactly half, 0 a minority
    raw_band: int | None = None
    # The head count and what follows from it alone.
    raw: tuple[int, ...] | None = None
    raw_mean: Fraction | None = None  # to one decimal below the full table
    blocks: int | None = None
    # Equal-weight figures: rounded to 10 points (scores) or one decimal (average) on ROUNDED.
    scores: tuple[Fraction, ...] | None = None
    scores_rounded: bool = False
    equal_weight_mean: Fraction | None = None
    # Each role's answers: the full table only.
    shares: Mapping[Role, tuple[Fraction, ...]] = field(default_factory=dict)
    role_leaders: Mapping[Role, frozenset[int]] = field(default_factory=dict)
    role_means: Mapping[Role, Fraction] = field(default_factory=dict)
    agreement: int | None = None
    blocked_by: frozenset[Role] | None = None

    @property
    def balanced(self) -> bool:
        return not self.missing_roles

    @property
    def carries_equal_weight(self) -> bool:
        return self.decision is not None or self.support is not None or self.band is not None

    @property
    def leaders(self) -> frozenset[int] | None:
        """The equal-weight leader(s) where the decision names a clear one or a close set."""
        return self.decision

    @property
    def publishes_per_role(self) -> bool:
        return bool(self.shares or self.role_leaders or self.role_means or self.blocked_by)

    @property
    def publishes_figures(self) -> bool:
        """Anything per option at all."""
        return self.raw is not None or self.carries_equal_weight or self.raw_leaders is not None


def _missing(t: Tally) -> tuple[Role, ...]:
    return t.missing_roles if t.voting_roles else ()


def disclose(t: Tally, rung: Rung, *, closed: bool = True) -> Publication:
    """What of `t` may be shown under `rung`: nothing per option while the poll is open."""
    base = Publication(
        rung=rung,
        closed=closed,
        total_voters=t.total_voters,
        missing_roles=_missing(t) if closed else (),
        voting_roles=t.voting_roles if closed else (),
    )
    if not closed or not t.voting_roles:
        return base
    if rung is Rung.FULL:
        return _full(t, base)
    scale = t.kind is PollKind.SCALE
    if rung is Rung.HEAD_COUNT:
        # A scale's head count is its average (the audit counts role sums, not answers).
        return replace(
            base,
            raw_leaders=None if scale else t.raw_leaders,
            raw_support=_raw_support(t),
            raw=None if scale else t.raw,
            raw_mean=t.raw_mean,
            blocks=t.blocks if t.kind is PollKind.PROPOSAL else None,
        )
    pub = _decision(t, base)
    if rank(rung) >= rank(Rung.DECISIONS):
        pub = replace(
            pub,
            raw_leaders=t.raw_leaders if t.kind not in _NO_LEADER else None,
            raw_support=_raw_support(t),
            raw_band=scale_band(t.raw_mean) if t.raw_mean is not None else None,
        )
    if rank(rung) >= rank(Rung.DECISION_AND_COUNT):
        pub = replace(
            pub,
            raw=None if scale else t.raw,
            raw_mean=tenths(t.raw_mean) if t.raw_mean is not None else None,
            blocks=t.raw[BLOCK_INDEX] if t.kind is PollKind.PROPOSAL else None,
        )
    if rank(rung) >= rank(Rung.ROUNDED):
        if t.kind is PollKind.SCALE:
            mean = t.equal_weight_mean
            pub = replace(pub, equal_weight_mean=tenths(mean) if mean is not None else None)
        else:
            scores = tuple(Fraction(ten_points(s), 10) for s in t.scores)
            pub = replace(pub, scores=scores, scores_rounded=True)
    return pub


_NO_LEADER = frozenset({PollKind.MULTIPLE, PollKind.SCALE})


def _raw_support(t: Tally) -> tuple[int, ...] | None:
    if t.kind is not PollKind.MULTIPLE:
        return None
    n = t.total_voters
    return tuple((2 * c > n) * 2 + (2 * c == n) for c in t.raw)


def _decision(t: Tally, base: Publication) -> Publication:
    if t.kind is PollKind.MULTIPLE:
        return replace(base, support=tuple(support_class(s) for s in t.scores))
    if t.kind is PollKind.SCALE:
        mean = t.equal_weight_mean
        return replace(base, band=scale_band(mean) if mean is not None else None)
    return replace(base, decision=close_set(t.scores))


def _full(t: Tally, base: Publication) -> Publication:
    proposal = t.kind is PollKind.PROPOSAL
    pub = _decision(t, base)
    return replace(
        pub,
        participation=dict(t.voters),
        raw_leaders=t.raw_leaders if t.kind not in _NO_LEADER else None,
        raw_support=_raw_support(t),
        raw_band=scale_band(t.raw_mean) if t.raw_mean is not None else None,
        raw=t.raw,
        raw_mean=t.raw_mean,
        blocks=t.blocks if proposal else None,
        scores=t.scores if t.kind is not PollKind.SCALE else None,
        equal_weight_mean=t.equal_weight_mean,
        shares=dict(t.shares),
        role_leaders=dict(t.role_leaders),
        role_means=dict(t.role_means),
        agreement=t.agreement,
        blocked_by=t.blocked_by if proposal else None,
    )


# ----------------------------------------------------------- roles counted anywhere else


def role_count_is_small(count: int, min_cell: int = DEFAULT_MIN_CELL) -> bool:
    return 0 < count < min_cell


def may_tag_role(role: Role | None, members: Mapping[Role, int], min_cell: int) -> bool:
    """Whether a feedback item may say its writer's role: only for a role of `min_cell` members
    or more (a tag on a role of two names one of two people)."""
    return role is not None and members.get(role, 0) >= min_cell


def participation_word(count: int) -> str:
    """Which roles have voted, for facilitators while a poll is open: never a count that
    changes with one vote."""
    return "none yet" if count <= 0 else "some"
