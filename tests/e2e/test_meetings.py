"""Meetings end to end: one-line and guided creation, confirmation, reminders at each offset
with agenda and open polls, RSVPs, calendar files, cancel and move, and bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from icalendar import Calendar
from sqlalchemy import func, select

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.scheduling.meeting_jobs import dispatch_due
from bot.services import meetings
from storage.models import MeetingDmOptIn, MeetingReminder, MeetingRsvp
from tests.e2e.meeting_helpers import plan_meeting, reminders_in
from tests.e2e.poll_helpers import button, context_of, joined_circle, post_poll

LONDON = ZoneInfo("Europe/London")


def _in_days(days: int, hour: int = 14) -> datetime:
    local = datetime.now(LONDON) + timedelta(days=days)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def _typed(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y} {moment:%H:%M}"


async def test_one_line_meeting_is_confirmed_reminded_and_answered(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    when = _in_days(3)
    await bot.say(circle.fiona, circle.group, f"/meeting {_typed(when)} | Discharge group | Room 3")
    confirmation = bot.last(circle.group)
    text = confirmation.text or ""
    assert f"{when:%A} {when.day} {when:%B %Y} at 14:00, London time" in text
    async with bot.uow() as uow:  # nothing is stored before Save
        assert await uow.session.scalar(select(func.count()).select_from(MeetingReminder)) == 0
    await bot.press(circle.fiona, confirmation, data=button(confirmation, "Save"))
    meeting = bot.last(circle.group)
    assert "Discharge group" in (meeting.text or "") and "Coming: 0" in (meeting.text or "")

    sam, cara = circle.members[Role.SERVICE_USER][0], circle.members[Role.CARER][0]
    answer = await bot.press(sam, meeting, data=button(meeting, "Coming"))
    assert answer is not None and "Coming" in str(answer["text"])
    await bot.press(cara, meeting, data=button(meeting, "Maybe"))
    changed = await bot.press(cara, meeting, data=button(meeting, "Can't come"))
    assert changed is not None and "Changed" in str(changed["text"])
    await bot.say(cara, circle.group, "/agenda Transport to the venue")
    await post_poll(bot, circle, "Move to Thursdays? | Yes | No")

    utc_start = when.astimezone(UTC)
    for offset, label in ((timedelta(days=1), "tomorrow"), (timedelta(hours=1), "in 1 hour")):
        with time_machine.travel(utc_start - offset + timedelta(seconds=5), tick=False):
            assert await dispatch_due(context_of(bot)) == 1
            assert await dispatch_due(context_of(bot)) == 0  # never twice
        latest = reminders_in(bot, circle)[-1].text or ""
        assert label in latest
        assert "Transport to the venue" in latest and "Move to Thursdays?" in latest
        assert "Coming: 1 · Maybe: 0 · Can't come: 1" in latest
    assert len(reminders_in(bot, circle)) == 2
    async with bot.uow() as uow:  # RSVP rows: a keyed hash, a role, an answer; no user id
        keys = list(await uow.session.scalars(select(MeetingRsvp.rsvp_key)))
    assert len(keys) == 2
    for key in keys:
        assert str(sam.id) not in key and str(cara.id) not in key


async def test_the_calendar_file_parses_back_to_the_same_instant(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    when = _in_days(5, hour=10)
    meeting = await plan_meeting(bot, circle, f"{_typed(when)} | Carers forum | Online")
    sam = circle.members[Role.SERVICE_USER][0]
    await bot.press(sam, meeting, data=button(meeting, "Add to calendar"))
    sent = [m for m in bot.tg.messages(bot.private(sam)) if m.document]
    assert len(sent) == 1 and sent[0].document is not None
    calendar = Calendar.from_ical(sent[0].document.data)
    assert "BEGIN:VTIMEZONE" in sent[0].document.data.decode()
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start == when and str(event.get("summary")) == "Carers forum"
    assert str(start.tzinfo) == "Europe/London"


async def test_series_calendar_file_repeats_in_local_time(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    when = _in_days(2, hour=10)
    meeting = await plan_meeting(
        bot, circle, f"{_typed(when)} | Weekly check-in", repeat="Every week"
    )
    assert "Repeats: every" in (meeting.text or "")
    await bot.press(circle.fiona, meeting, data=button(meeting, "Add the series"))
    sent = [m for m in bot.tg.messages(bot.private(circle.fiona)) if m.document]
    assert sent and sent[-1].document is not None
    (event,) = Calendar.from_ical(sent[-1].document.data).walk("VEVENT")
    assert event.decoded("dtstart") == when
    assert "FREQ=WEEKLY" in str(event["rrule"].to_ical())


async def test_guided_set_up_in_private(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    await bot.say(circle.fiona, circle.group, "/meeting")
    link = bot.last(circle.group)
    url = next(b.url for row in link.buttons for b in row if b.url)
    assert url is not None
    await bot.start(circle.fiona, url.split("?start=", 1)[1])
    private = bot.private(circle.fiona)
    assert "When is the meeting?" in bot.last_text(private)
    await bot.say(circle.fiona, private, "yesterday 3pm")
    assert "already passed" in bot.last_text(private)
    when = _in_days(4, hour=11)
    await bot.say(circle.fiona, private, _typed(when))
    await bot.say(circle.fiona, private, "x" * 200)
    assert "under 120" in bot.last_text(private)
    await bot.say(circle.fiona, private, "Peer support planning")
    await bot.say(circle.fiona, private, "https://meet.example.org/abc")
    confirmation = bot.last(private)
    assert "Peer support planning" in (confirmation.text or "")
    await bot.press(circle.fiona, confirmation, data=button(confirmation, "Save"))
    assert "Saved" in bot.last_text(private)
    assert "Peer support planning" in bot.last_text(circle.group)


async def test_non_facilitators_are_refused(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    for command in ("/meeting tomorrow 2pm | X", "/timezone Europe/Paris", "/cancelmeeting 1"):
        await bot.say(sam, circle.group, command)
        assert "only the group's organisers" in bot.last_text(circle.group)
    meeting = await plan_meeting(bot, circle, f"{_typed(_in_days(3))} | Planning")
    await bot.say(circle.fiona, circle.group, "/cancelmeeting 1")
    ask = bot.last(circle.group)
    refused = await bot.press(sam, ask, data=button(ask, "Cancel this date"))
    assert refused is not None and "organisers" in str(refused["text"])
    assert "Cancelled" not in (meeting.text or "")


async def test_cancel_drops_pending_reminders_and_tells_the_group(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    when = _in_days(3)
    meeting = await plan_meeting(bot, circle, f"{_typed(when)} | Planning")
    sam = circle.members[Role.SERVICE_USER][0]
    await bot.press(sam, meeting, data=button(meeting, "Coming"))
    await bot.start(sam)
    await bot.press(sam, meeting, data=button(meeting, "Remind me"))
    await bot.say(circle.fiona, circle.group, "/cancelmeeting 1")
    ask = bot.last(circle.group)
    await bot.press(circle.fiona, ask, data=button(ask, "Cancel this date"))
    assert "cancelled" in (ask.text or "") and "no reminders" in (ask.text or "")
    assert "Cancelled" in (meeting.text or "")
    assert bot.app.job_queue is not None
    assert not [j for j in bot.app.job_queue.jobs() if j.name and "meeting-reminder" in j.name]
    with time_machine.travel(when.astimezone(UTC) - timedelta(minutes=59), tick=False):
        assert await dispatch_due(context_of(bot)) == 0
    assert reminders_in(bot, circle) == []
    async with bot.uow() as uow:
        statuses = set(await uow.session.scalars(select(MeetingReminder.status)))
    assert statuses == {"dropped"}


async def test_move_reschedules_the_reminders(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    old = _in_days(3)
    await plan_meeting(bot, circle, f"{_typed(old)} | Planning")
    new = _in_days(6, hour=15)
    await bot.say(circle.fiona, circle.group, f"/movemeeting 1 | {_typed(new)}")
    ask = bot.last(circle.group)
    assert "15:00" in (ask.text or "")
    await bot.press(circle.fiona, ask, data=button(ask, "Move this date"))
    assert "has moved" in (ask.text or "")
    with time_machine.travel(old.astimezone(UTC) - timedelta(hours=1), tick=False):
        assert await dispatch_due(context_of(bot)) == 0  # nothing at the old time
    for before in (timedelta(days=1), timedelta(hours=1)):
        with time_machine.travel(new.astimezone(UTC) - before, tick=False):
            assert await dispatch_due(context_of(bot)) == 1  # each reminder, at the new time
    assert len(reminders_in(bot, circle)) == 2
    assert "15:00" in (reminders_in(bot, circle)[-1].text or "")


async def test_bad_input_gets_clear_messages(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    fiona, group = circle.fiona, circle.group
    await bot.say(fiona, group, "/meeting yesterday 2pm | Planning")
    assert "already passed" in bot.last_text(group)
    await bot.say(fiona, group, "/meeting purple elephant | Planning")
    assert "could not read that" in bot.last_text(group)
    await bot.say(fiona, group, f"/meeting tomorrow 2pm | {'x' * 121}")
    assert "under 120" in bot.last_text(group)
    await bot.say(fiona, group, "/meeting tomorrow 2pm")
    assert "Please write it like this" in bot.last_text(group)
    await bot.say(fiona, group, "/timezone Mars/Olympus_Mons")
    assert "do not know the time zone" in bot.last_text(group)
    await bot.say(fiona, group, "/timezone europe/dublin")
    assert "Europe/Dublin" in bot.last_text(group)


async def test_personal_reminder_only_for_coming_people_and_the_row_is_deleted(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    when = _in_days(3)
    meeting = await plan_meeting(bot, circle, f"{_typed(when)} | Planning")
    sam, cara = circle.members[Role.SERVICE_USER][0], circle.members[Role.CARER][0]
    refused = await bot.press(sam, meeting, data=button(meeting, "Remind me"))
    assert refused is not None and "Coming or Maybe first" in str(refused["text"])
    for person in (sam, cara):
        await bot.start(person)
        await bot.press(person, meeting, data=button(meeting, "Coming"))
        await bot.press(person, meeting, data=button(meeting, "Remind me"))
    await bot.press(cara, meeting, data=button(meeting, "Can't come"))
    async with bot.uow() as uow:
        rows = list(await uow.session.execute(select(MeetingDmOptIn)))
    assert len(rows) == 1  # Cara's went with her "Can't come"
    # A copy of the database names nobody: the chat id is sealed, the person a keyed hash.
    stored = " ".join(str(v) for (row,) in rows for v in vars(row).values())
    assert str(sam.id) not in stored and str(cara.id) not in stored
    with time_machine.travel(when.astimezone(UTC) - timedelta(minutes=59), tick=False):
        await dispatch_due(context_of(bot))
    assert "is in 59 minutes" in bot.last_text(bot.private(sam))
    assert "is in" not in bot.last_text(bot.private(cara))
    async with bot.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(MeetingDmOptIn)) == 0


async def test_0130_on_the_spring_forward_day_gets_a_clear_message(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    year = datetime.now(UTC).year + 1
    sunday = max(
        day
        for day in (datetime(year, 3, d, tzinfo=UTC) for d in range(25, 32))
        if day.weekday() == 6
    )
    await bot.say(circle.fiona, circle.group, f"/meeting {sunday.day} Mar {year} 01:30 | Night")
    text = bot.last_text(circle.group)
    assert "01:30 does not exist" in text and "clocks go forward" in text


async def test_a_whole_series_can_be_moved_and_cancelled(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    first = _in_days(2, hour=10)
    await plan_meeting(bot, circle, f"{_typed(first)} | Weekly check-in", repeat="Every week")
    async with bot.uow() as uow:
        dates = await meetings.upcoming(uow, 1, datetime.now(UTC), limit=50)
    assert len(dates) >= 12 and {d.starts_at.astimezone(LONDON).hour for d in dates} == {10}
    new = first + timedelta(days=1, hours=5)  # the day after, at 15:00
    await bot.say(circle.fiona, circle.group, f"/movemeeting 1 | {_typed(new)}")
    ask = bot.last(circle.group)
    await bot.press(circle.fiona, ask, data=button(ask, "Move the series"))
    async with bot.uow() as uow:
        moved = await meetings.upcoming(uow, 1, datetime.now(UTC), limit=50)
    local = [d.starts_at.astimezone(LONDON) for d in moved]
    assert {(t.weekday(), t.hour) for t in local} == {(new.weekday(), 15)}
    await bot.say(circle.fiona, circle.group, "/cancelmeeting 2")
    ask = bot.last(circle.group)
    await bot.press(circle.fiona, ask, data=button(ask, "Cancel the whole series"))
    async with bot.uow() as uow:
        remaining = await meetings.upcoming(uow, 1, datetime.now(UTC), limit=50)
        pending = await uow.session.scalar(
            select(func.count())
            .select_from(MeetingReminder)
            .where(MeetingReminder.status == "pending")
        )
    assert remaining == [] and pending == 0  # every future date, and all their reminders
    assert "All future dates of" in (ask.text or "")


async def test_forgetme_erases_personal_reminder_requests(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    meeting = await plan_meeting(bot, circle, f"{_typed(_in_days(3))} | Planning")
    sam = circle.members[Role.SERVICE_USER][0]
    await bot.start(sam)
    await bot.press(sam, meeting, data=button(meeting, "Coming"))
    await bot.press(sam, meeting, data=button(meeting, "Remind me"))
    await bot.say(sam, bot.private(sam), "/forgetme")
    await bot.press(sam, bot.last(bot.private(sam)), data="f:1")
    async with bot.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(MeetingDmOptIn)) == 0


async def test_a_forged_calendar_press_from_another_chat_gets_nothing(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    meeting = await plan_meeting(
        bot, circle, f"{_typed(_in_days(5, hour=10))} | Board | Secret link"
    )
    outsider = bot.tg.create_user("Outsider")
    elsewhere = bot.tg.create_group("Elsewhere", admins=[outsider])
    await bot.add_to_group(elsewhere, by=outsider)
    data = button(meeting, "Add to calendar")
    answer = await bot.press_raw(outsider, elsewhere, bot.last(elsewhere).message_id, data)
    assert answer is not None and "meeting's message" in str(answer["text"])
    await bot.start(outsider)
    assert not [m for m in bot.tg.messages(bot.private(outsider)) if m.document]


async def test_someone_who_left_the_group_cannot_add_agenda_items(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    await plan_meeting(bot, circle, f"{_typed(_in_days(5, hour=10))} | Forum | Room 3")
    leaver = circle.members[Role.CARER][0]
    bot.tg.remove_member(circle.group, leaver)
    await bot.say(leaver, bot.private(leaver), "/agenda Something from outside")
    stayer = circle.members[Role.CARER][1]
    await bot.say(stayer, bot.private(stayer), "/agenda Parking at the centre")
    # Feedback is checked first here (the default): so are private agenda items.
    copy = bot.last(bot.private(circle.fiona))
    assert "Parking at the centre" in (copy.text or "")
    await bot.press(circle.fiona, copy, data=button(copy, "Add to the agenda"))
    await bot.say(circle.fiona, circle.group, "/meetings")
    listing = bot.last_text(circle.group)
    assert "Parking at the centre" in listing
    assert "Something from outside" not in listing


async def test_facilitators_are_warned_privately_when_a_role_has_nobody_coming(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    when = _in_days(3)
    meeting = await plan_meeting(bot, circle, f"{_typed(when)} | Planning")
    for role in (Role.SERVICE_USER, Role.CARER):
        for person in circle.members[role]:
            await bot.press(person, meeting, data=button(meeting, "Coming"))
    with time_machine.travel(when.astimezone(UTC) - timedelta(hours=23), tick=False):
        await dispatch_due(context_of(bot))
    warning = bot.last_text(bot.private(circle.fiona))
    assert "No staff have said they are coming" in warning
    for person in circle.everyone():  # counts only: never a name
        assert person.first_name not in warning


async def test_no_warning_that_would_show_a_small_role(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    when = _in_days(3)
    meeting = await plan_meeting(bot, circle, f"{_typed(when)} | Planning")
    before = len(bot.tg.messages(bot.private(circle.fiona)))
    lone_carer = circle.members[Role.CARER][0]
    await bot.press(lone_carer, meeting, data=button(meeting, "Coming"))
    with time_machine.travel(when.astimezone(UTC) - timedelta(hours=23), tick=False):
        await dispatch_due(context_of(bot))
    # "No service users or staff are coming" would say the one person coming is a carer.
    assert len(bot.tg.messages(bot.private(circle.fiona))) == before


async def test_a_date_moved_after_its_first_reminder_is_reminded_again(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    old = _in_days(3)
    await plan_meeting(bot, circle, f"{_typed(old)} | Planning")
    with time_machine.travel(old.astimezone(UTC) - timedelta(hours=23), tick=False):
        assert await dispatch_due(context_of(bot)) == 1  # the day-before reminder, sent
    new = _in_days(6, hour=15)
    await bot.say(circle.fiona, circle.group, f"/movemeeting 1 | {_typed(new)}")
    ask = bot.last(circle.group)
    await bot.press(circle.fiona, ask, data=button(ask, "Move this date"))
    with time_machine.travel(new.astimezone(UTC) - timedelta(hours=23), tick=False):
        assert await dispatch_due(context_of(bot)) == 1  # and again for the new date
    assert "15:00" in (reminders_in(bot, circle)[-1].text or "")


async def test_mydata_shows_and_forgetme_erases_an_unsaved_meeting(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    await bot.say(circle.fiona, circle.group, f"/meeting {_typed(_in_days(4))} | Secret plans")
    dm = bot.private(circle.fiona)
    await bot.say(circle.fiona, dm, "/mydata")
    assert "A meeting you typed for Co-production" in bot.last_text(dm)
    await bot.say(circle.fiona, dm, "/forgetme")
    await bot.press(circle.fiona, bot.last(dm), text="Yes, erase my data")
    await bot.say(circle.fiona, dm, "/mydata")
    assert "meeting you typed" not in bot.last_text(dm)
