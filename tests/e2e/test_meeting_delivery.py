"""Reminder delivery: exactly once across restarts and across processes (DESIGN section 5)."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from sqlalchemy import func, select, update
from telegram._utils.types import JSONDict

from bot.config import Settings
from bot.domain.meeting_rules import Rsvp
from bot.domain.recurrence import Recurrence
from bot.domain.roles import Role
from bot.domain.rsvp_keys import rsvp_key
from bot.harness import NoRateLimits, SandboxBot
from bot.sandbox import FakeMessage, FakeTelegram, FakeUser
from bot.sandbox.flood import FloodLimits
from bot.scheduling import meeting_jobs
from bot.scheduling.meeting_jobs import dispatch_due
from bot.services import meeting_rsvps, meetings
from bot.services.groups import find_group
from bot.services.meeting_reminders import LEASE
from storage import migrate
from storage.engine import create_engine
from storage.models import MeetingDmOptIn, MeetingReminder
from tests.conftest import make_settings, reset_postgres
from tests.e2e.meeting_helpers import plan_meeting, reminders_in
from tests.e2e.poll_helpers import Circle, button, context_of, joined_circle
from tests.e2e.test_meetings import _in_days, _typed

ONE_EACH = {Role.SERVICE_USER: 1, Role.CARER: 1, Role.STAFF: 1}


async def _statuses(bot: SandboxBot) -> Counter[str]:
    async with bot.uow() as uow:
        return Counter(await uow.session.scalars(select(MeetingReminder.status)))


def _personal(bot: SandboxBot, user: FakeUser) -> list[FakeMessage]:
    return [
        m
        for m in bot.tg.messages(bot.private(user))
        if "You asked me to remind you" in (m.text or "")
    ]


async def _opt_in_leases(bot: SandboxBot) -> list[datetime | None]:
    async with bot.uow() as uow:
        return list(await uow.session.scalars(select(MeetingDmOptIn.lease_until)))


async def _coming_with_a_reminder(bot: SandboxBot, circle: Circle, when: datetime) -> FakeMessage:
    meeting = await plan_meeting(bot, circle, f"{_typed(when)} | Planning")
    for users in circle.members.values():
        for user in users:
            await bot.press(user, meeting, data=button(meeting, "Coming"))
            await bot.press(user, meeting, data=button(meeting, "Remind me"))
    return meeting


@pytest.mark.parametrize(("late", "sent"), [(timedelta(minutes=30), 1), (timedelta(hours=2), 0)])
async def test_a_reminder_missed_while_down_is_sent_once_within_grace_else_skipped(
    tg: FakeTelegram, settings: Settings, late: timedelta, sent: int
) -> None:
    when = _in_days(3)
    async with SandboxBot(tg, settings) as first:
        circle = await joined_circle(first)
        await plan_meeting(first, circle, f"{_typed(when)} | Planning")
    due = when.astimezone(UTC) - timedelta(days=1)
    with time_machine.travel(due + late, tick=True):
        async with SandboxBot(tg, settings) as second:
            # The start-up sweep ran before the bot took updates: the decision is made.
            await dispatch_due(context_of(second))  # and again: nothing more
            assert len(reminders_in(second, circle)) == sent
            statuses = await _statuses(second)
        async with SandboxBot(tg, settings) as third:  # a further restart sends nothing more
            await dispatch_due(context_of(third))
            assert len(reminders_in(third, circle)) == sent
    assert statuses["sent" if sent else "skipped"] == 1
    assert statuses["pending"] == 1  # the hour-before reminder is still to come


async def test_a_group_that_removed_the_bot_drops_its_reminders(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    when = _in_days(3)
    await plan_meeting(bot, circle, f"{_typed(when)} | Planning")
    bot.tg.remove_bot_from_group(circle.group, by=circle.fiona)
    bot.tg.take_updates()  # the bot never hears of it (it was down, say): the send finds out
    calls_before = len(bot.tg.calls)
    with time_machine.travel(when.astimezone(UTC) - timedelta(days=1), tick=False):
        assert await dispatch_due(context_of(bot)) == 0
    with time_machine.travel(when.astimezone(UTC) - timedelta(hours=1), tick=False):
        assert await dispatch_due(context_of(bot)) == 0
    assert len(bot.tg.calls) - calls_before == 1  # one 403, then no retry storm
    assert await _statuses(bot) == Counter({"dropped": 2})


@pytest.mark.postgres
async def test_two_dispatchers_on_one_postgres_send_200_reminders_once_each(
    postgres_url: str,
) -> None:
    await reset_postgres(postgres_url)
    engine = create_engine(postgres_url)
    await migrate.upgrade(engine)
    await engine.dispose()
    tg = FakeTelegram(flood=FloodLimits(enabled=False))
    settings = make_settings(tg, postgres_url)
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=3)
    async with (
        SandboxBot(tg, settings, rate_limiter=NoRateLimits()) as one,
        SandboxBot(tg, settings, rate_limiter=NoRateLimits()) as two,
    ):
        fiona = tg.create_user("Fiona", "fiona_f")
        group = tg.create_group("Co-production", admins=[fiona])
        await one.add_to_group(group, by=fiona)
        async with one.uow() as uow:
            info = await find_group(uow, group.id)
            assert info is not None
            for n in range(200):
                await meetings.create_meeting(
                    uow,
                    info.id,
                    starts_at=start + timedelta(minutes=n % 7),
                    title=f"Meeting {n}",
                    place="",
                    recurrence=Recurrence.NONE,
                    zone="Europe/London",
                    thread_id=None,
                    now=datetime.now(UTC),
                )
            due = await uow.session.scalar(select(func.count()).select_from(MeetingReminder))
        assert due == 200  # the hour-before ones (a day before is already past)
        with time_machine.travel(start - timedelta(minutes=1), tick=False):
            counts = await asyncio.gather(
                dispatch_due(context_of(one)), dispatch_due(context_of(two))
            )
        titles = Counter(
            match.group(1)
            for m in tg.messages(group)
            if (match := re.match(r"⏰ Reminder: (Meeting \d+) is", m.text or ""))
        )
        assert sum(counts) == 200 and min(counts) > 0, counts  # both took a share
        assert len(titles) == 200 and set(titles.values()) == {1}
        assert await _statuses(one) == Counter({"sent": 200})


async def test_a_failed_send_is_retried_after_the_lease_not_marked_sent(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    when = _in_days(3)
    await plan_meeting(bot, circle, f"{_typed(when)} | Planning")
    due = when.astimezone(UTC) - timedelta(days=1)
    bot.tg.faults.inject("sendMessage", "500")
    with time_machine.travel(due + timedelta(seconds=5), tick=False):
        assert await dispatch_due(context_of(bot)) == 0
        assert await dispatch_due(context_of(bot)) == 0  # still leased: nobody doubles it
    with time_machine.travel(due + LEASE - timedelta(seconds=1), tick=False):
        assert await dispatch_due(context_of(bot)) == 0  # the lease still holds
    with time_machine.travel(due + LEASE + timedelta(seconds=10), tick=False):
        assert await dispatch_due(context_of(bot)) == 1
    assert len(reminders_in(bot, circle)) == 1


class CrashError(Exception):
    """The process died here."""


async def test_a_personal_reminder_claimed_by_a_process_that_died_is_sent_after_the_lease(
    bot: SandboxBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    circle = await joined_circle(bot, ONE_EACH)
    when = _in_days(3)
    await _coming_with_a_reminder(bot, circle, when)
    everyone = circle.everyone()

    async def dies(*args: object) -> None:
        raise CrashError  # after the claim (lease taken and committed), before any send

    monkeypatch.setattr(meeting_jobs, "_send_personal", dies)
    due = when.astimezone(UTC) - timedelta(minutes=59)
    with time_machine.travel(due, tick=False), pytest.raises(CrashError):
        await dispatch_due(context_of(bot))
    monkeypatch.undo()
    assert len(reminders_in(bot, circle)) == 1  # the group's went out before the crash
    leases = await _opt_in_leases(bot)
    assert len(leases) == 3 and all(lease is not None and lease > due for lease in leases)
    assert all(_personal(bot, user) == [] for user in everyone)
    with time_machine.travel(due + LEASE - timedelta(seconds=1), tick=False):
        assert await dispatch_due(context_of(bot)) == 0
    assert all(_personal(bot, user) == [] for user in everyone)  # the lease still holds
    with time_machine.travel(due + LEASE + timedelta(seconds=10), tick=False):
        await dispatch_due(context_of(bot))  # the sweep's turn
        await dispatch_due(context_of(bot))
    assert [len(_personal(bot, user)) for user in everyone] == [1, 1, 1]
    assert await _opt_in_leases(bot) == []  # sent: the rows went
    assert len(reminders_in(bot, circle)) == 1


async def test_a_personal_reminder_that_can_never_be_sent_is_dropped_not_retried(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot, ONE_EACH)
    when = _in_days(3)
    meeting = await _coming_with_a_reminder(bot, circle, when)
    sam, cara = circle.members[Role.SERVICE_USER][0], circle.members[Role.CARER][0]
    bot.tg.block_bot(sam)  # Forbidden: bot was blocked by the user
    # And someone Telegram no longer knows (a deleted account): Bad Request, chat not found.
    gone, secret = 987_654_321, context_of(bot).secret
    async with bot.uow() as uow:
        occurrence = (await meetings.upcoming(uow, 1, datetime.now(UTC), limit=1))[0].occurrence_id
        await uow.meetings.put_rsvp(
            occurrence, rsvp_key(secret, occurrence, gone), Role.STAFF.value, int(Rsvp.COMING)
        )
        await meeting_rsvps.opt_in(uow, secret, occurrence, gone)
    assert len(await _opt_in_leases(bot)) == 4
    calls_before = len(bot.tg.calls)
    due = when.astimezone(UTC) - timedelta(minutes=59)
    with time_machine.travel(due, tick=False):
        await dispatch_due(context_of(bot))
    assert len(_personal(bot, cara)) == 1 and _personal(bot, sam) == []
    assert await _opt_in_leases(bot) == []  # sent, blocked, not found: every row went
    with time_machine.travel(due + LEASE + timedelta(minutes=1), tick=False):
        await dispatch_due(context_of(bot))
    calls = bot.tg.calls[calls_before:]
    sent_to = Counter(p.get("chat_id") for m, p in calls if m == "sendMessage")
    assert sent_to[sam.id] == 1 and sent_to[gone] == 1  # tried once, never again
    assert len(_personal(bot, cara)) == 1
    assert "Planning" in (meeting.text or "")


class CountingLimits(NoRateLimits):
    """No flood budget either; counts the personal reminders this process sent."""

    def __init__(self) -> None:
        self.personal = 0

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> bool | JSONDict | list[JSONDict]:
        result = await callback(*args, **kwargs)
        if endpoint == "sendMessage" and "You asked me to remind you" in str(data.get("text")):
            self.personal += 1
        return result


@pytest.mark.postgres
async def test_two_dispatchers_on_one_postgres_send_200_personal_reminders_once_each(
    postgres_url: str,
) -> None:
    await reset_postgres(postgres_url)
    engine = create_engine(postgres_url)
    await migrate.upgrade(engine)
    await engine.dispose()
    tg = FakeTelegram(flood=FloodLimits(enabled=False))
    settings = make_settings(tg, postgres_url)
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=3)
    limits = (CountingLimits(), CountingLimits())
    async with (
        SandboxBot(tg, settings, rate_limiter=limits[0]) as one,
        SandboxBot(tg, settings, rate_limiter=limits[1]) as two,
    ):
        fiona = tg.create_user("Fiona", "fiona_f")
        group = tg.create_group("Co-production", admins=[fiona])
        await one.add_to_group(group, by=fiona)
        people = [tg.create_user(f"Person {n}") for n in range(20)]
        for person in people:
            await one.start(person)
        secret = context_of(one).secret
        async with one.uow() as uow:
            info = await find_group(uow, group.id)
            assert info is not None
            for n in range(10):
                occurrence = await meetings.create_meeting(
                    uow,
                    info.id,
                    starts_at=start + timedelta(minutes=n % 4),
                    title=f"Meeting {n}",
                    place="",
                    recurrence=Recurrence.NONE,
                    zone="Europe/London",
                    thread_id=None,
                    now=datetime.now(UTC),
                )
                for person in people:
                    key = rsvp_key(secret, occurrence, person.id)
                    await uow.meetings.put_rsvp(occurrence, key, "staff", int(Rsvp.COMING))
                    await meeting_rsvps.opt_in(uow, secret, occurrence, person.id)
            optins = await uow.session.scalar(select(func.count()).select_from(MeetingDmOptIn))
            # The group's reminders went out earlier, and the personal ones failed for now or
            # their sender died: 200 opt-ins fall due together, and both processes want them.
            await uow.session.execute(update(MeetingReminder).values(status="sent"))
            await uow.commit()
        assert optins == 200
        with time_machine.travel(start - timedelta(minutes=1), tick=False):
            counts = await asyncio.gather(
                dispatch_due(context_of(one)), dispatch_due(context_of(two))
            )
        assert list(counts) == [0, 0]  # the group's were sent already
        for person in people:
            titles = Counter(
                match.group(1)
                for m in tg.messages(tg.private_chat(person))
                if (match := re.match(r"🔔 (Meeting \d+) is", m.text or ""))
            )
            assert len(titles) == 10 and set(titles.values()) == {1}, titles
        shares = [limit.personal for limit in limits]
        assert sum(shares) == 200 and min(shares) > 0, shares  # both took a share
        async with one.uow() as uow:
            left = await uow.session.scalar(select(func.count()).select_from(MeetingDmOptIn))
        assert left == 0
