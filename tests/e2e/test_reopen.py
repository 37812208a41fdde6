"""A poll closed by mistake can be reopened by a facilitator within 10 minutes (issue 14,
point 4). Its ballots stay keyed those 10 minutes and no longer: at the end of the window
(after a restart too) they are unlinked and Reopen is refused kindly. Reopened, the poll is
live again with every ballot, a vote given now replaces the person's earlier one, and the
next close publishes fresh results, on no higher a rung than the first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from bot.config import Settings
from bot.domain.disclosure_ladder import Rung, rank
from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeMessage, FakeTelegram
from bot.scheduling.poll_jobs import sweep
from bot.views.poll_disclosure import RUNG_WORDS
from storage.models import Ballot, Poll
from storage.unlinking import UNLINKED
from tests.e2e.poll_helpers import (
    Circle,
    button,
    close_by_button,
    context_of,
    joined_circle,
    post_poll,
    results_posts,
    shown,
    vote,
)

WINDOW = timedelta(minutes=10)


async def close_now(bot: SandboxBot, circle: Circle, poll: FakeMessage) -> FakeMessage:
    """Close poll, Yes: the results message it posted."""
    before = len(results_posts(bot.tg, circle.group))
    await close_by_button(bot, circle.fiona, poll)
    posted = results_posts(bot.tg, circle.group)
    assert len(posted) == before + 1
    return posted[-1]


async def ballot_keys(bot: SandboxBot) -> list[str]:
    async with bot.uow() as uow:
        return list(await uow.session.scalars(select(Ballot.ballot_key)))


async def poll_row(bot: SandboxBot) -> tuple[str, str | None, str | None]:
    async with bot.uow() as uow:
        row = (await uow.session.execute(select(Poll.status, Poll.rung, Poll.closed_rung))).one()
    return row[0], row[1], row[2]


def linked(keys: list[str]) -> bool:
    return bool(keys) and not any(k.startswith(UNLINKED) for k in keys)


def unlinked(keys: list[str]) -> bool:
    return bool(keys) and all(k.startswith(UNLINKED) for k in keys)


async def test_reopened_within_ten_minutes_every_ballot_counts_and_votes_replace(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)  # 3 / 3 / 4: the decision alone is shown
    poll = await post_poll(bot, circle, "Meet monthly? | Monthly | Weekly")
    voters = circle.everyone()
    early, late = voters[:6], voters[6:]
    for person in early:
        await vote(bot, person, poll, "Weekly")
    results = await close_now(bot, circle, poll)
    assert shown(results).startswith("On equal weight: Weekly.")
    assert linked(await ballot_keys(bot))  # kept keyed: the window is open
    reopen = button(results, "Reopen poll")
    _, _, first_rung = await poll_row(bot)

    # Only a facilitator may reopen; a member is told privately and nothing changes.
    sam = circle.members[Role.SERVICE_USER][0]
    assert "organisers" in await vote(bot, sam, results, "Reopen poll")
    assert (await poll_row(bot))[0] == "closed"

    messages = len(bot.tg.messages(circle.group))
    assert "open again" in await vote(bot, circle.fiona, results, "Reopen poll")
    status, rung, _ = await poll_row(bot)
    assert status == "open"
    assert rung == first_rung  # the next close shows no more than the first did
    assert shown(results).startswith("Reopened by an organiser.")  # the results say so
    assert "On equal weight" not in shown(results) and not results.all_buttons()
    assert "Reopened by an organiser." in (poll.text or "")  # the poll is live again
    assert "others could compare and see how they voted" in (poll.text or "")
    # A double press of Reopen is harmless: nothing reopens twice, nothing is posted.
    again = await bot.press_raw(circle.fiona, circle.group, results.message_id, reopen)
    assert again is not None and "already open" in str(again["text"])
    assert len(bot.tg.messages(circle.group)) == messages

    # Votes again: the early voters change theirs (replaced, not added), the others vote.
    for person in early:
        assert "Monthly" in await vote(bot, person, poll, "Monthly")
    for person in late:
        await vote(bot, person, poll, "Monthly")
    assert len(await ballot_keys(bot)) == len(voters)

    second = await close_now(bot, circle, poll)
    assert second.message_id != results.message_id
    text = shown(second)
    assert text.startswith("On equal weight: Monthly.")
    assert f"{len(voters)} people voted." in text
    # Reopened once only: no second window, the keys are unlinked at this close.
    assert unlinked(await ballot_keys(bot))
    assert not [b for b in second.all_buttons() if "Reopen" in b.text]
    stale = await bot.press_raw(circle.fiona, circle.group, results.message_id, reopen)
    assert stale is not None and "stays closed" in str(stale["text"])
    assert (await poll_row(bot))[0] == "closed"


async def test_after_ten_minutes_the_keys_are_unlinked_and_reopen_is_refused_kindly(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot, {Role.SERVICE_USER: 3, Role.CARER: 3, Role.STAFF: 3})
    poll = await post_poll(bot, circle, "Meet monthly? | Monthly | Weekly")
    for person in circle.everyone():
        await vote(bot, person, poll, "Monthly")
    results = await close_now(bot, circle, poll)
    assert results.photo is not None  # figures: the chart with its caption
    reopen = button(results, "Reopen poll")
    closed_at = datetime.now(UTC)
    with time_machine.travel(closed_at + WINDOW - timedelta(seconds=30), tick=False):
        await sweep(context_of(bot))
    assert linked(await ballot_keys(bot))  # not before the end of the window
    with time_machine.travel(closed_at + WINDOW + timedelta(seconds=1), tick=False):
        await sweep(context_of(bot))
        assert unlinked(await ballot_keys(bot))
        # The button goes; a press that was on its way is told kindly, and nothing changes.
        assert not [b for b in results.all_buttons() if "Reopen" in b.text]
        assert "Results as CSV" in results.all_buttons()[0].text
        answer = await bot.press_raw(circle.fiona, circle.group, results.message_id, reopen)
    assert answer is not None and "too late" in str(answer["text"]).lower()
    assert (await poll_row(bot))[0] == "closed"
    assert (results.caption or "").startswith("On equal weight: Monthly.")  # as it was


async def test_a_restart_in_the_window_still_unlinks_at_its_end(
    tg: FakeTelegram, settings: Settings
) -> None:
    start = datetime.now(UTC)
    async with SandboxBot(tg, settings) as first:
        circle = await joined_circle(first)
        poll = await post_poll(first, circle, "Meet monthly? | Monthly | Weekly")
        for person in circle.everyone():
            await vote(first, person, poll, "Weekly")
        await close_now(first, circle, poll)
        assert linked(await ballot_keys(first))
    # Down over the end of the window: on start the sweep unlinks at once.
    with time_machine.travel(start + WINDOW + timedelta(minutes=1), tick=True):
        async with SandboxBot(tg, settings) as second:
            keys = await ballot_keys(second)
    assert unlinked(keys)  # every ballot still there, none traceable
    assert len(keys) == len(circle.everyone())


async def test_a_second_close_shows_no_more_than_the_first(bot: SandboxBot) -> None:
    # 3 of each role may see rounded scores, but only one staff member voted: the close
    # lowered the rung. Reopened, everyone votes: the second result still shows no more than
    # the first, so the two cannot be compared figure by figure.
    circle = await joined_circle(bot, {Role.SERVICE_USER: 3, Role.CARER: 3, Role.STAFF: 3})
    poll = await post_poll(bot, circle, "Meet monthly? | Monthly | Weekly")
    first_voters = [*circle.members[Role.SERVICE_USER], *circle.members[Role.CARER]]
    first_voters.append(circle.members[Role.STAFF][0])
    for person in first_voters:
        await vote(bot, person, poll, "Monthly")
    _, posted, _ = await poll_row(bot)
    results = await close_now(bot, circle, poll)
    _, _, first = await poll_row(bot)
    assert posted is not None and first is not None
    assert rank(Rung(first)) < rank(Rung(posted))
    await vote(bot, circle.fiona, results, "Reopen poll")
    _, ceiling, _ = await poll_row(bot)
    assert ceiling == first  # what the poll now promises, and the most the next close shows
    assert RUNG_WORDS[Rung(first)] in (poll.text or "")
    for person in circle.everyone():
        await vote(bot, person, poll, "Weekly")
    await close_now(bot, circle, poll)
    _, _, second = await poll_row(bot)
    assert second is not None and rank(Rung(second)) <= rank(Rung(first))
