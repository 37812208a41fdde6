"""Crisis triage for anonymous feedback (DESIGN section 3, promise 7).

A feedback message that matches one of the phrases is answered privately at once with the
deployment's crisis contacts and goes to facilitators flagged urgent, never to the group.
Matching is on whole words, case-insensitive, so "overdose" matches "I took an Overdose." but
"skill myself" does not match "kill myself". Erring towards matching is deliberate: a false
alarm costs a facilitator a glance, a miss can cost far more.

Words are compared twice: as typed (after NFKC), and as they look. The second comparison
folds each word, phrase and text alike, to its Unicode TR39 skeleton (bot/domain/lookalikes.py)
after dropping accents, so "kіll myself" with a Cyrillic "і", "kíll mysélf" or "ki11 myse1f"
is found. It works word by word, on the words the first comparison splits, so a look-alike of
punctuation ("want|to|die") never glues words together, and "skill" still never reads "kill".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from bot.domain.lookalikes import skeleton

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
# "kill my self" is "kill myself": words people type both ways are read split, text and
# phrases alike. Splitting, not joining: "my self harm" joined greedily would read
# "myself harm" and miss "self harm".
_SPLIT: dict[str, tuple[str, ...]] = {"myself": ("my", "self"), "selfharm": ("self", "harm")}


def _split(found: Iterable[str], splits: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(part for word in found for part in splits.get(word, (word,)))


def _tokens(text: str, *, accents: bool = True, cased: bool = False) -> list[str]:
    folded = unicodedata.normalize("NFKC", text)
    if not accents:
        # Only the Latin, Greek and Cyrillic diacritics (U+0300-U+036F): a vowel sign of
        # another script is part of its letter and tells words apart.
        folded = "".join(
            ch for ch in unicodedata.normalize("NFD", folded) if not 0x300 <= ord(ch) <= 0x36F
        )
    visible = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    if not cased:
        visible = visible.casefold()
    return _WORD.findall(_plain_letters(visible.translate(_APOSTROPHES)))


# Arabic letters people type either way: taa marbuta as haa, alef maqsura as yaa; tatweel
# (the stretching stroke) carries nothing.
_ARABIC_FORMS = str.maketrans({"ة": "ه", "ى": "ي", "ـ": None})
# The marks dropped: Latin accents (U+0300-U+036F) and Arabic short vowels and hamza
# (U+064B-U+065F, U+0670). Other scripts' vowel signs are part of their letters.
_MARKS = re.compile("[\u0300-\u036f\u064b-\u065f\u0670]")


def _plain_letters(text: str) -> str:
    """Accents and Arabic short vowels and hamza seats dropped ("chcę" is "chce", "أموت" is
    "اموت"), as people type them on a phone without the other keyboard. Polish "ł" has no
    accent to drop, so it is given its plain letter."""
    bare = _MARKS.sub("", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", bare).replace("ł", "l").translate(_ARABIC_FORMS)


def words(text: str) -> tuple[str, ...]:
    """Lower-case words, apostrophes dropped ("Don’t" is "dont"), hyphens as spaces, and
    "myself" and "selfharm" read as the two words people also type.

    NFKC folds full-width and compatibility forms; invisible format characters (soft hyphens,
    zero-width joiners) are removed, so "sui\u00adcide" still reads "suicide".
    """
    return _split(_tokens(text), _SPLIT)


# Where TR39 leads a look-alike to a letter that is not the one it is taken for: a Cyrillic
# "к" folds to "ĸ" (kra), which nobody types for "k".
_SKELETON_EXTRA = str.maketrans({"ĸ": "k"})


@lru_cache(maxsize=4096)
def _look(word: str) -> str:
    return skeleton(word).translate(_SKELETON_EXTRA)


@lru_cache(maxsize=1)
def _split_looks() -> dict[str, tuple[str, ...]]:
    """`_SPLIT` as the words look (built on first use: the confusables data loads then)."""
    return {_look(word): tuple(map(_look, parts)) for word, parts in _SPLIT.items()}


def lookalike_words(text: str) -> tuple[str, ...]:
    """The words as they look: accents dropped, each word folded to its TR39 skeleton.

    For comparison only, never shown. Split on the same boundaries as `words`.
    """
    return _split((_look(word) for word in _tokens(text, accents=False)), _split_looks())


def capitals_as_they_look(text: str) -> tuple[str, ...]:
    """The words with a capital I typed for an l read as the l it looks like: "kiII" is
    "kill" to the eye, but case-folded first it becomes "kiii", which no skeleton brings
    back. Only in words with a small letter too, so the pronoun "I" and capitals stay."""
    tokens = _tokens(text, accents=False, cased=True)
    looks = (_look(_capital_i_as_l(word).casefold()) for word in tokens)
    return _split(looks, _split_looks())


def _capital_i_as_l(word: str) -> str:
    return word.replace("I", "l") if any(ch.islower() for ch in word) else word


def compile_phrases(phrases: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Each phrase as a sequence of words; blank ones are dropped."""
    return tuple(ws for ws in (words(phrase) for phrase in phrases) if ws)


_Index = dict[str, tuple[tuple[str, ...], ...]]


def _index(phrases: Iterable[tuple[str, ...]]) -> _Index:
    """Phrases by their first word, so a text is read once whatever the list's length."""
    found: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        found.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(group) for first, group in found.items()}


@lru_cache(maxsize=16)
def _compiled(phrases: tuple[str, ...]) -> tuple[_Index, _Index]:
    """The phrases as typed and as they look (the settings' list is compiled once)."""
    typed = compile_phrases(phrases)
    looks = tuple(ws for ws in (lookalike_words(p) for p in phrases) if ws)
    return _index(typed), _index(looks)


def _within(said: tuple[str, ...], index: _Index) -> bool:
    return any(
        said[i : i + len(phrase)] == phrase
        for i, word in enumerate(said)
        for phrase in index.get(word, ())
    )


def is_crisis(text: str, phrases: Iterable[str]) -> bool:
    """Whether any phrase appears in the text as consecutive whole words, as typed or as it
    looks (look-alike letters from other scripts, accents, digits for letters)."""
    typed, looks = _compiled(tuple(phrases))
    if not typed:
        return False
    return (
        _within(words(text), typed)
        or _within(lookalike_words(text), looks)
        or _within(capitals_as_they_look(text), looks)
    )
