"""Webhook delivery: POST every queued update, in order, to the URL given to setWebhook."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from bot.sandbox.state import SandboxState

log = logging.getLogger("bot.sandbox")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name


class WebhookDelivery:
    """One background task per FakeTelegram, alive while a webhook is set.

    Updates go one at a time so the bot sees them in order. A failure (connection error or a
    non-2xx answer) is retried with a short doubling backoff, at most ``max_attempts`` times;
    then the update is dropped and recorded, as Telegram eventually gives up too.
    """

    def __init__(
        self,
        state: SandboxState,
        *,
        max_attempts: int = 5,
        first_backoff: float = 0.05,
        timeout: float = 5.0,
    ) -> None:
        self.state = state
        self.max_attempts = max_attempts
        self.first_backoff = first_backoff
        self.timeout = timeout
        self.delivered: list[dict[str, Any]] = []
        self.dropped: list[dict[str, Any]] = []
        self._task: asyncio.Task[None] | None = None

    def ensure_running(self) -> None:
        if self.state.webhook is None:
            return
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            while self.state.webhook is not None:
                pending = self.state.pending_updates()
                if not pending:
                    await self.state.wait_for_update(0.5)
                    continue
                update = pending[0]
                if await self._deliver(client, update):
                    self.state.confirm_below(update["update_id"] + 1)

    async def _deliver(self, client: httpx.AsyncClient, update: dict[str, Any]) -> bool:
        """True when the update is done with (delivered or given up on); False when the webhook
        was removed meanwhile, so the update stays queued for getUpdates."""
        backoff = self.first_backoff
        for attempt in range(1, self.max_attempts + 1):
            config = self.state.webhook
            if config is None:
                return False
            headers = {"Content-Type": "application/json"}
            if config.secret_token:
                headers[SECRET_HEADER] = config.secret_token
            try:
                response = await client.post(config.url, json=update, headers=headers)
                if 200 <= response.status_code < 300:
                    self.delivered.append(update)
                    return True
                error = f"Wrong response from the webhook: {response.status_code}"
            except httpx.HTTPError as exc:
                error = f"Connection failed: {type(exc).__name__}"
            config.last_error_date = self.state.now()
            config.last_error_message = error
            if attempt < self.max_attempts:
                await asyncio.sleep(backoff)
                backoff *= 2
        log.warning(
            "sandbox webhook: dropped update %s after %s attempts",
            update["update_id"],
            self.max_attempts,
        )
        self.dropped.append(update)
        return True
