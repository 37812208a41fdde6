"""Deadlines (from the database, across restarts), reminders, exports and private results."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select, update

from bot.config import Settings
from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeTelegram
from bot.scheduling.poll_jobs import sweep
from storage.models import Poll
from tests.e2e.poll_helpers import (
    Circle,
    button,
    close_by_button,
    context_of,
    eventually,
    joined_circle,
    post_poll,
    results_posts,
    shown,
    vote,
)


async def set_deadline(
    bot: SandboxBot, deadline: datetime, remind_at: datetime | None = None
) -> int:
    """Test set-up: give the newest poll a deadline, as the guided flow would."""
    async with bot.uow() as uow:
        poll_id = int(await uow.session.scalar(select(Poll.id).order_by(Poll.id.desc())) or 0)
        await uow.session.execute(
            update(Poll).where(Poll.id == poll_id).values(deadline=deadline, remind_at=remind_at)
        )
        await uow.commit()
    return poll_id


def results_in(bot: SandboxBot, circle: Circle) -> list[str]:
    return results_in_chat(bot.tg, circle)


async def test_deadline_closes_the_poll_with_a_frozen_clock(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    poll = await post_poll(bot, circle, "Meet monthly? | Yes | No")
    for user in circle.everyone():
        await vote(bot, user, poll, "Yes")
    start = datetime.now(UTC)
    await set_deadline(bot, start + timedelta(hours=2))
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        await sweep(context_of(bot))
    assert results_in(bot, circle) == []
    with time_machine.travel(start + timedelta(hours=2, seconds=1), tick=False):
        answer = await vote(bot, circle.members[Role.CARER][0], poll, "No")
        assert "closed" in answer  # past the deadline nobody can vote, even before the sweep
        await sweep(context_of(bot))
        await sweep(context_of(bot))  # a second sweep (or a second process) posts nothing more
    assert len(results_in(bot, circle)) == 1
    assert "On equal weight: Yes." in results_in(bot, circle)[0]
    assert "This poll is closed" in (poll.text or "")


async def test_a_deadline_missed_while_the_bot_was_down_is_kept_after_restart(
    tg: FakeTelegram, settings: Settings
) -> None:
    start = datetime.now(UTC)
    async with SandboxBot(tg, settings) as first:
        circle = await joined_circle(first)
        poll = await post_poll(first, circle, "Meet monthly? | Yes | No")
        await vote(first, circle.members[Role.STAFF][0], poll, "No")
        await set_deadline(first, start + timedelta(minutes=30))
    assert not results_in_chat(tg, circle)
    with time_machine.travel(start + timedelta(hours=1), tick=True):
        async with SandboxBot(tg, settings) as second:
            # On start the alarms are rebuilt from the database and the sweep runs at once.
            await eventually(lambda: bool(results_in_chat(tg, circle)), "results after restart")
            del second
    assert len(results_in_chat(tg, circle)) == 1


def results_in_chat(tg: FakeTelegram, circle: Circle) -> list[str]:
    return [shown(m) for m in results_posts(tg, circle.group)]


async def test_the_alarm_for_a_deadline_is_set_when_the_poll_is_posted(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    await post_poll(bot, circle, "Meet monthly? | Yes | No")
    deadline = datetime.now(UTC) + timedelta(days=2)
    poll_id = await set_deadline(bot, deadline, deadline - timedelta(hours=24))
    from bot.scheduling.poll_jobs import rebuild_poll_jobs

    await rebuild_poll_jobs(bot.app)
    assert bot.app.job_queue is not None
    (close,) = bot.app.job_queue.get_jobs_by_name(f"poll-close:{poll_id}")
    (remind,) = bot.app.job_queue.get_jobs_by_name(f"poll-remind:{poll_id}")
    assert close.next_t is not None and abs((close.next_t - deadline).total_seconds()) < 1
    assert remind.next_t is not None
    assert abs((remind.next_t - (deadline - timedelta(hours=24))).total_seconds()) < 1


async def test_reminder_before_the_deadline_counts_voters_not_roles(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    poll = await post_poll(bot, circle, "Meet monthly? | Yes | No")
    for user in circle.members[Role.STAFF]:
        await vote(bot, user, poll, "Yes")
    start = datetime.now(UTC)
    await set_deadline(bot, start + timedelta(hours=30), start + timedelta(hours=6))
    with time_machine.travel(start + timedelta(hours=7), tick=False):
        await sweep(context_of(bot))
        await sweep(context_of(bot))
    reminders = [m for m in bot.tg.messages(circle.group) if "Reminder" in (m.text or "")]
    assert len(reminders) == 1
    text = reminders[0].text or ""
    assert "4 people have voted so far." in text
    assert "staff" not in text and "carers" not in text  # never by role in the group
    assert reminders[0].reply_to_message_id == poll.message_id
    # Facilitators ask privately which roles have voted: "none yet" or "some", no counts.
    answer = await vote(bot, circle.fiona, poll, "Who has voted?")
    assert answer == (
        "4 people have voted so far. Service users: none yet; Carers: none yet; Staff: some."
    )
    refused = await vote(bot, circle.members[Role.STAFF][0], poll, "Who has voted?")
    assert "organisers" in refused and "Staff" not in refused


async def test_csv_export_for_facilitators_only_and_the_decision_log(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    poll = await post_poll(bot, circle, "Which day? | Monday | Friday")
    for user in circle.everyone():
        await vote(bot, user, poll, "Monday")
    sam = circle.members[Role.SERVICE_USER][0]
    early = await close_by_button(bot, circle.fiona, poll)
    assert "closed" in early.lower()
    refused = await bot.press(sam, poll, data=button(poll, "CSV"))
    assert refused is not None and "organisers" in str(refused["text"])
    assert not [m for m in bot.tg.messages(bot.private(sam)) if m.document]

    await bot.press(circle.fiona, poll, data=button(poll, "CSV"))
    sent = [m for m in bot.tg.messages(bot.private(circle.fiona)) if m.document]
    assert len(sent) == 1 and sent[0].document is not None
    rows = list(csv.reader(io.StringIO(sent[0].document.data.decode("utf-8-sig"))))
    flat = [cell for row in rows for cell in row]
    assert "Monday" in flat and "Which day?" in " ".join(flat)
    for user in circle.everyone():  # aggregated only: nobody's id or name is in it
        assert str(user.id) not in " ".join(flat)

    await bot.say(sam, circle.group, "/decisions")
    assert "Only the group's organisers" in bot.last_text(circle.group)
    await bot.say(circle.fiona, circle.group, "/decisions")
    logs = [m for m in bot.tg.messages(bot.private(circle.fiona)) if m.document]
    assert len(logs) == 2 and logs[-1].document is not None
    assert "Which day?" in logs[-1].document.data.decode("utf-8-sig")


async def test_an_old_after_voting_poll_shows_nothing_privately_until_it_closes(
    bot: SandboxBot,
) -> None:
    """A voter who looked before and after someone pressed would learn that person's vote, so
    'See results' on a poll made before this rule answers only once it has closed."""
    circle = await joined_circle(bot)
    poll = await post_poll(bot, circle, "Meet monthly? | Yes | No")
    async with bot.uow() as uow:
        await uow.session.execute(update(Poll).values(visibility="after_voting"))
        await uow.commit()
    sam, cara = circle.members[Role.SERVICE_USER][0], circle.members[Role.CARER][0]
    # The button as it appears once the message is refreshed with the new setting.
    await vote(bot, sam, poll, "Yes")
    await vote(bot, cara, poll, "No")
    before = len(bot.tg.messages(bot.private(sam)))
    refused = await bot.press_raw(sam, circle.group, poll.message_id, "s:1")
    assert refused is not None and "when the poll closes" in str(refused["text"])
    assert len(bot.tg.messages(bot.private(sam))) == before
    await close_by_button(bot, circle.fiona, poll)
    answer = await bot.press_raw(sam, circle.group, poll.message_id, "s:1")
    assert answer is not None and "private chat" in str(answer["text"])
    assert "Meet monthly?" in bot.last_text(bot.private(sam))


async def test_polls_lists_open_and_recent(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    first = await post_poll(bot, circle, "First question? | Yes | No")
    await post_poll(bot, circle, "Second question? | Yes | No")
    await close_by_button(bot, circle.fiona, first)
    await bot.say(circle.members[Role.CARER][0], circle.group, "/polls")
    listing = bot.last_text(circle.group)
    assert "Second question?" in listing and "First question?" in listing


async def test_a_forged_see_results_on_an_after_close_poll_shows_nothing(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    poll = await post_poll(bot, circle, "Meet monthly? | Yes | No")
    sam = circle.members[Role.SERVICE_USER][0]
    await vote(bot, sam, poll, "Yes")
    before = len(bot.tg.messages(bot.private(sam)))
    answer = await bot.press_raw(sam, circle.group, poll.message_id, "s:1")
    assert answer is not None and "when the poll closes" in str(answer["text"])
    assert len(bot.tg.messages(bot.private(sam))) == before


async def test_no_reminder_once_the_deadline_has_passed(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    await post_poll(bot, circle, "Meet monthly? | Yes | No")
    start = datetime.now(UTC)
    await set_deadline(bot, start + timedelta(hours=2), start + timedelta(hours=1))
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        await sweep(context_of(bot))  # down over both the reminder and the deadline
    texts = [m.text or "" for m in bot.tg.messages(circle.group)]
    assert not [t for t in texts if t.startswith("Reminder")]
    assert len(results_posts(bot.tg, circle.group)) == 1


async def test_a_poll_typed_on_a_new_line_keeps_its_first_word(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    await bot.say(circle.fiona, circle.group, "/poll\nShould we meet monthly? | Yes | No")
    assert bot.last_text(circle.group).startswith("Should we meet monthly?")
