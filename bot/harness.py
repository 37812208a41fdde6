"""The real Application driven against the in-process sandbox: for tests, `demo` and benches.

Updates the sandbox queues are handed straight to `Application.process_update`, so a test
knows that when `deliver()` returns, every handler has run and every reply is in the sandbox.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any, Self

from telegram import Update
from telegram._utils.types import JSONDict
from telegram.ext import BaseRateLimiter

from bot.app import ALLOWED_UPDATES, build_application, close_resources, open_resources
from bot.config import Settings
from bot.context import AppType
from bot.domain.keyed_hash import member_key
from bot.domain.roles import ROLES
from bot.sandbox import FakeChat, FakeMessage, FakeTelegram, FakeUser, SandboxRequest
from bot.services import groups
from storage.uow import UnitOfWork


class NoRateLimits(BaseRateLimiter[Any]):
    """No flood budget, for tests whose subject is not Telegram's limits (thousands of
    messages in one group would otherwise wait minutes)."""

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> bool | JSONDict | list[JSONDict]:
        return await callback(*args, **kwargs)


class SandboxBot:
    """`async with SandboxBot(tg, settings) as bot:` then act as users and read replies."""

    def __init__(
        self,
        tg: FakeTelegram,
        settings: Settings,
        *,
        rate_limiter: BaseRateLimiter[Any] | None = None,
    ) -> None:
        self.tg = tg
        # What `equalsay run` asks Telegram for, so the sandbox queues what Telegram would send.
        tg.allowed_updates = list(ALLOWED_UPDATES)
        self.settings = settings
        self.app: AppType = build_application(
            settings,
            request=SandboxRequest(tg),
            updates_request=SandboxRequest(tg),
            rate_limiter=rate_limiter,
        )

    async def __aenter__(self) -> Self:
        await self.app.initialize()
        await open_resources(self.app)
        await self.app.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.app.stop()
        await close_resources(self.app)
        await self.app.shutdown()

    async def deliver(self) -> int:
        """Feed every queued update to the Application, in order; returns how many."""
        count = 0
        while updates := self.tg.take_updates():
            for raw in updates:
                update = Update.de_json(raw, self.app.bot)
                await self.app.process_update(update)
                count += 1
        return count

    async def feed(self, raw: dict[str, Any]) -> None:
        """Feed one update again, as Telegram does when it retries a webhook delivery."""
        await self.app.process_update(Update.de_json(raw, self.app.bot))

    # What a person does, delivered at once.

    async def say(self, user: FakeUser, chat: FakeChat, text: str, **kwargs: Any) -> None:
        self.tg.send_text(user, chat, text, **kwargs)
        await self.deliver()

    async def start(self, user: FakeUser, payload: str | None = None) -> None:
        self.tg.start_bot(user, payload)
        await self.deliver()

    async def press(
        self,
        user: FakeUser,
        message: FakeMessage,
        *,
        text: str | None = None,
        data: str | None = None,
    ) -> dict[str, Any] | None:
        """Press a button; returns the bot's answer to the press (text, show_alert, url)."""
        update = self.tg.press(user, message, text=text, data=data)
        await self.deliver()
        return self.tg.callback_answer(update["callback_query"]["id"])

    async def press_raw(
        self, user: FakeUser, chat: FakeChat, message_id: int, data: str
    ) -> dict[str, Any] | None:
        update = self.tg.press_raw(user, chat, message_id, data)
        await self.deliver()
        return self.tg.callback_answer(update["callback_query"]["id"])

    async def add_to_group(self, chat: FakeChat, by: FakeUser) -> None:
        self.tg.add_bot_to_group(chat, by=by)
        await self.deliver()

    async def follow_join(self, user: FakeUser, group_message: FakeMessage) -> None:
        """Press the Join link button in a group message: Telegram opens /start <payload>."""
        url = next(b.url for row in group_message.buttons for b in row if b.url)
        assert url is not None, "no join link on that message"
        assert "?start=" in url, "the link does not start the bot with a payload"
        await self.start(user, url.split("?start=", 1)[1])

    async def seed_roles(self, chat: FakeChat, people: list[FakeUser]) -> None:
        """Give `people` roles in the group in turn (service user, carer, staff), written as
        the join flow writes them: for set-ups where a thousand joins are not what is tested
        (the replica test and benchmark)."""
        async with self.uow() as uow:
            info = await groups.find_group(uow, chat.id)
            assert info is not None, "the bot is not in that group"
            secret = self.settings.hash_key
            await uow.members.put_many(
                info.id,
                {
                    member_key(secret, info.id, person.id): ROLES[n % len(ROLES)].value
                    for n, person in enumerate(people)
                },
            )
            await uow.commit()

    def uow(self) -> UnitOfWork:
        """A unit of work on the bot's own database, for setting up or inspecting state."""
        factory = self.app.bot_data.uow_factory
        assert factory is not None, "the bot is not running"
        return factory()

    def private(self, user: FakeUser) -> FakeChat:
        return self.tg.private_chat(user)

    def last_text(self, chat: FakeChat) -> str:
        """The visible text of the bot's latest message in the chat."""
        message = self.last(chat)
        return message.text or message.caption or ""

    def last(self, chat: FakeChat) -> FakeMessage:
        message = self.tg.last_message(chat)
        assert message is not None, "the bot has sent nothing to that chat"
        return message
