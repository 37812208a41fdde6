"""A poll as the views see it: plain values, its tally, and nothing that identifies a voter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.disclosure import Publication, disclose
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
    created_at: datetime | None = None
    closed_at: datetime | None = None
    # Anonymous reasons sent privately with proposal votes: (option index, text).
    reasons: tuple[tuple[int, str], ...] = field(default_factory=tuple)

    @property
    def participation(self) -> Mapping[Role, int]:
        """How many of each role voted: always public, so facilitators see who is missing."""
        return self.tally.voters

    @property
    def total_voters(self) -> int:
        return sum(self.tally.voters.values())

    @property
    def publication(self) -> Publication:
        """The only figures any view may show (small cells suppressed)."""
        return disclose(self.tally, self.min_cell)
