"""When a change of role takes effect: never for a poll that is already open (issue 12.4).

A ballot counts under the role its voter held when the poll opened. Otherwise a staff member
could switch to "service user" with /role, vote, and switch back: the service users' shares
would then be shown for one more voter than there are, and subtracting their own ballot
would give the real service users' votes away.

Polls are numbered per group as they open (1, 2, 3...). A membership keeps its role, and,
while a change is settling, the role before it and the number of the first poll the new role
applies to. No date is stored (a date beside a role can be matched against the group's
history; see storage/models.py Membership): only a poll number, and only until every poll
opened before the change has closed.

One change settles at a time. A second change while polls opened before the first are still
open is refused, kindly, unless no open poll counts the role being left: then the person is
only correcting the first change (a mis-tap, a change of mind), and nothing they voted under
can move.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class RoleRecord:
    """What a membership keeps. Polls numbered `applies_from` and later count `role`;
    earlier ones count `previous` (both None when no change is settling)."""

    role: str
    previous: str | None = None
    applies_from: int | None = None

    def settling(self) -> bool:
        return self.previous is not None and self.applies_from is not None


def role_at(record: RoleRecord, poll_number: int) -> str:
    """The role a ballot in the poll numbered `poll_number` counts under."""
    if record.settling() and poll_number < (record.applies_from or 0):
        return record.previous or record.role
    return record.role


class ChangeKind(StrEnum):
    NEW = "new"  # joined the group: the role counts in every poll, open ones included
    UNCHANGED = "unchanged"  # the role they already hold
    NOW = "now"  # no open poll counts an older role: the new one applies to everything
    FROM_NEXT_POLL = "from_next_poll"  # open polls keep the old role; new polls count this
    REFUSED = "refused"  # an earlier change is still settling: nothing is changed


@dataclass(frozen=True, slots=True)
class RoleChange:
    kind: ChangeKind
    record: RoleRecord | None  # what to store; None when nothing is to be written
    open_polls_keeping: int = 0  # open polls that count `kept_role`, not the new one
    kept_role: str | None = None


def plan_change(
    current: RoleRecord | None, new: str, open_polls: Sequence[int], last_opened: int
) -> RoleChange:
    """What choosing `new` does, given the person's record, the numbers of the group's open
    polls and the number of the last poll opened there."""
    if current is None:
        return RoleChange(ChangeKind.NEW, RoleRecord(new))
    start = current.applies_from or 0
    older = [n for n in open_polls if n < start] if current.settling() else []
    if older:
        assert current.previous is not None
        if any(n >= start for n in open_polls):
            # Open polls count the previous role and others the current one: a third role
            # now would let one person count under two roles that are both still open.
            return RoleChange(ChangeKind.REFUSED, None, len(older), current.previous)
        if new == current.previous:  # back to the role every open poll counts anyway
            return RoleChange(ChangeKind.NOW, RoleRecord(new))
        if new == current.role:
            return RoleChange(ChangeKind.UNCHANGED, None)
        # Nothing was counted under the role being left: the first change is corrected.
        corrected = RoleRecord(new, current.previous, current.applies_from)
        return RoleChange(ChangeKind.FROM_NEXT_POLL, corrected, len(older), current.previous)
    if new == current.role:
        return RoleChange(ChangeKind.UNCHANGED, None)
    if not open_polls:
        return RoleChange(ChangeKind.NOW, RoleRecord(new))
    settling = RoleRecord(new, current.role, last_opened + 1)
    return RoleChange(ChangeKind.FROM_NEXT_POLL, settling, len(open_polls), current.role)


def settled(record: RoleRecord, oldest_open: int | None) -> bool:
    """Whether a settling change can be forgotten: no open poll was opened before it."""
    return record.settling() and (oldest_open is None or oldest_open >= (record.applies_from or 0))
