"""A batch of ballot presses written together: one claim, three reads and at most three writes
for the whole batch, however many presses it holds (issue 17, point 2).

Why: presses that arrive together share one transaction (bot/services/ballot_batch.py), but
written one by one each still paid for its own claim, read and write, so the batch saved only
commits. Here the batch's statements are shared too, and each press is judged in Python, in
the batch's order, by the same rules as a press written alone (`polls.admit`,
`polls.judge_vote`, `polls.judge_withdrawal`): a person's second press in a batch is judged on
the ballot their first one left, as it would be one transaction after the other
(tests/integration/test_ballot_presses.py compares the two on random presses).

What stays true:
- Every press's update is claimed first (a replay, here or on another replica, changes
  nothing). On SQLite that first write also takes the database's one writer lock, so nothing
  read below can change before the commit; on PostgreSQL the reads lock what they read.
- Only the end state of each ballot is written. A ballot that was not there when read but is
  there when written (another replica's press on PostgreSQL at the same moment) raises
  `BatchConflictError`: the batcher rolls the batch back and writes each press alone, where the
  compare-and-set rules for multiple choice decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.domain.keyed_hash import ballot_key, member_key
from bot.domain.roles import Role
from bot.services.polls import (
    Judgement,
    VoteOutcome,
    VoteStatus,
    admit,
    judge_vote,
    judge_withdrawal,
    judged_outcome,
)
from bot.services.replays import to_the_hour
from storage.repositories.polls import BallotContext
from storage.uow import UnitOfWork

Key = tuple[int, str]  # (poll id, ballot key)


@dataclass(frozen=True, slots=True)
class BallotPress:
    """A voting button or "Withdraw my vote", as the handler received it."""

    bot_id: int
    update_id: int
    poll_id: int
    chat_id: int
    user_id: int
    option: int | None  # None: "Withdraw my vote"


class BatchConflictError(RuntimeError):
    """A ballot this batch read as absent was written by another process before the batch
    wrote it: nothing of the batch may stand; each press is written again alone."""


async def apply_presses(
    uow: UnitOfWork, secret: bytes, presses: Sequence[BallotPress], now: datetime
) -> list[VoteOutcome]:
    """Judge and write `presses` in `uow`, in their order, without committing; one outcome
    each, in the same order (REPLAYED for an update handled before)."""
    fresh = await _claim(uow, presses, now)
    polls = await uow.polls.polls_for_voting([press.poll_id for press in presses])
    keys = [(press.poll_id, ballot_key(secret, press.poll_id, press.user_id)) for press in presses]
    members = [_member(secret, polls.get(press.poll_id), press) for press in presses]
    roles = await uow.polls.roles_of([member for member in members if member is not None])
    read = await uow.polls.ballots_of(keys)
    held: dict[Key, int | None] = dict(read)  # each ballot as the presses so far leave it
    roles_held: dict[Key, Role] = {}  # the role a ballot written here is cast under
    outcomes: list[VoteOutcome] = []
    for press, key, member, is_fresh in zip(presses, keys, members, fresh, strict=True):
        poll = polls.get(press.poll_id)
        if not is_fresh:
            outcomes.append(VoteOutcome(VoteStatus.REPLAYED, press.poll_id))
            continue
        found = None
        if poll is not None and member is not None:
            role = roles.get(member)
            found = replace(
                poll,
                role=role[0] if role else None,
                previous_role=role[1] if role else None,
                role_applies_from=role[2] if role else None,
                choices=held.get(key),
            )
        admitted = admit(found, press.poll_id, press.chat_id, now)
        if isinstance(admitted, VoteOutcome) or found is None:
            outcomes.append(admitted if isinstance(admitted, VoteOutcome) else _unknown(press))
            continue
        judged = _judge(found, press)
        if judged.writes:
            held[key] = judged.after
            roles_held.setdefault(key, admitted)
        outcomes.append(judged_outcome(found, judged, admitted))
    await _write(uow, read, held, roles_held)
    return outcomes


async def _claim(uow: UnitOfWork, presses: Sequence[BallotPress], now: datetime) -> list[bool]:
    """Whether each press is the first delivery of its update (a second one in the same
    batch is not)."""
    bot_ids = {press.bot_id for press in presses}
    claimed: set[tuple[int, int]] = set()
    for bot_id in sorted(bot_ids):  # one bot per process: one statement
        ids = [press.update_id for press in presses if press.bot_id == bot_id]
        claimed |= {
            (bot_id, i) for i in await uow.updates.claim_many(bot_id, ids, to_the_hour(now))
        }
    fresh: list[bool] = []
    for press in presses:
        fresh.append((press.bot_id, press.update_id) in claimed)
        claimed.discard((press.bot_id, press.update_id))
    return fresh


def _member(
    secret: bytes, poll: BallotContext | None, press: BallotPress
) -> tuple[int, str] | None:
    """(group, member key) of the presser in the poll's group."""
    if poll is None:
        return None
    return (poll.group_id, member_key(secret, poll.group_id, press.user_id))


def _judge(poll: BallotContext, press: BallotPress) -> Judgement:
    if press.option is None:
        return judge_withdrawal(poll)
    return judge_vote(poll, press.option)


def _unknown(press: BallotPress) -> VoteOutcome:
    return VoteOutcome(VoteStatus.UNKNOWN, press.poll_id)


async def _write(
    uow: UnitOfWork,
    read: dict[Key, int],
    held: dict[Key, int | None],
    roles: dict[Key, Role],
) -> None:
    """Each ballot's end state, in at most three statements."""
    added = [
        (key[0], key[1], roles[key].value, after)
        for key, after in held.items()
        if after is not None and key not in read
    ]
    replaced = [
        (key[0], key[1], roles[key].value, after)
        for key, after in held.items()
        if after is not None and key in read and read[key] != after
    ]
    removed = [key for key, after in held.items() if after is None and key in read]
    if await uow.polls.remove_ballots(removed) != len(removed):
        raise BatchConflictError("a ballot read in this batch was gone when it was removed")
    await uow.polls.replace_ballots(replaced)
    if await uow.polls.add_ballots(added) != len(added):
        raise BatchConflictError("a ballot was written by another process meanwhile")
