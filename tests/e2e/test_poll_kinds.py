"""Voting in each kind of poll: multiple choice, proposal with a private reason, scale."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.poll_rules import PollKind, Visibility, validate_draft
from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeMessage
from bot.scheduling.poll_jobs import post_poll
from bot.services import groups, polls
from tests.e2e.poll_helpers import (
    Circle,
    close_by_button,
    context_of,
    is_results,
    joined_circle,
    results_posts,
    shown,
    vote,
)


async def posted(
    bot: SandboxBot,
    circle: Circle,
    kind: PollKind,
    question: str,
    options: tuple[str, ...] = (),
    max_choices: int | None = None,
) -> FakeMessage:
    """Set-up: a poll as the guided flow makes it (its own tests cover the flow)."""
    draft = validate_draft(question, options, kind, max_choices, Visibility.LIVE)
    async with bot.uow() as uow:
        group = await groups.find_group(uow, circle.group.id)
        assert group is not None
        poll_id = await polls.create_poll(uow, group.id, draft, now=datetime.now(UTC))
    assert await post_poll(context_of(bot), group, poll_id, thread_id=None)
    return bot.last(circle.group)


async def test_multiple_choice_toggles_up_to_the_maximum(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    poll = await posted(
        bot, circle, PollKind.MULTIPLE, "Which topics?", ("Food", "Sleep", "Art"), 2
    )
    sam = circle.members[Role.SERVICE_USER][0]
    assert "Food" in await vote(bot, sam, poll, "Food")
    both = await vote(bot, sam, poll, "Sleep")
    assert "Food" in both and "Sleep" in both
    refused = await vote(bot, sam, poll, "Art")
    assert "up to 2" in refused
    async with bot.uow() as uow:
        snap = await polls.snapshot(uow, 1, min_cell=3)
    assert snap is not None and snap.tally.raw == (1, 1, 0)
    await vote(bot, sam, poll, "Food")  # untick: only Sleep remains
    async with bot.uow() as uow:
        snap = await polls.snapshot(uow, 1, min_cell=3)
    assert snap is not None and snap.tally.raw == (0, 1, 0)


EQUAL = {Role.SERVICE_USER: 3, Role.CARER: 3, Role.STAFF: 3}  # a rung with the head count


async def test_proposal_block_with_a_private_anonymous_reason(bot: SandboxBot) -> None:
    circle = await joined_circle(bot, EQUAL)
    poll = await posted(bot, circle, PollKind.PROPOSAL, "Move the meeting to the library?")
    cara = circle.members[Role.CARER][0]
    await vote(bot, cara, poll, "Block")
    invitation = bot.last_text(bot.private(cara))
    assert "Block" in invitation and "why" in invitation
    await bot.say(cara, bot.private(cara), "The library has no step-free access.")
    assert "without your name" in bot.last_text(bot.private(cara))
    for user in circle.everyone():
        if user is not cara:
            await vote(bot, user, poll, "Agree")
    await close_by_button(bot, circle.fiona, poll)
    results = next(shown(m) for m in results_posts(bot.tg, circle.group))
    assert "The library has no step-free access." in results
    assert "blocked" in results
    assert cara.first_name not in results


async def test_scale_shows_the_equal_weight_average(bot: SandboxBot) -> None:
    circle = await joined_circle(bot, EQUAL)
    poll = await posted(bot, circle, PollKind.SCALE, "How safe do you feel on the ward?")
    marks = {Role.SERVICE_USER: "2", Role.CARER: "3", Role.STAFF: "5"}
    for role, users in circle.members.items():
        for user in users:
            await bot.press(user, poll, text=marks[role])
    await close_by_button(bot, circle.fiona, poll)
    results = next(shown(m) for m in results_posts(bot.tg, circle.group))
    assert "3.3 out of 5" in results  # (2 + 3 + 5) / 3, each role counting the same


async def test_close_by_replying_to_the_poll(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    await bot.say(circle.fiona, circle.group, "/poll Tea or coffee? | Tea | Coffee")
    poll = bot.last(circle.group)
    sam = circle.members[Role.SERVICE_USER][0]
    await bot.say(sam, circle.group, "/close", reply_to=poll)
    assert "Only the group's organisers" in bot.last_text(circle.group)
    await bot.say(circle.fiona, circle.group, "/close")
    assert "reply to the poll" in bot.last_text(circle.group)
    await bot.say(circle.fiona, circle.group, "/close", reply_to=poll)
    assert is_results(bot.last(circle.group))
    await bot.say(circle.fiona, circle.group, "/close", reply_to=poll)
    assert "already closed" in bot.last_text(circle.group)


async def test_one_reason_per_person_and_it_goes_when_they_agree(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    poll = await posted(bot, circle, PollKind.PROPOSAL, "Close the garden on Sundays?")
    cara = circle.members[Role.CARER][0]
    dm = bot.private(cara)
    for _ in range(3):  # flipping between Disagree and Block, writing each time
        await vote(bot, cara, poll, "Disagree")
        await bot.say(cara, dm, "People need the garden at weekends.")
        await vote(bot, cara, poll, "Block")
        await bot.say(cara, dm, "It is the only quiet place.")
    async with bot.uow() as uow:
        snap = await polls.snapshot(uow, 1, min_cell=3)
    assert snap is not None and [text for _, text in snap.reasons] == [
        "It is the only quiet place."
    ]
    await vote(bot, cara, poll, "Agree")
    async with bot.uow() as uow:
        snap = await polls.snapshot(uow, 1, min_cell=3)
    assert snap is not None and snap.reasons == ()
    await bot.say(cara, dm, "A reason nobody asked for.")
    async with bot.uow() as uow:
        snap = await polls.snapshot(uow, 1, min_cell=3)
    assert snap is not None and snap.reasons == ()


async def test_reasons_wait_with_the_figures_when_the_poll_shows_only_its_decision(
    bot: SandboxBot,
) -> None:
    """Only Disagree and Block invite a reason: without a head count, a reason would say that
    someone blocked, which the decision alone does not."""
    circle = await joined_circle(bot)  # 3 / 3 / 4: the decision only, with notice
    poll = await posted(bot, circle, PollKind.PROPOSAL, "Paint the lounge green?")
    sam = circle.members[Role.SERVICE_USER][0]
    await vote(bot, sam, poll, "Block")
    await bot.say(sam, bot.private(sam), "Green makes me feel unwell.")
    await close_by_button(bot, circle.fiona, poll)
    results = next(shown(m) for m in results_posts(bot.tg, circle.group))
    assert "Green makes me feel unwell." not in results
