"""The crisis matcher on hostile text: it never fails, and a crisis phrase is found however it is
dressed (case, apostrophes, invisible characters, full-width letters, punctuation around it).

Erring towards matching is the rule (bot/domain/crisis.py): a miss can cost far more than a
facilitator's glance, so the property here is about finding, not about never matching.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.domain.crisis import (
    DEFAULT_CRISIS_PHRASES,
    compile_phrases,
    is_crisis,
    lookalike_words,
    words,
)
from tests.property.strategies import any_text, hostile_text

CI = settings.get_profile("ci")

# Ways a phone or a person dresses a word that must not hide it.
_INVISIBLE = ("\u00ad", "\u200b", "\u200d", "\u2060", "\ufeff")
_APOSTROPHES = ("'", "’", "‘", "`", "ʼ")
_AROUND = (" ", ".", ",", "!", "?", "\n", "\t", "...", " - ", "(", ")", '"', "*", "😢", "\u3000")


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@st.composite
def dressed(draw: st.DrawFn, phrase: str) -> str:
    """The phrase as someone might type it."""
    out = []
    for ch in phrase:
        if ch.isalpha():
            ch = ch.upper() if draw(st.booleans()) else ch
        elif ch == "'":
            ch = draw(st.sampled_from(_APOSTROPHES))
        elif ch == " ":
            ch = draw(st.sampled_from((" ", "  ", "\n", "\t", " \u200b")))
        out.append(ch)
        if ch.isalpha() and draw(st.integers(0, 9)) == 0:
            out.append(draw(st.sampled_from(_INVISIBLE)))
    text = "".join(out)
    return _full_width(text) if draw(st.integers(0, 5)) == 0 else text


@st.composite
def message_with_crisis(draw: st.DrawFn) -> tuple[str, str]:
    phrase = draw(st.sampled_from(DEFAULT_CRISIS_PHRASES))
    before = draw(st.one_of(st.just(""), hostile_text(max_size=6)))
    after = draw(st.one_of(st.just(""), hostile_text(max_size=6)))
    left = draw(st.sampled_from(_AROUND))
    right = draw(st.sampled_from(_AROUND))
    return phrase, f"{before}{left}{draw(dressed(phrase))}{right}{after}"


@settings(CI, max_examples=700)
@given(case=message_with_crisis())
@example(case=("kill myself", "I want to kill my self."))
@example(case=("self-harm", "self\u00adharm"))
@example(case=("don't want to live", "I DON’T want to live"))
def test_a_crisis_phrase_is_found_however_it_is_dressed(case: tuple[str, str]) -> None:
    _, text = case
    assert is_crisis(text, DEFAULT_CRISIS_PHRASES), text


@settings(CI, max_examples=600)
@given(
    text=any_text(),
    phrases=st.lists(st.one_of(hostile_text(max_size=4), st.text(max_size=10)), max_size=5),
)
@example(text="", phrases=[""])
@example(text="\u00ad\u200b", phrases=["\u200b"])
def test_any_text_and_any_configured_phrases_never_fail(text: str, phrases: list[str]) -> None:
    found = is_crisis(text, phrases)
    compiled = compile_phrases(phrases)
    assert all(compiled), "blank phrases are dropped"
    # Matching is on words: a phrase made of the text's own words is always found.
    said = words(text)
    if said:
        assert is_crisis(text, [" ".join(said[: len(said) // 2 + 1])])
    if not compiled:
        assert not found


# Letters of other scripts that look like Latin ones on a phone (Cyrillic, Greek).
_LOOK_ALIKES = {
    "a": "\u0430",
    "c": "\u0441",
    "e": "\u0435",
    "i": "\u0456",
    "o": "\u043e\u03bf",
    "p": "\u0440",
    "s": "\u0455",
    "x": "\u0445",
    "y": "\u0443",
    "k": "\u043a",
}


@st.composite
def disguised(draw: st.DrawFn) -> str:
    """A crisis phrase with some letters swapped for look-alikes from another script."""
    phrase = draw(st.sampled_from(DEFAULT_CRISIS_PHRASES))
    return "".join(
        draw(st.sampled_from(_LOOK_ALIKES[ch]))
        if ch in _LOOK_ALIKES and draw(st.booleans())
        else ch
        for ch in phrase
    )


@settings(CI, max_examples=400)
@given(text=disguised(), before=hostile_text(max_size=4))
@example(text="k\u0456ll myself", before="")
def test_a_crisis_in_look_alike_letters_is_found(text: str, before: str) -> None:
    assert is_crisis(f"{before} {text}.", DEFAULT_CRISIS_PHRASES), text


_PLAIN = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,!?'-\n"),
    max_size=80,
)


@settings(CI, max_examples=400)
@given(text=_PLAIN, phrases=st.lists(_PLAIN, max_size=4))
@example(text="The new skill myself", phrases=["kill myself"])
@example(text="I want to diet", phrases=["want to die"])
def test_look_alike_matching_adds_no_match_to_plain_english(text: str, phrases: list[str]) -> None:
    """On Latin letters alone the look-alike reading is the typed one with "l" written "1":
    the second comparison can find nothing the first would not."""
    assert lookalike_words(text) == tuple(w.replace("l", "1") for w in words(text))
    typed_only = any(
        words(text)[i : i + len(p)] == p
        for p in compile_phrases(phrases)
        for i in range(len(words(text)))
    )
    assert is_crisis(text, phrases) == typed_only
