"""Deep links into the direct message with the bot."""

from __future__ import annotations

from urllib.parse import quote


def start_link(bot_username: str, payload: str | None = None) -> str:
    link = f"https://t.me/{bot_username}"
    return f"{link}?start={quote(payload)}" if payload else link
