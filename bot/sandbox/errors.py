"""Telegram's error answers, with the exact description strings the real Bot API uses.

Handlers raise :class:`ApiError`; the single entry point ``FakeTelegram.call`` turns it into
the ``{"ok": false, ...}`` body, so both transports answer errors identically.
"""

from __future__ import annotations

from typing import Any

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
MESSAGE_TOO_LONG = "Bad Request: message is too long"
CAPTION_TOO_LONG = "Bad Request: message caption is too long"
TEXT_EMPTY = "Bad Request: message text is empty"
BUTTON_DATA_INVALID = "Bad Request: BUTTON_DATA_INVALID"
CHAT_NOT_FOUND = "Bad Request: chat not found"
USER_NOT_FOUND = "Bad Request: user not found"
EDIT_NOT_FOUND = "Bad Request: message to edit not found"
DELETE_NOT_FOUND = "Bad Request: message to delete not found"
PIN_NOT_FOUND = "Bad Request: message to pin not found"
REPLY_NOT_FOUND = "Bad Request: message to be replied not found"
THREAD_NOT_FOUND = "Bad Request: message thread not found"
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
UPGRADED = "Bad Request: group chat was upgraded to a supergroup chat"
CANT_INITIATE = "Forbidden: bot can't initiate conversation with a user"
BLOCKED = "Forbidden: bot was blocked by the user"
NOT_ENOUGH_RIGHTS = "Bad Request: not enough rights to manage pinned messages in the chat"
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


class ApiError(Exception):
    """An error answer of the Bot API: HTTP status, description and optional parameters."""

    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters is not None:
            out["parameters"] = self.parameters
        return out


def bad_request(description: str) -> ApiError:
    """400 with ``description`` already carrying the ``Bad Request: `` prefix."""
    return ApiError(400, description)


def kicked(chat_type: str) -> ApiError:
    # Telegram names the chat kind: "group chat" or "supergroup chat" (or "channel chat").
    return ApiError(403, f"Forbidden: bot was kicked from the {chat_type} chat")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


def migrated(new_chat_id: int) -> ApiError:
    return ApiError(400, UPGRADED, {"migrate_to_chat_id": new_chat_id})


def unauthorized() -> ApiError:
    return ApiError(401, "Unauthorized")


def method_not_found() -> ApiError:
    return ApiError(404, "Not Found: method not found")


def internal_error() -> ApiError:
    return ApiError(500, "Internal Server Error")


class SimulatedNetworkError(Exception):
    """An injected transport failure ("timeout" or "reset"); each transport maps it to the
    failure its client would see (PTB TimedOut/NetworkError, a stalled or dropped socket)."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"sandbox injected fault: {kind}")
        self.kind = kind
