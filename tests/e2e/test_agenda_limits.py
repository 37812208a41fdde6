"""/agenda as a way into the group (issue 13, point 5): long agendas still reach the group
within Telegram's 4,096 characters, private items are capped per person and per meeting,
and where feedback is checked first a private item waits for a facilitator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import func, select

from bot.domain.meeting_rules import DEFAULT_AGENDA_PER_MEETING, DEFAULT_AGENDA_PER_PERSON
from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeMessage, FakeTelegram
from bot.scheduling.meeting_jobs import dispatch_due
from bot.services import meetings
from bot.views.limits import MESSAGE_LIMIT, visible_length
from storage.models import AgendaItem, Feedback, FeedbackCounter
from tests.conftest import make_settings
from tests.e2e.feedback_helpers import set_delivery
from tests.e2e.meeting_helpers import plan_meeting, reminders_in
from tests.e2e.poll_helpers import Circle, button, context_of, eventually, joined_circle

LONDON = ZoneInfo("Europe/London")
PER_PERSON, PER_MEETING = DEFAULT_AGENDA_PER_PERSON, DEFAULT_AGENDA_PER_MEETING


def _in_days(days: int, hour: int = 14) -> datetime:
    local = datetime.now(LONDON) + timedelta(days=days)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def _typed(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y} {moment:%H:%M}"


def _long_item(n: int) -> str:
    """300 characters (the most an item may have), with & and < that HTML writes longer."""
    head = f"Item {n:02d} & <notes>: "
    return head + "x" * (300 - len(head))


async def _seed_agenda(bot: SandboxBot, circle: Circle, texts: list[str]) -> None:
    """Items put straight on the next meeting's agenda: where what is tested comes after
    (a reminder, a refusal), typing each in the group would only wait on the flood limits."""
    async with bot.uow() as uow:
        group = await uow.groups.by_chat(circle.group.id)
        assert group is not None
        occurrence_id = await meetings.next_occurrence(uow, group.id, datetime.now(UTC))
        assert occurrence_id is not None
        for text in texts:
            await uow.meetings.add_agenda_item(occurrence_id, text)
        await uow.commit()


async def _agenda_rows(bot: SandboxBot) -> list[str]:
    async with bot.uow() as uow:
        return list(await uow.session.scalars(select(AgendaItem.text).order_by(AgendaItem.id)))


async def _counters(bot: SandboxBot) -> list[int]:
    async with bot.uow() as uow:
        return sorted(await uow.session.scalars(select(FeedbackCounter.count)))


def _fits(message: FakeMessage) -> bool:
    return visible_length(message.text or "") <= MESSAGE_LIMIT


async def test_fourteen_long_items_still_reach_the_group_and_the_message_keeps_updating(
    bot: SandboxBot,
) -> None:
    """The report's attack: 14 items of 300 characters made every reminder "too long", so
    none reached the group and the meeting message stopped updating."""
    bot.app.bot_data.coalescer.interval = 0.05
    circle = await joined_circle(bot)
    when = _in_days(3)
    await plan_meeting(bot, circle, f"{_typed(when)} | Long agenda | Room 3")
    people = circle.everyone()
    for n in range(14):
        await bot.say(people[n % len(people)], circle.group, f"/agenda {_long_item(n)}")
        assert "Added to the agenda" in bot.last_text(circle.group)
    assert len(await _agenda_rows(bot)) == 14

    with time_machine.travel(when.astimezone(UTC) - timedelta(days=1) + timedelta(seconds=5)):
        assert await dispatch_due(context_of(bot)) == 1
    (reminder,) = reminders_in(bot, circle)
    text = reminder.text or ""
    assert _fits(reminder)
    assert "Item 00 & <notes>" in text  # escaped for HTML, shown as typed
    assert "more items: send /meetings in the group to see them all" in text
    assert "Coming: 0" in text and reminder.buttons  # the meeting's buttons, under it

    sam = circle.members[Role.SERVICE_USER][0]
    await bot.press(sam, reminder, data=button(reminder, "Coming"))
    await eventually(lambda: "Coming: 1" in (reminder.text or ""), "the totals, refreshed")
    assert _fits(reminder) and "Item 00" in (reminder.text or "")

    before = len(bot.tg.messages(circle.group))
    await bot.say(sam, circle.group, "/meetings")
    listing = [m for m in bot.tg.messages(circle.group)[before:] if m.from_bot]
    assert len(listing) > 1
    shown = "\n".join(m.text or "" for m in listing)
    assert all(_fits(m) for m in listing)
    for n in range(14):  # every item, in full, across as many messages as it takes
        assert _long_item(n) in shown, n


async def test_a_long_agenda_and_many_open_polls_are_both_shortened_in_the_reminder(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    when = _in_days(3)
    await plan_meeting(bot, circle, f"{_typed(when)} | Busy meeting")
    await _seed_agenda(bot, circle, [_long_item(n) for n in range(PER_MEETING)])
    for n in range(12):
        question = f"Poll {n:02d}: " + "q" * 250 + "?"
        await bot.say(circle.fiona, circle.group, f"/poll {question} | Yes | No")
    with time_machine.travel(when.astimezone(UTC) - timedelta(hours=1) + timedelta(seconds=5)):
        assert await dispatch_due(context_of(bot)) == 1
    reminder = reminders_in(bot, circle)[-1]
    assert _fits(reminder)
    assert "more open polls: send /polls" in (reminder.text or "")


async def test_private_items_are_capped_per_person_kindly_and_change_nothing(
    bot_on: SandboxBot,
) -> None:
    """On SQLite and PostgreSQL (the counts are upserts): the defaults are 3 and 20."""
    bot = bot_on
    circle = await joined_circle(bot)
    await set_delivery(bot, circle, "Straight to the group")
    await plan_meeting(bot, circle, f"{_typed(_in_days(4))} | Forum")
    sam = circle.members[Role.SERVICE_USER][0]
    chat = bot.private(sam)
    for n in range(PER_PERSON):
        await bot.say(sam, chat, f"/agenda Private point {n}")
        assert "Nobody will see that it came from you" in bot.last_text(chat)
    before_rows, before_counts = await _agenda_rows(bot), await _counters(bot)
    assert before_counts == [PER_PERSON]  # one keyed count, no item carries it

    await bot.say(sam, chat, "/agenda One too many")
    refusal = bot.last_text(chat)
    assert "Sorry, you have already sent 3 items for Forum" in refusal
    assert "Nothing was added" in refusal
    assert await _agenda_rows(bot) == before_rows
    assert await _counters(bot) == before_counts  # refused: the count does not grow
    # Someone else still may. In the group (where everyone sees who typed it) the person
    # has a share of their own, counted apart: a refusal there must not hint at private ones.
    cara = circle.members[Role.CARER][0]
    await bot.say(cara, bot.private(cara), "/agenda Cara's point")
    for n in range(PER_PERSON):
        await bot.say(sam, circle.group, f"/agenda Said out loud {n}")
        assert "Added to the agenda" in bot.last_text(circle.group)
    rows = await _agenda_rows(bot)
    assert len(rows) == 2 * PER_PERSON + 1
    await bot.say(sam, circle.group, "/agenda Said once too often")
    refusal = bot.last_text(circle.group)
    assert "Sorry, you have already added 3 items for Forum" in refusal
    assert "as many as one person can add here" in refusal and "privately" not in refusal
    assert await _agenda_rows(bot) == rows
    assert sorted(await _counters(bot)) == [1, PER_PERSON, PER_PERSON]


async def test_a_full_agenda_refuses_kindly_in_private_and_in_the_group(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    await set_delivery(bot, circle, "Straight to the group")
    await plan_meeting(bot, circle, f"{_typed(_in_days(4))} | Forum")
    await _seed_agenda(bot, circle, [f"Point {n}" for n in range(PER_MEETING - 1)])
    await bot.say(circle.fiona, circle.group, f"/agenda Point {PER_MEETING}")
    assert "Added to the agenda" in bot.last_text(circle.group)
    rows = await _agenda_rows(bot)
    assert len(rows) == PER_MEETING

    sam = circle.members[Role.SERVICE_USER][0]
    await bot.say(sam, circle.group, "/agenda Point 21")
    assert "the agenda of Forum" in bot.last_text(circle.group)
    assert "is full" in bot.last_text(circle.group)
    await bot.say(sam, bot.private(sam), "/agenda Point 22")
    assert "is full" in bot.last_text(bot.private(sam))
    assert await _agenda_rows(bot) == rows
    assert await _counters(bot) == [1]  # Fiona's; the refusals were not counted


async def _moderated_item(bot: SandboxBot, circle: Circle, text: str) -> FakeMessage:
    """A private item in a group whose feedback is checked first (the default): the
    facilitator's copy, with its buttons."""
    sam = circle.members[Role.SERVICE_USER][0]
    await bot.say(sam, bot.private(sam), f"/agenda {text}")
    told = bot.last_text(bot.private(sam))
    assert "an organiser checks items sent in private" in told
    assert "Forum" in told
    copy = bot.last(bot.private(circle.fiona))
    assert text in (copy.text or "")
    assert "Agenda item suggested anonymously for Co-production" in (copy.text or "")
    assert sam.first_name not in (copy.text or "")
    return copy


async def test_in_a_moderated_group_a_private_item_waits_until_a_facilitator_adds_it(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    when = _in_days(4)
    await plan_meeting(bot, circle, f"{_typed(when)} | Forum")
    link = "Cheap meds at http://phish.example/login"
    copy = await _moderated_item(bot, circle, link)
    assert "Please check any link" in (copy.text or "")
    assert await _agenda_rows(bot) == []
    await bot.say(circle.fiona, circle.group, "/meetings")
    assert link not in bot.last_text(circle.group)
    with time_machine.travel(when.astimezone(UTC) - timedelta(days=1) + timedelta(seconds=5)):
        await dispatch_due(context_of(bot))
    assert link not in (reminders_in(bot, circle)[-1].text or "")

    reject = button(copy, "Reject")
    rejected = await bot.press(circle.fiona, copy, data=reject)
    assert rejected is not None and rejected["text"] == "Rejected"
    assert "Rejected. It will not appear anywhere." in (copy.text or "")
    assert not copy.buttons
    fiona_chat = bot.private(circle.fiona)
    again = await bot.press_raw(circle.fiona, fiona_chat, copy.message_id, reject)  # a replay
    assert again is not None and again["text"] == "Already rejected."
    assert await _agenda_rows(bot) == []

    good = await _moderated_item(bot, circle, "Bus fares to the venue")
    added = await bot.press(circle.fiona, good, data=button(good, "Add to the agenda"))
    assert added is not None and added["text"] == "Added"
    assert "Added to the agenda of Forum" in (good.text or "")
    assert await _agenda_rows(bot) == ["Bus fares to the venue"]
    await bot.say(circle.fiona, circle.group, "/meetings")
    assert "Bus fares to the venue" in bot.last_text(circle.group)
    with time_machine.travel(when.astimezone(UTC) - timedelta(hours=1) + timedelta(seconds=5)):
        await dispatch_due(context_of(bot))
    latest = reminders_in(bot, circle)[-1].text or ""
    assert "Bus fares to the venue" in latest and link not in latest
    # Neither is feedback: no "#N", nothing posted as Anonymous feedback.
    posts = [m.text or "" for m in bot.tg.messages(circle.group)]
    assert not [text for text in posts if "Anonymous feedback #" in text]


async def test_items_waiting_for_a_facilitator_count_towards_the_full_agenda(
    tg: FakeTelegram, sqlite_url: str
) -> None:
    small = make_settings(tg, sqlite_url, agenda_per_person=5, agenda_per_meeting=2)
    async with SandboxBot(tg, small) as bot:
        circle = await joined_circle(bot)
        await plan_meeting(bot, circle, f"{_typed(_in_days(4))} | Forum")
        await _moderated_item(bot, circle, "First")
        await _moderated_item(bot, circle, "Second")
        sam = circle.members[Role.SERVICE_USER][0]
        await bot.say(sam, bot.private(sam), "/agenda Third")
        assert "is full" in bot.last_text(bot.private(sam))
        async with bot.uow() as uow:
            waiting = await uow.session.scalar(select(func.count()).select_from(Feedback))
        assert waiting == 2
