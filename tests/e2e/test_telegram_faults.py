"""Telegram's bad moments, method by method, through the real Application (issue 8, point 1).

Each test is one row of a matrix: a place the bot calls sendMessage, editMessageText,
answerCallbackQuery, sendDocument or sendPhoto, met once with each fault the sandbox injects:

- "429": Too Many Requests, retry_after 1 s. Sends and edits go through the rate limiter,
  which waits retry_after and tries again; callback answers do not (they must be quick).
- "500", "timeout", "reset": Telegram did nothing. An interactive reply is given up (logged
  by type, one apology, no retry); scheduled work is not marked done, so the lease runs out
  and the sweep does it then, once.
- "applied-timeout": Telegram DID it and only its answer was lost. The bot cannot tell this
  from "timeout", so what it retries goes out twice: a reminder, results or a feedback post
  are delivered at least once, not exactly once. These rows say so.

The rows (every fault unless said; each also checks no traceback is logged and the bot
answers the next update):

- test_sendmessage_a_reply: the reply, or one apology; the next message is answered.
  ..._past_the_limiters_retries: a flood of four 429s: three retries, then one apology.
- test_editmessagetext_after_a_role_press: the role is saved once; the menu shows it then, or
  on the next press.
- test_answercallbackquery_a_ballot_is_counted_once, ..._an_rsvp_is_counted_once: counted
  once, the message's count still follows, the person is not told it failed, and pressing
  again says "You already chose" / "You already said".
- test_senddocument_a_csv_export: the file, or an apology and the file on the next press.
- test_sendmessage_a_meeting_reminder (500: test_meeting_delivery.py), ..._a_poll_reminder,
  ..._a_feedback_post, and test_poll_results (sendMessage, sendPhoto): retried by the sweep,
  never lost, never doubled (except "applied-timeout"). Feedback for facilitators:
  test_feedback_retry.py.
- test_sendmessage_a_personal_meeting_reminder: the opt-in stays (leased) and the sweep sends
  it after the lease; a crash after the claim and a block: test_meeting_delivery.py.
- test_editmessagetext_a_poll_refresh, ..._meeting_totals: the coalesced edit is tried again.
- test_editmessagetext_after_feedback_send: the item is posted once, by the sweep if the
  handler was cut short; pressing Send again sends nothing.
- The results are one message (issue 14, point 7): where they carry a chart, sendPhoto is
  the results message itself, so it is leased and retried as the text is.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar, get_args

import pytest
import time_machine
from sqlalchemy import func, select

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeMessage, FakeTelegram, FakeUser
from bot.sandbox.errors import SimulatedNetworkError
from bot.sandbox.faults import FaultKind
from bot.scheduling import feedback_sweep, meeting_jobs, poll_jobs
from bot.services.meeting_reminders import LEASE as REMINDER_LEASE
from bot.services.polls import LEASE as POLL_LEASE
from bot.views import general
from storage.models import Ballot, MeetingRsvp
from tests.e2e.feedback_helpers import posted, set_delivery, write
from tests.e2e.meeting_helpers import plan_meeting, reminders_in
from tests.e2e.poll_helpers import (
    Circle,
    button,
    close_by_button,
    context_of,
    eventually,
    joined_circle,
    post_poll,
    stored_role_counts,
    vote,
)
from tests.e2e.test_meetings import _in_days, _typed
from tests.e2e.test_poll_closing import results_in, set_deadline

T = TypeVar("T")

KINDS: tuple[FaultKind, ...] = get_args(FaultKind)
# What the network or Telegram failed with, as PTB raises it (a 5xx is a NetworkError).
RAISED = {
    "429": "RetryAfter",
    "500": "NetworkError",
    "timeout": "TimedOut",
    "reset": "NetworkError",
    "applied-timeout": "TimedOut",
}
NOT_DONE = ("500", "timeout", "reset")  # Telegram failed and did nothing
RETRY_AFTER = 1
# Small circles: one person of each role is all most rows need; results show a role
# breakdown and a chart from three of each (MIN_CELL).
ONE_EACH = {Role.SERVICE_USER: 1, Role.CARER: 1, Role.STAFF: 1}
THREE_EACH = {Role.SERVICE_USER: 3, Role.CARER: 3, Role.STAFF: 3}


def inject(bot: SandboxBot, method: str, kind: FaultKind, *, chat_id: int | None = None) -> None:
    bot.tg.faults.inject(method, kind, times=1, retry_after=RETRY_AFTER, chat_id=chat_id)


async def timed(action: Awaitable[T]) -> tuple[T, float]:
    started = time.monotonic()
    result = await action
    return result, time.monotonic() - started


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def assert_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    """Telegram's failures are weather: logged in a line by type, never with a traceback."""
    with_trace = [r.getMessage() for r in caplog.records if r.exc_info or r.stack_info]
    assert with_trace == [], with_trace
    assert "Traceback" not in caplog.text


def assert_logged_by_type(caplog: pytest.LogCaptureFixture, kind: FaultKind, what: str) -> None:
    """The error handler's one line: the kind of update and the error's type, nothing else."""
    pattern = rf"handling update \d+ \({what}\) failed: {RAISED[kind]}"
    assert [m for m in errors(caplog) if re.fullmatch(pattern, m)], errors(caplog)


def documents(bot: SandboxBot, circle: Circle) -> list[FakeMessage]:
    return [m for m in bot.tg.messages(bot.private(circle.fiona)) if m.document is not None]


def photos(bot: SandboxBot, circle: Circle) -> list[FakeMessage]:
    return [m for m in bot.tg.messages(circle.group) if m.photo is not None]


def poll_reminders(bot: SandboxBot, circle: Circle) -> list[FakeMessage]:
    return [m for m in bot.tg.messages(circle.group) if (m.text or "").startswith("Reminder:")]


async def ballots(bot: SandboxBot) -> int:
    async with bot.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(Ballot)) or 0)


def quick_edits(bot: SandboxBot) -> None:
    """The coalescer's 3 s between a group's edits is for Telegram's budget, not for a test."""
    bot.app.bot_data.coalescer.interval = 0.05


async def everyone_voted_yes(bot: SandboxBot) -> tuple[Circle, FakeMessage]:
    """Three of each role, all voted Yes: results show a role breakdown and a chart."""
    circle = await joined_circle(bot, THREE_EACH)
    poll = await post_poll(bot, circle, "Meet monthly? | Yes | No")
    for user in circle.everyone():
        await vote(bot, user, poll, "Yes")
    return circle, poll


async def feedback_preview(bot: SandboxBot) -> tuple[Circle, FakeUser, FakeMessage]:
    """A group whose feedback goes straight to it, and Sam's feedback at its preview."""
    circle = await joined_circle(bot, ONE_EACH)
    await set_delivery(bot, circle, "Straight to the group")
    sam = circle.members[Role.SERVICE_USER][0]
    return circle, sam, await write(bot, sam, "The room is too cold")


async def still_answers(bot: SandboxBot, circle: Circle) -> None:
    """The bot never crashed: the next person's update is answered as usual."""
    someone = circle.members[Role.STAFF][0]
    await bot.say(someone, bot.private(someone), "/help")
    assert "/mydata" in bot.last_text(bot.private(someone))


async def test_the_sandbox_models_both_timeouts(tg: FakeTelegram) -> None:
    """A "timeout" was never done at Telegram; an "applied-timeout" was, its answer lost."""
    ann = tg.create_user("Ann")
    tg.start_bot(ann)
    tg.faults.inject("sendMessage", "timeout")
    tg.faults.inject("sendMessage", "applied-timeout")
    for text in ("never sent", "sent, answer lost"):
        with pytest.raises(SimulatedNetworkError):
            await tg.call("sendMessage", {"chat_id": ann.id, "text": text})
    assert [m.text for m in tg.messages(tg.private_chat(ann))] == ["sent, answer lost"]
    tg.faults.inject("sendMessage", "500", chat_id=-1)  # another chat's fault waits its turn
    status, _ = await tg.call("sendMessage", {"chat_id": ann.id, "text": "fine"})
    assert status == 200 and tg.faults.pending() == 1


# ---------------------------------------------------------------- interactive: a person waits


@pytest.mark.parametrize("kind", KINDS)
async def test_sendmessage_a_reply(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture, kind: FaultKind
) -> None:
    sam = bot.tg.create_user("Sam")
    dm = bot.private(sam)
    await bot.start(sam)
    sends = len(bot.tg.calls_to("sendMessage"))
    inject(bot, "sendMessage", kind)
    _, took = await timed(bot.say(sam, dm, "/help"))
    texts = [m.text or "" for m in bot.tg.messages(dm)[-2:]]
    # Never retried in a loop: the reply once (twice for a 429), at most one apology.
    assert len(bot.tg.calls_to("sendMessage")) - sends == 2
    if kind == "429":
        assert took >= RETRY_AFTER  # retry_after was honoured, then the reply arrived
        assert "/mydata" in texts[-1]
        assert errors(caplog) == []
    elif kind == "applied-timeout":
        # The reply did arrive; the bot could not know and apologised as well.
        assert "/mydata" in texts[0] and texts[1] == general.SOMETHING_WENT_WRONG
        assert_logged_by_type(caplog, kind, "message")
    else:
        assert "/mydata" not in texts[-1] and texts[-1] == general.SOMETHING_WENT_WRONG
        assert_logged_by_type(caplog, kind, "message")
    await bot.say(sam, dm, "/help")
    assert "/mydata" in bot.last_text(dm)
    assert_no_traceback(caplog)
    assert bot.tg.faults.pending() == 0


async def test_sendmessage_a_reply_past_the_limiters_retries(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture
) -> None:
    """A flood that outlasts the rate limiter's three retries: given up, one apology."""
    sam = bot.tg.create_user("Sam")
    dm = bot.private(sam)
    await bot.start(sam)
    sends = len(bot.tg.calls_to("sendMessage"))
    bot.tg.faults.inject("sendMessage", "429", times=4, retry_after=RETRY_AFTER)
    _, took = await timed(bot.say(sam, dm, "/help"))
    assert took >= 3 * RETRY_AFTER
    assert len(bot.tg.calls_to("sendMessage")) - sends == 5  # 1 + 3 retries, then the apology
    assert bot.last_text(dm) == general.SOMETHING_WENT_WRONG
    assert_logged_by_type(caplog, "429", "message")
    # PTB's limiter logs its giving up with a traceback of its own (no update, no person in
    # it); nothing else does.
    traced = {r.name for r in caplog.records if r.exc_info}
    assert traced == {"telegram.ext.AIORateLimiter"}, traced
    await bot.say(sam, dm, "/help")
    assert "/mydata" in bot.last_text(dm)


@pytest.mark.parametrize("kind", KINDS)
async def test_editmessagetext_after_a_role_press(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture, kind: FaultKind
) -> None:
    circle = await joined_circle(bot, ONE_EACH)
    sam = circle.members[Role.SERVICE_USER][0]
    dm = bot.private(sam)
    await bot.say(sam, dm, "/role")
    menu = bot.last(dm)
    inject(bot, "editMessageText", kind)
    answer, took = await timed(bot.press(sam, menu, text="Carer"))
    assert answer is not None and answer["text"] == "Saved: carer"  # answered before the edit
    if kind in NOT_DONE:
        assert menu.edit_count == 0  # the menu still shows; the error was logged by type
        assert_logged_by_type(caplog, kind, "callback_query")
        answer = await bot.press(sam, menu, text="Carer")  # pressed again: now it shows
        assert answer is not None and answer["text"] == "Saved: carer"
    elif kind == "429":
        assert took >= RETRY_AFTER
    assert "You are in <b>Co-production</b> as <b>a carer</b>" in (menu.html or "")
    counts = await stored_role_counts(bot, circle.group)
    assert counts == {Role.SERVICE_USER: 0, Role.CARER: 2, Role.STAFF: 1}
    assert_no_traceback(caplog)


@pytest.mark.parametrize("kind", KINDS)
async def test_answercallbackquery_a_ballot_is_counted_once(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture, kind: FaultKind
) -> None:
    circle = await joined_circle(bot, ONE_EACH)
    quick_edits(bot)
    poll = await post_poll(bot, circle, "Meet monthly? | Yes | No")
    voter = circle.members[Role.CARER][0]
    inject(bot, "answerCallbackQuery", kind)
    first = await bot.press(voter, poll, data=button(poll, "Yes"))
    if kind == "applied-timeout":
        assert first is not None and first["text"].startswith("You chose: Yes")
    else:
        # Unanswered: the spinner stops by itself. Not "something went wrong": it did not.
        assert first is None
    assert await ballots(bot) == 1
    await eventually(lambda: "1 person has voted" in (poll.text or ""), "the count, refreshed")
    again = await vote(bot, voter, poll, "Yes")
    assert again == "You already chose Yes. Nothing changed."
    changed = await vote(bot, voter, poll, "No")
    assert changed.startswith("Changed. You now chose: No")
    assert await ballots(bot) == 1
    other = await vote(bot, circle.members[Role.STAFF][0], poll, "No")
    assert other.startswith("You chose: No")  # the next person is answered as usual
    await eventually(lambda: "2 people have voted" in (poll.text or ""), "the second vote")
    assert await ballots(bot) == 2
    assert errors(caplog) == []
    assert_no_traceback(caplog)


async def closed_poll(bot: SandboxBot, circle: Circle) -> FakeMessage:
    poll = await post_poll(bot, circle, "Meet monthly? | Yes | No")
    for user in circle.everyone():
        await vote(bot, user, poll, "Yes")
    await close_by_button(bot, circle.fiona, poll)
    assert len(results_in(bot, circle)) == 1
    return poll


@pytest.mark.parametrize("kind", KINDS)
async def test_senddocument_a_csv_export(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture, kind: FaultKind
) -> None:
    circle = await joined_circle(bot, ONE_EACH)
    poll = await closed_poll(bot, circle)
    inject(bot, "sendDocument", kind)
    answer, took = await timed(bot.press(circle.fiona, poll, text="Results as CSV (organisers)"))
    assert answer is not None
    if kind == "429":
        assert took >= RETRY_AFTER
        assert answer["text"] == "I sent you the results in a private chat."
        assert len(documents(bot, circle)) == 1
    else:
        assert answer["text"] == general.SOMETHING_WENT_WRONG_SHORT and answer["show_alert"]
        assert_logged_by_type(caplog, kind, "callback_query")
        # Told to try again, the facilitator does: the file comes (a second copy if the first
        # had in fact arrived).
        again = await bot.press(circle.fiona, poll, text="Results as CSV (organisers)")
        assert again is not None and again["text"] == "I sent you the results in a private chat."
        assert len(documents(bot, circle)) == (2 if kind == "applied-timeout" else 1)
    assert all(d.document and d.document.filename.endswith(".csv") for d in documents(bot, circle))
    await still_answers(bot, circle)
    assert_no_traceback(caplog)


async def rsvps(bot: SandboxBot) -> int:
    async with bot.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(MeetingRsvp)) or 0)


async def rsvp_with_a_fault(
    bot: SandboxBot, method: str, kind: FaultKind
) -> tuple[Circle, FakeMessage, dict[str, Any] | None]:
    circle = await joined_circle(bot, ONE_EACH)
    quick_edits(bot)
    meeting = await plan_meeting(bot, circle, f"{_typed(_in_days(3))} | Planning")
    inject(bot, method, kind)
    carer = circle.members[Role.CARER][0]
    return circle, meeting, await bot.press(carer, meeting, data=button(meeting, "Coming"))


async def rsvp_counted_once(bot: SandboxBot, circle: Circle, meeting: FakeMessage) -> None:
    totals = "Coming: 1 · Maybe: 0 · Can't come: 0"
    await eventually(lambda: totals in (meeting.text or ""), "the totals, refreshed")
    carer = circle.members[Role.CARER][0]
    again = await bot.press(carer, meeting, data=button(meeting, "Coming"))
    assert again is not None and again["text"] == "You already said: Coming."
    assert await rsvps(bot) == 1


@pytest.mark.parametrize("kind", KINDS)
async def test_answercallbackquery_an_rsvp_is_counted_once(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture, kind: FaultKind
) -> None:
    circle, meeting, first = await rsvp_with_a_fault(bot, "answerCallbackQuery", kind)
    if kind == "applied-timeout":
        assert first is not None and first["text"].startswith("Thanks: Coming")
    else:
        assert first is None  # unanswered, and not told that something went wrong
    await rsvp_counted_once(bot, circle, meeting)
    assert errors(caplog) == []
    assert_no_traceback(caplog)


@pytest.mark.parametrize("kind", KINDS)
async def test_editmessagetext_meeting_totals(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture, kind: FaultKind
) -> None:
    circle, meeting, first = await rsvp_with_a_fault(bot, "editMessageText", kind)
    assert first is not None and first["text"].startswith("Thanks: Coming")
    await rsvp_counted_once(bot, circle, meeting)  # the coalesced edit is tried again
    assert bot.tg.faults.pending() == 0
    assert errors(caplog) == []
    assert_no_traceback(caplog)


@pytest.mark.parametrize("kind", KINDS)
async def test_editmessagetext_after_feedback_send(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture, kind: FaultKind
) -> None:
    circle, sam, preview = await feedback_preview(bot)
    inject(bot, "editMessageText", kind)  # the preview becomes "Sent. ..."
    answer = await bot.press(sam, preview, text="Send")
    assert answer is not None and answer["text"] == "Sent"
    # Posted at once, whatever became of the "Sent" message, and nobody is asked to try again.
    (item,) = posted(bot, circle)
    assert item.startswith("Anonymous feedback #1") and "too cold" in item
    assert errors(caplog) == []
    if kind in NOT_DONE:
        assert preview.edit_count == 0  # the preview still shows...
        again = await bot.press(sam, preview, text="Send")  # ...but it is not sent twice,
        assert again is not None and again["text"] == "Already sent. There is nothing more to do."
        assert "Sent" in (preview.text or "")  # and the second tap shows that it was sent
    await feedback_sweep.sweep(context_of(bot))
    assert len(posted(bot, circle)) == 1
    await still_answers(bot, circle)
    assert_no_traceback(caplog)


@pytest.mark.parametrize("kind", KINDS)
async def test_answercallbackquery_after_feedback_send(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture, kind: FaultKind
) -> None:
    """The toast failing must not become "something went wrong": the person would write the
    same feedback again, and the group would read it twice."""
    circle, sam, preview = await feedback_preview(bot)
    inject(bot, "answerCallbackQuery", kind)
    await bot.press(sam, preview, text="Send")
    (item,) = posted(bot, circle)
    assert "too cold" in item
    assert "Sent" in bot.last_text(bot.private(sam))  # the preview says so
    assert errors(caplog) == []
    await feedback_sweep.sweep(context_of(bot))
    assert len(posted(bot, circle)) == 1
    await still_answers(bot, circle)
    assert_no_traceback(caplog)


# ------------------------------------------------------ scheduled: the database remembers


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "500"])  # 500: test_meeting_delivery
async def test_sendmessage_a_meeting_reminder(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture, kind: FaultKind
) -> None:
    circle = await joined_circle(bot, ONE_EACH)
    when = _in_days(3)
    await plan_meeting(bot, circle, f"{_typed(when)} | Planning")
    due = when.astimezone(UTC) - timedelta(days=1)
    context = context_of(bot)
    inject(bot, "sendMessage", kind)
    with time_machine.travel(due + timedelta(seconds=5), tick=False):
        sent_now, took = await timed(meeting_jobs.dispatch_due(context))
        assert await meeting_jobs.dispatch_due(context) == 0  # leased: not doubled now
    if kind == "429":
        assert sent_now == 1 and took >= RETRY_AFTER
    else:
        assert sent_now == 0
        assert len(reminders_in(bot, circle)) == (1 if kind == "applied-timeout" else 0)
    with time_machine.travel(due + REMINDER_LEASE + timedelta(seconds=10), tick=False):
        await meeting_jobs.dispatch_due(context)  # the lease ran out: the sweep's turn
        assert await meeting_jobs.dispatch_due(context) == 0
    # Never lost. Never doubled, except when Telegram had delivered it and only its answer
    # was lost: at least once, then.
    assert len(reminders_in(bot, circle)) == (2 if kind == "applied-timeout" else 1)
    assert all("Planning" in (m.text or "") for m in reminders_in(bot, circle))
    await still_answers(bot, circle)
    assert_no_traceback(caplog)


@pytest.mark.parametrize("kind", KINDS)
async def test_sendmessage_a_personal_meeting_reminder(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture, kind: FaultKind
) -> None:
    circle = await joined_circle(bot, ONE_EACH)
    when = _in_days(3)
    meeting = await plan_meeting(bot, circle, f"{_typed(when)} | Planning")
    sam = circle.members[Role.SERVICE_USER][0]
    await bot.press(sam, meeting, data=button(meeting, "Coming"))
    await bot.press(sam, meeting, data=button(meeting, "Remind me"))
    context = context_of(bot)
    inject(bot, "sendMessage", kind, chat_id=sam.id)
    due = when.astimezone(UTC) - timedelta(minutes=59)
    with time_machine.travel(due, tick=False):
        _, took = await timed(meeting_jobs.dispatch_due(context))  # the group's, then Sam's
        assert await meeting_jobs.dispatch_due(context) == 0  # leased: not doubled now
    if kind == "429":
        assert took >= RETRY_AFTER
    assert len(personal_reminders(bot, sam)) == (0 if kind in NOT_DONE else 1)
    with time_machine.travel(due + REMINDER_LEASE + timedelta(seconds=10), tick=False):
        await meeting_jobs.dispatch_due(context)  # the lease ran out: the sweep's turn
        await meeting_jobs.dispatch_due(context)
    # Never lost. Never doubled, except when Telegram had delivered it and only its answer
    # was lost: at least once, then.
    reminded = personal_reminders(bot, sam)
    assert len(reminded) == (2 if kind == "applied-timeout" else 1)
    late = 59 if kind == "429" else 49  # the retry says how long is left by then
    assert f"Planning is in {late} minutes" in (reminded[-1].text or "")
    assert len(reminders_in(bot, circle)) == 1  # the group's, once
    await still_answers(bot, circle)
    assert_no_traceback(caplog)


def personal_reminders(bot: SandboxBot, user: Any) -> list[FakeMessage]:
    return [
        m
        for m in bot.tg.messages(bot.private(user))
        if "You asked me to remind you" in (m.text or "")
    ]


@pytest.mark.parametrize("kind", KINDS)
async def test_sendmessage_a_poll_reminder(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture, kind: FaultKind
) -> None:
    circle = await joined_circle(bot, ONE_EACH)
    poll = await post_poll(bot, circle, "Meet monthly? | Yes | No")
    await vote(bot, circle.members[Role.STAFF][0], poll, "Yes")
    start = datetime.now(UTC)
    await set_deadline(bot, start + timedelta(hours=30), start + timedelta(hours=6))
    context = context_of(bot)
    inject(bot, "sendMessage", kind)
    with time_machine.travel(start + timedelta(hours=7), tick=False):
        _, took = await timed(poll_jobs.sweep(context))
        await poll_jobs.sweep(context)  # leased: nobody doubles it
    expected_now = {"429": 1, "applied-timeout": 1}.get(kind, 0)
    assert len(poll_reminders(bot, circle)) == expected_now
    if kind == "429":
        assert took >= RETRY_AFTER
    later = start + timedelta(hours=7) + POLL_LEASE + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        await poll_jobs.sweep(context)
        await poll_jobs.sweep(context)
    reminders = poll_reminders(bot, circle)
    assert len(reminders) == (2 if kind == "applied-timeout" else 1)
    assert all(m.reply_to_message_id == poll.message_id for m in reminders)
    assert "1 person has voted so far" in (reminders[-1].text or "")
    await still_answers(bot, circle)
    assert_no_traceback(caplog)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", ["sendMessage", "sendPhoto"])
async def test_poll_results(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture, kind: FaultKind, method: str
) -> None:
    # The results are one message: a photo with its caption where there are figures (three
    # of each role), words alone where the decision is all that is shown (3 / 3 / 4).
    circle = await joined_circle(bot, THREE_EACH if method == "sendPhoto" else None)
    poll = await post_poll(bot, circle, "Meet monthly? | Yes | No")
    for user in circle.everyone():
        await vote(bot, user, poll, "Yes")
    start = datetime.now(UTC)
    await set_deadline(bot, start + timedelta(hours=1))
    no = button(poll, "No")
    context = context_of(bot)
    inject(bot, method, kind)
    closing = start + timedelta(hours=1, seconds=1)
    with time_machine.travel(closing, tick=False):
        _, took = await timed(poll_jobs.sweep(context))
        await poll_jobs.sweep(context)  # leased: nobody doubles them
    assert "This poll is closed" in (poll.text or "")  # closed at once, whatever Telegram did
    if kind == "429":
        assert took >= RETRY_AFTER
        assert len(results_in(bot, circle)) == 1
    else:
        assert len(results_in(bot, circle)) == (1 if kind == "applied-timeout" else 0)
    with time_machine.travel(closing + POLL_LEASE + timedelta(minutes=1), tick=False):
        await poll_jobs.sweep(context)
        await poll_jobs.sweep(context)
    results = results_in(bot, circle)
    assert len(results) == (2 if kind == "applied-timeout" else 1)
    assert results[-1].startswith("On equal weight: Yes.")
    # Never a picture apart from its words: a photo only as the results message itself.
    assert len(photos(bot, circle)) == (len(results) if method == "sendPhoto" else 0)
    late = await bot.press_raw(circle.members[Role.CARER][0], circle.group, poll.message_id, no)
    assert late is not None and "closed" in late["text"]  # and still answering
    assert_no_traceback(caplog)


@pytest.mark.parametrize("kind", KINDS)
async def test_sendmessage_a_feedback_post(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture, kind: FaultKind
) -> None:
    circle, sam, preview = await feedback_preview(bot)
    inject(bot, "sendMessage", kind, chat_id=circle.group.id)  # the post in the group
    _, took = await timed(bot.press(sam, preview, text="Send"))
    assert "Sent" in bot.last_text(bot.private(sam)) or "posted" in bot.last_text(bot.private(sam))
    if kind == "429":
        assert took >= RETRY_AFTER
    assert len(posted(bot, circle)) == (0 if kind in NOT_DONE else 1)
    await feedback_sweep.sweep(context_of(bot))
    await feedback_sweep.sweep(context_of(bot))
    items = posted(bot, circle)
    assert len(items) == (2 if kind == "applied-timeout" else 1)
    assert all(text.startswith("Anonymous feedback #1") for text in items)  # no gap, no #2
    assert all("too cold" in text for text in items)
    await still_answers(bot, circle)
    assert_no_traceback(caplog)


@pytest.mark.parametrize("kind", KINDS)
async def test_editmessagetext_a_poll_refresh(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture, kind: FaultKind
) -> None:
    circle = await joined_circle(bot, ONE_EACH)
    quick_edits(bot)
    poll = await post_poll(bot, circle, "Meet monthly? | Yes | No")
    inject(bot, "editMessageText", kind)
    answer = await vote(bot, circle.members[Role.CARER][0], poll, "Yes")
    assert answer.startswith("You chose: Yes")
    # The coalesced edit failed (or, for 429, waited): the count still shows in the end.
    await eventually(lambda: "1 person has voted" in (poll.text or ""), "the refreshed count")
    await eventually(lambda: not bot.app.bot_data.coalescer.pending(1), "nothing pending")
    assert bot.tg.faults.pending() == 0
    assert errors(caplog) == []
    assert_no_traceback(caplog)
