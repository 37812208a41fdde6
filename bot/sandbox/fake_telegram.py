"""FakeTelegram: the sandbox's one state and its single async entry point, ``call``."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from bot.sandbox import errors
from bot.sandbox.actors import ActorsMixin
from bot.sandbox.errors import ApiError, SimulatedNetworkError
from bot.sandbox.flood import FloodLimits
from bot.sandbox.methods import METHODS
from bot.sandbox.spec_check import SpecChecker, warn_no_spec
from bot.sandbox.state import default_spec_path
from bot.sandbox.webhook import WebhookDelivery


class _FromEnv:
    def __repr__(self) -> str:
        return "<TELEGRAM_BOT_API_SPEC>"


FROM_ENV: Final = _FromEnv()
# Telegram's method names are case-insensitive.
_BY_LOWER_NAME = {name.lower(): name for name in METHODS}


def _load_spec(spec_path: Path | _FromEnv | None) -> SpecChecker | None:
    path = default_spec_path() if isinstance(spec_path, _FromEnv) else spec_path
    if path is None:
        warn_no_spec("TELEGRAM_BOT_API_SPEC is not set")
        return None
    if not path.is_file():
        warn_no_spec(f"{path} does not exist")
        return None
    return SpecChecker.from_path(path)


class FakeTelegram(ActorsMixin):
    """A fake Telegram Bot API: state, Bot API methods and test-side actions."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",  # noqa: S107 - the sandbox's fake token
        bot_username: str = "equalsay_bot",
        bot_first_name: str = "Equal Say",
        spec_path: Path | _FromEnv | None = FROM_ENV,
        flood: FloodLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
        *,
        privacy_mode: bool = True,
    ) -> None:
        super().__init__(
            token=token,
            bot_username=bot_username,
            bot_first_name=bot_first_name,
            spec=_load_spec(spec_path),
            flood=flood if flood is not None else FloodLimits(),
            clock=clock,
            privacy_mode=privacy_mode,
        )
        self.webhook_delivery = WebhookDelivery(self)

    async def call(
        self, method: str, params: dict[str, Any] | None = None, *, token: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API call: ``(HTTP status, JSON body)`` exactly as Telegram would.

        ``token`` is the one in the request URL (None = trust the caller). Raises
        ``SimulatedNetworkError`` for injected "timeout"/"reset" faults (and after the call, for
        "applied-timeout"), which the transports turn into their own failures.
        """
        params = dict(params or {})
        answer_lost = False
        try:
            if token is not None and token != self.token:
                raise errors.unauthorized()
            canonical = _BY_LOWER_NAME.get(method.lower(), method)
            self.calls.append((canonical, params))
            answer_lost = self._apply_fault(canonical, params)
            handler = METHODS.get(canonical)
            if handler is None:
                raise errors.method_not_found()
            if self.spec is not None:
                problems = self.spec.check(canonical, params)
                if problems:
                    self.spec_violations.extend(problems)
                    raise errors.bad_request(
                        "Bad Request: sandbox spec violation: " + "; ".join(problems)
                    )
            result = await handler(self, params)
        except ApiError as exc:
            status, body = exc.status, exc.body()
        else:
            status, body = 200, {"ok": True, "result": result}
        if answer_lost:
            # Done at Telegram, but the answer never reaches the bot: it only sees a timeout.
            raise SimulatedNetworkError("timeout")
        return status, body

    def _apply_fault(self, method: str, params: dict[str, Any]) -> bool:
        """Fail the call now as the queued fault says; True when it is to be done at Telegram
        and only its answer lost ("applied-timeout")."""
        fault = self.faults.take(method, params)
        if fault is None:
            return False
        if fault.kind == "applied-timeout":
            return True
        if fault.kind == "429":
            raise errors.too_many_requests(fault.retry_after)
        if fault.kind == "500":
            raise errors.internal_error()
        raise SimulatedNetworkError(fault.kind)

    def _webhook_changed(self) -> None:
        if self.webhook is None:
            self._wake()  # let the delivery task notice promptly and end
        else:
            self.webhook_delivery.ensure_running()

    async def aclose(self) -> None:
        """Stop webhook delivery and release long-pollers (call at the end of a test)."""
        self.webhook = None
        await self.webhook_delivery.stop()
        self._wake()
