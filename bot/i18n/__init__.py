"""Every text a person reads, in their language (issue 15).

Texts are written in English in the code, wrapped in `_()` (or `N_()` where they are kept in
a constant and translated when used), and translated from gettext catalogues managed with
Babel (`bot/i18n/locales`, see docs/TRANSLATING.md). The language is the one of whoever the
text is for: a private chat speaks the person's language, a group the group's. Which one is
current is a context variable, set once per update before any handler runs
(handlers/languages.py) and around every scheduled send (`speaking`), so the views stay
pure functions of their arguments and never take a language parameter.
"""

from __future__ import annotations

from bot.i18n.catalogues import (
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    N_,
    SUPPORTED,
    _,
    current_language,
    ngettext,
    speaking,
    supported,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGE_NAMES",
    "N_",
    "SUPPORTED",
    "_",
    "current_language",
    "ngettext",
    "speaking",
    "supported",
]
