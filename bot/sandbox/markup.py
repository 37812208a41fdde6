"""Message content rules shared by send and edit: text rendering, limits, inline keyboards."""

from __future__ import annotations

from typing import Any

from bot.sandbox import errors
from bot.sandbox.entities_html import ParsedText, parse_html, plain_text, utf16_len

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
# Exactly one of these must be set on an inline keyboard button (besides its text).
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def render(
    text: Any, parse_mode: Any, entities: Any, *, limit: int, caption: bool = False
) -> ParsedText:
    """Visible text and entities, or Telegram's 400 (empty, too long, bad HTML)."""
    source = "" if text is None else str(text)
    mode = (parse_mode or "").strip()
    if mode.upper() == "HTML":
        parsed = parse_html(source)
    elif mode == "":
        parsed = plain_text(source, entities if isinstance(entities, list) else None)
    else:
        raise errors.bad_request(
            f"Bad Request: unsupported parse_mode {mode!r} (the sandbox implements HTML only)"
        )
    if not caption and not parsed.text:
        raise errors.bad_request(errors.TEXT_EMPTY)
    if utf16_len(parsed.text) > limit:
        raise errors.bad_request(errors.CAPTION_TOO_LONG if caption else errors.MESSAGE_TOO_LONG)
    return parsed


def check_reply_markup(markup: Any) -> dict[str, Any] | None:
    """Validate an inline keyboard the way Telegram does; other keyboards pass through."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise errors.bad_request("Bad Request: can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup
    if not isinstance(rows, list):
        raise errors.bad_request(
            'Bad Request: can\'t parse inline keyboard button: field "inline_keyboard" of '
            "the InlineKeyboardMarkup must be an Array"
        )
    for row in rows:
        if not isinstance(row, list):
            raise errors.bad_request(
                "Bad Request: can't parse inline keyboard button: InlineKeyboardButton row "
                "must be an Array"
            )
        for button in row:
            _check_button(button)
    return markup


def _check_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise errors.bad_request(
            'Bad Request: can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    actions = [key for key in _BUTTON_ACTIONS if key in button]
    if not actions:
        raise errors.bad_request(
            "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the "
            "inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        size = len(data.encode("utf-8")) if isinstance(data, str) else 0
        if not 1 <= size <= MAX_CALLBACK_DATA:
            raise errors.bad_request(errors.BUTTON_DATA_INVALID)
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://")):
            raise errors.bad_request("Bad Request: BUTTON_URL_INVALID")
