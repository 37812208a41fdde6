"""The items typed after /poll or /meeting: separated by `|`, or one per line.

Pure: no telegram, no database. `|` is on a phone keyboard's second symbol page, so one item
per line is accepted too ("question on the first line, options below"). When the text holds
a `|` it is split there only, exactly as before (a question may then run over several
lines); otherwise each non-blank line is an item.

List markers a phone's notes habit adds ("- Yes", "• Yes", "1. Yes" ... "3. Maybe") are
taken off the lines below the first, but only when every one of those lines has one (and
numbers run 1, 2, 3 ...), so an option that merely starts with a dash or a number keeps it.
"""

from __future__ import annotations

import re

SEPARATOR = "|"

_BULLET = re.compile(r"^\s*[-–—•*·]\s+")
_NUMBERED = re.compile(r"^\s*(\d{1,2})[.)]\s+")


def split_items(text: str) -> list[str]:
    """The items, in order, each as typed (tidying is the caller's): `|`-separated when the
    text has a `|` (empty items kept, for the caller to refuse), else one per non-blank line."""
    if SEPARATOR in text:
        return text.split(SEPARATOR)
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[:1] + _without_markers(lines[1:])


def _without_markers(lines: list[str]) -> list[str]:
    if len(lines) < 2:
        return lines
    if all(_BULLET.match(line) for line in lines):
        return [_BULLET.sub("", line, count=1) for line in lines]
    numbers = [_NUMBERED.match(line) for line in lines]
    if all(numbers) and [int(m.group(1)) for m in numbers if m] == list(range(1, len(lines) + 1)):
        return [_NUMBERED.sub("", line, count=1) for line in lines]
    return lines
