"""The HTTP transport, driven by PTB's real HTTPXRequest over 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Conflict, NetworkError, TimedOut
from telegram.request import HTTPXRequest
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot.sandbox import FakeTelegram, SandboxHttpServer, SentFile
from bot.sandbox.webhook import SECRET_HEADER


@pytest.fixture
async def server(tg: FakeTelegram) -> AsyncIterator[SandboxHttpServer]:
    http = SandboxHttpServer(tg, timeout_fault_delay=1.0)
    await http.start(port=0)
    yield http
    await http.stop()


@pytest.fixture
async def http_bot(tg: FakeTelegram, server: SandboxHttpServer) -> AsyncIterator[Bot]:
    async with Bot(
        tg.token,
        base_url=server.base_url,
        request=HTTPXRequest(read_timeout=0.5),
        get_updates_request=HTTPXRequest(),
    ) as bot:
        yield bot


async def test_base_url_and_send_message(
    tg: FakeTelegram, server: SandboxHttpServer, http_bot: Bot
) -> None:
    assert server.base_url.startswith("http://127.0.0.1:")
    assert server.base_url.endswith("/bot")
    user = tg.create_user("Ann")
    tg.start_bot(user)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="v:1:y")]])
    sent = await http_bot.send_message(
        user.id, "<b>42</b>", parse_mode="HTML", reply_markup=keyboard
    )
    assert sent.text == "42"  # a numeric-looking text stays a string over the form encoding
    message = tg.last_message(tg.private_chat(user))
    assert message.buttons[0][0].data == "v:1:y"
    with pytest.raises(BadRequest, match="Message is too long"):
        await http_bot.send_message(user.id, "x" * 4097)


async def test_get_updates_long_poll(tg: FakeTelegram, http_bot: Bot) -> None:
    user = tg.create_user("Ann")

    async def later() -> None:
        await asyncio.sleep(0.1)
        tg.start_bot(user, payload="abc")

    task = asyncio.create_task(later())
    started = time.monotonic()
    updates = await http_bot.get_updates(timeout=5)
    await task
    assert time.monotonic() - started < 3
    assert updates[0].message is not None
    assert updates[0].message.text == "/start abc"
    assert await http_bot.get_updates(offset=updates[0].update_id + 1) == ()


async def test_multipart_document_upload(tg: FakeTelegram, http_bot: Bot) -> None:
    user = tg.create_user("Ann")
    tg.start_bot(user)
    payload = bytes(range(256)) * 10
    sent = await http_bot.send_document(user.id, payload, filename="minutes.pdf", caption="Minutes")
    assert sent.document is not None
    assert sent.document.file_size == len(payload)
    message = tg.last_message(tg.private_chat(user))
    assert message.document == SentFile("minutes.pdf", "application/pdf", payload)
    assert message.caption == "Minutes"


async def test_json_body_and_wrong_token(tg: FakeTelegram, server: SandboxHttpServer) -> None:
    import httpx

    async with httpx.AsyncClient() as client:
        ok = await client.post(f"{server.base_url}{tg.token}/getMe", json={})
        assert ok.status_code == 200
        assert ok.json()["result"]["username"] == "equalsay_bot"
        bad = await client.post(f"{server.base_url}999:NOPE/getMe")
        assert bad.status_code == 401
        assert bad.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_http_faults(tg: FakeTelegram, http_bot: Bot) -> None:
    user = tg.create_user("Ann")
    tg.start_bot(user)
    tg.faults.inject("sendMessage", "reset")
    with pytest.raises(NetworkError):
        await http_bot.send_message(user.id, "a")
    tg.faults.inject("sendMessage", "timeout")
    with pytest.raises(TimedOut):
        await http_bot.send_message(user.id, "b")
    await http_bot.send_message(user.id, "c")
    assert [m.text for m in tg.messages(tg.private_chat(user))] == ["c"]


class _Receiver(RequestHandler):
    def initialize(self, store: dict[str, Any]) -> None:
        self.store = store

    def check_xsrf_cookie(self) -> None:
        """No cookies here."""

    def post(self) -> None:
        if self.store["fail_first"] > 0:
            self.store["fail_first"] -= 1
            self.set_status(500)
            return
        self.store["headers"].append(self.request.headers.get(SECRET_HEADER))
        self.store["updates"].append(json.loads(self.request.body))


async def test_webhook_delivery_in_order_with_secret_and_retry(
    tg: FakeTelegram, http_bot: Bot
) -> None:
    store: dict[str, Any] = {"fail_first": 2, "headers": [], "updates": []}
    sockets = bind_sockets(0, "127.0.0.1", family=socket.AF_INET)
    receiver = HTTPServer(Application([(r"/hook", _Receiver, {"store": store})]))
    receiver.add_sockets(sockets)
    port = sockets[0].getsockname()[1]
    try:
        await http_bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
        with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
            await http_bot.get_updates()
        users = [tg.create_user(f"U{i}") for i in range(3)]
        sent = [tg.start_bot(u) for u in users]
        for _ in range(100):
            if len(store["updates"]) == 3:
                break
            await asyncio.sleep(0.02)
        assert store["updates"] == sent
        assert store["headers"] == ["s3cret"] * 3
        info = await http_bot.get_webhook_info()
        assert info.pending_update_count == 0
        assert info.url.endswith("/hook")
        assert info.last_error_message == "Wrong response from the webhook: 500"
        await http_bot.delete_webhook()
        assert await http_bot.get_updates() == ()
    finally:
        receiver.stop()
        await receiver.close_all_connections()
