"""`equalsay run` keeps the update queue short, so a killed process loses few updates."""

from __future__ import annotations

from pathlib import Path
from unittest.mock import patch

import pytest

from bot.__main__ import run
from bot.app import UPDATE_BACKLOG, build_application
from bot.config import load_settings

TOKEN = "123456:TEST-token"


def test_the_served_bot_has_a_short_queue_and_handles_updates_in_turn(tmp_path: Path) -> None:
    settings = load_settings(bot_token=TOKEN, database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db")
    built = []

    def keep(app: object, **_: object) -> None:
        built.append(app)

    with patch("telegram.ext.Application.run_polling", keep):
        run(settings)
    (app,) = built
    assert app.update_queue.maxsize == UPDATE_BACKLOG  # type: ignore[attr-defined]
    assert app.concurrent_updates == 1  # type: ignore[attr-defined]


def test_a_backlog_with_concurrent_updates_is_refused(tmp_path: Path) -> None:
    """With concurrent updates PTB empties the queue into tasks at once: no bound at all."""
    settings = load_settings(bot_token=TOKEN, database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db")
    with pytest.raises(ValueError, match="in turn"):
        build_application(settings, concurrent_updates=True, update_backlog=UPDATE_BACKLOG)
    assert build_application(settings, concurrent_updates=True).update_queue.maxsize == 0


@pytest.mark.parametrize("mode", ["polling", "webhook"])
def test_the_served_bot_asks_telegram_for_member_changes(tmp_path: Path, mode: str) -> None:
    """Telegram sends `chat_member` (someone left or was banned) only when asked by name:
    without it a person who left keeps their role."""
    extra = (
        {"webhook_url": "https://bot.example/telegram", "webhook_secret_token": "s3cret-token"}
        if mode == "webhook"
        else {}
    )
    settings = load_settings(
        bot_token=TOKEN, database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db", mode=mode, **extra
    )
    asked: list[object] = []

    def keep(_app: object, **kwargs: object) -> None:
        asked.append(kwargs["allowed_updates"])

    with (
        patch("telegram.ext.Application.run_polling", keep),
        patch("telegram.ext.Application.run_webhook", keep),
    ):
        run(settings)
    (allowed,) = asked
    assert isinstance(allowed, list)
    assert {"chat_member", "my_chat_member", "message", "callback_query"} <= set(allowed)
