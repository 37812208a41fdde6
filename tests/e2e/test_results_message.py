"""Closing a poll posts ONE results message (issue 14, point 7): the decision in words first,
the chart attached when there are figures to draw (the decision marked on it, the group's
name and the day in it), and the figures below in plain words, with roles named as people
chose them. Where the result shows no figures, the words alone."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from PIL import Image

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeMessage
from bot.views.poll_wording import long_day
from tests.e2e.poll_helpers import (
    Circle,
    button,
    is_results,
    joined_circle,
    post_poll,
    shown,
    vote,
)

SENDS = ("sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup")


def sends_to(bot: SandboxBot, chat_id: int, since: int) -> list[str]:
    """The Bot API methods that put a new message in the chat since the `since`-th call."""
    return [
        name
        for name, params in bot.tg.calls[since:]
        if name in SENDS and int(params.get("chat_id", 0)) == chat_id
    ]


async def close_and_watch(bot: SandboxBot, circle: Circle, poll: FakeMessage) -> list[str]:
    """Close with "Close poll" then "Yes": what the Yes press sent to the group."""
    await vote(bot, circle.fiona, poll, "Close poll")
    question = bot.last(circle.group)
    since = len(bot.tg.calls)
    await vote(bot, circle.fiona, question, "Yes, close it now")
    return sends_to(bot, circle.group.id, since)


def no_abbreviations(text: str) -> None:
    assert not re.search(r"\b(SU|Car)\b", text), text


async def test_figures_come_as_one_photo_with_the_decision_first(bot: SandboxBot) -> None:
    # 3 of each role: the poll may show the head count and rounded equal-weight scores.
    circle = await joined_circle(
        bot, {Role.SERVICE_USER: 3, Role.CARER: 3, Role.STAFF: 3}, title="Ward forum"
    )
    poll = await post_poll(bot, circle, "Meet monthly? | Monthly | Weekly")
    for index, user in enumerate(circle.everyone()):
        await vote(bot, user, poll, "Monthly" if index % 3 else "Weekly")
    before = len(bot.tg.messages(circle.group))
    sent = await close_and_watch(bot, circle, poll)

    assert sent == ["sendPhoto"], sent  # one new message: no separate text, no second photo
    assert len(bot.tg.messages(circle.group)) == before + 2  # "Close this poll now?", results
    results = bot.last(circle.group)
    assert is_results(results) and results.photo is not None and results.text is None
    caption = results.caption or ""
    assert caption.startswith("On equal weight: Monthly.\nResults: Meet monthly?")
    assert "1. Monthly: 6 votes, about 70% equal weight" in caption
    assert "2. Weekly: 3 votes, about 30% equal weight" in caption
    no_abbreviations(caption)
    assert results.reply_to_message_id == poll.message_id
    # The facilitators' export and Reopen are on it; everything fitted, so no "All figures".
    assert [b.text for b in results.all_buttons()] == [
        "Results as CSV (organisers)",
        "Reopen poll (organisers, 10 min)",
    ]
    # The chart says the same: the decision marked, the group and the day.
    with Image.open(io.BytesIO(results.photo)) as image:
        words = dict(image.text)  # type: ignore[attr-defined]
    assert words["Description"] == "On equal weight: Monthly."
    assert words["Marked"] == "1. Monthly: Decided"
    assert words["Group and date"].startswith("Ward forum · ")
    assert words["Group and date"].endswith(long_day(datetime.now(UTC), "Europe/London"))
    # The poll message itself is edited to say closed (an edit, not a new message).
    assert "This poll is closed" in (poll.text or "")


async def test_the_decision_alone_comes_as_one_text_message(bot: SandboxBot) -> None:
    # 3 / 3 / 4 members: only the decision is safe to show, so there is nothing to draw.
    circle = await joined_circle(bot)
    poll = await post_poll(bot, circle, "Meet monthly? | Monthly | Weekly")
    for user in circle.everyone():
        await vote(bot, user, poll, "Monthly")
    sent = await close_and_watch(bot, circle, poll)
    assert sent == ["sendMessage"], sent
    results = bot.last(circle.group)
    assert results.photo is None and is_results(results)
    assert shown(results).startswith("On equal weight: Monthly.\nResults: Meet monthly?")
    assert "%" not in shown(results)
    no_abbreviations(shown(results))


async def test_close_by_command_also_posts_one_message(bot: SandboxBot) -> None:
    circle = await joined_circle(bot, {Role.SERVICE_USER: 3, Role.CARER: 3, Role.STAFF: 3})
    poll = await post_poll(bot, circle, "Meet monthly? | Monthly | Weekly")
    for user in circle.everyone():
        await vote(bot, user, poll, "Weekly")
    since = len(bot.tg.calls)
    await bot.say(circle.fiona, circle.group, "/close", reply_to=poll)
    assert sends_to(bot, circle.group.id, since) == ["sendPhoto"]
    caption = bot.last_text(circle.group)
    assert caption.startswith("On equal weight: Weekly.")
    no_abbreviations(caption)
    assert button(bot.last(circle.group), "Results as CSV")
