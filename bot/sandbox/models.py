"""The sandbox's records: users, chats, messages and files, as a test reads them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded (multipart part or PTB InputFile), normalised by the transports."""

    filename: str
    mime_type: str
    data: bytes


@dataclass(frozen=True)
class SentFile:
    filename: str
    mime_type: str
    data: bytes


@dataclass(frozen=True)
class Button:
    text: str
    data: str | None = None
    url: str | None = None


@dataclass
class FakeUser:
    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str = "en"
    is_bot: bool = False
    started_bot: bool = False
    blocked_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            out["last_name"] = self.last_name
        if self.username:
            out["username"] = self.username
        if self.language_code and not self.is_bot:
            out["language_code"] = self.language_code
        return out


@dataclass
class FakeChat:
    id: int
    type: str  # "private", "group", "supergroup"
    title: str | None = None
    username: str | None = None
    is_forum: bool = False
    # user id -> "creator" | "administrator" | "member" | "left" | "kicked"
    statuses: dict[int, str] = field(default_factory=dict)
    bot_status: str = "left"
    migrated_to: int | None = None
    migrated_from: int | None = None
    topics: dict[int, str] = field(default_factory=dict)
    pinned: list[int] = field(default_factory=list)
    # For a private chat: the other user.
    user: FakeUser | None = None

    def to_api(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.type == "private" and self.user is not None:
            out["first_name"] = self.user.first_name
            if self.user.last_name:
                out["last_name"] = self.user.last_name
            if self.user.username:
                out["username"] = self.user.username
        else:
            out["title"] = self.title
            if self.username:
                out["username"] = self.username
        if self.is_forum:
            out["is_forum"] = True
        return out

    def member_ids(self) -> list[int]:
        present = ("creator", "administrator", "member")
        return [uid for uid, status in self.statuses.items() if status in present]


@dataclass
class FakeMessage:
    message_id: int
    chat_id: int
    from_id: int
    from_bot: bool
    date: int
    text: str | None = None
    html: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    thread_id: int | None = None
    reply_to_message_id: int | None = None
    document: SentFile | None = None
    photo: bytes | None = None
    caption: str | None = None
    history: list[str] = field(default_factory=list)
    edit_count: int = 0
    deleted: bool = False
    edit_date: int | None = None
    silent: bool = False  # sent with disable_notification
    link_preview_options: dict[str, Any] | None = None
    # Extra Bot API fields for service and media messages (new_chat_members, voice...).
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def buttons(self) -> list[list[Button]]:
        if not self.reply_markup:
            return []
        rows = self.reply_markup.get("inline_keyboard") or []
        return [
            [Button(b["text"], b.get("callback_data"), b.get("url")) for b in row] for row in rows
        ]

    def all_buttons(self) -> list[Button]:
        return [b for row in self.buttons for b in row]
