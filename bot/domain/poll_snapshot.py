"""A poll as the views see it: plain values, its tally, and nothing that identifies a voter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.disclosure import Publication, SmallRoles, disclose
from bot.domain.disclosure_ladder import Rung
from bot.domain.poll_rules import PollKind, Visibility
from bot.domain.roles import Role
from bot.domain.tally import Tally


@dataclass(frozen=True, slots=True)
class PollSnapshot:
    id: int
    group_id: int
    question: str
    options: tuple[str, ...]
    kind: PollKind
    max_choices: int
    visibility: Visibility
    closed: bool
    deadline: datetime | None  # aware, UTC
    timezone: str  # the group's zone, for showing times
    tally: Tally  # the whole tally; publish only through `publication`
    min_cell: int
    # What it may publish (bot/domain/disclosure.py): the rung fixed when posted (None: a poll
    # from before rungs), the rung it closed on, the roles its notice named, and what it does
    # if too few of a role vote.
    posted_rung: Rung | None = Rung.FULL
    closed_rung: Rung | None = None
    notice_roles: frozenset[Role] = frozenset()
    small_roles: SmallRoles | None = SmallRoles.NOTICE
    created_at: datetime | None = None
    closed_at: datetime | None = None
    # Anonymous reasons sent privately with proposal votes: (option index, text).
    reasons: tuple[tuple[int, str], ...] = field(default_factory=tuple)
    group_title: str = ""  # the group's name, for the chart
    # Reopened by a facilitator after a close (once only); while closed, until when it may be
    # reopened (None: it cannot be).
    reopened: bool = False
    reopen_until: datetime | None = None

    @property
    def participation(self) -> Mapping[Role, int]:
        """How many of each role voted: never shown as counts while open (see disclosure)."""
        return self.tally.voters

    @property
    def total_voters(self) -> int:
        return sum(self.tally.voters.values())

    @property
    def rung(self) -> Rung:
        """The rung its figures are shown on: the closing one once closed."""
        if self.closed and self.closed_rung is not None:
            return self.closed_rung
        return self.posted_rung or Rung.HEAD_COUNT

    @property
    def publication(self) -> Publication:
        """The only figures any view may show: nothing per option or role while open."""
        return disclose(self.tally, self.rung, closed=self.closed)
