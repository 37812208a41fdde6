"""The real `equalsay` process over real HTTP against the sandbox: polling, webhook, check.

Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx

from bot.sandbox import FakeTelegram, SandboxHttpServer
from tests.e2e.processes import (
    STARTUP_SECONDS,
    bot_env,
    eventually,
    free_port,
    server_fixture,  # noqa: F401 - provides the `server` fixture
    spawn,
    stop,
    stop_when_done,
)


async def converse(tg: FakeTelegram) -> None:
    """/start, then a button press, as a person would over the wire."""
    alice = tg.create_user("Alice")
    dm = tg.private_chat(alice)
    tg.start_bot(alice)
    await eventually(lambda: any("Equal Say" in (m.text or "") for m in tg.messages(dm)), "/start")
    tg.send_text(alice, dm, "/forgetme")
    await eventually(lambda: len(tg.messages(dm)) == 2, "the /forgetme question")
    press = tg.press(alice, tg.last_message(dm), text="No, keep it")
    query_id = press["callback_query"]["id"]
    await eventually(lambda: tg.callback_answer(query_id) is not None, "the press answered")
    await eventually(lambda: "Nothing was erased" in (tg.last_message(dm).text or ""), "edit")


async def test_polling_mode_answers_start_and_a_button(
    tg: FakeTelegram, server: SandboxHttpServer, tmp_path: Path
) -> None:
    process = await spawn(bot_env(tg, server, tmp_path, MODE="polling"), "run", cwd=tmp_path)
    try:
        await eventually(lambda: bool(tg.calls_to("getUpdates")), "polling", STARTUP_SECONDS)
        # Leaves and bans (chat_member) come only when asked for by name.
        assert "chat_member" in (tg.allowed_updates or [])
        await converse(tg)
    finally:
        output = await stop(process)
    assert process.returncode == 0, output
    assert "Traceback" not in output, output


async def test_webhook_mode_answers_and_checks_the_secret(
    tg: FakeTelegram, server: SandboxHttpServer, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    env = bot_env(
        tg,
        server,
        tmp_path,
        MODE="webhook",
        WEBHOOK_URL=url,
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
        WEBHOOK_SECRET_TOKEN="only-telegram-knows",
    )
    process = await spawn(env, "run", cwd=tmp_path)
    try:
        await eventually(lambda: bool(tg.calls_to("setWebhook")), "setWebhook", STARTUP_SECONDS)
        assert tg.calls_to("setWebhook")[-1]["secret_token"] == "only-telegram-knows"
        assert tg.webhook is not None and "chat_member" in (tg.webhook.allowed_updates or [])
        await converse(tg)
        forged = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 1, "type": "private"},
                "text": "/start",
            },
        }
        async with httpx.AsyncClient() as client:
            missing = await client.post(url, json=forged)
            wrong = await client.post(
                url, json=forged, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"}
            )
        assert missing.status_code == 403
        assert wrong.status_code == 403
    finally:
        output = await stop(process)
    assert "Traceback" not in output, output


def everything_in(folder: Path) -> dict[str, str]:
    """Every file below the folder with a digest of its bytes (folders as "")."""
    return {
        str(path): hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        for path in sorted(folder.rglob("*"))
    }


async def test_check_reports_each_part_in_plain_lines(
    tg: FakeTelegram, server: SandboxHttpServer, tmp_path: Path
) -> None:
    fresh = bot_env(tg, server, tmp_path, SECRET_KEY="")  # a fresh install: .env.example
    before = everything_in(tmp_path)
    good = await spawn(fresh, "check", cwd=tmp_path)
    good_out = await stop_when_done(good)
    assert "OK   The settings load" in good_out
    assert f"OK   Telegram accepts the token: the bot is @{tg.bot_username}" in good_out
    # What the first start will do, said plainly; a pass; and nothing made (issue 14.10).
    assert "NEW  There is no database yet" in good_out and "first start creates" in good_out
    assert "NEW  There is no SECRET_KEY yet: the first start makes one" in good_out
    assert "All good: the bot can start." in good_out and good.returncode == 0, good_out
    assert everything_in(tmp_path) == before

    migrate = await spawn(fresh, "migrate", cwd=tmp_path)
    assert "up to date" in await stop_when_done(migrate)
    before = everything_in(tmp_path)
    again = await spawn(fresh, "check", cwd=tmp_path)
    again_out = await stop_when_done(again)
    assert everything_in(tmp_path) == before  # the database only read, not even its WAL made
    assert "OK   The database is reachable and up to date." in again_out
    assert "is strong and the one this database was set up with" in again_out
    assert "All good" in again_out and again.returncode == 0, again_out

    other = await spawn(bot_env(tg, server, tmp_path), "check", cwd=tmp_path)  # another key
    assert "FAIL The key in SECRET_KEY is not the one" in await stop_when_done(other)
    assert other.returncode == 1

    wrong = await spawn(bot_env(tg, server, tmp_path, BOT_TOKEN="999:wrong"), "check", cwd=tmp_path)
    wrong_out = await stop_when_done(wrong)
    assert "FAIL BOT_TOKEN was not accepted by Telegram" in wrong_out
    assert wrong.returncode == 1
