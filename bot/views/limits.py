"""Telegram's size limits (DESIGN section 2), and splitting long texts to fit them."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape, unescape

MESSAGE_LIMIT = 4096
CALLBACK_ANSWER_LIMIT = 200
_TAG = re.compile(r"<[^>]*>")


def utf16_length(text: str) -> int:
    """Telegram measures text in UTF-16 code units: an emoji can count twice."""
    return len(text.encode("utf-16-le")) // 2


def visible_length(html_text: str) -> int:
    """The length Telegram counts for HTML text: tags left out, each entity one character.

    Escaped user text can be five times longer in HTML ("&" is "&amp;") than on screen.
    """
    return utf16_length(unescape(_TAG.sub("", html_text)))


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split HTML text into messages that fit, only between lines.

    The views open and close every tag on one line, so a line boundary never cuts a tag.
    Sizes are what Telegram counts, the visible text. A single line too long for one message
    is shortened with an ellipsis, as plain text: a cut never falls inside a tag or an entity.
    """
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        if visible_length(line) > limit:
            line = escape(_shorten_plain(unescape(_TAG.sub("", line)), limit), quote=False)
        extra = visible_length(line) + (1 if current else 0)
        if current and size + extra > limit:
            chunks.append("\n".join(current).strip("\n"))
            current, size = [], 0
            extra = visible_length(line)
        current.append(line)
        size += extra
    if current:
        chunks.append("\n".join(current).strip("\n"))
    return [chunk for chunk in chunks if chunk] or [text[:1] or " "]


def fit_message(render: Callable[[int], str], count: int, limit: int = MESSAGE_LIMIT) -> str:
    """One message for a text that lists `count` items but cannot be split: it is edited in
    place, or its buttons belong under the whole of it.

    `render(n)` gives the text showing only the first n items (and saying how many more there
    are); the most that fit are shown. Should even `render(0)` not fit, its first part is.
    A text grows with every item shown (each is a line of its own), so the most that fit are
    found by halving: a few renders even for a long list.
    """
    text = render(count)
    if visible_length(text) <= limit:
        return text
    fits, too_many = -1, count  # render(too_many) does not fit; render(fits) does
    best = ""
    while too_many - fits > 1:
        middle = (fits + too_many) // 2
        candidate = render(middle)
        if visible_length(candidate) <= limit:
            fits, best = middle, candidate
        else:
            too_many = middle
    return best if fits >= 0 else split_message(render(0), limit)[0]


def shorten(text: str, limit: int) -> str:
    """Plain text cut to `limit` UTF-16 units, ending with an ellipsis when cut."""
    return text if utf16_length(text) <= limit else _shorten_plain(text, limit)


def _shorten_plain(text: str, limit: int) -> str:
    out = []
    used = 0
    for char in text:
        width = utf16_length(char)
        if used + width > limit - 1:
            break
        out.append(char)
        used += width
    return "".join(out).rstrip() + "…"
