"""When a change of role takes effect (bot/domain/role_changes.py): never in an open poll."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.role_changes import (
    ChangeKind,
    RoleRecord,
    plan_change,
    role_at,
    settled,
)

STAFF, SU, CARER = "staff", "service_user", "carer"


def test_joining_counts_at_once_even_in_open_polls() -> None:
    change = plan_change(None, CARER, open_polls=[3, 4], last_opened=4)
    assert change.kind is ChangeKind.NEW and change.record == RoleRecord(CARER)
    assert role_at(RoleRecord(CARER), 3) == CARER


def test_with_no_poll_open_a_change_counts_at_once() -> None:
    change = plan_change(RoleRecord(STAFF), SU, open_polls=[], last_opened=7)
    assert change.kind is ChangeKind.NOW and change.record == RoleRecord(SU)


def test_open_polls_keep_the_old_role_and_the_next_poll_counts_the_new_one() -> None:
    change = plan_change(RoleRecord(STAFF), SU, open_polls=[5, 7], last_opened=7)
    assert change.kind is ChangeKind.FROM_NEXT_POLL
    assert (change.open_polls_keeping, change.kept_role) == (2, STAFF)
    record = change.record
    assert record == RoleRecord(SU, STAFF, 8)
    assert [role_at(record, n) for n in (5, 7, 8, 9)] == [STAFF, STAFF, SU, SU]


def test_switching_back_before_a_new_poll_opens_undoes_the_change() -> None:
    """The attack: staff -> service user -> vote -> staff. The vote counted as staff, and
    switching back leaves nothing settling."""
    switched = plan_change(RoleRecord(STAFF), SU, open_polls=[5], last_opened=5).record
    assert switched is not None and role_at(switched, 5) == STAFF
    back = plan_change(switched, STAFF, open_polls=[5], last_opened=5)
    assert back.kind is ChangeKind.NOW and back.record == RoleRecord(STAFF)


def test_a_second_change_is_refused_while_open_polls_count_two_roles() -> None:
    switched = RoleRecord(SU, STAFF, 6)  # staff -> service user while poll 5 was open
    change = plan_change(switched, CARER, open_polls=[5, 6], last_opened=6)
    assert change.kind is ChangeKind.REFUSED and change.record is None
    assert (change.open_polls_keeping, change.kept_role) == (1, STAFF)
    # Switching back is refused too: poll 6 counts them as a service user already.
    assert plan_change(switched, STAFF, open_polls=[5, 6], last_opened=6).kind is (
        ChangeKind.REFUSED
    )


def test_a_correction_before_any_new_poll_keeps_the_old_role_for_open_polls() -> None:
    switched = RoleRecord(SU, STAFF, 6)
    change = plan_change(switched, CARER, open_polls=[5], last_opened=5)
    assert change.kind is ChangeKind.FROM_NEXT_POLL and change.record == RoleRecord(CARER, STAFF, 6)
    # A poll opened after the change has closed already: nothing open counts the service user.
    change = plan_change(switched, CARER, open_polls=[5], last_opened=6)
    assert change.record == RoleRecord(CARER, STAFF, 6)


def test_once_the_older_polls_close_the_change_is_settled() -> None:
    switched = RoleRecord(SU, STAFF, 6)
    assert not settled(switched, oldest_open=5)
    assert settled(switched, oldest_open=6) and settled(switched, oldest_open=None)
    assert not settled(RoleRecord(SU), oldest_open=None)  # nothing to settle
    change = plan_change(switched, CARER, open_polls=[6, 7], last_opened=7)
    assert change.kind is ChangeKind.FROM_NEXT_POLL and change.record == RoleRecord(CARER, SU, 8)


roles = st.sampled_from([STAFF, SU, CARER])


@given(
    start=roles,
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("open"), st.none()),
            st.tuples(st.just("close"), st.integers(0, 10)),
            st.tuples(st.just("role"), roles),
        ),
        max_size=25,
    ),
)
def test_no_open_poll_ever_changes_the_role_it_counts(
    start: str, steps: list[tuple[str, object]]
) -> None:
    """Whatever sequence of polls opening, closing and role changes: the role a poll counts
    a person under never changes while the poll is open."""
    record, last, open_polls = RoleRecord(start), 0, []
    counted: dict[int, str] = {}
    for action, value in steps:
        if action == "open":
            last += 1
            open_polls.append(last)
            counted[last] = role_at(record, last)
        elif action == "close" and open_polls:
            open_polls.pop(int(str(value)) % len(open_polls))
            if settled(record, min(open_polls, default=None)):
                record = RoleRecord(record.role)
        elif action == "role":
            change = plan_change(record, str(value), open_polls, last)
            if change.record is not None:
                record = change.record
        for number in open_polls:
            assert role_at(record, number) == counted[number]
