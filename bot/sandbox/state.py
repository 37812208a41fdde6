"""The one state behind both transports: users, chats, messages, the update queue.

``SandboxState`` holds the data and the shared helpers (serialising to Bot API shapes, queueing
updates, resolving chats with Telegram's errors). The Bot API methods (``methods.py``) and the
test-side actions (``actors.py``) are mixins over it, combined in ``FakeTelegram``.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.sandbox import errors
from bot.sandbox.errors import ApiError
from bot.sandbox.faults import Faults
from bot.sandbox.flood import FloodControl, FloodLimits
from bot.sandbox.models import FakeChat, FakeMessage, FakeUser, SentFile
from bot.sandbox.spec_check import SpecChecker

# Update types Telegram leaves out unless asked for explicitly in allowed_updates.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass
class CallbackRecord:
    query: dict[str, Any]
    answered: bool = False
    answer: dict[str, Any] | None = None


@dataclass
class WebhookConfig:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    sent: SentFile


@dataclass
class _Counters:
    user: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    group: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    update: itertools.count[int] = field(default_factory=lambda: itertools.count(700_000_001))
    callback: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    file: itertools.count[int] = field(default_factory=lambda: itertools.count(1))


class SandboxState:
    def __init__(
        self,
        *,
        token: str,
        bot_username: str,
        bot_first_name: str,
        spec: SpecChecker | None,
        flood: FloodLimits,
        clock: Callable[[], float],
        privacy_mode: bool,
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.bot = FakeUser(self.bot_id, bot_first_name, bot_username, is_bot=True)
        # In privacy mode a bot that is not an admin sees, in groups, only commands, replies to
        # its own messages, mentions of it and service messages.
        self.privacy_mode = privacy_mode
        self.spec = spec
        self.clock = clock
        self.flood_limits = flood
        self.flood = FloodControl(flood, clock)
        self.faults = Faults()
        self.users: dict[int, FakeUser] = {}
        self.chats: dict[int, FakeChat] = {}
        self._messages: dict[int, list[FakeMessage]] = {}
        self._next_message_id: dict[int, int] = {}
        self._counters = _Counters()
        self._queue: list[dict[str, Any]] = []
        self.allowed_updates: list[str] | None = None
        self._waiters: list[asyncio.Future[None]] = []
        self.callbacks: dict[str, CallbackRecord] = {}
        self.command_sets: dict[tuple[str, int | None, int | None, str], list[dict[str, Any]]] = {}
        self.files: dict[str, StoredFile] = {}
        self.webhook: WebhookConfig | None = None
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.spec_violations: list[str] = []

    # ----------------------------------------------------------------- bot identity

    @property
    def bot_user(self) -> dict[str, Any]:
        return {
            **self.bot.to_api(),
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    # ----------------------------------------------------------------- ids

    def _new_user_id(self) -> int:
        return 5_100_000_000 + next(self._counters.user) * 7_919

    def _new_group_id(self) -> int:
        return -(4_100_000_000 + next(self._counters.group) * 7_907)

    def _new_supergroup_id(self) -> int:
        return -(1_002_100_000_000 + next(self._counters.group) * 7_901)

    def _next_id_in(self, chat_id: int) -> int:
        value = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = value + 1
        return value

    @staticmethod
    def now() -> int:
        return int(time.time())

    # ----------------------------------------------------------------- messages

    def store_message(
        self,
        chat: FakeChat,
        sender: FakeUser,
        *,
        text: str | None = None,
        html: str | None = None,
        entities: list[dict[str, Any]] | None = None,
        reply_markup: dict[str, Any] | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
        document: SentFile | None = None,
        photo: bytes | None = None,
        caption: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> FakeMessage:
        message = FakeMessage(
            message_id=self._next_id_in(chat.id),
            chat_id=chat.id,
            from_id=sender.id,
            from_bot=sender.id == self.bot_id,
            date=self.now(),
            text=text,
            html=html if html is not None else text,
            entities=list(entities or []),
            reply_markup=reply_markup,
            thread_id=thread_id,
            reply_to_message_id=reply_to,
            document=document,
            photo=photo,
            caption=caption,
            extra=dict(extra or {}),
        )
        self._messages.setdefault(chat.id, []).append(message)
        return message

    def find_message(self, chat_id: int, message_id: int) -> FakeMessage | None:
        for message in self._messages.get(chat_id, []):
            if message.message_id == message_id:
                return message
        return None

    def all_messages(self, chat_id: int) -> list[FakeMessage]:
        return list(self._messages.get(chat_id, []))

    def message_to_api(self, message: FakeMessage, *, with_reply: bool = True) -> dict[str, Any]:
        chat = self.chats[message.chat_id]
        sender = self.bot if message.from_bot else self.users[message.from_id]
        out: dict[str, Any] = {
            "message_id": message.message_id,
            "from": sender.to_api(),
            "chat": chat.to_api(),
            "date": message.date,
        }
        if message.thread_id is not None:
            out["message_thread_id"] = message.thread_id
            if chat.is_forum:
                out["is_topic_message"] = True
        if message.edit_date is not None:
            out["edit_date"] = message.edit_date
        if message.text is not None:
            out["text"] = message.text
            if message.entities:
                out["entities"] = message.entities
        if message.document is not None:
            stored = self._file_for(message.document)
            out["document"] = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_name": message.document.filename,
                "mime_type": message.document.mime_type,
                "file_size": len(message.document.data),
            }
        if message.photo is not None:
            stored = self._file_for(SentFile("photo.jpg", "image/jpeg", message.photo))
            out["photo"] = [
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": 320,
                    "height": 240,
                    "file_size": len(message.photo),
                }
            ]
        if message.caption is not None:
            out["caption"] = message.caption
        if message.reply_markup is not None:
            out["reply_markup"] = message.reply_markup
        if with_reply and message.reply_to_message_id is not None:
            target = self.find_message(message.chat_id, message.reply_to_message_id)
            if target is not None:
                out["reply_to_message"] = self.message_to_api(target, with_reply=False)
        out.update(message.extra)
        return out

    def _file_for(self, sent: SentFile) -> StoredFile:
        for stored in self.files.values():
            if stored.sent == sent:
                return stored
        number = next(self._counters.file)
        stored = StoredFile(f"BQACAgSandboxFile{number:06d}", f"AgSandbox{number:06d}", sent)
        self.files[stored.file_id] = stored
        return stored

    # ----------------------------------------------------------------- chats

    def private_chat(self, user: FakeUser) -> FakeChat:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = FakeChat(id=user.id, type="private", user=user)
            chat.statuses[user.id] = "member"
            chat.bot_status = "member"
            self.chats[user.id] = chat
        return chat

    def resolve_chat(self, chat_id: Any) -> FakeChat:
        """The chat a method addresses, or Telegram's error for it."""
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            name = chat_id[1:].lower()
            for chat in self.chats.values():
                if chat.username and chat.username.lower() == name:
                    return chat
            raise errors.bad_request(errors.CHAT_NOT_FOUND)
        try:
            numeric = int(chat_id)
        except (TypeError, ValueError):
            raise errors.bad_request(errors.CHAT_NOT_FOUND) from None
        found = self.chats.get(numeric)
        if found is None:
            # A user the bot has met (in a group) has a private chat it cannot yet write to:
            # ensure_bot_can_write answers 403 "can't initiate conversation" for it.
            user = self.users.get(numeric)
            if user is not None:
                return self.private_chat(user)
            raise errors.bad_request(errors.CHAT_NOT_FOUND)
        chat = found
        if chat.migrated_to is not None:
            raise errors.migrated(chat.migrated_to)
        return chat

    def ensure_bot_can_write(self, chat: FakeChat) -> None:
        """403s for chats the bot was removed from and users who never started or blocked it."""
        if chat.type == "private":
            assert chat.user is not None
            if chat.user.blocked_bot:
                raise ApiError(403, errors.BLOCKED)
            if not chat.user.started_bot:
                raise ApiError(403, errors.CANT_INITIATE)
            return
        if chat.bot_status == "kicked":
            raise errors.kicked(chat.type)
        if chat.bot_status == "left":
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")

    def bot_is_admin(self, chat: FakeChat) -> bool:
        return chat.type == "private" or chat.bot_status in ("administrator", "creator")

    # ----------------------------------------------------------------- updates

    def enqueue(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._counters.update), kind: payload}
        if self._wanted(kind):
            self._queue.append(update)
            self._wake()
        return update

    def _wanted(self, kind: str) -> bool:
        allowed = self.webhook.allowed_updates if self.webhook else self.allowed_updates
        if not allowed:
            return kind not in _OPT_IN_UPDATES
        return kind in allowed

    def _wake(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def wait_for_update(self, seconds: float) -> None:
        """Wait until an update is queued (or ``seconds`` pass)."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter), seconds)
        except TimeoutError:
            pass
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    def pending_updates(self) -> list[dict[str, Any]]:
        return list(self._queue)

    def take_updates(self) -> list[dict[str, Any]]:
        """Pop every queued update, for harnesses that feed ``process_update`` directly."""
        updates, self._queue = self._queue, []
        return updates

    def confirm_below(self, offset: int) -> None:
        self._queue = [u for u in self._queue if u["update_id"] >= offset]

    def keep_last(self, count: int) -> None:
        self._queue = self._queue[-count:] if count else []

    def drop_unwanted(self) -> None:
        self._queue = [u for u in self._queue if self._wanted(_update_kind(u))]


def _update_kind(update: dict[str, Any]) -> str:
    return next(k for k in update if k != "update_id")


def default_spec_path() -> Path | None:
    value = os.environ.get("TELEGRAM_BOT_API_SPEC")
    return Path(value) if value else None
