"""Crisis triage for anonymous feedback (DESIGN section 3, promise 7).

A feedback message that matches one of the phrases is answered privately at once with the
deployment's crisis contacts and goes to facilitators flagged urgent, never to the group.
Matching is on whole words, case-insensitive, so "overdose" matches "I took an Overdose." but
"skill myself" does not match "kill myself". Erring towards matching is deliberate: a false
alarm costs a facilitator a glance, a miss can cost far more.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

DEFAULT_CRISIS_PHRASES: tuple[str, ...] = (
    "suicide",
    "suicidal",
    "kill myself",
    "killing myself",
    "end my life",
    "ending my life",
    "end it all",
    "take my own life",
    "take my life",
    "self-harm",
    "self harm",
    "selfharm",
    "self-harming",
    "harm myself",
    "hurt myself",
    "hurting myself",
    "cut myself",
    "cutting myself",
    "want to die",
    "wanna die",
    "wish i was dead",
    "wish i were dead",
    "better off dead",
    "don't want to live",
    "don't want to be here",
    "no reason to live",
    "overdose",
    "overdosed",
    "overdosing",
    "wanting to die",
    "want to be dead",
    "self harmed",
    "selfharmed",
    "self harming",
    "harming myself",
    "do not want to live",
    "do not want to be here",
    "dont want to be alive",
    "ending it all",
    "ended it all",
    "hang myself",
    "hanging myself",
    "not be here anymore",
    "can't go on",
    "cannot go on",
    "no point living",
    "no point in living",
)

# The deep-link payload of the group's "Get help privately" button: /start with it gives the
# crisis contacts. Not signed: it carries nothing, and anyone may ask for help.
HELP_PAYLOAD = "gethelp"

_WORD = re.compile(r"[^\W_]+")
# Every apostrophe a keyboard or phone may type, including the modifier letter (U+02BC).
_APOSTROPHES = str.maketrans("", "", "'’‘`ʼʹ′")
# "kill my self" is "kill myself": the split forms people type.
_JOINED = {("my", "self"): "myself", ("self", "harm"): "selfharm"}


def _joined(found: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for word in found:
        if out and (out[-1], word) in _JOINED:
            out[-1] = _JOINED[(out[-1], word)]
        else:
            out.append(word)
    return tuple(out)


def words(text: str) -> tuple[str, ...]:
    """Lower-case words, apostrophes dropped ("Don’t" is "dont"), hyphens as spaces.

    NFKC folds full-width and look-alike forms; invisible format characters (soft hyphens,
    zero-width joiners) are removed, so "sui\u00adcide" still reads "suicide".
    """
    folded = unicodedata.normalize("NFKC", text)
    visible = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    return _joined(_WORD.findall(visible.casefold().translate(_APOSTROPHES)))


def compile_phrases(phrases: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Each phrase as a sequence of words; blank ones are dropped."""
    return tuple(ws for ws in (words(phrase) for phrase in phrases) if ws)


def is_crisis(text: str, phrases: Iterable[str]) -> bool:
    """Whether any phrase appears in the text as consecutive whole words."""
    said = words(text)
    for phrase in compile_phrases(phrases):
        size = len(phrase)
        if any(said[i : i + size] == phrase for i in range(len(said) - size + 1)):
            return True
    return False
