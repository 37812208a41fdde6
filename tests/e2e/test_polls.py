"""Polls end to end: create, vote, change, withdraw, close, results, exports, bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.domain.roles import Role
from bot.harness import SandboxBot
from storage.models import Ballot, Poll
from tests.e2e.poll_helpers import (
    Circle,
    button,
    close_by_button,
    eventually,
    joined_circle,
    post_poll,
    vote,
)


async def ballots(bot: SandboxBot) -> int:
    async with bot.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(Ballot)) or 0)


@pytest.fixture
async def circle(bot: SandboxBot) -> Circle:
    return await joined_circle(bot)


async def test_one_line_poll_is_posted_with_buttons(bot: SandboxBot, circle: Circle) -> None:
    poll = await post_poll(bot, circle, "Should we meet monthly? | Yes | No | Not sure")
    assert "Should we meet monthly?" in (poll.text or "")
    labels = [b.text for row in poll.buttons for b in row]
    assert labels[:3] == ["1. Yes", "2. No", "3. Not sure"]
    assert "Withdraw my vote" in labels and "Close poll (organisers)" in labels
    assert "Nobody can see what you chose" in (poll.text or "")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("", "Write your question"),
        ("Only one? | Yes", "at least 2 options"),
        ("Too many? | " + " | ".join(str(n) for n in range(11)), "10"),
        ("Q" * 301 + " | Yes | No", "300"),
        ("Empty option? | Yes | | No", "empty"),
        ("Twice? | Yes | yes", "the same"),
        ("Long option? | " + "x" * 101 + " | No", "100"),
    ],
)
async def test_bad_poll_lines_get_a_kind_message_and_change_nothing(
    bot: SandboxBot, circle: Circle, line: str, expected: str
) -> None:
    before = len(bot.tg.messages(circle.group))
    await bot.say(circle.fiona, circle.group, f"/poll {line}")
    replies = bot.tg.messages(circle.group)[before:]
    assert len(replies) == 1
    assert expected.lower() in (replies[0].text or "").lower()
    assert not replies[0].buttons
    async with bot.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Poll)) == 0


async def test_only_facilitators_create_until_everyone_is_allowed(
    bot: SandboxBot, circle: Circle
) -> None:
    sam = circle.members[Role.SERVICE_USER][0]
    await bot.say(sam, circle.group, "/poll Tea or coffee? | Tea | Coffee")
    assert "only the organisers" in bot.last_text(circle.group)
    await bot.say(sam, circle.group, "/pollsettings")
    assert "Only the group's organisers" in bot.last_text(circle.group)
    await bot.say(circle.fiona, circle.group, "/pollsettings")
    await bot.press(circle.fiona, bot.last(circle.group), text="Everyone")
    await bot.say(sam, circle.group, "/poll Tea or coffee? | Tea | Coffee")
    assert "Tea or coffee?" in bot.last_text(circle.group)


async def test_votes_are_acknowledged_privately_and_one_ballot_each(
    bot: SandboxBot, circle: Circle
) -> None:
    poll = await post_poll(bot, circle, "Meet monthly? | Yes | No")
    sam = circle.members[Role.SERVICE_USER][0]
    assert "You chose: Yes" in await vote(bot, sam, poll, "Yes")
    assert "closes" in (await vote(bot, sam, poll, "No")).lower()
    assert "already" in (await vote(bot, sam, poll, "No")).lower()
    # Two presses queued before either is handled (a fast double tap): still one ballot.
    bot.tg.press(sam, poll, data=button(poll, "Yes"))
    bot.tg.press(sam, poll, data=button(poll, "Yes"))
    await bot.deliver()
    assert await ballots(bot) == 1
    for user in circle.everyone():
        await vote(bot, user, poll, "Yes")
    assert await ballots(bot) == len(circle.everyone())
    assert "withdrawn" in await vote(bot, sam, poll, "Withdraw")
    assert await ballots(bot) == len(circle.everyone()) - 1
    answer = await vote(bot, sam, poll, "Withdraw")
    assert "not voted" in answer
    # The message catches up (coalesced), showing how many voted, never by role (issue 12).
    await eventually(lambda: "9 people have voted" in (poll.text or ""), "the refreshed count")
    text = (poll.text or "").split("When the poll closes")[0]
    assert "service user" not in text and "carer" not in text and "staff" not in text
    assert "%" not in text


async def test_someone_without_a_role_is_sent_to_join(bot: SandboxBot, circle: Circle) -> None:
    poll = await post_poll(bot, circle, "Meet monthly? | Yes | No")
    newcomer = bot.tg.create_user("Newcomer")
    bot.tg.add_member(circle.group, newcomer)
    answer = await bot.press(newcomer, poll, data=button(poll, "Yes"))
    assert answer is not None
    assert str(answer["url"]).startswith(f"https://t.me/{bot.tg.bot_username}?start=j")
    assert await ballots(bot) == 0
    await bot.start(newcomer, str(answer["url"]).split("?start=")[1])
    assert "Which role fits you" in bot.last_text(bot.private(newcomer))


async def test_forwarded_copy_and_forged_buttons_change_nothing(
    bot: SandboxBot, circle: Circle
) -> None:
    poll = await post_poll(bot, circle, "Meet monthly? | Yes | No")
    sam = circle.members[Role.SERVICE_USER][0]
    other = bot.tg.create_group("Another group", members=[sam])
    copy = bot.tg.forward(sam, poll, other)
    answer = await bot.press(sam, copy, data=button(copy, "Yes"))
    assert answer is not None and "only works in the group" in str(answer["text"])
    for forged in ("v:zz", "v:1", f"v:{poll.message_id + 999}:0", "v:1:9", "x" * 64):
        answer = await bot.press_raw(sam, circle.group, poll.message_id, forged)
        assert answer is not None and answer.get("text"), forged
    assert await ballots(bot) == 0


async def test_facilitator_closes_and_results_are_posted_with_a_chart(
    bot: SandboxBot, circle: Circle
) -> None:
    poll = await post_poll(bot, circle, "Which day? | Monday | Friday")
    for role, users in circle.members.items():
        for index, user in enumerate(users):
            # Service users and carers all Monday; staff 1 Monday, 3 Friday.
            choice = "Monday" if role is not Role.STAFF or index == 0 else "Friday"
            await vote(bot, user, poll, choice)
    sam = circle.members[Role.SERVICE_USER][0]
    refused = await vote(bot, sam, poll, "Close poll")
    assert "organisers" in refused.lower()
    before = len(bot.tg.messages(circle.group))
    await close_by_button(bot, circle.fiona, poll)
    posted = bot.tg.messages(circle.group)[before:]
    results = next(m for m in posted if m.text and "Results" in m.text)
    text = results.text or ""
    # 3 / 3 / 4 members: the audit finds a pair of staff could work out other staff votes from
    # anything more than the decision, so the poll was posted with notice and says only this.
    assert "On equal weight: Monday." in text
    assert "%" not in text and "preferred" not in text
    assert "As the poll said before voting" in text
    assert not any(m.photo for m in posted), "no chart: there are no figures to draw"
    assert "This poll is closed" in (poll.text or "")
    assert [b.text for row in poll.buttons for b in row] == ["Results as CSV (organisers)"]
    # A press that was already on its way when the poll closed changes nothing.
    async with bot.uow() as uow:
        poll_id = await uow.session.scalar(select(Poll.id))
    count = await ballots(bot)
    late = await bot.press_raw(sam, circle.group, poll.message_id, f"v:{poll_id}:1")
    assert late is not None and "closed" in str(late["text"])
    assert await ballots(bot) == count
