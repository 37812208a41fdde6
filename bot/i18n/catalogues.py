"""Loading the catalogues and choosing the current language.

The compiled catalogues (`.mo`) are built by `pybabel compile` (the Docker image runs it at
build) and never committed. A checkout that has not compiled
them, or whose `.po` is newer than its `.mo`, compiles the `.po` in memory instead, so a
translator's edit is seen at the next start without a build step and a stale binary is never
believed.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

DOMAIN = "equalsay"
LOCALES = Path(__file__).parent / "locales"
DEFAULT_LANGUAGE = "en"
# Each language in its own words: what a person looks for in a list of languages.
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "pl": "Polski", "ar": "العربية"}
SUPPORTED: tuple[str, ...] = tuple(LANGUAGE_NAMES)
_RTL = frozenset({"ar"})
# Right-to-left mark: Telegram sets each paragraph's direction from its first strong letter,
# so an Arabic line that starts with a Latin name or a number would be laid out left to right.
RLM = "\u200f"

_current: ContextVar[str] = ContextVar("equalsay_language", default=DEFAULT_LANGUAGE)


def supported(code: str | None) -> str | None:
    """The supported language for a Telegram `language_code` ("pl", "pl-PL", "ar-EG")."""
    if not code:
        return None
    base = code.replace("_", "-").split("-", 1)[0].lower()
    return base if base in LANGUAGE_NAMES else None


def current_language() -> str:
    return _current.get()


@contextmanager
def speaking(language: str | None) -> Iterator[str]:
    """Render the texts made inside in `language` (English when it is not supported)."""
    chosen = supported(language) or DEFAULT_LANGUAGE
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def use_language(language: str | None) -> str:
    """Set the language for the rest of this task (one update's handling)."""
    chosen = supported(language) or DEFAULT_LANGUAGE
    _current.set(chosen)
    return chosen


@cache
def translations(language: str) -> NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()
    folder = LOCALES / language / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as compiled:
            return Translations(compiled, domain=DOMAIN)
    with po.open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    # Fuzzy entries are a translator's guess, not a translation: English is shown instead.
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def _directed(language: str, text: str) -> str:
    if language not in _RTL:
        return text
    return "\n".join(RLM + line if line else line for line in text.split("\n"))


def _(message: str) -> str:
    """`message` in the current language."""
    return translate(message, _current.get())


def translate(message: str, language: str) -> str:
    """`message` in `language` (a supported code)."""
    if language == DEFAULT_LANGUAGE:
        return message
    return _directed(language, translations(language).gettext(message))


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form for `count` in the current language (Polish has three, Arabic six)."""
    language = _current.get()
    if language == DEFAULT_LANGUAGE:
        return singular if count == 1 else plural
    return _directed(language, translations(language).ngettext(singular, plural, count))


def N_(message: str) -> str:  # noqa: N802 (the name xgettext and Babel look for)
    """Marks a text for the catalogue without translating it yet (constants)."""
    return message
