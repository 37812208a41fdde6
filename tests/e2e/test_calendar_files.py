"""Calendar files that keep people's calendars right: a moved meeting updates the copy already
there (same UID, higher SEQUENCE), a cancelled one takes it out (METHOD:CANCEL,
STATUS:CANCELLED)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Component

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeMessage, FakeUser
from tests.e2e.meeting_helpers import plan_meeting
from tests.e2e.poll_helpers import button, joined_circle

LONDON = ZoneInfo("Europe/London")


def _in_days(days: int, hour: int) -> datetime:
    local = datetime.now(LONDON) + timedelta(days=days)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def _typed(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y} {moment:%H:%M}"


def sequence(event: Component) -> int:
    return int(event.decoded("sequence"))


async def calendar_file(
    bot: SandboxBot, user: FakeUser, message: FakeMessage, label: str
) -> tuple[Calendar, Component, str]:
    """Press the calendar button; the file sent privately, its (first) event, the caption."""
    await bot.press(user, message, data=button(message, label))
    sent = [m for m in bot.tg.messages(bot.private(user)) if m.document]
    assert sent and sent[-1].document is not None
    calendar = Calendar.from_ical(sent[-1].document.data)
    event = calendar.walk("VEVENT")[0]  # a series' own event comes before its overrides
    return calendar, event, sent[-1].caption or ""


async def test_a_moved_then_cancelled_date_updates_then_removes_the_same_calendar_entry(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    first = _in_days(4, hour=10)
    meeting = await plan_meeting(bot, circle, f"{_typed(first)} | Planning | Room 3")
    calendar, event, _ = await calendar_file(bot, sam, meeting, "Add to calendar")
    uid = str(event["uid"])
    assert str(calendar["method"]) == "PUBLISH"
    assert event.decoded("dtstart") == first and sequence(event) == 0

    later = _in_days(6, hour=15)
    await bot.say(circle.fiona, circle.group, f"/movemeeting 1 | {_typed(later)}")
    ask = bot.last(circle.group)
    await bot.press(circle.fiona, ask, data=button(ask, "Move this date"))
    assert "press 📆 again" in (ask.text or "")
    _, moved, caption = await calendar_file(bot, sam, meeting, "Add to calendar")
    assert str(moved["uid"]) == uid  # the same entry, so the calendar replaces it
    assert sequence(moved) > sequence(event)
    assert moved.decoded("dtstart") == later
    assert "updates" in caption

    await bot.say(circle.fiona, circle.group, "/cancelmeeting 1")
    ask = bot.last(circle.group)
    await bot.press(circle.fiona, ask, data=button(ask, "Cancel this date"))
    calendar, cancelled, caption = await calendar_file(bot, sam, meeting, "Remove from my calendar")
    assert str(calendar["method"]) == "CANCEL"
    assert str(cancelled["status"]) == "CANCELLED"
    assert str(cancelled["uid"]) == uid
    assert sequence(cancelled) > sequence(moved)
    assert "take the cancelled meeting out" in caption


async def test_a_series_keeps_its_uid_and_a_cancelled_series_cancels_it(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    start = _in_days(2, hour=10)
    meeting = await plan_meeting(bot, circle, f"{_typed(start)} | Check-in", repeat="Every week")
    fiona = circle.fiona
    _, series, _ = await calendar_file(bot, fiona, meeting, "Add the series")
    await bot.say(fiona, circle.group, f"/movemeeting 1 | {_typed(start + timedelta(hours=2))}")
    ask = bot.last(circle.group)
    await bot.press(fiona, ask, data=button(ask, "Move this date"))
    calendar, _, _ = await calendar_file(bot, fiona, meeting, "Add the series")
    events = calendar.walk("VEVENT")
    assert {str(e["uid"]) for e in events} == {str(series["uid"])}
    assert all(sequence(e) > sequence(series) for e in events)
    assert [e for e in events if "RECURRENCE-ID" in e]  # the moved date overrides its slot

    await bot.say(fiona, circle.group, "/cancelmeeting 1")
    ask = bot.last(circle.group)
    await bot.press(fiona, ask, data=button(ask, "Cancel the whole series"))
    calendar, gone, _ = await calendar_file(bot, fiona, meeting, "Remove the series")
    assert str(calendar["method"]) == "CANCEL" and str(gone["status"]) == "CANCELLED"
    assert str(gone["uid"]) == str(series["uid"]) and "RRULE" in gone
