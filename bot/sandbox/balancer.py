"""A round-robin load balancer in front of several webhook replicas, for tests and benches."""

from __future__ import annotations

import json
import socket

import httpx
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot.sandbox.webhook import SECRET_HEADER


class RoundRobin:
    """A tiny load balancer on 127.0.0.1: each request goes to the next replica in turn.

    Like a real one it passes the body and Telegram's secret header through and answers with
    the replica's answer (502 when the replica cannot be reached, so Telegram retries)."""

    class _Forward(RequestHandler):
        def initialize(self, balancer: RoundRobin) -> None:
            self.balancer = balancer

        def check_xsrf_cookie(self) -> None:
            """Telegram sends no cookies."""

        async def post(self) -> None:
            status, body = await self.balancer.forward(
                self.request.body, self.request.headers.get(SECRET_HEADER)
            )
            self.set_status(status)
            self.finish(body)

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports  # each replica's own port on 127.0.0.1
        self.replicas = [f"http://127.0.0.1:{port}/telegram" for port in ports]
        self.routed: dict[int, int] = {}  # update_id -> the replica it was handed to
        self._turn = 0
        self._client = httpx.AsyncClient(timeout=10)
        self._server: HTTPServer | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/telegram"

    async def forward(self, body: bytes, secret: str | None) -> tuple[int, bytes]:
        replica, self._turn = self._turn, (self._turn + 1) % len(self.replicas)
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        try:
            answer = await self._client.post(self.replicas[replica], content=body, headers=headers)
        except httpx.HTTPError:
            return 502, b""
        if answer.is_success:
            self.routed[int(json.loads(body)["update_id"])] = replica
        return answer.status_code, answer.content

    async def start(self) -> None:
        app = Application([(r"/telegram", RoundRobin._Forward, {"balancer": self})])
        sockets = bind_sockets(0, "127.0.0.1", family=socket.AF_INET)
        self._server = HTTPServer(app)
        self._server.add_sockets(sockets)
        self.port = int(sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
        await self._client.aclose()
