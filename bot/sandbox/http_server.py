"""HTTP transport: the same FakeTelegram behind a real server on 127.0.0.1 (tornado).

It runs in the caller's asyncio loop, so a test, the bot and the server share one loop. Point
PTB at it with ``ApplicationBuilder().base_url(server.base_url)``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot.sandbox.errors import SimulatedNetworkError
from bot.sandbox.fake_telegram import FakeTelegram
from bot.sandbox.models import UploadedFile
from bot.sandbox.uploads import attach_files, decode_form_value

HOST = "127.0.0.1"
log = logging.getLogger("bot.sandbox")


class _BotApiHandler(RequestHandler):
    # Tornado's own request-body limit is 100 MB; Telegram's upload limit is 50 MB. Fine.

    def initialize(self, server: SandboxHttpServer) -> None:
        self.server = server

    def check_xsrf_cookie(self) -> None:
        """A bot API has no cookies."""

    async def get(self, token: str, method: str) -> None:
        await self._answer(token, method)

    async def post(self, token: str, method: str) -> None:
        await self._answer(token, method)

    async def _answer(self, token: str, method: str) -> None:
        tg = self.server.tg
        params = self._params(method)
        try:
            status, body = await tg.call(method, params, token=token)
        except SimulatedNetworkError as fault:
            if fault.kind == "timeout":
                # Stall past the client's read timeout, then hang up without an answer.
                await asyncio.sleep(self.server.timeout_fault_delay)
            self._drop_connection()
            return
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    def _drop_connection(self) -> None:
        connection = self.request.connection
        stream = getattr(connection, "stream", None)
        if stream is not None:
            sock = getattr(stream, "socket", None)
            if isinstance(sock, socket.socket):
                # SO_LINGER 0: close with a TCP RST, the way a reset connection looks.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00" * 2)
            stream.close()
        # Tell tornado the request is over so it does not try to write a response.
        self._finished = True

    def _params(self, method: str) -> dict[str, Any]:
        tg = self.server.tg
        content_type = self.request.headers.get("Content-Type", "")
        params: dict[str, Any] = {}
        if content_type.startswith("application/json") and self.request.body:
            loaded = json.loads(self.request.body)
            if isinstance(loaded, dict):
                params.update(loaded)
        for source in (self.request.query_arguments, self.request.body_arguments):
            for name, values in source.items():
                if values:
                    raw = values[-1].decode("utf-8")
                    params[name] = decode_form_value(tg.spec, method, name, raw)
        files = {
            part: UploadedFile(
                items[0].filename or part,
                items[0].content_type or "application/octet-stream",
                items[0].body,
            )
            for part, items in self.request.files.items()
            if items
        }
        return attach_files(params, files)


def _log_request(handler: RequestHandler) -> None:
    # 4xx answers are Telegram's normal errors, expected in tests: debug, not tornado's warnings.
    request = handler.request
    log.debug("%s %s -> %s", request.method, request.uri, handler.get_status())


class SandboxHttpServer:
    """``await server.start(port=0)`` then use ``server.base_url``; ``await server.stop()``."""

    def __init__(self, tg: FakeTelegram, *, timeout_fault_delay: float = 10.0) -> None:
        self.tg = tg
        self.timeout_fault_delay = timeout_fault_delay
        self.port: int | None = None
        self._server: HTTPServer | None = None

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise RuntimeError("SandboxHttpServer is not started")
        return f"http://{HOST}:{self.port}/bot"

    async def start(self, port: int = 0) -> None:
        app = Application(
            [(r"/bot([^/]+)/([A-Za-z]+)/?", _BotApiHandler, {"server": self})],
            log_function=_log_request,
        )
        sockets = bind_sockets(port, HOST, family=socket.AF_INET)
        self._server = HTTPServer(app)
        self._server.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]

    async def stop(self) -> None:
        await self.tg.aclose()
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None

    async def __aenter__(self) -> SandboxHttpServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
