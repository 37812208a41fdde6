""" "You said, we did" (issue 18, section 4): facilitators record what came of published
feedback and closed polls; the group hears each change once; writers who allowed replies are
told; reviews remind the facilitators; /yousaid and the monthly digest; the decision log."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bot.domain.roles import Role
from bot.harness import NoRateLimits, SandboxBot
from bot.sandbox import FakeMessage, FakeTelegram, FakeUser
from bot.sandbox.flood import FloodLimits
from bot.scheduling.housekeeping import housekeep
from bot.views.callbacks import Action, encode
from tests.conftest import make_settings, spec_path
from tests.e2e.feedback_helpers import labels, stored, write
from tests.e2e.poll_helpers import Circle, close_by_button, context_of, joined_circle, post_poll

LONDON = ZoneInfo("Europe/London")


async def published_item(bot: SandboxBot, circle: Circle, writer: FakeUser, text: str) -> None:
    preview = await write(bot, writer, text)
    await bot.press(writer, preview, text="Let the organisers reply to me privately")
    await bot.press(writer, bot.last(bot.private(writer)), text="Send")
    copy = [m for m in bot.tg.messages(bot.private(circle.fiona)) if text in (m.text or "")][-1]
    await bot.press(circle.fiona, copy, text="Publish in the group")


async def outcome_list(bot: SandboxBot, circle: Circle) -> FakeMessage:
    await bot.say(circle.fiona, circle.group, "/outcome")
    assert "sent you the list privately" in bot.last_text(circle.group)
    return bot.last(bot.private(circle.fiona))


@pytest.fixture
def tg_unlimited() -> FakeTelegram:
    """Without flood limits: a month of polls and outcomes in one group, in seconds."""
    return FakeTelegram(spec_path=spec_path(), flood=FloodLimits(enabled=False))


def group_posts(bot: SandboxBot, circle: Circle) -> list[str]:
    return [
        m.text or "" for m in bot.tg.messages(circle.group) if "You said, we did" in (m.text or "")
    ]


async def test_outcomes_are_recorded_told_once_and_in_the_decision_log(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    sam, cara = circle.members[Role.SERVICE_USER][0], circle.members[Role.CARER][0]
    await published_item(bot, circle, sam, "The lift on ward 3 is broken again")
    poll = await post_poll(bot, circle, "Move the meeting to Thursdays? | Yes | No")
    await close_by_button(bot, circle.fiona, poll)
    dm = bot.private(circle.fiona)

    listing = await outcome_list(bot, circle)
    assert any(label.startswith("#1 The lift") for label in labels(listing))
    assert any(label.startswith("Poll: Move the meeting") for label in labels(listing))
    (item,) = await stored(bot)
    # A member forging the facilitators' buttons is refused and changes nothing.
    forged = await bot.press_raw(
        cara,
        bot.private(cara),
        bot.last(bot.private(cara)).message_id,
        encode(Action.OUTCOME_STATUS, 0, item.id, 1),
    )
    assert forged is not None and "Only the group's organisers" in str(forged["text"])

    await bot.press(
        circle.fiona, listing, text=next(x for x in labels(listing) if x.startswith("#1"))
    )
    await bot.press(circle.fiona, bot.last(dm), text="Planned")
    assert "Who will do it?" in bot.last_text(dm)
    await bot.say(circle.fiona, dm, "the estates team")
    await bot.press(circle.fiona, bot.last(dm), text="In a month")
    assert "The group has been told" in bot.last_text(dm)
    (post,) = group_posts(bot, circle)
    assert "The lift on ward 3" in post and "Planned" in post and "the estates team" in post
    assert "Fiona" not in post
    # Sam allowed replies: told privately, without any name.
    told = bot.last_text(bot.private(sam))
    assert "recorded what came of your feedback" in told and "Planned" in told

    # The poll: not possible, with why (required), no owner, no review.
    listing = await outcome_list(bot, circle)
    await bot.press(
        circle.fiona, listing, text=next(x for x in labels(listing) if x.startswith("Poll"))
    )
    await bot.press(circle.fiona, bot.last(dm), text="Not possible")
    await bot.say(circle.fiona, dm, "   ")
    assert "why it is not possible" in bot.last_text(dm)
    await bot.say(circle.fiona, dm, "The room is booked on Thursdays until June")
    await bot.press(circle.fiona, bot.last(dm), text="Skip")
    await bot.press(circle.fiona, bot.last(dm), text="No review date")
    assert len(group_posts(bot, circle)) == 2
    assert "Not possible. Why: The room is booked" in group_posts(bot, circle)[-1]

    # The same again changes nothing: the group is not told twice.
    listing = await outcome_list(bot, circle)
    await bot.press(
        circle.fiona, listing, text=next(x for x in labels(listing) if x.startswith("Poll"))
    )
    assert "Recorded now" in bot.last_text(dm)
    await bot.press(circle.fiona, bot.last(dm), text="Not possible")
    await bot.say(circle.fiona, dm, "The room is booked on Thursdays until June")
    await bot.press(circle.fiona, bot.last(dm), text="Skip")
    await bot.press(circle.fiona, bot.last(dm), text="No review date")
    assert "Nothing changed" in bot.last_text(dm)
    assert len(group_posts(bot, circle)) == 2

    await bot.say(cara, circle.group, "/yousaid")
    shown = bot.last_text(circle.group)
    assert shown.index("The lift") < shown.index("Move the meeting")  # open ones first
    await bot.say(circle.fiona, circle.group, "/decisions")
    (log,) = [
        m.document for m in bot.tg.messages(dm) if m.document and "decision" in m.document.filename
    ]
    assert log is not None
    rows = list(csv.reader(io.StringIO(log.data.decode("utf-8-sig"))))
    header = rows[0]
    poll_row = next(r for r in rows if "Move the meeting" in " ".join(r))
    assert poll_row[header.index("What we did")] == "Not possible"
    feedback_row = next(r for r in rows if "The lift" in " ".join(r))
    assert feedback_row[header.index("Owner")] == "the estates team"


async def test_reviews_remind_facilitators_and_the_monthly_digest_is_a_setting(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    sam, cara = circle.members[Role.SERVICE_USER][0], circle.members[Role.CARER][0]
    await published_item(bot, circle, sam, "Please put the agenda out earlier")
    dm = bot.private(circle.fiona)
    listing = await outcome_list(bot, circle)
    await bot.press(circle.fiona, listing, text=labels(listing)[0])
    await bot.press(circle.fiona, bot.last(dm), text="Agreed")
    await bot.press(circle.fiona, bot.last(dm), text="Skip")
    await bot.press(circle.fiona, bot.last(dm), text="In 2 weeks")

    def reviews() -> int:
        return sum("Review due" in (m.text or "") for m in bot.tg.messages(dm))

    with time_machine.travel(datetime.now(UTC) + timedelta(days=13)):
        await housekeep(context_of(bot))
    assert reviews() == 0
    with time_machine.travel(datetime.now(UTC) + timedelta(days=15)):
        await housekeep(context_of(bot))
        await housekeep(context_of(bot))
    assert reviews() == 1

    # The monthly digest: off by default; only a facilitator can turn it on.
    await bot.say(cara, circle.group, "/yousaid")
    board = bot.last(circle.group)
    assert labels(board) == ["Monthly digest: off (tap to turn on)"]
    refused = await bot.press(cara, board, text=labels(board)[0])
    assert refused is not None and "Only the group's organisers" in str(refused["text"])
    first = datetime.now(LONDON).replace(day=1, hour=10, minute=30) + timedelta(days=32)
    first = first.replace(day=1)
    with time_machine.travel(first):
        await housekeep(context_of(bot))
    assert not [
        t for t in (m.text or "" for m in bot.tg.messages(circle.group)) if "This month" in t
    ]
    await bot.press(circle.fiona, board, text=labels(board)[0])
    assert labels(bot.tg.find_message(board.chat_id, board.message_id) or board) == [
        "Monthly digest: on (tap to turn off)"
    ]
    with time_machine.travel(first):
        await housekeep(context_of(bot))
        await housekeep(context_of(bot))
    digests = [
        m.text or "" for m in bot.tg.messages(circle.group) if "This month" in (m.text or "")
    ]
    assert len(digests) == 1 and "Please put the agenda out earlier" in digests[0]


async def test_a_changed_outcome_is_told_again_and_reviews_and_the_digest_survive_a_restart(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    settings = make_settings(tg, f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    async with SandboxBot(tg, settings) as bot:
        circle = await joined_circle(bot)
        sam = circle.members[Role.SERVICE_USER][0]
        await published_item(bot, circle, sam, "The garden gate sticks")
        dm = bot.private(circle.fiona)
        listing = await outcome_list(bot, circle)
        await bot.press(circle.fiona, listing, text=labels(listing)[0])
        await bot.press(circle.fiona, bot.last(dm), text="Planned")
        await bot.say(circle.fiona, dm, "the estates team")
        await bot.press(circle.fiona, bot.last(dm), text="In 2 weeks")
        await bot.say(circle.fiona, circle.group, "/yousaid")
        board = bot.last(circle.group)
        await bot.press(circle.fiona, board, text=labels(board)[0])  # the digest on
    async with SandboxBot(tg, settings) as bot:  # restarted
        # Changed: the group hears once more, in one short message, and so does Sam.
        listing = await outcome_list(bot, circle)
        await bot.press(circle.fiona, listing, text=labels(listing)[0])
        await bot.press(circle.fiona, bot.last(dm), text="Agreed")
        await bot.press(circle.fiona, bot.last(dm), text="Skip")
        await bot.press(circle.fiona, bot.last(dm), text="In a month")
        assert "The group has been told" in bot.last_text(dm)
        posts = [p for p in group_posts(bot, circle) if p.startswith("📣")]
        assert len(posts) == 2 and "Planned" in posts[0] and "Agreed" in posts[1]
        told = [
            m.text or ""
            for m in bot.tg.messages(bot.private(sam))
            if "recorded what came of your feedback" in (m.text or "")
        ]
        assert len(told) == 2 and "Agreed" in told[1]
    async with SandboxBot(tg, settings) as bot:  # and again: the review date was stored

        def reviews() -> int:
            return sum("Review due" in (m.text or "") for m in bot.tg.messages(dm))

        with time_machine.travel(datetime.now(UTC) + timedelta(days=20)):
            await housekeep(context_of(bot))
        assert reviews() == 0  # the review moved to a month when the outcome changed
        with time_machine.travel(datetime.now(UTC) + timedelta(days=32)):
            await housekeep(context_of(bot))
            await housekeep(context_of(bot))
        assert reviews() == 1
        first = datetime.now(LONDON).replace(day=1, hour=10, minute=30) + timedelta(days=32)
        with time_machine.travel(first.replace(day=1)):
            await housekeep(context_of(bot))
            await housekeep(context_of(bot))
        digests = [
            m.text or "" for m in bot.tg.messages(circle.group) if "This month" in (m.text or "")
        ]
        assert len(digests) == 1
        assert "You said: " in digests[0] and "The garden gate sticks" in digests[0]
        assert "We did: Agreed" in digests[0]


async def test_a_long_digest_and_list_reach_the_group_in_parts(
    tg_unlimited: FakeTelegram, tmp_path: Path
) -> None:
    """A busy group's month: more than one message can hold. Nothing is lost to the limit."""
    settings = make_settings(tg_unlimited, f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    async with SandboxBot(tg_unlimited, settings, rate_limiter=NoRateLimits()) as bot:
        await _long_digest(bot)


async def _long_digest(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    fiona, dm = circle.fiona, bot.private(circle.fiona)
    for n in range(9):
        poll = await post_poll(bot, circle, f"Proposal {n}: open on Sundays? | Yes | No")
        await close_by_button(bot, fiona, poll)
        listing = await outcome_list(bot, circle)
        await bot.press(
            fiona, listing, text=next(x for x in labels(listing) if f"Proposal {n}:" in x)
        )
        await bot.press(fiona, bot.last(dm), text="Not possible")
        await bot.say(fiona, dm, f"Reason {n}: " + "the building is shut at weekends. " * 14)
        await bot.press(fiona, bot.last(dm), text="Skip")
        await bot.press(fiona, bot.last(dm), text="No review date")
    assert len(group_posts(bot, circle)) == 9
    before = len(bot.tg.messages(circle.group))
    await bot.say(circle.members[Role.CARER][0], circle.group, "/yousaid")
    listed = bot.tg.messages(circle.group)[before:]
    assert len(listed) >= 2 and all_whole([m.text or "" for m in listed])
    board = listed[-1]
    assert labels(board) == ["Monthly digest: off (tap to turn on)"]
    assert [labels(m) for m in listed[:-1]] == [[] for _ in listed[:-1]]
    shown = board.text
    await bot.press(fiona, board, text=labels(board)[0])
    board = bot.tg.find_message(board.chat_id, board.message_id) or board
    assert labels(board) == ["Monthly digest: on (tap to turn off)"]
    assert board.text == shown  # only the button changed, not the part above it
    first = (datetime.now(LONDON).replace(day=1, hour=10, minute=30) + timedelta(days=32)).replace(
        day=1
    )
    before = len(bot.tg.messages(circle.group))
    with time_machine.travel(first):
        await housekeep(context_of(bot))
        await housekeep(context_of(bot))
    parts = [m.text or "" for m in bot.tg.messages(circle.group)[before:]]
    assert len(parts) >= 2 and "This month" in parts[0]
    assert all_whole(parts)


def all_whole(parts: list[str]) -> bool:
    """Every outcome once, its "You said" and "We did" in the same message."""
    for n in range(9):
        (part,) = [p for p in parts if f"Proposal {n}:" in p]
        assert f"Reason {n}:" in part, n
    return True
