"""The first vote carried through sign-up: press, pick a role, and the vote is counted.

A person who presses a vote before joining follows a join link that remembers the poll and
the option (signed), and once the role is chosen the vote is cast and confirmed in the same
private message. Forged, copied or stale data casts nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.domain.join_link import CarriedVote, sign_join_with_vote
from bot.domain.poll_rules import PollKind, Visibility, validate_draft
from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeMessage, FakeUser
from bot.scheduling.poll_jobs import post_poll
from bot.services import groups, polls
from bot.views.callbacks import decode, encode
from storage.models import Ballot, Membership
from tests.e2e.poll_helpers import (
    Circle,
    button,
    context_of,
    eventually,
    joined_circle,
)
from tests.e2e.poll_helpers import (
    post_poll as post_line,
)


async def ballot_rows(bot: SandboxBot) -> list[tuple[str, int]]:
    async with bot.uow() as uow:
        rows = await uow.session.execute(select(Ballot.role, Ballot.choices))
        return [(role, choices) for role, choices in rows]


async def members(bot: SandboxBot) -> int:
    async with bot.uow() as uow:
        return len((await uow.session.scalars(select(Membership))).all())


async def newcomer_in(bot: SandboxBot, circle: Circle, name: str = "Nadia") -> FakeUser:
    person = bot.tg.create_user(name)
    bot.tg.add_member(circle.group, person)
    return person


async def press_before_joining(
    bot: SandboxBot, person: FakeUser, poll: FakeMessage, label: str
) -> str:
    """Press a vote without a role: the answer opens the private chat with a join payload."""
    answer = await bot.press(person, poll, data=button(poll, label))
    assert answer is not None and answer.get("url"), answer
    assert "count this vote" in str(answer.get("text"))
    return str(answer["url"]).split("?start=", 1)[1]


@pytest.fixture
async def circle(bot: SandboxBot) -> Circle:
    return await joined_circle(bot)


async def test_the_vote_pressed_before_joining_is_counted_once_the_role_is_chosen(
    bot_on: SandboxBot,
) -> None:
    bot = bot_on  # on SQLite and on PostgreSQL
    circle = await joined_circle(bot)
    poll = await post_line(bot, circle, "How often should we meet? | Weekly | Monthly")
    nadia = await newcomer_in(bot, circle)
    payload = await press_before_joining(bot, nadia, poll, "Monthly")
    assert await ballot_rows(bot) == []  # nothing is cast before a role is chosen

    await bot.start(nadia, payload)
    dm = bot.private(nadia)
    offer = bot.last(dm)
    assert "You pressed Monthly" in (offer.text or "")
    assert [b.text for row in offer.buttons for b in row] == ["Service user", "Carer", "Staff"]

    before = len(bot.tg.messages(dm))
    carer = button(offer, "Carer")
    await bot.press(nadia, offer, data=carer)
    # One message, edited: the role and the vote confirmed together, nothing else sent.
    assert len(bot.tg.messages(dm)) == before
    confirmed = bot.last_text(dm)
    assert "as a carer" in confirmed
    assert "Your vote for Monthly is counted" in confirmed
    assert await ballot_rows(bot) == [(Role.CARER.value, 0b10)]
    # The poll message in the group catches up like after any press.
    await eventually(lambda: "1 person has voted" in (poll.text or ""), "the refreshed count")

    # A second press on the same role button (a double tap) changes nothing.
    await bot.press_raw(nadia, dm, offer.message_id, carer)
    assert "already voted" in bot.last_text(dm)
    assert await ballot_rows(bot) == [(Role.CARER.value, 0b10)]


async def test_a_ticked_option_is_not_taken_back_by_a_second_role_press(
    bot: SandboxBot, circle: Circle
) -> None:
    draft = validate_draft(
        "Which topics?", ("Food", "Sleep", "Art"), PollKind.MULTIPLE, 2, Visibility.LIVE
    )
    async with bot.uow() as uow:
        group = await groups.find_group(uow, circle.group.id)
        assert group is not None
        poll_id = await polls.create_poll(uow, group.id, draft, now=datetime.now(UTC))
    assert await post_poll(context_of(bot), group, poll_id, thread_id=None)
    poll = bot.last(circle.group)
    nadia = await newcomer_in(bot, circle)
    await bot.start(nadia, await press_before_joining(bot, nadia, poll, "Sleep"))
    dm = bot.private(nadia)
    offer = bot.last(dm)
    staff = button(offer, "Staff")
    await bot.press(nadia, offer, data=staff)
    await bot.press_raw(nadia, dm, offer.message_id, staff)  # a toggle again would untick it
    assert await ballot_rows(bot) == [(Role.STAFF.value, 0b10)]


async def test_a_forged_or_edited_payload_casts_nothing(bot: SandboxBot, circle: Circle) -> None:
    poll = await post_line(bot, circle, "Tea or coffee? | Tea | Coffee")
    nadia = await newcomer_in(bot, circle)
    payload = await press_before_joining(bot, nadia, poll, "Tea")
    head, sig = payload.split("_", 1)
    edited = head[:-1] + "1" + "_" + sig  # the option changed, the signature kept
    assert edited != payload
    await bot.start(nadia, edited)
    dm = bot.private(nadia)
    assert "could not use that join link" in bot.last_text(dm)
    assert not bot.last(dm).buttons
    other_secret = sign_join_with_vote(b"another deployment", 1, CarriedVote(1, 0))
    await bot.start(nadia, other_secret)
    assert "could not use that join link" in bot.last_text(dm)
    assert await ballot_rows(bot) == [] and await members(bot) == len(circle.everyone())


async def test_role_buttons_carrying_a_vote_are_bound_to_the_person(
    bot: SandboxBot, circle: Circle
) -> None:
    poll = await post_line(bot, circle, "Tea or coffee? | Tea | Coffee")
    nadia, owen = await newcomer_in(bot, circle), await newcomer_in(bot, circle, "Owen")
    await bot.start(nadia, await press_before_joining(bot, nadia, poll, "Tea"))
    carer = next(b.data for row in bot.last(bot.private(nadia)).buttons for b in row if b.data)
    assert carer is not None
    press = decode(carer)
    assert press is not None and len(press.args) == 5

    # Owen copies Nadia's button data into his own chat: his tag would differ.
    await bot.start(owen)
    owen_dm = bot.private(owen)
    answer = await bot.press_raw(owen, owen_dm, bot.last(owen_dm).message_id, carer)
    assert answer is not None and "no longer in use" in str(answer.get("text"))
    # Nadia with a tag that does not match (forged), or one that names another option.
    group_id, role, poll_id, option, tag = press.args
    for forged in (
        encode(press.action, group_id, role, poll_id, option, (tag + 1) % 2**31),
        encode(press.action, group_id, role, poll_id, 1 - option, tag),
        encode(press.action, group_id, role, poll_id, option),
    ):
        dm = bot.private(nadia)
        await bot.press_raw(nadia, dm, bot.last(dm).message_id, forged)
    assert await ballot_rows(bot) == [] and await members(bot) == len(circle.everyone())


async def test_a_poll_closed_meanwhile_casts_nothing_but_the_role_is_saved(
    bot: SandboxBot, circle: Circle
) -> None:
    poll = await post_line(bot, circle, "Tea or coffee? | Tea | Coffee")
    nadia, owen = await newcomer_in(bot, circle), await newcomer_in(bot, circle, "Owen")
    nadia_payload = await press_before_joining(bot, nadia, poll, "Tea")
    owen_payload = await press_before_joining(bot, owen, poll, "Coffee")
    await bot.start(nadia, nadia_payload)  # the role offer is open when the poll closes
    async with bot.uow() as uow:
        assert await polls.close_poll(uow, 1, datetime.now(UTC))

    await bot.press(nadia, bot.last(bot.private(nadia)), text="Service user")
    assert "as a service user" in bot.last_text(bot.private(nadia))
    assert "closed before you chose" in bot.last_text(bot.private(nadia))

    # A link followed after the close says so, and its role buttons carry nothing.
    await bot.start(owen, owen_payload)
    offer = bot.last(bot.private(owen))
    assert "has closed" in (offer.text or "")
    carried = [decode(b.data) for row in offer.buttons for b in row]
    assert all(press is not None and len(press.args) == 2 for press in carried)
    await bot.press(owen, offer, text="Staff")
    assert await ballot_rows(bot) == [] and await members(bot) == len(circle.everyone()) + 2
