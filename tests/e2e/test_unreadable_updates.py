"""An update the library cannot read: skipped once, nothing personal logged (issue 13.9).

The attack: the sandbox delivers an update python-telegram-bot cannot parse, carrying a user
id, a username and private text. Before, the whole update went to the log at CRITICAL and
polling fetched it again in a loop (629 calls and 3 MB of log in 4 seconds).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.sandbox import FakeTelegram, FakeUser, SandboxHttpServer
from bot.unreadable_updates import readable_updates
from tests.e2e.processes import (
    BotProcess,
    assert_clean,
    bot_env,
    eventually,
    served_env,
    server_fixture,  # noqa: F401 - provides the `server` fixture
)

SECRETS = ("secret_sam", "my private words about my care")


def unreadable_message(tg: FakeTelegram, sam: FakeUser) -> dict[str, Any]:
    """A private message whose date is not a number: the library raises on it."""
    return tg.enqueue(
        "message",
        {
            "message_id": 1,
            "date": "yesterday",
            "chat": {"id": sam.id, "type": "private", "username": "secret_sam"},
            "from": {"id": sam.id, "is_bot": False, "first_name": "Sam", "username": "secret_sam"},
            "text": SECRETS[1],
        },
    )


def assert_nothing_personal(output: str, sam: FakeUser) -> None:
    for secret in (*SECRETS, str(sam.id)):
        assert secret not in output, f"{secret!r} is in the log:\n{output[-5000:]}"


async def answered_start(tg: FakeTelegram) -> None:
    alice = tg.create_user("Alice")
    tg.start_bot(alice)
    dm = tg.private_chat(alice)
    await eventually(lambda: bool(tg.messages(dm)), "/start answered after the unreadable one")


async def test_polling_skips_an_unreadable_update_once(
    tg: FakeTelegram, server: SandboxHttpServer, tmp_path: Path
) -> None:
    env = bot_env(tg, server, tmp_path, MODE="polling")
    bot = await BotProcess.start(env, "run", cwd=tmp_path, log=tmp_path / "bot.log")
    sam = tg.create_user("Sam", "secret_sam")
    try:
        await bot.wait_for(lambda: bool(tg.calls_to("getUpdates")), "polling")
        bad = unreadable_message(tg, sam)
        await answered_start(tg)
        await eventually(lambda: not tg.pending_updates(), "every update confirmed")
        polls_before = len(tg.calls_to("getUpdates"))
        await asyncio.sleep(2)
        # Long polling waits on an empty queue: no refetch loop.
        assert len(tg.calls_to("getUpdates")) - polls_before <= 3
        assert bot.running
    finally:
        output = await bot.interrupt()
    assert f"Skipped update {bad['update_id']} (message)" in output
    assert_nothing_personal(output, sam)
    assert_clean(output, "the bot")


async def test_webhook_logs_nothing_personal_and_carries_on(
    tg: FakeTelegram, server: SandboxHttpServer, tmp_path: Path
) -> None:
    env = served_env(tg, server, tmp_path, "webhook")
    bot = await BotProcess.start(env, "run", cwd=tmp_path, log=tmp_path / "bot.log")
    sam = tg.create_user("Sam", "secret_sam")
    try:
        await bot.wait_for(lambda: bool(tg.calls_to("setWebhook")), "setWebhook")
        unreadable_message(tg, sam)
        await answered_start(tg)  # Telegram gives up on the unreadable one, then goes on
    finally:
        output = await bot.interrupt()
    assert "An update from Telegram could not be read (TypeError)" in output
    assert_nothing_personal(output, sam)


def test_only_the_unreadable_update_is_left_bare() -> None:
    good = {
        "update_id": 7,
        "message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}},
    }
    bad = {"update_id": 8, "callback_query": {"id": "1", "from": "Sam"}}
    assert readable_updates([good, bad]) == [good, {"update_id": 8}]
