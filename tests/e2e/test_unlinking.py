"""Once a poll is closed (and its 10-minute reopen window is over), or a meeting date is over
(and a few minutes more), nothing in the database can trace a ballot or an answer to a person,
not even with the secret: the keyed hashes are replaced by random values, and the results and
totals stay as they were."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from bot.domain.keyed_hash import ballot_key
from bot.domain.roles import Role
from bot.domain.rsvp_keys import rsvp_key
from bot.harness import SandboxBot
from bot.scheduling.meeting_jobs import sweep
from bot.services import polls
from bot.services.meeting_reminders import SETTLE
from storage.models import Ballot, MeetingRsvp
from storage.unlinking import UNLINKED
from tests.e2e.meeting_helpers import plan_meeting
from tests.e2e.poll_helpers import (
    button,
    context_of,
    end_reopen_windows,
    joined_circle,
    post_poll,
    results_posts,
    shown,
    vote,
)

LONDON = ZoneInfo("Europe/London")


async def test_a_closed_polls_ballots_name_nobody_and_its_results_stand(bot_on: SandboxBot) -> None:
    bot = bot_on
    circle = await joined_circle(bot)
    message = await post_poll(bot, circle, "Keep Tuesday evenings? | Yes | No")
    voters = circle.everyone()
    for n, person in enumerate(voters):
        await vote(bot, person, message, "Yes" if n % 3 else "No")
    poll_id = int(button(message, "Yes").split(":")[1], 36)
    stale_no = button(message, "No")  # the keyboard changes at the close
    secret = bot.settings.hash_key
    async with bot.uow() as uow:
        keys = set(await uow.session.scalars(select(Ballot.ballot_key)))
        before = await polls.snapshot(uow, poll_id, min_cell=3)
    assert {ballot_key(secret, poll_id, p.id) for p in voters} == keys  # while open: keyed

    await bot.say(circle.fiona, circle.group, "/close", reply_to=message)
    # For 10 minutes a facilitator may reopen it: the keys are kept that long, no longer.
    async with bot.uow() as uow:
        assert set(await uow.session.scalars(select(Ballot.ballot_key))) == keys
    await end_reopen_windows(bot)
    async with bot.uow() as uow:
        keys = set(await uow.session.scalars(select(Ballot.ballot_key)))
        after = await polls.snapshot(uow, poll_id, min_cell=3)
    assert len(keys) == len(voters)  # every ballot is still there, each its own row
    assert all(key.startswith(UNLINKED) for key in keys)
    assert not keys & {ballot_key(secret, poll_id, p.id) for p in voters}
    assert before is not None and after is not None and after.tally == before.tally
    results = [shown(m) for m in results_posts(bot.tg, circle.group)]
    assert results and f"{len(voters)} people voted" in results[-1]

    # A press on the closed poll finds no ballot to change and adds none.
    late = await bot.press_raw(voters[0], circle.group, message.message_id, stale_no)
    assert late is not None and "closed" in str(late["text"]).lower()
    async with bot.uow() as uow:
        assert len(list(await uow.session.scalars(select(Ballot.id)))) == len(voters)


async def test_answers_to_a_meeting_that_is_over_name_nobody(bot_on: SandboxBot) -> None:
    bot = bot_on
    circle = await joined_circle(bot, {Role.SERVICE_USER: 3, Role.CARER: 3, Role.STAFF: 3})
    when = (datetime.now(LONDON) + timedelta(days=2)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    meeting = await plan_meeting(
        bot, circle, f"{when.day} {when:%b %Y} {when:%H:%M} | Planning day | Room 2"
    )
    people = circle.everyone()
    for n, person in enumerate(people):
        await bot.press(person, meeting, data=button(meeting, "Coming" if n % 2 else "Maybe"))
    secret = bot.settings.hash_key
    async with bot.uow() as uow:
        rows = (await uow.session.execute(select(MeetingRsvp.occurrence_id))).all()
    occurrence = rows[0][0]
    mine = {rsvp_key(secret, occurrence, p.id) for p in people}

    async def answers() -> list[tuple[str, int, str]]:
        async with bot.uow() as uow:
            found = await uow.session.execute(
                select(MeetingRsvp.rsvp_key, MeetingRsvp.answer, MeetingRsvp.role)
            )
            return [(str(k), int(a), str(r)) for k, a, r in found]

    async def ids() -> set[int]:
        async with bot.uow() as uow:
            return set(await uow.session.scalars(select(MeetingRsvp.id)))

    with time_machine.travel(when.astimezone(UTC) - timedelta(minutes=5), tick=False):
        await sweep(context_of(bot))
    assert {key for key, _, _ in await answers()} == mine  # before the meeting: still keyed

    before = sorted((answer, role) for _, answer, role in await answers())
    with time_machine.travel(when.astimezone(UTC) + SETTLE - timedelta(seconds=30), tick=False):
        await sweep(context_of(bot))  # just started: a press judged before it may be landing
    assert {key for key, _, _ in await answers()} == mine
    before_ids = await ids()
    with time_machine.travel(when.astimezone(UTC) + SETTLE + timedelta(seconds=30), tick=False):
        await sweep(context_of(bot))
    unlinked = await answers()
    assert sorted((answer, role) for _, answer, role in unlinked) == before  # totals stand
    assert all(key.startswith(UNLINKED) for key, _, _ in unlinked)
    assert not {key for key, _, _ in unlinked} & mine
    # Written again under new random ids, in their order: the order of answering is gone.
    assert len(await ids()) == len(people) and not await ids() & before_ids
