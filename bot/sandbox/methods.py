"""The Bot API methods the sandbox implements, answering with Bot API shapes or ApiError.

Each handler takes the decoded parameters (python values; uploads as ``UploadedFile``) and
returns the ``result`` value. ``METHODS`` maps the Bot API name to the handler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.sandbox import errors
from bot.sandbox.errors import ApiError
from bot.sandbox.markup import MAX_CAPTION, MAX_TEXT, check_reply_markup, render
from bot.sandbox.models import FakeChat, FakeMessage, FakeUser, SentFile, UploadedFile
from bot.sandbox.state import SandboxState, WebhookConfig

Handler = Callable[["MethodsMixin", dict[str, Any]], Awaitable[Any]]

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_MAX_CALLBACK_ANSWER = 200


class MethodsMixin(SandboxState):
    # ------------------------------------------------------------- identity and updates

    async def m_get_me(self, p: dict[str, Any]) -> Any:
        return self.bot_user

    async def m_log_out(self, p: dict[str, Any]) -> Any:
        return True

    async def m_close(self, p: dict[str, Any]) -> Any:
        return True

    async def m_get_updates(self, p: dict[str, Any]) -> Any:
        if self.webhook is not None:
            raise ApiError(409, errors.WEBHOOK_CONFLICT)
        offset = p.get("offset")
        limit = p.get("limit", 100)
        timeout = p.get("timeout", 0)
        if not isinstance(limit, int) or not 1 <= limit <= 100:
            limit = 100 if not isinstance(limit, int) or limit > 100 else 1
        if "allowed_updates" in p:
            # An empty list means "the default set" (everything but the opt-in kinds).
            self.allowed_updates = list(p["allowed_updates"]) or None
            self.drop_unwanted()
        if isinstance(offset, int) and offset < 0:
            self.keep_last(-offset)
        elif isinstance(offset, int):
            self.confirm_below(offset)
        if not self.pending_updates() and isinstance(timeout, int | float) and timeout > 0:
            await self.wait_for_update(float(timeout))
        return self.pending_updates()[:limit]

    async def m_set_webhook(self, p: dict[str, Any]) -> Any:
        url = p.get("url", "")
        if not url:
            self.webhook = None
            return True
        if not str(url).startswith(("http://127.0.0.1", "https://127.0.0.1")):
            # Real Telegram needs a public HTTPS URL; the sandbox delivers to 127.0.0.1 only.
            raise errors.bad_request(
                "Bad Request: bad webhook: the sandbox only delivers to 127.0.0.1"
            )
        if p.get("drop_pending_updates"):
            self.take_updates()
        self.webhook = WebhookConfig(
            url=str(url),
            secret_token=p.get("secret_token"),
            max_connections=int(p.get("max_connections", 40)),
            allowed_updates=list(p["allowed_updates"]) if p.get("allowed_updates") else None,
        )
        self.drop_unwanted()
        self._webhook_changed()
        return True

    async def m_delete_webhook(self, p: dict[str, Any]) -> Any:
        self.webhook = None
        if p.get("drop_pending_updates"):
            self.take_updates()
        self._webhook_changed()
        return True

    async def m_get_webhook_info(self, p: dict[str, Any]) -> Any:
        info: dict[str, Any] = {
            "url": self.webhook.url if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending_updates()),
        }
        if self.webhook is not None:
            info["max_connections"] = self.webhook.max_connections
            if self.webhook.allowed_updates:
                info["allowed_updates"] = self.webhook.allowed_updates
            if self.webhook.last_error_date is not None:
                info["last_error_date"] = self.webhook.last_error_date
                info["last_error_message"] = self.webhook.last_error_message
        return info

    def _webhook_changed(self) -> None:
        """Hook for FakeTelegram to start or stop webhook delivery."""

    # ------------------------------------------------------------- sending

    def _count_flood(self, chat: FakeChat) -> None:
        retry_after = self.flood.check(chat.id)
        if retry_after is not None:
            raise errors.too_many_requests(retry_after)

    def _thread_for(self, chat: FakeChat, p: dict[str, Any]) -> int | None:
        thread_id = p.get("message_thread_id")
        if thread_id is None:
            return None
        if chat.is_forum and thread_id not in chat.topics:
            raise errors.bad_request(errors.THREAD_NOT_FOUND)
        return int(thread_id)

    def _reply_target(self, chat: FakeChat, p: dict[str, Any]) -> int | None:
        reply = p.get("reply_parameters")
        if reply is None and "reply_to_message_id" in p:
            reply = {"message_id": p["reply_to_message_id"]}
        if not isinstance(reply, dict):
            return None
        target_chat = chat
        if reply.get("chat_id") is not None:
            target_chat = self.resolve_chat(reply["chat_id"])
        target = self.find_message(target_chat.id, int(reply["message_id"]))
        if target is None or target.deleted:
            if reply.get("allow_sending_without_reply"):
                return None
            raise errors.bad_request(errors.REPLY_NOT_FOUND)
        return target.message_id

    def _chat_for_send(self, p: dict[str, Any]) -> FakeChat:
        chat = self.resolve_chat(p.get("chat_id"))
        self.ensure_bot_can_write(chat)
        return chat

    async def m_send_message(self, p: dict[str, Any]) -> Any:
        chat = self._chat_for_send(p)
        thread_id = self._thread_for(chat, p)
        markup = check_reply_markup(p.get("reply_markup"))
        parsed = render(p.get("text"), p.get("parse_mode"), p.get("entities"), limit=MAX_TEXT)
        reply_to = self._reply_target(chat, p)
        self._count_flood(chat)
        message = self.store_message(
            chat,
            self.bot,
            text=parsed.text,
            html=str(p.get("text")),
            entities=parsed.entities,
            reply_markup=markup,
            thread_id=thread_id,
            reply_to=reply_to,
        )
        message.silent = bool(p.get("disable_notification"))
        message.link_preview_options = p.get("link_preview_options")
        return self.message_to_api(message)

    async def _send_file(self, p: dict[str, Any], field: str) -> FakeMessage:
        chat = self._chat_for_send(p)
        thread_id = self._thread_for(chat, p)
        markup = check_reply_markup(p.get("reply_markup"))
        caption = None
        entities: list[dict[str, Any]] = []
        if p.get("caption") is not None:
            parsed = render(
                p["caption"],
                p.get("parse_mode"),
                p.get("caption_entities"),
                limit=MAX_CAPTION,
                caption=True,
            )
            caption, entities = parsed.text, parsed.entities
        upload = self._file_param(p.get(field), field)
        reply_to = self._reply_target(chat, p)
        self._count_flood(chat)
        extra = {"caption_entities": entities} if entities else {}
        return self.store_message(
            chat,
            self.bot,
            reply_markup=markup,
            thread_id=thread_id,
            reply_to=reply_to,
            document=upload if field == "document" else None,
            photo=upload.data if field == "photo" else None,
            caption=caption,
            html=p.get("caption"),
            extra=extra,
        )

    def _file_param(self, value: Any, field: str) -> SentFile:
        if isinstance(value, UploadedFile):
            return SentFile(value.filename, value.mime_type, value.data)
        if isinstance(value, str) and value in self.files:
            return self.files[value].sent
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            raise errors.bad_request(
                "Bad Request: failed to get HTTP URL content (the sandbox has no internet)"
            )
        raise errors.bad_request(f"Bad Request: wrong remote file identifier specified for {field}")

    async def m_send_document(self, p: dict[str, Any]) -> Any:
        return self.message_to_api(await self._send_file(p, "document"))

    async def m_send_photo(self, p: dict[str, Any]) -> Any:
        return self.message_to_api(await self._send_file(p, "photo"))

    async def m_send_chat_action(self, p: dict[str, Any]) -> Any:
        chat = self._chat_for_send(p)
        self._thread_for(chat, p)
        if p.get("action") not in _CHAT_ACTIONS:
            raise errors.bad_request("Bad Request: wrong parameter action in request")
        return True

    # ------------------------------------------------------------- editing and deleting

    def _bot_message(self, p: dict[str, Any], not_found: str) -> tuple[FakeChat, FakeMessage]:
        if "inline_message_id" in p:
            raise errors.bad_request("Bad Request: MESSAGE_ID_INVALID")
        chat = self.resolve_chat(p.get("chat_id"))
        self.ensure_bot_can_write(chat)
        message_id = p.get("message_id")
        message = self.find_message(chat.id, int(message_id)) if message_id is not None else None
        if message is None or message.deleted:
            raise errors.bad_request(not_found)
        return chat, message

    async def m_edit_message_text(self, p: dict[str, Any]) -> Any:
        chat, message = self._bot_message(p, errors.EDIT_NOT_FOUND)
        if not message.from_bot:
            raise errors.bad_request("Bad Request: message can't be edited")
        if message.text is None:
            raise errors.bad_request("Bad Request: there is no text in the message to edit")
        parsed = render(p.get("text"), p.get("parse_mode"), p.get("entities"), limit=MAX_TEXT)
        # Without reply_markup, editMessageText removes the inline keyboard.
        markup = check_reply_markup(p.get("reply_markup"))
        if (
            parsed.text == message.text
            and parsed.entities == message.entities
            and markup == message.reply_markup
        ):
            raise errors.bad_request(errors.NOT_MODIFIED)
        self._count_flood(chat)
        message.history.append(message.text)
        message.text, message.entities = parsed.text, parsed.entities
        message.html = str(p.get("text"))
        message.reply_markup = markup
        message.edit_count += 1
        message.edit_date = self.now()
        return self.message_to_api(message)

    async def m_edit_message_caption(self, p: dict[str, Any]) -> Any:
        chat, message = self._bot_message(p, errors.EDIT_NOT_FOUND)
        if not message.from_bot:
            raise errors.bad_request("Bad Request: message can't be edited")
        if message.photo is None and message.document is None:
            raise errors.bad_request("Bad Request: there is no caption in the message to edit")
        parsed = render(
            p.get("caption") or "",
            p.get("parse_mode"),
            p.get("caption_entities"),
            limit=MAX_CAPTION,
            caption=True,
        )
        markup = check_reply_markup(p.get("reply_markup"))
        old_entities = message.extra.get("caption_entities", [])
        if (
            parsed.text == (message.caption or "")
            and parsed.entities == old_entities
            and markup == message.reply_markup
        ):
            raise errors.bad_request(errors.NOT_MODIFIED)
        self._count_flood(chat)
        message.history.append(message.caption or "")
        message.caption = parsed.text or None
        message.html = str(p.get("caption") or "")
        if parsed.entities:
            message.extra["caption_entities"] = parsed.entities
        else:
            message.extra.pop("caption_entities", None)
        message.reply_markup = markup
        message.edit_count += 1
        message.edit_date = self.now()
        return self.message_to_api(message)

    async def m_edit_message_reply_markup(self, p: dict[str, Any]) -> Any:
        chat, message = self._bot_message(p, errors.EDIT_NOT_FOUND)
        if not message.from_bot:
            raise errors.bad_request("Bad Request: message can't be edited")
        markup = check_reply_markup(p.get("reply_markup"))
        if markup == message.reply_markup:
            raise errors.bad_request(errors.NOT_MODIFIED)
        self._count_flood(chat)
        message.reply_markup = markup
        message.edit_count += 1
        message.edit_date = self.now()
        return self.message_to_api(message)

    async def m_delete_message(self, p: dict[str, Any]) -> Any:
        chat, message = self._bot_message(p, errors.DELETE_NOT_FOUND)
        if not message.from_bot and not self.bot_is_admin(chat):
            raise errors.bad_request("Bad Request: message can't be deleted")
        message.deleted = True
        return True

    async def m_pin_chat_message(self, p: dict[str, Any]) -> Any:
        chat, message = self._bot_message(p, errors.PIN_NOT_FOUND)
        if not self.bot_is_admin(chat):
            raise errors.bad_request(errors.NOT_ENOUGH_RIGHTS)
        if message.message_id in chat.pinned:
            chat.pinned.remove(message.message_id)
        chat.pinned.append(message.message_id)
        return True

    async def m_unpin_chat_message(self, p: dict[str, Any]) -> Any:
        chat = self.resolve_chat(p.get("chat_id"))
        self.ensure_bot_can_write(chat)
        if not self.bot_is_admin(chat):
            raise errors.bad_request(errors.NOT_ENOUGH_RIGHTS)
        message_id = p.get("message_id")
        if message_id is None:
            if chat.pinned:
                chat.pinned.pop()
        elif message_id in chat.pinned:
            chat.pinned.remove(message_id)
        else:
            raise errors.bad_request("Bad Request: message to unpin not found")
        return True

    # ------------------------------------------------------------- callback queries

    async def m_answer_callback_query(self, p: dict[str, Any]) -> Any:
        record = self.callbacks.get(str(p.get("callback_query_id")))
        if record is None or record.answered:
            raise errors.bad_request(errors.QUERY_TOO_OLD)
        text = p.get("text")
        if isinstance(text, str) and len(text) > _MAX_CALLBACK_ANSWER:
            raise errors.bad_request("Bad Request: MESSAGE_TOO_LONG")
        record.answered = True
        record.answer = {
            "text": text,
            "show_alert": bool(p.get("show_alert", False)),
            "url": p.get("url"),
            "cache_time": p.get("cache_time"),
        }
        return True

    # ------------------------------------------------------------- chats and members

    async def m_get_chat(self, p: dict[str, Any]) -> Any:
        chat = self.resolve_chat(p.get("chat_id"))
        if chat.type != "private" and chat.bot_status in ("left", "kicked"):
            raise errors.bad_request(errors.CHAT_NOT_FOUND)
        info: dict[str, Any] = {
            **chat.to_api(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
        if chat.pinned:
            pinned = self.find_message(chat.id, chat.pinned[-1])
            if pinned is not None:
                info["pinned_message"] = self.message_to_api(pinned, with_reply=False)
        return info

    def member_to_api(self, chat: FakeChat, user: FakeUser, status: str) -> dict[str, Any]:
        out: dict[str, Any] = {"status": status, "user": user.to_api()}
        if status == "creator":
            out["is_anonymous"] = False
        elif status == "administrator":
            out.update(
                {
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                    "can_pin_messages": True,
                }
            )
            if chat.is_forum:
                out["can_manage_topics"] = True
        elif status == "kicked":
            out["until_date"] = 0
        return out

    def _status_of(self, chat: FakeChat, user_id: int) -> str:
        if user_id == self.bot_id:
            return chat.bot_status
        return chat.statuses.get(user_id, "left")

    def _chat_for_read(self, p: dict[str, Any]) -> FakeChat:
        chat = self.resolve_chat(p.get("chat_id"))
        if chat.type != "private" and chat.bot_status == "kicked":
            raise errors.kicked(chat.type)
        return chat

    async def m_get_chat_member(self, p: dict[str, Any]) -> Any:
        chat = self._chat_for_read(p)
        user_id = p.get("user_id")
        user = self.bot if user_id == self.bot_id else self.users.get(int(user_id or 0))
        if user is None:
            raise errors.bad_request(errors.USER_NOT_FOUND)
        return self.member_to_api(chat, user, self._status_of(chat, user.id))

    async def m_get_chat_administrators(self, p: dict[str, Any]) -> Any:
        chat = self._chat_for_read(p)
        admins = [
            self.member_to_api(chat, self.users[uid], status)
            for uid, status in chat.statuses.items()
            if status in ("creator", "administrator")
        ]
        if chat.type != "private" and chat.bot_status == "administrator":
            admins.append(self.member_to_api(chat, self.bot, "administrator"))
        return admins

    async def m_get_chat_member_count(self, p: dict[str, Any]) -> Any:
        chat = self._chat_for_read(p)
        bot_counts = chat.type == "private" or chat.bot_status in ("member", "administrator")
        return len(chat.member_ids()) + (1 if bot_counts else 0)

    async def m_leave_chat(self, p: dict[str, Any]) -> Any:
        chat = self._chat_for_read(p)
        if chat.type == "private":
            raise errors.bad_request(
                "Bad Request: chat member status can't be changed in private chats"
            )
        old = chat.bot_status
        chat.bot_status = "left"
        self.enqueue(
            "my_chat_member",
            {
                "chat": chat.to_api(),
                "from": self.bot.to_api(),
                "date": self.now(),
                "old_chat_member": self.member_to_api(chat, self.bot, old),
                "new_chat_member": self.member_to_api(chat, self.bot, "left"),
            },
        )
        return True

    # ------------------------------------------------------------- commands

    def _scope_key(self, p: dict[str, Any]) -> tuple[str, int | None, int | None, str]:
        scope = p.get("scope") or {"type": "default"}
        chat_id = scope.get("chat_id")
        if chat_id is not None:
            chat_id = self.resolve_chat(chat_id).id
        user_id = scope.get("user_id")
        return (str(scope.get("type")), chat_id, user_id, str(p.get("language_code") or ""))

    async def m_set_my_commands(self, p: dict[str, Any]) -> Any:
        commands = p.get("commands") or []
        if len(commands) > 100:
            raise errors.bad_request("Bad Request: BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            name = str(command.get("command", ""))
            valid_chars = all(c.islower() or c.isdigit() or c == "_" for c in name)
            if not (1 <= len(name) <= 32) or not valid_chars:
                raise errors.bad_request("Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise errors.bad_request("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.command_sets[self._scope_key(p)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def m_get_my_commands(self, p: dict[str, Any]) -> Any:
        return list(self.command_sets.get(self._scope_key(p), []))

    async def m_delete_my_commands(self, p: dict[str, Any]) -> Any:
        self.command_sets.pop(self._scope_key(p), None)
        return True


METHODS: dict[str, Handler] = {
    "getMe": MethodsMixin.m_get_me,
    "getUpdates": MethodsMixin.m_get_updates,
    "setWebhook": MethodsMixin.m_set_webhook,
    "deleteWebhook": MethodsMixin.m_delete_webhook,
    "getWebhookInfo": MethodsMixin.m_get_webhook_info,
    "logOut": MethodsMixin.m_log_out,
    "close": MethodsMixin.m_close,
    "sendMessage": MethodsMixin.m_send_message,
    "editMessageText": MethodsMixin.m_edit_message_text,
    "editMessageCaption": MethodsMixin.m_edit_message_caption,
    "editMessageReplyMarkup": MethodsMixin.m_edit_message_reply_markup,
    "deleteMessage": MethodsMixin.m_delete_message,
    "answerCallbackQuery": MethodsMixin.m_answer_callback_query,
    "sendDocument": MethodsMixin.m_send_document,
    "sendPhoto": MethodsMixin.m_send_photo,
    "sendChatAction": MethodsMixin.m_send_chat_action,
    "getChat": MethodsMixin.m_get_chat,
    "getChatMember": MethodsMixin.m_get_chat_member,
    "getChatAdministrators": MethodsMixin.m_get_chat_administrators,
    "getChatMemberCount": MethodsMixin.m_get_chat_member_count,
    "setMyCommands": MethodsMixin.m_set_my_commands,
    "getMyCommands": MethodsMixin.m_get_my_commands,
    "deleteMyCommands": MethodsMixin.m_delete_my_commands,
    "pinChatMessage": MethodsMixin.m_pin_chat_message,
    "unpinChatMessage": MethodsMixin.m_unpin_chat_message,
    "leaveChat": MethodsMixin.m_leave_chat,
}
