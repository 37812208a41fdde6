"""Shared set-up for the meeting tests: plan a meeting through the real buttons."""

from __future__ import annotations

from bot.harness import SandboxBot
from bot.sandbox import FakeMessage
from tests.e2e.poll_helpers import Circle, button


async def plan_meeting(
    bot: SandboxBot, circle: Circle, line: str, *, repeat: str | None = None
) -> FakeMessage:
    """`/meeting <line>`, optionally a repeat button, then Save; returns the meeting message."""
    await bot.say(circle.fiona, circle.group, f"/meeting {line}")
    confirmation = bot.last(circle.group)
    assert "Please check the meeting" in (confirmation.text or ""), confirmation.text
    if repeat is not None:
        await bot.press(circle.fiona, confirmation, data=button(confirmation, repeat))
    await bot.press(circle.fiona, confirmation, data=button(confirmation, "Save"))
    meeting = bot.last(circle.group)
    assert "Let us know if you can come" in (meeting.text or ""), meeting.text
    return meeting


def reminders_in(bot: SandboxBot, circle: Circle) -> list[FakeMessage]:
    return [m for m in bot.tg.messages(circle.group) if (m.text or "").startswith("⏰ Reminder")]
