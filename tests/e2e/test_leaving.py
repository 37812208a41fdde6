"""A role does not outlive leaving the group (issue 13.3), through the real Application.

However Telegram tells the bot (the "X left" message, a `chat_member` update to an admin bot,
or nothing at all in a group that hides such messages), someone who left or was banned is
no longer counted, cannot vote, answer a meeting or see results, and is not the hidden
"last member" behind a role tag.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.domain.poll_rules import PollKind, Visibility, validate_draft
from bot.domain.roles import Role
from bot.facilitators import PRESENCE_CACHE_SECONDS, PresenceCache
from bot.harness import SandboxBot
from bot.sandbox import FakeMessage, FakeUser
from bot.sandbox.faults import FaultKind
from bot.scheduling.poll_jobs import post_poll
from bot.services import groups, polls
from storage.models import Ballot, MeetingRsvp
from tests.e2e.audit_helpers import FakeClock
from tests.e2e.feedback_helpers import labels, write
from tests.e2e.meeting_helpers import plan_meeting
from tests.e2e.poll_helpers import (
    Circle,
    ask_members,
    button,
    context_of,
    joined_circle,
    stored_role_counts,
    vote,
)
from tests.e2e.test_meetings import _in_days, _typed

REFUSED = "Only people in this group"


async def after_voting_poll(bot: SandboxBot, circle: Circle) -> FakeMessage:
    draft = validate_draft(
        "Move the forum to Thursdays?",
        ("Yes", "No"),
        PollKind.SINGLE,
        None,
        Visibility.AFTER_VOTING,
    )
    async with bot.uow() as uow:
        group = await groups.find_group(uow, circle.group.id)
        assert group is not None
        poll_id = await polls.create_poll(uow, group.id, draft, now=datetime.now(UTC))
    assert await post_poll(context_of(bot), group, poll_id, thread_id=None)
    return bot.last(circle.group)


async def count(bot: SandboxBot, table: type[Ballot] | type[MeetingRsvp]) -> int:
    async with bot.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(table)) or 0)


def install_clock(bot: SandboxBot) -> FakeClock:
    """The bot's in-group cache, on a clock the test moves."""
    clock = FakeClock()
    bot.app.bot_data.presence = PresenceCache(clock=clock)
    return clock


async def leave(bot: SandboxBot, circle: Circle, who: FakeUser, how: str) -> None:
    if how == "admin bot, hidden message":
        bot.tg.make_bot_admin(circle.group)
        await bot.deliver()
    bot.tg.remove_member(
        circle.group, who, banned=how == "banned", announced=how in {"left", "banned"}
    )
    await bot.deliver()
    if how == "unreported":
        # Nothing told the bot: what it knew of the person lasts until the cache runs out.
        clock = bot.app.bot_data.presence._clock
        assert isinstance(clock, FakeClock), "install_clock(bot) first"
        clock.advance(PRESENCE_CACHE_SECONDS + 1)


HOWS = ["left", "banned", "admin bot, hidden message", "unreported"]


@pytest.mark.parametrize("how", HOWS)
async def test_someone_who_left_cannot_vote_answer_or_see_results(
    bot: SandboxBot, how: str
) -> None:
    install_clock(bot)
    circle = await joined_circle(bot)
    poll = await after_voting_poll(bot, circle)
    meeting = await plan_meeting(bot, circle, f"{_typed(_in_days(4))} | Forum | Room 3")
    carers = circle.members[Role.CARER]
    leaver = carers[0]
    assert "Yes" in await vote(bot, leaver, poll, "Yes")  # voted while in the group
    await leave(bot, circle, leaver, how)

    refused = await bot.press(leaver, poll, data=button(poll, "No"))
    assert refused is not None and REFUSED in refused["text"] and refused["show_alert"]
    again = await bot.press(leaver, poll, data=button(poll, "No"))  # a second tap: the same
    assert again is not None and REFUSED in again["text"]
    async with bot.uow() as uow:
        snap = await polls.snapshot(uow, 1, min_cell=3)
    assert snap is not None and snap.tally.raw == (1, 0)  # the ballot cast before stays as it was
    withdraw = await bot.press(leaver, poll, data=button(poll, "Withdraw"))
    assert withdraw is not None and REFUSED in withdraw["text"]
    results = await bot.press_raw(leaver, circle.group, poll.message_id, "s:1")
    assert results is not None and "Only people in this group" in results["text"]
    assert not [m for m in bot.tg.messages(bot.private(leaver)) if "Thursdays" in (m.text or "")]

    rsvp = await bot.press(leaver, meeting, data=button(meeting, "Coming"))
    assert rsvp is not None and REFUSED in rsvp["text"]
    assert await count(bot, MeetingRsvp) == 0

    # The people still in the group are not affected.
    stayer = carers[1]
    assert "No" in await vote(bot, stayer, poll, "No")
    answer = await bot.press(stayer, meeting, data=button(meeting, "Coming"))
    assert answer is not None and "Thanks" in answer["text"]
    assert await count(bot, MeetingRsvp) == 1
    shown = await bot.press_raw(stayer, circle.group, poll.message_id, "s:1")
    assert shown is not None and "when the poll closes" in shown["text"]  # never while open


@pytest.mark.parametrize("how", HOWS[:3])
async def test_members_no_longer_counts_someone_who_left(bot: SandboxBot, how: str) -> None:
    circle = await joined_circle(bot)
    assert "Carers: 3" in await ask_members(bot, circle.fiona, circle.group)
    await leave(bot, circle, circle.members[Role.CARER][0], how)
    counts = await ask_members(bot, circle.fiona, circle.group)
    assert "Carers: fewer than 3" in counts and "Carers: 3" not in counts
    assert await stored_role_counts(bot, circle.group) == {
        Role.SERVICE_USER: 3,
        Role.CARER: 2,
        Role.STAFF: 4,
    }


async def test_the_last_members_of_a_role_are_not_offered_a_tag_that_names_them(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    carers = circle.members[Role.CARER]
    preview = await write(bot, carers[2], "The room is too cold")
    assert any("carer" in label for label in labels(preview))  # three carers: one of three
    for gone in carers[:2]:
        await leave(bot, circle, gone, "left")
    # One carer left in the group: "a carer wrote this" would name her.
    preview = await write(bot, carers[2], "The room is still too cold")
    assert not any("carer" in label.lower() for label in labels(preview)), labels(preview)


async def test_someone_who_comes_back_can_join_and_vote_again(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    poll = await after_voting_poll(bot, circle)
    leaver = circle.members[Role.STAFF][0]
    await leave(bot, circle, leaver, "left")
    refused = await bot.press(leaver, poll, data=button(poll, "Yes"))
    assert refused is not None and REFUSED in refused["text"]
    bot.tg.add_member(circle.group, leaver)
    await bot.deliver()
    welcome = next(m for m in bot.tg.messages(circle.group) if "Join" in labels(m))
    await bot.follow_join(leaver, welcome)  # the role went with leaving: chosen again
    await bot.press(leaver, bot.last(bot.private(leaver)), text="Staff")
    assert "Yes" in await vote(bot, leaver, poll, "Yes")
    assert await count(bot, Ballot) == 1


async def test_membership_is_asked_of_telegram_once_per_two_minutes(bot: SandboxBot) -> None:
    """The price of the check: one getChatMember per person per two minutes, and a leave
    nobody reported is caught once that time is up."""
    clock = install_clock(bot)
    circle = await joined_circle(bot)
    poll = await after_voting_poll(bot, circle)
    sam = circle.members[Role.SERVICE_USER][0]
    before = len(bot.tg.calls_to("getChatMember"))
    for label in ("Yes", "No", "Yes"):
        assert label in await vote(bot, sam, poll, label)
    assert len(bot.tg.calls_to("getChatMember")) == before + 1
    await leave(bot, circle, sam, "unreported")
    assert clock.now > PRESENCE_CACHE_SECONDS
    refused = await bot.press(sam, poll, data=button(poll, "No"))
    assert refused is not None and REFUSED in refused["text"]


@pytest.mark.parametrize("kind", ["500", "timeout"])
async def test_a_vote_still_counts_when_telegram_cannot_say_who_is_in_the_group(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture, kind: FaultKind
) -> None:
    """Refusing every press while Telegram is slow would silence the whole group: the press
    goes ahead on the stored role, which a reported leave has already deleted."""
    circle = await joined_circle(bot)
    poll = await after_voting_poll(bot, circle)
    await leave(bot, circle, circle.members[Role.CARER][0], "left")
    sam = circle.members[Role.SERVICE_USER][0]
    bot.tg.faults.inject("getChatMember", kind)
    assert "Yes" in await vote(bot, sam, poll, "Yes")
    assert await count(bot, Ballot) == 1
    assert [r for r in caplog.records if "could not check membership" in r.getMessage()]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
