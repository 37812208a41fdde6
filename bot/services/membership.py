"""Joining a group with a role, changing it, and the right to see and erase it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.join_link import CarriedVote, read_join, sign_join, sign_join_with_vote
from bot.domain.keyed_hash import language_key, member_key, person_key
from bot.domain.personal_data import AlsoStored
from bot.domain.role_changes import RoleChange, RoleRecord, plan_change
from bot.domain.roles import ROLES, Role
from bot.services import feedback_replies
from bot.services.groups import GroupInfo
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Held:
    """One role a person holds, as they may see it about themselves."""

    group: GroupInfo
    role: Role
    earlier: Role | None = None  # the role before a change still settling (open polls)


def join_payload(secret: bytes, group: GroupInfo) -> str:
    return sign_join(secret, group.id)


def join_payload_with_vote(secret: bytes, group: GroupInfo, vote: CarriedVote) -> str:
    """The join link for someone who pressed `vote` before joining: it carries the vote."""
    return sign_join_with_vote(secret, group.id, vote)


async def group_for_payload(uow: UnitOfWork, secret: bytes, payload: str) -> GroupInfo | None:
    """The active group a join payload was signed for; None if forged, stale or unknown."""
    found = await join_target(uow, secret, payload)
    return None if found is None else found[0]


async def join_target(
    uow: UnitOfWork, secret: bytes, payload: str
) -> tuple[GroupInfo, CarriedVote | None] | None:
    """The active group a join payload was signed for, with the vote it carries if any;
    None if forged, stale or unknown."""
    target = read_join(secret, payload)
    if target is None:
        return None
    group = await uow.groups.by_id(target.group_id)
    if group is None or not group.active:
        return None
    return GroupInfo.of(group), target.vote


async def role_in(uow: UnitOfWork, secret: bytes, group_id: int, user_id: int) -> Role | None:
    membership = await uow.members.get(group_id, member_key(secret, group_id, user_id))
    return None if membership is None else Role(membership.role)


async def choose_role(
    uow: UnitOfWork, secret: bytes, group_id: int, user_id: int, role: Role
) -> RoleChange:
    """Store the person's role in the group, or a change of it that waits for the polls open
    now to close (bot/domain/role_changes.py); refused while an earlier change still settles.
    """
    key = member_key(secret, group_id, user_id)
    # Under the group's lock: two presses at once (a double tap on two replicas) are planned
    # one after the other, each on what the other wrote.
    await uow.members.lock_group(group_id)
    group = await uow.groups.by_id(group_id)
    row = await uow.members.get(group_id, key)
    current = (
        None if row is None else RoleRecord(row.role, row.previous_role, row.role_applies_from)
    )
    change = plan_change(
        current,
        role.value,
        await uow.polls.open_numbers(group_id),
        0 if group is None else group.polls_opened,
    )
    if change.record is not None:
        await uow.members.put(
            group_id,
            key,
            change.record.role,
            previous_role=change.record.previous,
            role_applies_from=change.record.applies_from,
        )
    await uow.commit()
    return change


async def left_group(uow: UnitOfWork, secret: bytes, chat_id: int, user_id: int) -> bool:
    """The person left the group or was removed: their role there goes (their ballots stay,
    anonymous, as after /forgetme). True when there was one."""
    group = await uow.groups.by_chat(chat_id)
    if group is None:
        return False
    erased = await uow.members.delete_keys([member_key(secret, group.id, user_id)])
    await uow.commit()
    if erased:
        await uow.scrub()  # the old role's key, out of the write-ahead log too
    return erased > 0


async def _keys_for(uow: UnitOfWork, secret: bytes, user_id: int) -> dict[str, int]:
    # Keys differ per group by design, so finding a person's rows means deriving their key
    # for every group; thousands of HMACs take about a millisecond.
    group_ids = await uow.groups.all_ids()
    return {member_key(secret, gid, user_id): gid for gid in group_ids}


async def held_roles(uow: UnitOfWork, secret: bytes, user_id: int) -> list[Held]:
    """Everything stored about this person: which groups, which role (no date is kept)."""
    keys = await _keys_for(uow, secret, user_id)
    rows = await uow.members.find_any(list(keys))
    groups = {g.id: g for g in await uow.groups.by_ids([row.group_id for row in rows])}
    held = [
        Held(
            group=GroupInfo.of(groups[row.group_id]),
            role=Role(row.role),
            earlier=None if row.previous_role is None else Role(row.previous_role),
        )
        for row in rows
        if row.group_id in groups and keys.get(row.member_key) == row.group_id
    ]
    return sorted(held, key=lambda h: h.group.title.casefold())


async def forget(uow: UnitOfWork, secret: bytes, user_id: int) -> int:
    """Erase every membership and role of this person, and what hangs off them.

    Returns how many memberships were erased.
    """
    keys = await _keys_for(uow, secret, user_id)
    erased = await uow.members.delete_keys(list(keys))
    key = person_key(secret, user_id)
    draft = await uow.poll_drafts.by_owner(key)
    if draft is not None:  # a poll they were setting up names its group and their question
        await uow.poll_drafts.remove(draft.id)
    meeting_draft = await uow.meeting_drafts.by_owner(key)
    if meeting_draft is not None:  # so does a meeting they typed and never saved
        await uow.meeting_drafts.remove(meeting_draft.id)
    # That they opened a private chat with the bot (it is noted again if they write again).
    await uow.reachable.remove(key)
    # Personal meeting reminders they asked for hold their chat id: those go too.
    await uow.meeting_reminders.delete_opt_ins_of(key)
    # Where facilitators could reply to their feedback (the private chat id is theirs).
    await feedback_replies.close_all_of(uow, secret, user_id)
    # The language they read (it is noted again, from Telegram's setting, if they write again).
    await uow.languages.remove(language_key(secret, user_id))
    await uow.commit()
    await uow.scrub()  # what was erased, out of the write-ahead log too
    return erased


async def also_stored(uow: UnitOfWork, secret: bytes, user_id: int) -> AlsoStored:
    key = person_key(secret, user_id)
    draft = await uow.poll_drafts.by_owner(key)
    group = None if draft is None else await uow.groups.by_id(draft.group_id)
    meeting_draft = await uow.meeting_drafts.by_owner(key)
    meeting_group = (
        None if meeting_draft is None else await uow.groups.by_id(meeting_draft.group_id)
    )
    return AlsoStored(
        draft_group=None if group is None else group.title,
        meeting_draft_group=None if meeting_group is None else meeting_group.title,
        reminder_requests=await uow.meeting_reminders.count_opt_ins_of(key),
        reachable=bool(await uow.reachable.known([key])),
        reply_channels=await feedback_replies.count_of(uow, secret, user_id),
    )


async def role_counts(uow: UnitOfWork, group_id: int) -> dict[Role, int]:
    counts = await uow.members.role_counts(group_id)
    return {role: counts.get(role.value, 0) for role in ROLES}
