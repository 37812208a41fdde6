"""Texts and buttons for choosing a language."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import LANGUAGE_NAMES, SUPPORTED, _
from bot.views.callbacks import Action, encode


def choose_language() -> str:
    return _("Which language should I use with you?")


def choose_group_language(title: str) -> str:
    from html import escape

    return _("Which language should I use in <b>{group}</b>?").format(group=escape(title))


def language_keyboard(group_id: int | None = None) -> InlineKeyboardMarkup:
    """One button per language, each named in its own language."""
    rows = []
    for index, language in enumerate(SUPPORTED):
        data = (
            encode(Action.LANGUAGE, index)
            if group_id is None
            else encode(Action.GROUP_LANGUAGE, group_id, index)
        )
        rows.append([InlineKeyboardButton(LANGUAGE_NAMES[language], callback_data=data)])
    return InlineKeyboardMarkup(rows)


def language_saved() -> str:
    # Said in the new language: the first thing the person reads in it.
    return _("Done. I will write to you in English.")


def group_language_saved() -> str:
    return _("Done. I will write to this group in English.")


def language_in_private() -> str:
    return _("Send /language to me in a private chat to choose your language.")


def group_language_in_group() -> str:
    return _("Send /grouplanguage in the group whose language you want to set.")


def only_facilitators_language() -> str:
    return _("Only the group's organisers can change its language.")
