"""Roles are fixed per poll (issue 12.4), through the real Application: a ballot counts under
the role its voter held when the poll opened, and a change of role says when it applies."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeUser
from storage.models import Ballot
from tests.e2e.poll_helpers import (
    close_by_button,
    end_reopen_windows,
    joined_circle,
    post_poll,
    vote,
)


async def ballot_roles(bot: SandboxBot) -> list[str]:
    async with bot.uow() as uow:
        return sorted(await uow.session.scalars(select(Ballot.role)))


async def change_role(bot: SandboxBot, user: FakeUser, label: str) -> str:
    """/role in the private chat, then the role button: what the message says after."""
    dm = bot.private(user)
    await bot.say(user, dm, "/role")
    menu = bot.last(dm)
    await bot.press(user, menu, text=label)
    return menu.text or ""


async def test_switching_role_to_vote_and_back_counts_the_ballot_as_staff(
    bot: SandboxBot,
) -> None:
    """The attack from the issue: a staff member switches to service user, votes in an open
    poll, and switches back. Their ballot counts as staff, so the service users' shares are
    not shown for one voter more than there are."""
    circle = await joined_circle(bot)
    poll = await post_poll(bot, circle, "Move the forum? | Yes | No")
    stan = circle.members[Role.STAFF][0]

    told = await change_role(bot, stan, "Service user")
    assert "as a service user" in told
    assert "Your new role counts from the next poll" in told
    assert "The poll open now keeps your old role (staff)" in told

    assert "Yes" in await vote(bot, stan, poll, "Yes")
    assert await ballot_roles(bot) == [Role.STAFF.value]
    assert "No" in await vote(bot, stan, poll, "No")  # a re-vote keeps the ballot's role
    assert await ballot_roles(bot) == [Role.STAFF.value]

    back = await change_role(bot, stan, "Staff")
    assert "as staff" in back and "counts in every poll from now on" in back
    await close_by_button(bot, circle.fiona, poll)
    assert await ballot_roles(bot) == [Role.STAFF.value]


async def test_the_answer_counts_the_polls_open_now(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    for question in ("Move the forum?", "New chair?"):
        await post_poll(bot, circle, f"{question} | Yes | No")
    told = await change_role(bot, circle.members[Role.CARER][0], "Staff")
    assert (
        "Your new role counts from the next poll. The 2 polls open now keep your old role "
        "(carer)" in told
    )


async def test_with_no_poll_open_a_new_role_counts_at_once(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    told = await change_role(bot, circle.members[Role.CARER][0], "Staff")
    assert "counts in every poll from now on" in told


async def test_a_second_change_while_both_roles_are_open_is_refused_kindly(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    first = await post_poll(bot, circle, "Move the forum? | Yes | No")
    stan = circle.members[Role.STAFF][0]
    await change_role(bot, stan, "Service user")
    second = await post_poll(bot, circle, "New chair? | Yes | No")
    await vote(bot, stan, first, "Yes")  # as staff
    await vote(bot, stan, second, "Yes")  # as a service user

    refused = await change_role(bot, stan, "Carer")
    assert "was not changed this time" in refused
    assert "counts you as staff" in refused and "when that poll closes" in refused
    dm = bot.private(stan)
    await bot.say(stan, dm, "/mydata")
    assert "you are a service user" in bot.last_text(dm)
    assert "earlier role (staff)" in bot.last_text(dm)
    assert await ballot_roles(bot) == sorted([Role.STAFF.value, Role.SERVICE_USER.value])

    # Once the older poll closes (and can no longer be reopened), the change has settled and
    # another one may follow.
    await close_by_button(bot, circle.fiona, first)
    await end_reopen_windows(bot, at_once=True)
    await bot.say(stan, dm, "/mydata")
    assert "earlier role" not in bot.last_text(dm)
    allowed = await change_role(bot, stan, "Carer")
    assert "as a carer" in allowed
    assert "The poll open now keeps your old role (service user)" in allowed
