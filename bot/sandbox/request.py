"""In-process transport: a PTB ``BaseRequest`` that answers from FakeTelegram directly."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.sandbox.errors import SimulatedNetworkError
from bot.sandbox.fake_telegram import FakeTelegram
from bot.sandbox.models import UploadedFile
from bot.sandbox.uploads import attach_files

_PATH_RE = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)/?$")
_NOT_FOUND = json.dumps({"ok": False, "error_code": 404, "description": "Not Found"}).encode()


class SandboxRequest(BaseRequest):
    """Use for both ``request`` and ``get_updates_request`` of an ``ApplicationBuilder``."""

    def __init__(self, tg: FakeTelegram, *, read_timeout: float | None = 5.0) -> None:
        self.tg = tg
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to open: there is no connection."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        match = _PATH_RE.search(urlsplit(url).path)
        if match is None:
            return 404, _NOT_FOUND
        params = _params(request_data)
        try:
            status, body = await self.tg.call(match["method"], params, token=match["token"])
        except SimulatedNetworkError as fault:
            if fault.kind == "timeout":
                raise TimedOut("Timed out (sandbox fault)") from None
            raise NetworkError(
                "Server disconnected without sending a response (sandbox fault)"
            ) from None
        return status, json.dumps(body).encode("utf-8")


def _params(request_data: RequestData | None) -> dict[str, Any]:
    if request_data is None:
        return {}
    files: dict[str, UploadedFile] = {}
    for part, (filename, content, mime_type) in request_data.multipart_data.items():
        data = content if isinstance(content, bytes) else content.read()
        files[part] = UploadedFile(filename, mime_type, data)
    return attach_files(dict(request_data.parameters), files)
