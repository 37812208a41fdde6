"""The test side: people who create groups, add the bot, type, press buttons and forward.

Every action stores what Telegram would store, builds the update the bot would receive, queues
it when the bot would actually see it (membership, privacy mode) and returns the update dict,
so a harness can also feed it straight to ``Application.process_update``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from bot.sandbox.entities_html import utf16_len
from bot.sandbox.methods import MethodsMixin
from bot.sandbox.models import Button, FakeChat, FakeMessage, FakeUser, SentFile
from bot.sandbox.state import CallbackRecord

_FAKE_JPEG = b"\xff\xd8\xff\xe0sandbox-photo\xff\xd9"
_FAKE_OGG = b"OggSsandbox-voice"
_query_ids = itertools.count(4_400_000_000_000_000_001, 7_919)


class ActorsMixin(MethodsMixin):
    # ------------------------------------------------------------- people and chats

    def create_user(
        self,
        first_name: str,
        username: str | None = None,
        *,
        last_name: str | None = None,
        language_code: str = "en",
    ) -> FakeUser:
        user = FakeUser(
            self._new_user_id(),
            first_name,
            username,
            last_name=last_name,
            language_code=language_code,
        )
        self.users[user.id] = user
        return user

    def create_group(
        self,
        title: str,
        *,
        members: Iterable[FakeUser] = (),
        admins: Iterable[FakeUser] = (),
        supergroup: bool = False,
        forum: bool = False,
        username: str | None = None,
    ) -> FakeChat:
        """A group; the first admin is its creator. ``forum`` implies a supergroup."""
        is_super = supergroup or forum
        chat = FakeChat(
            id=self._new_supergroup_id() if is_super else self._new_group_id(),
            type="supergroup" if is_super else "group",
            title=title,
            username=username,
            is_forum=forum,
        )
        for index, admin in enumerate(admins):
            chat.statuses[admin.id] = "creator" if index == 0 else "administrator"
        for member in members:
            chat.statuses.setdefault(member.id, "member")
        self.chats[chat.id] = chat
        return chat

    def _chat(self, chat: FakeChat | int) -> FakeChat:
        found = self.chats.get(chat if isinstance(chat, int) else chat.id)
        assert found is not None, f"sandbox: no chat {chat!r}"
        return found

    def _member_update(
        self, chat: FakeChat, by: FakeUser, who: FakeUser, old: str, new: str, kind: str
    ) -> dict[str, Any]:
        if kind == "chat_member" and not self.bot_is_admin(chat):
            # Telegram sends other people's member changes to admin bots only.
            return {}
        return self.enqueue(
            kind,
            {
                "chat": chat.to_api(),
                "from": by.to_api(),
                "date": self.now(),
                "old_chat_member": self.member_to_api(chat, who, old),
                "new_chat_member": self.member_to_api(chat, who, new),
            },
        )

    def add_bot_to_group(self, chat: FakeChat | int, by: FakeUser) -> list[dict[str, Any]]:
        group = self._chat(chat)
        old = group.bot_status
        group.bot_status = "member"
        first = self._member_update(group, by, self.bot, old, "member", "my_chat_member")
        message = self.store_message(group, by, extra={"new_chat_members": [self.bot.to_api()]})
        return [first, self._deliver(message, "message")]

    def remove_bot_from_group(self, chat: FakeChat | int, by: FakeUser) -> dict[str, Any]:
        group = self._chat(chat)
        old = group.bot_status
        group.bot_status = "kicked"
        return self._member_update(group, by, self.bot, old, "kicked", "my_chat_member")

    def make_bot_admin(self, chat: FakeChat | int) -> dict[str, Any]:
        group = self._chat(chat)
        old = group.bot_status
        group.bot_status = "administrator"
        creator = next(
            (self.users[u] for u, s in group.statuses.items() if s == "creator"), self.bot
        )
        return self._member_update(group, creator, self.bot, old, "administrator", "my_chat_member")

    def add_member(
        self, chat: FakeChat | int, user: FakeUser, *, announced: bool = True
    ) -> dict[str, Any]:
        """`announced=False`: the group hides join and leave messages (large groups do)."""
        group = self._chat(chat)
        old = group.statuses.get(user.id, "left")
        group.statuses[user.id] = "member"
        update = self._member_update(group, user, user, old, "member", "chat_member")
        if not announced:
            return update
        message = self.store_message(group, user, extra={"new_chat_members": [user.to_api()]})
        return self._deliver(message, "message")

    def remove_member(
        self,
        chat: FakeChat | int,
        user: FakeUser,
        *,
        banned: bool = False,
        announced: bool = True,
    ) -> dict[str, Any]:
        """Someone leaves (or is banned by an admin). `announced=False`: no "X left" message,
        as in groups that hide them; an admin bot still gets the `chat_member` update."""
        group = self._chat(chat)
        old = group.statuses.get(user.id, "left")
        new = "kicked" if banned else "left"
        group.statuses[user.id] = new
        admin = self._someone_in(group) if banned else user
        update = self._member_update(group, admin, user, old, new, "chat_member")
        if not announced:
            return update
        message = self.store_message(group, admin, extra={"left_chat_member": user.to_api()})
        return self._deliver(message, "message")

    def upgrade_to_supergroup(self, chat: FakeChat | int) -> FakeChat:
        old = self._chat(chat)
        assert old.type == "group", "sandbox: only a basic group can be upgraded"
        new = FakeChat(
            id=self._new_supergroup_id(),
            type="supergroup",
            title=old.title,
            statuses=dict(old.statuses),
            bot_status=old.bot_status,
            migrated_from=old.id,
        )
        self.chats[new.id] = new
        actor = self._someone_in(old)
        # Both service messages reach the bot before the old id starts answering 400.
        old_note = self.store_message(old, actor, extra={"migrate_to_chat_id": new.id})
        self._deliver(old_note, "message")
        new_note = self.store_message(new, actor, extra={"migrate_from_chat_id": old.id})
        self._deliver(new_note, "message")
        old.migrated_to = new.id
        return new

    def _someone_in(self, chat: FakeChat) -> FakeUser:
        order = {"creator": 0, "administrator": 1, "member": 2}
        present = sorted((order[s], uid) for uid, s in chat.statuses.items() if s in order)
        return self.users[present[0][1]] if present else self.bot

    def create_topic(self, chat: FakeChat | int, name: str) -> int:
        """A forum topic; like Telegram, its thread id is the id of its creation message."""
        forum = self._chat(chat)
        assert forum.is_forum, "sandbox: topics exist only in forum supergroups"
        message = self.store_message(
            forum,
            self._someone_in(forum),
            extra={"forum_topic_created": {"name": name, "icon_color": 7322096}},
        )
        forum.topics[message.message_id] = name
        message.thread_id = message.message_id
        self._deliver(message, "message")
        return message.message_id

    # ------------------------------------------------------------- private chat with the bot

    def start_bot(self, user: FakeUser, payload: str | None = None) -> dict[str, Any]:
        chat = self.private_chat(user)
        if user.blocked_bot:
            user.blocked_bot = False
            self._member_update(chat, user, self.bot, "kicked", "member", "my_chat_member")
        text = "/start" if payload is None else f"/start {payload}"
        return self.send_text(user, chat, text)

    def block_bot(self, user: FakeUser) -> dict[str, Any]:
        chat = self.private_chat(user)
        user.blocked_bot = True
        return self._member_update(chat, user, self.bot, "member", "kicked", "my_chat_member")

    # ------------------------------------------------------------- messages from people

    def send_text(
        self,
        user: FakeUser,
        chat: FakeChat | int,
        text: str,
        *,
        thread_id: int | None = None,
        reply_to: FakeMessage | int | None = None,
    ) -> dict[str, Any]:
        target = self._chat_for_user(user, chat)
        reply_id = reply_to.message_id if isinstance(reply_to, FakeMessage) else reply_to
        if reply_id is not None:
            replied = self.find_message(target.id, reply_id)
            assert replied is not None, f"sandbox: no message {reply_id} in chat {target.id}"
            if thread_id is None:
                thread_id = replied.thread_id
        if thread_id is not None and target.is_forum:
            assert thread_id in target.topics, f"sandbox: no topic {thread_id} in {target.id}"
        message = self.store_message(
            target,
            user,
            text=text,
            entities=_command_entities(text),
            thread_id=thread_id,
            reply_to=reply_id,
        )
        return self._deliver(message, "message")

    def send_photo(
        self, user: FakeUser, chat: FakeChat | int, *, caption: str | None = None
    ) -> dict[str, Any]:
        target = self._chat_for_user(user, chat)
        message = self.store_message(target, user, photo=_FAKE_JPEG, caption=caption)
        return self._deliver(message, "message")

    def send_voice(self, user: FakeUser, chat: FakeChat | int) -> dict[str, Any]:
        target = self._chat_for_user(user, chat)
        number = len(self.calls) + len(self.users) + target.id % 1000
        voice = {
            "file_id": f"AwACAgSandboxVoice{abs(number):06d}",
            "file_unique_id": f"AgVoice{abs(number):06d}",
            "duration": 3,
            "mime_type": "audio/ogg",
            "file_size": len(_FAKE_OGG),
        }
        message = self.store_message(target, user, extra={"voice": voice})
        return self._deliver(message, "message")

    def send_document(
        self,
        user: FakeUser,
        chat: FakeChat | int,
        filename: str,
        data: bytes,
        *,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
    ) -> dict[str, Any]:
        target = self._chat_for_user(user, chat)
        message = self.store_message(
            target, user, document=SentFile(filename, mime_type, data), caption=caption
        )
        return self._deliver(message, "message")

    def edit_user_message(
        self, user: FakeUser, message: FakeMessage, new_text: str
    ) -> dict[str, Any]:
        assert message.from_id == user.id, "sandbox: people can only edit their own messages"
        assert message.text is not None, "sandbox: that message has no text"
        message.history.append(message.text)
        message.text = message.html = new_text
        message.entities = _command_entities(new_text)
        message.edit_count += 1
        message.edit_date = self.now()
        return self._deliver(message, "edited_message")

    def forward(self, user: FakeUser, message: FakeMessage, to_chat: FakeChat | int) -> FakeMessage:
        """Forward a message; like Telegram, the copy keeps its URL and callback buttons."""
        target = self._chat_for_user(user, to_chat)
        source_sender = self.bot if message.from_bot else self.users[message.from_id]
        markup = None
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            rows = [
                [b for b in row if "callback_data" in b or "url" in b]
                for row in message.reply_markup["inline_keyboard"]
            ]
            rows = [row for row in rows if row]
            markup = {"inline_keyboard": rows} if rows else None
        copy = self.store_message(
            target,
            user,
            text=message.text,
            html=message.html,
            entities=message.entities,
            reply_markup=markup,
            document=message.document,
            photo=message.photo,
            caption=message.caption,
            extra={
                "forward_origin": {
                    "type": "user",
                    "date": message.date,
                    "sender_user": source_sender.to_api(),
                }
            },
        )
        self._deliver(copy, "message")
        return copy

    def _chat_for_user(self, user: FakeUser, chat: FakeChat | int) -> FakeChat:
        target = self._chat(chat)
        assert target.migrated_to is None, (
            f"sandbox: chat {target.id} was upgraded to {target.migrated_to}; use the new chat"
        )
        if target.type == "private":
            assert target.user is not None
            assert target.user.id == user.id, "sandbox: that private chat is another user's"
            # Writing to the bot counts as starting it, as on Telegram.
            user.started_bot = True
        else:
            status = target.statuses.get(user.id)
            assert status in ("creator", "administrator", "member"), (
                f"sandbox: {user.first_name} is not a member of {target.title!r}; "
                "use create_group(members=...) or add_member()"
            )
        return target

    def _bot_sees(self, message: FakeMessage) -> bool:
        chat = self.chats[message.chat_id]
        if chat.type == "private":
            return not (chat.user is not None and chat.user.blocked_bot)
        if chat.bot_status not in ("member", "administrator"):
            return False
        if not self.privacy_mode or chat.bot_status == "administrator":
            return True
        service = (
            "new_chat_members",
            "left_chat_member",
            "migrate_to_chat_id",
            "migrate_from_chat_id",
            "forum_topic_created",
            "pinned_message",
        )
        if any(key in message.extra for key in service):
            return True
        if message.reply_to_message_id is not None:
            replied = self.find_message(chat.id, message.reply_to_message_id)
            if replied is not None and replied.from_bot:
                return True
        text = message.text or message.caption or ""
        if f"@{self.bot_username}".lower() in text.lower():
            return True
        if text.startswith("/"):
            command = text.split()[0]
            return "@" not in command or command.lower().endswith(f"@{self.bot_username.lower()}")
        return False

    def _deliver(self, message: FakeMessage, kind: str) -> dict[str, Any]:
        payload = self.message_to_api(message)
        if self._bot_sees(message):
            return self.enqueue(kind, payload)
        # Not queued (the bot would not see it), but still returned with a fresh update id.
        return {"update_id": next(self._counters.update), kind: payload}

    # ------------------------------------------------------------- buttons

    def press(
        self,
        user: FakeUser,
        message: FakeMessage,
        *,
        text: str | None = None,
        data: str | None = None,
    ) -> dict[str, Any]:
        """Press the inline button labelled ``text`` (or carrying ``data``) on the message's
        CURRENT keyboard."""
        assert text is not None or data is not None, "sandbox: press(text=...) or press(data=...)"
        current = self.find_message(message.chat_id, message.message_id)
        assert current is not None, f"sandbox: no message {message.message_id}"
        assert not current.deleted, f"sandbox: message {message.message_id} was deleted"
        buttons = current.all_buttons()
        matches = [
            b
            for b in buttons
            if (text is None or b.text == text) and (data is None or b.data == data)
        ]
        labels = [(b.text, b.data) for b in buttons]
        assert matches, f"sandbox: no button text={text!r} data={data!r}; keyboard has {labels}"
        button: Button = matches[0]
        assert button.data is not None, f"sandbox: button {button.text!r} is a URL button"
        return self._callback(user, current, button.data)

    def press_raw(
        self, user: FakeUser, chat: FakeChat | int, message_id: int, data: str
    ) -> dict[str, Any]:
        """A callback query with arbitrary (forged or stale) data, unchecked."""
        target = self._chat(chat)
        message = self.find_message(target.id, message_id)
        if message is not None and not message.deleted:
            return self._callback(user, message, data)
        inaccessible = {"chat": target.to_api(), "message_id": message_id, "date": 0}
        return self._enqueue_callback(user, target, inaccessible, data)

    def _callback(self, user: FakeUser, message: FakeMessage, data: str) -> dict[str, Any]:
        chat = self.chats[message.chat_id]
        return self._enqueue_callback(user, chat, self.message_to_api(message), data)

    def _enqueue_callback(
        self, user: FakeUser, chat: FakeChat, message: dict[str, Any], data: str
    ) -> dict[str, Any]:
        query_id = str(next(_query_ids))
        query: dict[str, Any] = {
            "id": query_id,
            "from": user.to_api(),
            "message": message,
            "chat_instance": str(abs(chat.id) * 31 + 17),
            "data": data,
        }
        self.callbacks[query_id] = CallbackRecord(query)
        return self.enqueue("callback_query", query)

    # ------------------------------------------------------------- reading what the bot did

    def messages(
        self,
        chat: FakeChat | int,
        *,
        thread_id: int | None = None,
        from_bot: bool | None = True,
        include_deleted: bool = False,
    ) -> list[FakeMessage]:
        """Messages in order. ``from_bot``: True = the bot's, False = people's, None = all."""
        target = self._chat(chat)
        return [
            m
            for m in self.all_messages(target.id)
            if (include_deleted or not m.deleted)
            and (thread_id is None or m.thread_id == thread_id)
            and (from_bot is None or m.from_bot == from_bot)
        ]

    def last_message(self, chat: FakeChat | int, *, thread_id: int | None = None) -> FakeMessage:
        """The bot's latest (not deleted) message in the chat; AssertionError if none."""
        found = self.messages(chat, thread_id=thread_id)
        assert found, f"sandbox: the bot has sent nothing to chat {self._chat(chat).id}"
        return found[-1]

    def callback_answer(self, callback_query_id: str) -> dict[str, Any] | None:
        record = self.callbacks.get(callback_query_id)
        return record.answer if record is not None else None

    def unanswered_callbacks(self) -> list[dict[str, Any]]:
        """Callback queries the bot has not answered (Telegram shows a spinner until it does)."""
        return [r.query for r in self.callbacks.values() if not r.answered]

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    def commands(
        self,
        scope_type: str = "default",
        *,
        chat_id: int | None = None,
        user_id: int | None = None,
        language_code: str = "",
    ) -> list[dict[str, Any]]:
        """The commands set by setMyCommands for that scope ([] when none)."""
        return list(self.command_sets.get((scope_type, chat_id, user_id, language_code), []))


def _command_entities(text: str) -> list[dict[str, Any]]:
    if not text.startswith("/"):
        return []
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
