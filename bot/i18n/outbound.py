"""The last step of translation: fixed texts are translated as they leave for Telegram.

Texts built by functions call `_()` themselves. Fixed texts (the many constants in
bot/views, marked `N_()` so the catalogue holds them) are translated here, whole, at the one
place every Bot API call passes: a message, a caption, a button's answer or a button label
whose whole text is a catalogue entry goes out translated. A text built from parts is never
matched by accident: only an exact catalogue entry is replaced.

Into which language is decided by who receives it: a group's language for a group, the
person's for a private chat (its id is theirs), as last known to this process
(`LanguageCache`); the current language when the reader is not known (a button's answer, a
chat not seen yet). So a fixed text sent to a Polish group from an English organiser's
private chat, or by a job, reads in Polish.
"""

from __future__ import annotations

from typing import Any, Protocol

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import ExtBot

from bot.i18n.catalogues import DEFAULT_LANGUAGE, current_language, translate

_TEXT_FIELDS = ("text", "caption")


class KnownLanguages(Protocol):
    def known_group(self, chat_id: int) -> str | None: ...

    def known_person(self, user_id: int) -> str | None: ...


def reader_language(data: dict[str, object], known: KnownLanguages | None) -> str:
    chat_id = data.get("chat_id")
    if known is not None and isinstance(chat_id, int):
        found = known.known_group(chat_id) if chat_id < 0 else known.known_person(chat_id)
        if found is not None:
            return found
    return current_language()


def translated_markup(markup: InlineKeyboardMarkup, language: str) -> InlineKeyboardMarkup:
    def one(button: InlineKeyboardButton) -> InlineKeyboardButton:
        text = translate(button.text, language)
        if text == button.text:
            return button
        copied = InlineKeyboardButton.de_json({**button.to_dict(), "text": text}, None)
        assert copied is not None
        return copied

    return InlineKeyboardMarkup([[one(button) for button in row] for row in markup.inline_keyboard])


def translate_request(data: dict[str, object], known: KnownLanguages | None = None) -> None:
    """Translate, in place, the fixed texts of one Bot API call's parameters."""
    language = reader_language(data, known)
    if language == DEFAULT_LANGUAGE:
        return
    for field in _TEXT_FIELDS:
        value = data.get(field)
        if isinstance(value, str) and value:
            data[field] = translate(value, language)
    markup = data.get("reply_markup")
    if isinstance(markup, InlineKeyboardMarkup):
        data["reply_markup"] = translated_markup(markup, language)


class TranslatingBot(ExtBot[None]):
    """PTB's ExtBot, translating fixed texts on the way out (see the module's docstring)."""

    __slots__ = ("_known",)

    def __init__(self, *args: Any, known: KnownLanguages | None = None, **kwargs: Any) -> None:
        # Set before PTB freezes the object at the end of its __init__.
        self._known = known
        super().__init__(*args, **kwargs)

    def _insert_defaults(self, data: dict[str, object]) -> None:
        super()._insert_defaults(data)
        translate_request(data, self._known)
