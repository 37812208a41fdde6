"""Text that looks the same on a phone: invisible characters and the Unicode TR39 skeleton.

"Yes", "Yes" with a zero-width space, a Cyrillic "Yеs" and "Yes" wrapped in a right-to-left
override all look alike in a poll, so two of them as options would split a vote between
buttons nobody can tell apart. `skeleton` folds each to one form, following Unicode Technical
Standard #39 section 4 (NFD, drop default-ignorable code points, map every character to the
prototype of its confusable class, NFD again), after NFKC and case folding. The confusable
classes come from the `confusable_homoglyphs` package, which ships the Unicode Consortium's
confusables data; they are built once, on first use.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Removed from what is stored and shown: they are invisible, and the bidi controls can make
# the text read differently from how it is stored. Zero-width joiners and non-joiners,
# variation selectors and tag characters stay: emoji (a family, ❤️, the flag of England) and
# several scripts need them. From Default_Ignorable_Code_Point and Bidi_Control (Unicode 16).
_HIDDEN = frozenset(
    [
        0x00AD,  # soft hyphen
        0x034F,  # combining grapheme joiner
        0x061C,  # Arabic letter mark
        0x115F,
        0x1160,  # Hangul fillers
        0x17B4,
        0x17B5,  # Khmer inherent vowels
        *range(0x180B, 0x1810),  # Mongolian free variation selectors and vowel separator
        0x200B,  # zero-width space
        0x200E,
        0x200F,  # left-to-right and right-to-left marks
        *range(0x202A, 0x202F),  # bidi embeddings and overrides
        *range(0x2060, 0x2070),  # word joiner, invisible operators, bidi isolates, deprecated
        0x3164,  # Hangul filler
        0xFEFF,  # zero-width no-break space (byte-order mark)
        0xFFA0,  # halfwidth Hangul filler
        *range(0x1BCA0, 0x1BCA4),  # shorthand format controls
        *range(0x1D173, 0x1D17B),  # musical symbol format controls
    ]
)
_HIDDEN_TABLE = dict.fromkeys(_HIDDEN)
_SPACES = re.compile(r"\s+")


def strip_hidden(text: str) -> str:
    """The text without invisible characters and bidi controls (see _HIDDEN for what stays)."""
    return text.translate(_HIDDEN_TABLE)


def _ignorable(ch: str) -> bool:
    """Default-ignorable for comparison: every format character (joiners included), the
    variation selectors and everything in _HIDDEN."""
    point = ord(ch)
    return (
        unicodedata.category(ch) == "Cf"
        or point in _HIDDEN
        or 0xFE00 <= point <= 0xFE0F
        or 0xE0100 <= point <= 0xE01EF
    )


@cache
def _prototypes() -> dict[str, str]:
    """Each confusable character mapped to one member of its class, the same for the class.

    The data lists, for a character, the characters it can be mistaken for; classes are the
    connected sets (so "l", "I", "1" and "|" are one class). The prototype is an ASCII member
    where there is one, else the lowest code point, so "Yes" folds to itself.
    """
    # The data file read here, not through `confusable_homoglyphs.confusables`, whose module
    # keeps the parsed file (about 6 MB of dicts) for good: only the prototypes are needed.
    from confusable_homoglyphs.utils import load

    confusables_data = load("confusables.json")
    parent: dict[str, str] = {}

    def root(ch: str) -> str:
        while parent.setdefault(ch, ch) != ch:
            parent[ch] = parent[parent[ch]]
            ch = parent[ch]
        return ch

    def clean(text: str) -> str:  # right-to-left entries come wrapped in direction marks
        return text.replace("\u200e", "").replace("\u200f", "")

    for key, homoglyphs in confusables_data.items():
        source = clean(key)
        if len(source) != 1:
            continue
        for homoglyph in homoglyphs:
            target = clean(homoglyph["c"])
            if len(target) == 1:
                parent[root(source)] = root(target)
    members: dict[str, list[str]] = {}
    for ch in parent:
        members.setdefault(root(ch), []).append(ch)
    prototypes: dict[str, str] = {}
    for group in members.values():
        chosen = min(group, key=lambda ch: (not (ch.isascii() and ch.isprintable()), ord(ch)))
        prototypes.update(dict.fromkeys(group, chosen))
    return prototypes


def _fold(text: str) -> str:
    mapping = _prototypes()
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(mapping.get(ch, ch) for ch in decomposed if not _ignorable(ch))


def skeleton(text: str) -> str:
    """One form for all texts that look alike: compare skeletons, never show them.

    Folded twice, because case folding and the confusable classes each can lead into the
    other ("Ε", a Greek capital, folds to "ε", whose class differs from "E"'s).
    """
    folded = _fold(_fold(unicodedata.normalize("NFKC", text)))
    return _SPACES.sub(" ", unicodedata.normalize("NFD", folded)).strip()
