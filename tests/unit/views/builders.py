"""Poll snapshots built from real tallies, and a check that HTML is what Telegram accepts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from bot.domain.disclosure import SmallRoles
from bot.domain.disclosure_ladder import Rung
from bot.domain.poll_rules import PROPOSAL_OPTIONS, SCALE_OPTIONS, PollKind, Visibility
from bot.domain.poll_snapshot import PollSnapshot
from bot.domain.roles import Role
from bot.domain.tally import TallyInput, tally
from bot.sandbox.entities_html import parse_html
from bot.views.limits import MESSAGE_LIMIT, utf16_length

SU, CA, ST = Role.SERVICE_USER, Role.CARER, Role.STAFF
DEADLINE = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # a Tuesday; London is on UTC in winter
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
AB = ("Alpha", "Beta")


def snapshot(
    votes: Mapping[Role, Sequence[int | set[int]]],
    *,
    options: Sequence[str] = AB,
    kind: PollKind = PollKind.SINGLE,
    question: str = "Which plan?",
    visibility: Visibility = Visibility.AFTER_CLOSE,
    closed: bool = True,
    deadline: datetime | None = DEADLINE,
    timezone: str = "Europe/London",
    max_choices: int = 1,
    reasons: tuple[tuple[int, str], ...] = (),
    poll_id: int = 42,
    min_cell: int = 3,
    rung: Rung = Rung.FULL,
    closed_rung: Rung | None = None,
    notice_roles: frozenset[Role] = frozenset(),
    small_roles: SmallRoles | None = SmallRoles.NOTICE,
) -> PollSnapshot:
    """A poll from per-role ballots: an option index each, or a set of them (multiple choice).

    `rung`: what it was posted to publish (FULL unless a test is about the ladder); a closed
    poll closes on `closed_rung`, or on the posted rung."""
    if kind is PollKind.PROPOSAL:
        options = PROPOSAL_OPTIONS
    if kind is PollKind.SCALE:
        options = SCALE_OPTIONS
    chosen: dict[tuple[Role, int], int] = {}
    for role, ballots in votes.items():
        for ballot in ballots:
            for option in ballot if isinstance(ballot, set) else {ballot}:
                chosen[(role, option)] = chosen.get((role, option), 0) + 1
    voters = {role: len(ballots) for role, ballots in votes.items()}
    t = tally(TallyInput(n_options=len(options), voters=voters, chosen=chosen, kind=kind))
    return PollSnapshot(
        id=poll_id,
        group_id=-1001234567890,
        question=question,
        options=tuple(options),
        kind=kind,
        max_choices=max_choices,
        visibility=visibility,
        closed=closed,
        deadline=deadline,
        timezone=timezone,
        tally=t,
        min_cell=min_cell,
        created_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        closed_at=DEADLINE if closed else None,
        reasons=reasons,
        posted_rung=rung,
        closed_rung=(closed_rung or rung) if closed else None,
        notice_roles=notice_roles,
        small_roles=small_roles,
    )


def assert_telegram_html(text: str) -> str:
    """Fail unless Telegram would accept `text` in HTML mode, each line on its own too (so a
    split between lines never cuts a tag), and it fits one message. Returns the visible text."""
    assert utf16_length(text) <= MESSAGE_LIMIT, utf16_length(text)
    for line in text.split("\n"):
        parse_html(line)
    return parse_html(text).text
