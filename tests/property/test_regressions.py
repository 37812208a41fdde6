"""Plain regression tests for what the hostile-input properties found, one per fix.

Each failed before its fix in the production code (named in each docstring); the properties in
this folder would find them again, these say so in one example each.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.roles import Role
from bot.domain.when import WhenError, parse_when
from bot.harness import SandboxBot
from bot.views import general
from bot.views.callbacks import decode
from tests.e2e.meeting_helpers import plan_meeting
from tests.e2e.poll_helpers import button, joined_circle, post_poll

LONDON = ZoneInfo("Europe/London")


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("data", ["fs", "fs:1", "fc:1", "ft:1:1", "fg:1"])
async def test_private_buttons_forged_onto_a_poll_leave_it_alone(
    bot: SandboxBot, data: str, caplog: pytest.LogCaptureFixture
) -> None:
    """handlers/feedback*.py, handlers/poll_wizard.py: a member could replace any poll in the
    group with "This is no longer in use" (fs, fc, ft), a feedback prompt (fg), or show a
    feedback item there (fd), by pressing private-chat data on the poll's message."""
    circle = await joined_circle(bot)
    poll = await post_poll(bot, circle, "Meet monthly? | Yes | No")
    before = (poll.text, poll.reply_markup)
    sam = circle.members[Role.SERVICE_USER][0]
    await bot.say(sam, bot.private(sam), "/feedback")  # a live draft: serial 1
    answer = await bot.press_raw(sam, circle.group, poll.message_id, data)
    assert answer is not None and answer["text"]
    assert (poll.text, poll.reply_markup) == before and poll.edit_count == 0
    assert not _errors(caplog)


async def test_a_facilitators_private_buttons_forged_onto_a_poll_leave_it_alone(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture
) -> None:
    """handlers/poll_wizard.py, handlers/feedback_moderation.py: a facilitator's own set-up
    button rewrote the group's poll with the set-up step, and a moderation button rewrote it
    with the feedback item (text included) that was waiting to be published or rejected."""
    circle = await joined_circle(bot)
    fiona, sam = circle.fiona, circle.members[Role.SERVICE_USER][0]
    poll = await post_poll(bot, circle, "Meet monthly? | Yes | No")
    before = (poll.text, poll.reply_markup)
    await bot.say(sam, bot.private(sam), "/feedback")
    await bot.say(sam, bot.private(sam), "Private words for the facilitators")
    await bot.press(sam, bot.last(bot.private(sam)), text="Send")
    moderation = bot.last(bot.private(fiona))
    assert "Private words" in (moderation.text or "")
    await bot.say(fiona, circle.group, "/newpoll")
    invite = bot.last(circle.group)
    url = next(b.url for b in invite.all_buttons() if b.url)
    assert url is not None
    await bot.start(fiona, url.split("?start=", 1)[1])
    wizard = bot.last(bot.private(fiona))
    forged = [b.data for b in [*moderation.all_buttons(), *wizard.all_buttons()] if b.data]
    assert any(d.startswith("fd:") for d in forged) and any(d.startswith("pw:") for d in forged)
    for data in forged:
        answer = await bot.press_raw(fiona, circle.group, poll.message_id, data)
        assert answer is not None
        assert (poll.text, poll.reply_markup) == before, data
    assert poll.edit_count == 0
    assert not _errors(caplog)


async def test_a_press_on_a_deleted_or_file_message_is_answered_without_error(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture
) -> None:
    """handlers/replies.py: editing the message of a press failed with "message to edit not
    found" (deleted, so Telegram sends it inaccessible) or "no text in the message" (a file),
    and reached the error handler."""
    circle = await joined_circle(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    private = bot.private(sam)
    assert await bot.press_raw(sam, private, 987_654, "rm:1") is not None
    await bot.say(circle.fiona, circle.group, "/decisions")  # a CSV in Fiona's private chat
    fionas = bot.private(circle.fiona)
    document = bot.last(fionas)
    assert document.document is not None
    assert await bot.press_raw(circle.fiona, fionas, document.message_id, "f:0") is not None
    assert not _errors(caplog)


async def test_pollsettings_double_tap_is_not_an_error(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture
) -> None:
    """handlers/polls.py: the second press of the same setting edited the message to the same
    content, Telegram said "message is not modified", and the error handler apologised."""
    circle = await joined_circle(bot)
    await bot.say(circle.fiona, circle.group, "/pollsettings")
    settings_message = bot.last(circle.group)
    data = button(settings_message, "Everyone")
    first = await bot.press(circle.fiona, settings_message, data=data)
    second = await bot.press_raw(circle.fiona, circle.group, settings_message.message_id, data)
    assert first is not None and second is not None
    assert second["text"] == "Saved"
    assert not _errors(caplog)


async def test_a_newline_after_meeting_keeps_the_whole_line(bot: SandboxBot) -> None:
    """handlers/meetings.py: the argument was what followed the first space, so after a newline
    "/meeting⏎3 Dec 2pm | Planning" lost its first word and read "Dec 2pm | Planning"."""
    circle = await joined_circle(bot)
    when = (datetime.now(LONDON) + timedelta(days=3)).replace(hour=14, minute=0)
    await bot.say(circle.fiona, circle.group, f"/meeting\n{when.day} {when:%b} 2pm | Planning")
    text = bot.last_text(circle.group)
    assert "Please check the meeting" in text
    assert f"{when:%A} {when.day} {when:%B}" in text


async def test_a_meeting_planned_beyond_the_horizon_is_saved_and_posted(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture
) -> None:
    """bot/services/meetings.py: a meeting more than 90 days ahead got no first date, so Save
    raised LookupError (after storing the meeting), and the facilitator got an apology."""
    circle = await joined_circle(bot)
    when = datetime.now(LONDON) + timedelta(days=200)
    message = await plan_meeting(bot, circle, f"{when.day} {when:%b %Y} 14:00 | Annual review")
    assert "Annual review" in (message.text or "")
    assert not _errors(caplog)


async def test_feedback_full_of_ampersands_is_previewed_whole(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture
) -> None:
    """bot/views/limits.py: split_message measured the HTML source, so 2,000 characters of
    "&" (10,000 escaped) were cut inside an entity: Telegram refused the preview."""
    circle = await joined_circle(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    private = bot.private(sam)
    await bot.say(sam, private, "/feedback")
    await bot.say(sam, private, "x" + "&" * 1999)
    preview = bot.last(private)
    assert ("x" + "&" * 1999) in (preview.text or "")
    assert [b.text for b in preview.all_buttons()][:2] == ["Send", "Cancel"]
    assert general.SOMETHING_WENT_WRONG not in [m.html for m in bot.tg.messages(private)]
    assert not _errors(caplog)


@pytest.mark.parametrize("data", ["v:1:0\n", "v:01:0", "w:1\n"])
def test_callback_data_has_one_spelling(data: str) -> None:
    """bot/views/callbacks.py: `$` let a trailing newline through, and leading zeros were read."""
    assert decode(data) is None


@pytest.mark.parametrize(
    "text", ["31 dec 9999 23:00 EST", "1 jan 0001 00:30 +14:00", "3 Mar UTC", "3 Dec 2032 14:00"]
)
def test_dates_at_the_ends_of_the_calendar_are_refused_kindly(text: str) -> None:
    """bot/domain/when.py: OverflowError escaped near years 1 and 9999; a day with a zone and
    no time became midnight; years far ahead were accepted."""
    with pytest.raises(WhenError):
        parse_when(text, "Europe/London", datetime(2026, 11, 26, 15, tzinfo=UTC))
