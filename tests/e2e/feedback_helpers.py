"""Shared steps for the feedback tests: write, preview, send, and read what was posted."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.harness import SandboxBot
from bot.sandbox import FakeMessage, FakeUser
from storage.models import Feedback
from tests.e2e.poll_helpers import Circle


async def follow_feedback_link(bot: SandboxBot, user: FakeUser, group_message: FakeMessage) -> None:
    """Press the group's "Give feedback anonymously" link: Telegram opens /start <payload>."""
    url = next(
        b.url for row in group_message.buttons for b in row if b.url and "feedback" in b.text
    )
    assert url is not None and "?start=" in url
    await bot.start(user, url.split("?start=", 1)[1])


async def write(bot: SandboxBot, user: FakeUser, text: str) -> FakeMessage:
    """/feedback in private (one group), then the text; returns the preview."""
    chat = bot.private(user)
    await bot.say(user, chat, "/feedback")
    assert "Anonymous feedback for" in bot.last_text(chat), bot.last_text(chat)
    await bot.say(user, chat, text)
    return bot.last(chat)


async def send_feedback(bot: SandboxBot, user: FakeUser, text: str) -> str:
    """Write and press Send; returns what the person is told."""
    preview = await write(bot, user, text)
    await bot.press(user, preview, text="Send")
    return bot.last_text(bot.private(user))


def labels(message: FakeMessage) -> list[str]:
    return [b.text for row in message.buttons for b in row]


def posted(bot: SandboxBot, circle: Circle) -> list[str]:
    """The feedback the group can read."""
    return [
        m.text or ""
        for m in bot.tg.messages(circle.group)
        if (m.text or "").startswith("Anonymous feedback #")
    ]


@dataclass(frozen=True)
class StoredItem:
    id: int
    status: str
    text: str
    role_tag: str | None
    number: int | None
    urgent: bool


async def stored(bot: SandboxBot) -> list[StoredItem]:
    """Every feedback row, as plain values."""
    async with bot.uow() as uow:
        rows = await uow.session.scalars(select(Feedback).order_by(Feedback.id))
        return [StoredItem(r.id, r.status, r.text, r.role_tag, r.number, r.urgent) for r in rows]


async def set_delivery(bot: SandboxBot, circle: Circle, label: str) -> FakeMessage:
    """A facilitator picks how feedback reaches the group, with /feedbacksettings."""
    await bot.say(circle.fiona, circle.group, "/feedbacksettings")
    settings = bot.last(circle.group)
    await bot.press(circle.fiona, settings, text=label)
    return settings
