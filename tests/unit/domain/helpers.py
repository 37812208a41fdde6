"""Small builders shared by the domain tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.domain.poll_rules import PollKind
from bot.domain.roles import Role
from bot.domain.tally import Tally, TallyInput, tally

SU, CA, ST = Role.SERVICE_USER, Role.CARER, Role.STAFF


def single(
    n_options: int, votes: Mapping[Role, Sequence[int]], kind: PollKind = PollKind.SINGLE
) -> Tally:
    """Tally from per-role lists of chosen option indices (one per voter)."""
    voters = {r: len(v) for r, v in votes.items()}
    chosen: dict[tuple[Role, int], int] = {}
    for r, v in votes.items():
        for o in v:
            chosen[(r, o)] = chosen.get((r, o), 0) + 1
    return tally(TallyInput(n_options=n_options, voters=voters, chosen=chosen, kind=kind))


def from_counts(counts: Mapping[Role, Sequence[int]], kind: PollKind = PollKind.SINGLE) -> Tally:
    """Tally from per-role count vectors of a single-answer poll (n_r = sum of the vector)."""
    m = len(next(iter(counts.values())))
    voters = {r: sum(c) for r, c in counts.items()}
    chosen = {(r, o): x for r, c in counts.items() for o, x in enumerate(c)}
    return tally(TallyInput(n_options=m, voters=voters, chosen=chosen, kind=kind))


def multiple(n_options: int, ballots: Mapping[Role, Sequence[set[int]]]) -> Tally:
    """Tally of a multiple-choice poll from per-role lists of ticked sets."""
    voters = {r: len(b) for r, b in ballots.items()}
    chosen: dict[tuple[Role, int], int] = {}
    for r, bs in ballots.items():
        for b in bs:
            for o in b:
                chosen[(r, o)] = chosen.get((r, o), 0) + 1
    return tally(
        TallyInput(n_options=n_options, voters=voters, chosen=chosen, kind=PollKind.MULTIPLE)
    )
