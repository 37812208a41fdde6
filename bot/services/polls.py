"""Polls: create, vote, withdraw, close, and the snapshot every view renders from."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.disclosure import DEFAULT_SMALL_ROLES, Plan, SmallRoles, closing_rung, plan
from bot.domain.disclosure_audit import DEFAULT_BAR, Bar
from bot.domain.disclosure_ladder import Rung
from bot.domain.keyed_hash import ballot_key, member_key, reason_key
from bot.domain.poll_rules import (
    REASON_OPTIONS,
    PollDraft,
    PollInputError,
    PollKind,
    Visibility,
    validate_selection,
)
from bot.domain.poll_snapshot import PollSnapshot
from bot.domain.role_changes import RoleRecord, role_at
from bot.domain.roles import ROLES, Role
from bot.domain.tally import TallyInput, tally
from bot.i18n import N_
from bot.services.groups import GroupInfo
from storage.models import Poll
from storage.repositories.polls import CLOSED, OPEN, BallotContext
from storage.repositories.processed_updates import UpdateClaim
from storage.uow import UnitOfWork

DEFAULT_REMIND_BEFORE = timedelta(hours=24)


class VoteStatus(StrEnum):
    RECORDED = "recorded"  # a first ballot
    CHANGED = "changed"  # the ballot now says something else
    UNCHANGED = "unchanged"  # pressed what they had already chosen
    WITHDRAWN = "withdrawn"
    NOTHING_TO_WITHDRAW = "nothing_to_withdraw"
    TOO_MANY = "too_many"  # multiple choice past its maximum
    CLOSED = "closed"
    UNKNOWN = "unknown"  # no such poll (deleted, or forged data)
    WRONG_CHAT = "wrong_chat"  # a button on a forwarded copy in another chat
    NOT_MEMBER = "not_member"  # no role in the group yet
    BAD_OPTION = "bad_option"
    REPLAYED = "replayed"  # this very press was handled before (Telegram sent it again)


@dataclass(frozen=True, slots=True)
class VoteOutcome:
    status: VoteStatus
    poll_id: int
    group_id: int = 0
    chosen: tuple[str, ...] = ()
    kind: PollKind = PollKind.SINGLE
    max_choices: int = 1
    deadline: datetime | None = None
    visibility: Visibility = Visibility.AFTER_CLOSE
    timezone: str | None = None  # the group's, for showing the deadline in the answer
    # A first ballot from a role the poll's notice named: told again, privately, what the
    # result may let others work out (issue 12).
    notice: frozenset[Role] = frozenset()

    @property
    def counted(self) -> bool:
        """Whether the tally changed, so the poll message needs refreshing."""
        return self.status in {VoteStatus.RECORDED, VoteStatus.CHANGED, VoteStatus.WITHDRAWN}


@dataclass(frozen=True, slots=True)
class PollPlace:
    """Where a poll's message lives in Telegram."""

    poll_id: int
    group_id: int
    chat_id: int
    message_id: int | None
    thread_id: int | None
    active: bool
    results_message_id: int | None = None


def role_bits(roles: Iterable[Role]) -> int:
    """Roles as bits in ROLES order, for one integer column."""
    chosen = set(roles)
    return sum(1 << i for i, role in enumerate(ROLES) if role in chosen)


def roles_of_bits(bits: int) -> frozenset[Role]:
    return frozenset(role for i, role in enumerate(ROLES) if bits >> i & 1)


async def group_small_roles(uow: UnitOfWork, group_id: int) -> SmallRoles:
    group = await uow.groups.by_id(group_id)
    return DEFAULT_SMALL_ROLES if group is None else GroupInfo.of(group).small_roles


async def plan_for(
    uow: UnitOfWork,
    group_id: int,
    kind: PollKind,
    n_options: int,
    *,
    small_roles: SmallRoles | None = None,
    bar: Bar = DEFAULT_BAR,
) -> tuple[Plan, SmallRoles]:
    """What a new poll in this group would publish, from its members per role (never votes).

    The audit can take a second or more for a large group with many options, so it runs in a
    worker thread; its answers are cached (the same facts repeat)."""
    chosen = small_roles or await group_small_roles(uow, group_id)
    members = await uow.members.role_counts(group_id)
    counts = {role: members.get(role.value, 0) for role in ROLES}
    found = await asyncio.to_thread(plan, kind, n_options, counts, small_roles=chosen, bar=bar)
    return found, chosen


async def create_poll(
    uow: UnitOfWork,
    group_id: int,
    draft: PollDraft,
    *,
    now: datetime,
    deadline: datetime | None = None,
    remind_before: timedelta = DEFAULT_REMIND_BEFORE,
    small_roles: SmallRoles | None = None,
    bar: Bar = DEFAULT_BAR,
) -> int:
    """Store a new poll with what it will publish, decided now from public facts only.

    `small_roles`: the facilitator's choice for this poll, if asked; else the group's default."""
    if deadline is not None and deadline <= now:
        raise PollInputError(N_("That closing time has already passed. Please choose a later one."))
    found, chosen = await plan_for(
        uow, group_id, draft.kind, len(draft.options), small_roles=small_roles, bar=bar
    )
    remind_at = None
    if deadline is not None and deadline - remind_before > now:
        remind_at = deadline - remind_before
    poll = await uow.polls.add(
        Poll(
            group_id=group_id,
            number=await uow.groups.next_poll_number(group_id),
            question=draft.question,
            options=list(draft.options),
            kind=draft.kind.value,
            max_choices=draft.max_choices,
            visibility=draft.visibility.value,
            status=OPEN,
            deadline=deadline,
            remind_at=remind_at,
            reminder_sent=False,
            created_at=now,
            rung=found.rung.value,
            notice_roles=role_bits(found.notice_roles),
            small_roles=chosen.value,
        )
    )
    await uow.commit()
    return poll.id


async def attach_message(
    uow: UnitOfWork, poll_id: int, message_id: int, thread_id: int | None
) -> None:
    poll = await uow.polls.get(poll_id)
    if poll is not None:
        poll.message_id = message_id
        poll.thread_id = thread_id
        await uow.commit()


async def poll_of_message(uow: UnitOfWork, group_id: int, message_id: int) -> int | None:
    """The poll whose message this is (for /close sent as a reply to it)."""
    poll = await uow.polls.by_message(group_id, message_id)
    return None if poll is None else poll.id


async def place_of(uow: UnitOfWork, poll_id: int) -> PollPlace | None:
    poll = await uow.polls.get(poll_id)
    if poll is None:
        return None
    group = await uow.groups.by_id(poll.group_id)
    if group is None:
        return None
    return PollPlace(
        poll.id,
        group.id,
        group.chat_id,
        poll.message_id,
        poll.thread_id,
        group.active,
        poll.results_message_id,
    )


def _rung(value: str | None) -> Rung | None:
    try:
        return None if value is None else Rung(value)
    except ValueError:
        return None


def _small_roles(value: str | None) -> SmallRoles | None:
    try:
        return None if value is None else SmallRoles(value)
    except ValueError:
        return None


async def snapshot(uow: UnitOfWork, poll_id: int, *, min_cell: int) -> PollSnapshot | None:
    """The poll with its tally, from one aggregate query."""
    poll = await uow.polls.get(poll_id)
    if poll is None:
        return None
    group = await uow.groups.by_id(poll.group_id)
    rows = await uow.polls.tally_rows(poll.id, len(poll.options))
    kind = PollKind(poll.kind)
    voters = {Role(role): n for role, n, _ in rows}
    chosen = {
        (Role(role), index): count
        for role, _, counts in rows
        for index, count in enumerate(counts)
        if count
    }
    reasons = await uow.polls.reasons(poll.id) if kind is PollKind.PROPOSAL else []
    return PollSnapshot(
        id=poll.id,
        group_id=poll.group_id,
        question=poll.question,
        options=tuple(poll.options),
        kind=kind,
        max_choices=poll.max_choices,
        visibility=Visibility(poll.visibility),
        closed=poll.status == CLOSED,
        deadline=poll.deadline,
        timezone=group.timezone if group is not None else "Europe/London",
        tally=tally(TallyInput(len(poll.options), voters, chosen, kind)),
        min_cell=min_cell,
        posted_rung=_rung(poll.rung),
        closed_rung=_rung(poll.closed_rung),
        notice_roles=roles_of_bits(poll.notice_roles),
        small_roles=_small_roles(poll.small_roles),
        created_at=poll.created_at,
        closed_at=poll.closed_at,
        reasons=tuple(reasons),
        group_title=group.title if group is not None else "",
        reopened=poll.reopened,
        reopen_until=poll.unlink_after if poll.status == CLOSED and not poll.reopened else None,
    )


class _PollGroups:
    """Which group each poll is in, remembered as a hint for deriving the member key.

    A poll never moves to another group (a supergroup upgrade changes the group's chat id,
    not its row), so the hint cannot go stale in one database; the vote query checks it
    anyway, and a wrong hint (another database, another process's poll ids) costs one more
    query, never a wrong answer. Status, deadline and chat are read fresh on every press.
    """

    LIMIT = 10_000

    def __init__(self) -> None:
        self._groups: dict[int, int] = {}

    def get(self, poll_id: int) -> int | None:
        return self._groups.get(poll_id)

    def remember(self, poll_id: int, group_id: int) -> None:
        if len(self._groups) >= self.LIMIT:
            self._groups.clear()
        self._groups[poll_id] = group_id


_poll_groups = _PollGroups()


def _is_open_at(status: str, deadline: datetime | None, now: datetime) -> bool:
    # A deadline that has passed closes the poll for voting even before the job has run.
    return status == OPEN and (deadline is None or deadline > now)


async def _checked(
    uow: UnitOfWork,
    secret: bytes,
    poll_id: int,
    chat_id: int,
    user_id: int,
    now: datetime,
    claim: UpdateClaim | None = None,
) -> tuple[BallotContext | None, Role | None, VoteOutcome | None]:
    """The poll, the voter's role and current ballot, or the outcome that stops the vote.
    `claim`: the update's claim, made with the same read (REPLAYED if made before)."""
    key = ballot_key(secret, poll_id, user_id)
    hint = _poll_groups.get(poll_id)
    hinted = None if hint is None else member_key(secret, hint, user_id)
    if claim is None:
        found = await uow.polls.ballot_context(poll_id, key, hinted)
    else:
        first, found = await uow.polls.claim_and_context(claim, poll_id, key, hinted)
        if not first:
            return None, None, VoteOutcome(VoteStatus.REPLAYED, poll_id)
    if found is not None and found.group_id != hint:
        # First press on this poll here: now the group is known, ask again with its key.
        _poll_groups.remember(poll_id, found.group_id)
        found = await uow.polls.ballot_context(
            poll_id, key, member_key(secret, found.group_id, user_id)
        )
    admitted = admit(found, poll_id, chat_id, now)
    if isinstance(admitted, VoteOutcome):
        return None, None, admitted
    return found, admitted, None


def admit(
    found: BallotContext | None, poll_id: int, chat_id: int, now: datetime
) -> Role | VoteOutcome:
    """The role a press votes with, or the outcome that stops it: judged on what was read."""
    if found is None:
        return VoteOutcome(VoteStatus.UNKNOWN, poll_id)
    if found.chat_id is None or found.chat_id != chat_id:
        return VoteOutcome(VoteStatus.WRONG_CHAT, poll_id, found.group_id)
    if not _is_open_at(found.status, found.deadline, now):
        return VoteOutcome(VoteStatus.CLOSED, poll_id, found.group_id)
    if found.role is None:
        return VoteOutcome(VoteStatus.NOT_MEMBER, poll_id, found.group_id)
    # The role held when the poll opened: a change made since waits for the next poll.
    held = RoleRecord(found.role, found.previous_role, found.role_applies_from)
    return Role(role_at(held, found.number))


_WRITES = frozenset({VoteStatus.RECORDED, VoteStatus.CHANGED, VoteStatus.WITHDRAWN})


@dataclass(frozen=True, slots=True)
class Judgement:
    """A press judged on the ballot as read (`BallotContext.choices`): its status, and the
    choices the ballot holds after it (None: no ballot). One place decides, for a press
    written alone and for one written in a batch (bot/services/ballot_presses.py)."""

    status: VoteStatus
    after: int | None

    @property
    def writes(self) -> bool:
        return self.status in _WRITES


def judge_vote(poll: BallotContext, option: int) -> Judgement:
    """Single-answer kinds replace the choice; multiple choice toggles it."""
    kind = PollKind(poll.kind)
    before = poll.choices
    if not 0 <= option < len(poll.options):
        return Judgement(VoteStatus.BAD_OPTION, before)
    bit = 1 << option
    after = (before or 0) ^ bit if kind is PollKind.MULTIPLE else bit
    if after == before:
        return Judgement(VoteStatus.UNCHANGED, before)
    if after == 0:  # un-ticking the last option of a multiple-choice ballot withdraws it
        return Judgement(VoteStatus.WITHDRAWN, None)
    try:
        selected = frozenset(i for i in range(len(poll.options)) if after >> i & 1)
        validate_selection(kind, len(poll.options), poll.max_choices, selected)
    except PollInputError:
        return Judgement(VoteStatus.TOO_MANY, before)
    return Judgement(VoteStatus.RECORDED if before is None else VoteStatus.CHANGED, after)


def judge_withdrawal(poll: BallotContext) -> Judgement:
    if poll.choices is None:
        return Judgement(VoteStatus.NOTHING_TO_WITHDRAW, None)
    return Judgement(VoteStatus.WITHDRAWN, None)


def judged_outcome(poll: BallotContext, judged: Judgement, role: Role | None) -> VoteOutcome:
    if judged.status is VoteStatus.BAD_OPTION:
        return VoteOutcome(VoteStatus.BAD_OPTION, poll.poll_id, poll.group_id)
    return _outcome(poll, judged.status, judged.after or 0, role)


def _outcome(
    poll: BallotContext, status: VoteStatus, choices: int, role: Role | None = None
) -> VoteOutcome:
    notice = roles_of_bits(poll.notice_roles)
    return VoteOutcome(
        status=status,
        poll_id=poll.poll_id,
        group_id=poll.group_id,
        chosen=tuple(label for i, label in enumerate(poll.options) if choices >> i & 1),
        kind=PollKind(poll.kind),
        max_choices=poll.max_choices,
        deadline=poll.deadline,
        visibility=Visibility(poll.visibility),
        timezone=poll.timezone,
        notice=notice if status is VoteStatus.RECORDED and role in notice else frozenset(),
    )


# Compare-and-set rounds for a multiple-choice tick racing another replica's tick.
_SWAP_ROUNDS = 5


class BallotRaceError(RuntimeError):
    """A multiple-choice ballot kept changing under this press; nothing was written."""


async def apply_vote(
    uow: UnitOfWork,
    secret: bytes,
    *,
    poll_id: int,
    option: int,
    chat_id: int,
    user_id: int,
    now: datetime,
    claim: UpdateClaim | None = None,
    first_only: bool = False,
) -> VoteOutcome:
    """Judge and write a press in `uow`, without committing: the caller commits, perhaps with
    other presses (bot/services/ballot_batch.py). Single-answer kinds replace the choice;
    multiple choice toggles it. The poll and the current ballot are read in `uow`, so an
    earlier press in the same transaction is seen: presses apply in order.

    Whatever is pressed, and however fast, the person holds one ballot: its key is unique.
    A multiple-choice tick is written only over the ballot it was judged on (compare and
    set), and judged again if another process changed that ballot meanwhile.

    `claim`: the update's claim, made in this transaction with the first read (the guard
    against a second delivery: REPLAYED then, and nothing written).
    `first_only`: write only where the person has no ballot yet (one there is reported
    UNCHANGED); from no ballot a multiple-choice tick can only add, never take one back.
    """
    if claim is not None and not first_only:
        at_once = await _vote_at_once(uow, secret, poll_id, option, chat_id, user_id, now, claim)
        if at_once is not None:
            return at_once
    for _ in range(_SWAP_ROUNDS):
        poll, role, stop = await _checked(uow, secret, poll_id, chat_id, user_id, now, claim)
        claim = None  # made once: judged again after a race, the press reads without it
        if stop is not None or poll is None or role is None:
            return stop or VoteOutcome(VoteStatus.UNKNOWN, poll_id)
        if first_only and poll.choices is not None:
            return _outcome(poll, VoteStatus.UNCHANGED, poll.choices)
        judged = judge_vote(poll, option)
        if not judged.writes:
            return judged_outcome(poll, judged, role)
        if await _write_judged(uow, ballot_key(secret, poll_id, user_id), poll, role, judged):
            return judged_outcome(poll, judged, role)
    raise BallotRaceError("the ballot kept changing; the press is not counted")


async def _vote_at_once(
    uow: UnitOfWork,
    secret: bytes,
    poll_id: int,
    option: int,
    chat_id: int,
    user_id: int,
    now: datetime,
    claim: UpdateClaim,
) -> VoteOutcome | None:
    """PostgreSQL, a press alone: read, judge, then claim and write in one statement that
    writes only while the poll is open (storage/votes_at_once.py): two round trips instead of
    four. None, with nothing claimed or written, where the transactional way must decide: a
    poll this process has not seen yet (its group is learnt there), no such poll, a
    multiple-choice tick (compare and set) or SQLite."""
    hint = _poll_groups.get(poll_id)
    if hint is None:
        return None
    key = ballot_key(secret, poll_id, user_id)
    async with uow.votes_at_once() as quick:
        if quick is None:
            return None
        found = await quick.context(poll_id, key, member_key(secret, hint, user_id))
        if found is None or found.group_id != hint or PollKind(found.kind) is PollKind.MULTIPLE:
            return None
        admitted = admit(found, poll_id, chat_id, now)
        if isinstance(admitted, VoteOutcome):  # closed, forwarded copy, no role: said so once
            return admitted if await quick.claim(claim) else _replayed(poll_id)
        judged = judge_vote(found, option)
        if not judged.writes or judged.after is None:
            outcome = judged_outcome(found, judged, admitted)
            return outcome if await quick.claim(claim) else _replayed(poll_id)
        claimed, written = await quick.vote(
            claim,
            poll_id=poll_id,
            ballot_key=key,
            role=admitted.value,
            choices=judged.after,
            now=now,
        )
    if not claimed:
        return _replayed(poll_id)
    if not written:  # it closed between the read and the write
        return VoteOutcome(VoteStatus.CLOSED, poll_id, found.group_id)
    return judged_outcome(found, judged, admitted)


def _replayed(poll_id: int) -> VoteOutcome:
    return VoteOutcome(VoteStatus.REPLAYED, poll_id)


async def _write_judged(
    uow: UnitOfWork, key: str, poll: BallotContext, role: Role, judged: Judgement
) -> bool:
    """Write what the press was judged to leave; False if the ballot changed under a
    multiple-choice tick since it was read, to be read and judged again."""
    before = poll.choices  # read in the same query as the poll
    if judged.after is None:
        return await uow.polls.remove_ballot(poll.poll_id, key, holding=before)
    if PollKind(poll.kind) is PollKind.MULTIPLE:
        return await uow.polls.swap_ballot(poll.poll_id, key, role.value, before, judged.after)
    # One answer replaces another: the last press wins, whatever was there.
    await uow.polls.put_ballot(poll.poll_id, key, role.value, judged.after)
    return True


@dataclass(frozen=True, slots=True)
class OpenChoice:
    """What a person pressed before joining, as the role choice shows it back to them."""

    question: str
    label: str


async def open_choice(
    uow: UnitOfWork, group_id: int, poll_id: int, option: int, now: datetime
) -> OpenChoice | None:
    """The option of an open poll of this group; None for a closed poll, another group's or
    an option it does not have (the carried vote is then simply not offered)."""
    poll = await uow.polls.get(poll_id)
    if poll is None or poll.group_id != group_id or not 0 <= option < len(poll.options):
        return None
    if not _is_open_at(poll.status, poll.deadline, now):
        return None
    return OpenChoice(poll.question, poll.options[option])


async def cast_carried_vote(
    uow: UnitOfWork,
    secret: bytes,
    *,
    poll_id: int,
    option: int,
    chat_id: int,
    user_id: int,
    now: datetime,
) -> VoteOutcome:
    """The vote pressed before joining, cast once the person has a role (see `apply_vote`;
    the caller commits). Only as a first ballot: one already there (a vote given in the group
    since, or the role button pressed twice) stands as it is, and is reported UNCHANGED."""
    return await apply_vote(
        uow,
        secret,
        poll_id=poll_id,
        option=option,
        chat_id=chat_id,
        user_id=user_id,
        now=now,
        first_only=True,
    )


async def apply_withdrawal(
    uow: UnitOfWork,
    secret: bytes,
    *,
    poll_id: int,
    chat_id: int,
    user_id: int,
    now: datetime,
    claim: UpdateClaim | None = None,
) -> VoteOutcome:
    """Remove the person's ballot in `uow`, without committing (see `apply_vote`)."""
    poll, _, stop = await _checked(uow, secret, poll_id, chat_id, user_id, now, claim)
    if stop is not None or poll is None:
        return stop or VoteOutcome(VoteStatus.UNKNOWN, poll_id)
    removed = await uow.polls.remove_ballot(poll.poll_id, ballot_key(secret, poll.poll_id, user_id))
    return _outcome(poll, VoteStatus.WITHDRAWN if removed else VoteStatus.NOTHING_TO_WITHDRAW, 0)


async def has_voted(uow: UnitOfWork, secret: bytes, poll_id: int, user_id: int) -> bool:
    return await uow.polls.ballot_choices(poll_id, ballot_key(secret, poll_id, user_id)) is not None


# How long after a close a facilitator may reopen the poll (issue 14, point 4). Its ballot
# keys stay linked that long, no longer: then they are unlinked, and it cannot be reopened.
REOPEN_WINDOW = timedelta(minutes=10)


async def close_poll(
    uow: UnitOfWork,
    poll_id: int,
    now: datetime,
    *,
    bar: Bar = DEFAULT_BAR,
    reopen_window: timedelta = REOPEN_WINDOW,
) -> bool:
    """Close it once: True for the one caller (of any process) that actually closed it.

    Its ballots and reasons are unlinked (storage/unlinking.py): a closed poll's votes stay in
    its results and can no longer be traced to anyone, even by someone holding the database
    and the secret. Not at once while it may be reopened: `reopen_window` after the close
    (`finish_closing`, by its alarm or the sweep, after a restart too); at once when there is
    no window (a zero setting, or a poll closing for the second time). The rung it closes on
    is fixed here too, from how many of each role voted (bot/domain/disclosure.py): it can
    only go down, across a reopening too.
    """
    poll = await uow.polls.get(poll_id)
    window = reopen_window if poll is not None and not poll.reopened else timedelta(0)
    keep = now + window if window > timedelta(0) else None
    closed = await uow.polls.claim_close(poll_id, now, keep)
    if closed:
        if keep is None:
            await uow.polls.unlink_voters(poll_id)
            await _settle_role_changes(uow, poll_id)
        await _judge_at_close(uow, poll_id, bar)
    await uow.commit()
    if closed and keep is None:
        await uow.scrub()  # the old keys, out of the write-ahead log too
    return closed


async def finish_closing(uow: UnitOfWork, poll_id: int, now: datetime | None) -> bool:
    """The end of a closed poll's reopen window (`now` None: at once): its keys are
    unlinked, and it can no longer be reopened. True for the one caller that did it."""
    claimed = await uow.polls.claim_unlinking(poll_id, now)
    if claimed:
        await uow.polls.unlink_voters(poll_id)
        await _settle_role_changes(uow, poll_id)
    await uow.commit()
    if claimed:
        await uow.scrub()
    return claimed


class Reopened(StrEnum):
    REOPENED = "reopened"
    ALREADY_OPEN = "already_open"  # a second press, or it was open all along
    ONCE_ONLY = "once_only"  # reopened before: it stays closed
    TOO_LATE = "too_late"  # the window is over: its keys are unlinked
    UNKNOWN = "unknown"


async def reopen_poll(uow: UnitOfWork, poll_id: int, now: datetime) -> Reopened:
    """Open a closed poll again, within its window: every ballot is still keyed, so a vote
    given now replaces the person's earlier one. What it will publish when it closes again
    is at most what it published the first time: the rung it closed on becomes its ceiling
    (bot/domain/disclosure.py `closing_rung`), so a second result never shows more figures."""
    if await uow.polls.claim_reopen(poll_id, now):
        poll = await uow.polls.get(poll_id)
        if poll is not None and poll.closed_rung is not None:
            poll.rung = poll.closed_rung
        await uow.commit()
        return Reopened.REOPENED
    poll = await uow.polls.get(poll_id)
    await uow.commit()
    if poll is None:
        return Reopened.UNKNOWN
    if poll.status == OPEN:
        return Reopened.ALREADY_OPEN
    if poll.reopened:
        return Reopened.ONCE_ONLY
    return Reopened.TOO_LATE


async def due_to_unlink(uow: UnitOfWork, now: datetime) -> list[int]:
    return await uow.polls.due_to_unlink(now)


async def unlink_pending(uow: UnitOfWork) -> list[tuple[int, datetime]]:
    return await uow.polls.unlink_pending()


async def results_posted(uow: UnitOfWork, poll_id: int, message_id: int) -> None:
    """Remember the results message: it is edited when the poll is reopened, and loses its
    Reopen button when the window ends."""
    poll = await uow.polls.get(poll_id)
    if poll is not None:
        poll.results_message_id = message_id
        await uow.commit()


async def _judge_at_close(uow: UnitOfWork, poll_id: int, bar: Bar) -> None:
    poll = await uow.polls.get(poll_id)
    if poll is None:
        return
    rows = await uow.polls.tally_rows(poll.id, len(poll.options))
    voters = {Role(role): n for role, n, _ in rows}
    rung = await asyncio.to_thread(
        closing_rung,
        PollKind(poll.kind),
        len(poll.options),
        voters,
        posted=_rung(poll.rung),
        small_roles=_small_roles(poll.small_roles),
        bar=bar,
    )
    poll.closed_rung = rung.value


async def set_small_roles(uow: UnitOfWork, group_id: int, choice: SmallRoles) -> None:
    """The group's default for new polls whose equal-weight result could give a role away."""
    group = await uow.groups.by_id(group_id)
    if group is not None:
        group.small_roles = choice.value
        await uow.commit()


async def _settle_role_changes(uow: UnitOfWork, poll_id: int) -> None:
    """A change of role waits for the polls opened before it: once the last of them has
    closed, the role before the change is forgotten (bot/domain/role_changes.py)."""
    poll = await uow.polls.get(poll_id)
    if poll is None:
        return
    still_open = await uow.polls.open_numbers(poll.group_id)
    await uow.members.settle_role_changes(poll.group_id, min(still_open, default=None))


# Long enough to outlast the rate limiter's waits (a 429's retry_after, three times).
LEASE = timedelta(minutes=10)


async def lease_reminder(uow: UnitOfWork, poll_id: int, now: datetime) -> bool:
    """Claim the poll's reminder: sent by one process, retried after the lease if it died."""
    claimed = await uow.polls.lease_reminder(poll_id, now, now + LEASE)
    await uow.commit()
    return claimed


async def reminder_sent(uow: UnitOfWork, poll_id: int) -> None:
    await uow.polls.reminder_done(poll_id)
    await uow.commit()


async def lease_announcement(uow: UnitOfWork, poll_id: int, now: datetime) -> bool:
    """Claim posting a closed poll's results, the same way as reminders."""
    claimed = await uow.polls.lease_announcement(poll_id, now, now + LEASE)
    await uow.commit()
    return claimed


async def announced(uow: UnitOfWork, poll_id: int) -> None:
    await uow.polls.announcement_done(poll_id)
    # Again: a press judged just before the close may have been written just after it. (In
    # the reopen window the keys are kept on purpose: `finish_closing` unlinks them all.)
    poll = await uow.polls.get(poll_id)
    late = 0
    if poll is not None and poll.unlink_after is None and poll.status == CLOSED:
        late = await uow.polls.unlink_voters(poll_id)
    await uow.commit()
    if late:
        await uow.scrub()


async def unannounced(uow: UnitOfWork, now: datetime) -> list[int]:
    return await uow.polls.unannounced(now)


async def due_to_close(uow: UnitOfWork, now: datetime) -> list[int]:
    return await uow.polls.due_to_close(now)


async def due_reminders(uow: UnitOfWork, now: datetime) -> list[int]:
    return await uow.polls.due_reminders(now)


@dataclass(frozen=True, slots=True)
class ScheduledPoll:
    poll_id: int
    deadline: datetime
    remind_at: datetime | None


async def scheduled_polls(uow: UnitOfWork) -> list[ScheduledPoll]:
    """What the JobQueue must know about after a restart."""
    return [
        ScheduledPoll(p.id, p.deadline, None if p.reminder_sent else p.remind_at)
        for p in await uow.polls.open_with_times()
        if p.deadline is not None
    ]


async def give_reason(
    uow: UnitOfWork, secret: bytes, *, poll_id: int, user_id: int, text: str, now: datetime
) -> bool:
    """Keep a reason if the person's ballot still says Disagree or Block and the poll is open.

    One reason per person: writing again replaces it.
    """
    poll = await uow.polls.get(poll_id, for_writing=True)  # no close (and unlinking) meanwhile
    if poll is None or PollKind(poll.kind) is not PollKind.PROPOSAL:
        return False
    if not _is_open_at(poll.status, poll.deadline, now):
        return False
    choices = await uow.polls.ballot_choices(poll.id, ballot_key(secret, poll.id, user_id))
    option = next((i for i in REASON_OPTIONS if choices is not None and choices >> i & 1), None)
    if option is None:
        return False
    await uow.polls.put_reason(poll.id, reason_key(secret, poll.id, user_id), option, text)
    await uow.commit()
    return True


async def drop_reason(uow: UnitOfWork, secret: bytes, *, poll_id: int, user_id: int) -> None:
    """Someone who no longer disagrees (or withdrew) takes their reason back with the vote."""
    await uow.polls.drop_reason(poll_id, reason_key(secret, poll_id, user_id))
    await uow.commit()


async def group_polls(
    uow: UnitOfWork, group_id: int, *, min_cell: int, recent: int = 5
) -> tuple[list[PollSnapshot], list[PollSnapshot]]:
    """Open polls and the most recent closed ones, for /polls."""
    found: list[list[PollSnapshot]] = []
    for status in (OPEN, CLOSED):
        rows = await uow.polls.of_group(
            group_id, status=status, limit=20 if status == OPEN else recent
        )
        found.append(
            [s for p in rows if (s := await snapshot(uow, p.id, min_cell=min_cell)) is not None]
        )
    return found[0], found[1]


async def decision_log(uow: UnitOfWork, group_id: int, *, min_cell: int) -> list[PollSnapshot]:
    polls = await uow.polls.closed_of_group(group_id)
    return [s for p in polls if (s := await snapshot(uow, p.id, min_cell=min_cell)) is not None]


async def set_anyone_can_poll(uow: UnitOfWork, group_id: int, allowed: bool) -> None:
    group = await uow.groups.by_id(group_id)
    if group is not None:
        group.anyone_can_poll = allowed
        await uow.commit()
