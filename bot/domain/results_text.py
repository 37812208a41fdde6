"""Words and numbers the result sentences are made of, in English and as plain values.

The sentences themselves are in bot/views/poll_sentences.py, where they are translated (the
domain imports nothing from bot.i18n); these two helpers stay here, pure, for every caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import floor


def join_words(words: Sequence[str], conjunction: str = "and") -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def format_mean(value: Fraction) -> str:
    """One decimal, rounding half up on the exact value (floats would round 3.65 down)."""
    tenths = floor(value * 10 + Fraction(1, 2))
    return f"{tenths // 10}.{tenths % 10}"
