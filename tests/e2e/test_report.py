"""/report (issue 16, part 1): a PDF for a period that a facilitator can show a board, sent
privately, with every figure exactly as the group's closing messages showed it."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pypdfium2
import time_machine

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeMessage
from bot.views.callbacks import Action, encode
from tests.e2e.feedback_helpers import labels, write
from tests.e2e.meeting_helpers import plan_meeting
from tests.e2e.poll_helpers import (
    Circle,
    close_by_button,
    joined_circle,
    post_poll,
    results_posts,
    shown,
    vote,
)
from tests.e2e.report_helpers import flat, pdf_text, report_for_dates, reports_in

CRISIS = "I want to die, I cannot do this any more"


def closing_message(bot: SandboxBot, circle: Circle, question: str) -> str:
    (found,) = [
        shown(m) for m in results_posts(bot.tg, circle.group) if f"Results: {question}" in shown(m)
    ]
    return found


async def decided(
    bot: SandboxBot, circle: Circle, line: str, choices: dict[Role, list[str]]
) -> FakeMessage:
    poll = await post_poll(bot, circle, line)
    for role, picks in choices.items():
        for person, label in zip(circle.members[role], picks, strict=False):
            await vote(bot, person, poll, label)
    await close_by_button(bot, circle.fiona, poll)
    return poll


async def feedback_item(bot: SandboxBot, circle: Circle, text: str, decision: str) -> None:
    sam = circle.members[Role.SERVICE_USER][0]
    await bot.press(sam, await write(bot, sam, text), text="Send")
    copy = [m for m in bot.tg.messages(bot.private(circle.fiona)) if text in (m.text or "")][-1]
    if decision:
        await bot.press(circle.fiona, copy, text=decision)


async def test_a_facilitator_gets_the_period_as_a_pdf_privately_with_what_the_group_was_shown(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    cara = circle.members[Role.CARER][0]
    # Everyone votes: the full table. Then only one carer votes: that role is held back.
    await decided(
        bot,
        circle,
        "Move the meeting to Thursdays? | Yes | No",
        {
            Role.SERVICE_USER: ["Yes", "Yes", "Yes"],
            Role.CARER: ["Yes", "Yes", "No"],
            Role.STAFF: ["No", "No", "No", "Yes"],
        },
    )
    await decided(
        bot,
        circle,
        "Paint the room green? | Green | Blue",
        {
            Role.SERVICE_USER: ["Green", "Blue", "Green"],
            Role.CARER: ["Blue"],
            Role.STAFF: ["Green", "Green", "Blue", "Blue"],
        },
    )
    # What came of the first decision, as the facilitators recorded it.
    dm = bot.private(circle.fiona)
    await bot.say(circle.fiona, circle.group, "/outcome")
    listing = bot.last(dm)
    await bot.press(
        circle.fiona, listing, text=next(x for x in labels(listing) if "Thursdays" in x)
    )
    await bot.press(circle.fiona, bot.last(dm), text="Planned")
    await bot.say(circle.fiona, dm, "the room bookings team")
    await bot.press(circle.fiona, bot.last(dm), text="In a month")

    await feedback_item(bot, circle, "Please send the papers a week before", "Publish in the group")
    await feedback_item(bot, circle, "The chair talks over people", "Reject")
    sam = circle.members[Role.SERVICE_USER][0]
    await bot.press(sam, await write(bot, sam, CRISIS), text="Send")

    meeting = await plan_meeting(bot, circle, "tomorrow 10am | Board preparation | Room 4")
    await bot.press(sam, meeting, text="Coming")

    today = datetime.now(UTC).date()
    with time_machine.travel(datetime.now(UTC) + timedelta(days=3)):
        # A member who does not facilitate is refused, in the group and on a forged button.
        await bot.say(cara, circle.group, "/report")
        assert "Only the group's organisers" in bot.last_text(circle.group)
        forged = await bot.press_raw(
            cara,
            bot.private(cara),
            bot.last(bot.private(cara)).message_id,
            encode(Action.REPORT_PERIOD, 1, 0),
        )
        assert forged is not None and "Only the group's organisers" in str(forged["text"])
        assert not reports_in(bot, cara)

        # Dates that cannot be read get a kind answer and change nothing.
        await bot.say(circle.fiona, circle.group, "/report")
        await bot.press(circle.fiona, bot.last(dm), text="Choose dates")
        await bot.say(circle.fiona, dm, "sometime soon")
        assert "first and last day" in bot.last_text(dm)
        await bot.say(circle.fiona, dm, "5 May 2026 to 1 May 2026")
        assert "comes before the first" in bot.last_text(dm)
        assert not reports_in(bot, circle.fiona)

        pdf = await report_for_dates(
            bot, circle, today - timedelta(days=1), today + timedelta(days=5)
        )

    # Sent privately, never in the group.
    assert not [m for m in bot.tg.messages(circle.group) if m.document is not None]
    assert pdf.mime_type == "application/pdf" and pdf.data.startswith(b"%PDF")
    text = pdf_text(pdf)
    # The cover.
    assert "Co-production" in text
    assert "Meetings held: 1" in text and "Polls decided: 2" in text
    assert "Feedback items received: 3" in text
    # Every decision, in the order they were decided, each exactly as the group was told.
    first, second = text.index("Move the meeting"), text.index("Paint the room")
    assert text.index("Decision 1") < first < text.index("Decision 2") < second
    for question in ("Move the meeting to Thursdays?", "Paint the room green?"):
        for line in closing_message(bot, circle, question).split("\n"):
            assert flat(line) in text, line
    # The second poll's message held figures back: so does the report, in its words.
    held = closing_message(bot, circle, "Paint the room green?")
    assert "As the poll said before voting" in held  # posted with notice in this group
    assert "What we did: Planned by the room bookings team" in text
    # Feedback: counts, the published text, never the rejected or urgent one.
    assert "Please send the papers a week before" in text
    assert "The chair talks over people" not in text and "I want to die" not in text
    assert "All 3 1 1 1" in text
    # Meetings held, with answer totals only; and how it all works.
    assert "Board preparation" in text and "Coming: 1 · Maybe: 0 · Can't come: 0" in text
    assert "How equal weight and anonymity work" in text

    # Its pages draw (to PNG) with something on each of them.
    document = pypdfium2.PdfDocument(pdf.data)
    try:
        assert len(document) >= 4
        for index in range(len(document)):
            image = document[index].render(scale=1).to_pil()
            png = io.BytesIO()
            image.save(png, format="PNG")
            assert png.getvalue().startswith(b"\x89PNG")
            darkest, _ = image.convert("L").getextrema()
            assert darkest < 100, f"page {index + 1} is blank"
    finally:
        document.close()


async def test_a_period_with_nothing_in_it_still_makes_a_short_report(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    today = datetime.now(UTC).date()
    pdf = await report_for_dates(
        bot, circle, today - timedelta(days=400), today - timedelta(days=300)
    )
    text = pdf_text(pdf)
    assert "Polls decided: 0" in text and "No poll closed in this period." in text
    assert "No feedback was published in this period." in text
