"""The opt-in involvement record (issue 16, part 2): off by default; facilitators switch it on
and export it; people choose to be recorded, under which name and whether they want payment,
press "I took part"; /mydata shows it, /forgetme erases it and says what was exported."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeUser
from bot.views.callbacks import Action, encode
from storage.models import InvolvementEntry, InvolvementPerson, MeetingRsvp, Membership
from tests.e2e.feedback_helpers import labels
from tests.e2e.meeting_helpers import plan_meeting
from tests.e2e.poll_helpers import Circle, joined_circle
from tests.e2e.report_helpers import pdf_text, report_for_dates


async def switch_on(bot: SandboxBot, circle: Circle) -> None:
    await bot.say(circle.fiona, circle.group, "/involvement")
    assert "settings privately" in bot.last_text(circle.group)
    settings = bot.last(bot.private(circle.fiona))
    assert ": off." in (settings.text or "")
    await bot.press(circle.fiona, settings, text="Switch on")
    assert ": on." in bot.last_text(bot.private(circle.fiona))
    assert "type /involvement in your private chat" in bot.last_text(circle.group)


async def choose(bot: SandboxBot, person: FakeUser, *, typed: str | None, payment: bool) -> None:
    dm = bot.private(person)
    await bot.say(person, dm, "/involvement")
    choice = bot.last(dm)
    assert "Record my involvement" in (choice.text or ""), choice.text
    if typed is None:
        await bot.press(person, choice, text=next(x for x in labels(choice) if x.startswith("Use")))
    else:
        await bot.press(person, choice, text="Type a name")
        await bot.say(person, dm, " ")
        assert "Please type a name" in bot.last_text(dm)
        await bot.say(person, dm, typed)
    await bot.press(
        person, bot.last(dm), text="I want payment" if payment else "Record my time, no payment"
    )


async def export(bot: SandboxBot, circle: Circle) -> list[list[str]]:
    dm = bot.private(circle.fiona)
    await bot.say(circle.fiona, circle.group, "/involvement")
    await bot.press(circle.fiona, bot.last(dm), text="Export for payment (CSV)")
    sent = [
        m.document
        for m in bot.tg.messages(dm)
        if m.document and m.document.filename == "involvement.csv"
    ]
    assert sent and sent[-1] is not None
    return list(csv.reader(io.StringIO(sent[-1].data.decode("utf-8-sig"))))


async def test_people_who_choose_are_recorded_exported_shown_and_erased(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    sam, cara = circle.members[Role.SERVICE_USER][0], circle.members[Role.CARER][0]
    meeting = await plan_meeting(bot, circle, "tomorrow 10am | Board preparation | Room 4")
    await bot.press(sam, meeting, text="Coming")

    # Off by default: nobody is offered anything.
    await bot.say(sam, bot.private(sam), "/involvement")
    assert "None of your groups records involvement" in bot.last_text(bot.private(sam))
    # Only facilitators switch it on.
    await bot.say(cara, circle.group, "/involvement")
    assert "Only the group's organisers" in bot.last_text(circle.group)
    await switch_on(bot, circle)

    with time_machine.travel(datetime.now(UTC) + timedelta(days=2)):
        await choose(bot, sam, typed="Samuel Payroll-Name", payment=True)
        await choose(bot, cara, typed=None, payment=False)
        for person in (sam, cara):
            dm = bot.private(person)
            shown = bot.last(dm)
            assert "Board preparation" in " ".join(labels(shown)), shown.text
            took = next(x for x in labels(shown) if x.startswith("I took part"))
            answer = await bot.press(person, shown, text=took)
            assert answer is not None and "Recorded" in str(answer["text"])
            assert "type the time you gave and your travel" in bot.last_text(dm)
            again = await bot.press(person, shown, text=took)
            assert again is not None and "already" in str(again["text"])
        # Time and travel, typed by the person (optional): a kind answer to what is unclear.
        await bot.say(sam, bot.private(sam), "quite a while")
        assert "like “120 minutes £4.50”" in bot.last_text(bot.private(sam))
        await bot.say(sam, bot.private(sam), "90 minutes £4.50")
        assert "Saved: 90 minutes and £4.50 travel" in bot.last_text(bot.private(sam))
        # Someone who did not choose to be recorded cannot be, even with a forged button.
        steve = circle.members[Role.STAFF][0]
        async with bot.uow() as uow:
            (occurrence,) = {
                e.occurrence_id for e in await uow.session.scalars(select(InvolvementEntry))
            }
        forged = await bot.press_raw(
            steve,
            bot.private(steve),
            bot.last(bot.private(steve)).message_id,
            encode(Action.TOOK_PART, occurrence),
        )
        assert forged is not None and "choose first" in str(forged["text"])

        rows = await export(bot, circle)
        assert rows[0][:3] == ["Name", "Date", "Meeting"]
        by_name = {r[0]: r for r in rows[1:]}
        assert set(by_name) == {"Samuel Payroll-Name", cara.first_name}
        assert by_name["Samuel Payroll-Name"][-1] == "Wanted"
        assert by_name["Samuel Payroll-Name"][3:5] == ["90", "4.50"]
        assert by_name[cara.first_name][-1].startswith("Not wanted")

        today = datetime.now(UTC).date()
        pdf = await report_for_dates(bot, circle, today - timedelta(days=5), today)
    text = pdf_text(pdf)
    assert "Involvement (for payment)" in text and "Samuel Payroll-Name 1 90 4.50 wanted" in text

    # Nothing in the database joins the record to a role or a meeting answer.
    async with bot.uow() as uow:
        people_keys = {p.person_key for p in await uow.session.scalars(select(InvolvementPerson))}
        entry_keys = {e.person_key for e in await uow.session.scalars(select(InvolvementEntry))}
        member_keys = {m.member_key for m in await uow.session.scalars(select(Membership))}
        rsvp_keys = {r.rsvp_key for r in await uow.session.scalars(select(MeetingRsvp))}
    assert people_keys == entry_keys
    assert not entry_keys & (member_keys | rsvp_keys)
    assert not {c.name for c in InvolvementPerson.__table__.columns} & {"role", "answer", "choices"}

    # /mydata shows it; /forgetme erases it and says the exported copy is out of reach.
    dm = bot.private(sam)
    await bot.say(sam, dm, "/mydata")
    mine = bot.last_text(dm)
    assert "Involvement record" in mine and "Samuel Payroll-Name" in mine
    assert "exported for payment" in mine
    await bot.say(sam, dm, "/forgetme")
    await bot.press(sam, bot.last(dm), text=next(x for x in labels(bot.last(dm)) if "rase" in x))
    told = bot.last_text(dm)
    assert "erased 1 involvement record entry" in told and "cannot erase that copy" in told
    async with bot.uow() as uow:
        left = [p.name for p in await uow.session.scalars(select(InvolvementPerson))]
    assert left == [cara.first_name]


async def test_facilitators_mark_attendance_only_of_people_who_chose_to_be_recorded(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    sam, cara = circle.members[Role.SERVICE_USER][0], circle.members[Role.CARER][0]
    await plan_meeting(bot, circle, "tomorrow 10am | Board preparation | Room 4")
    await switch_on(bot, circle)
    await choose(bot, sam, typed="Samuel Payroll-Name", payment=True)
    dm = bot.private(circle.fiona)
    with time_machine.travel(datetime.now(UTC) + timedelta(days=2)):
        await bot.say(circle.fiona, circle.group, "/involvement")
        await bot.press(circle.fiona, bot.last(dm), text="Mark who took part")
        meetings = bot.last(dm)
        await bot.press(circle.fiona, meetings, text=labels(meetings)[0])
        people = bot.last(dm)
        assert labels(people) == ["Samuel Payroll-Name"]  # Cara did not choose: not listed
        # A member forging the facilitators' button is refused and nothing is recorded.
        forged = await bot.press_raw(
            cara,
            bot.private(cara),
            bot.last(bot.private(cara)).message_id,
            people.buttons[0][0].data or "",
        )
        assert forged is not None and "Only the group's organisers" in str(forged["text"])
        answer = await bot.press(circle.fiona, people, text="Samuel Payroll-Name")
        assert answer is not None and answer["text"] == "Marked."
        assert labels(bot.last(dm)) == ["✓ Samuel Payroll-Name"]
        again = await bot.press(circle.fiona, bot.last(dm), text="✓ Samuel Payroll-Name")
        assert again is not None and again["text"] == "Already marked."
        rows = await export(bot, circle)
    assert [r[0] for r in rows[1:]] == ["Samuel Payroll-Name"]
    assert "Board preparation" in rows[1][2]
