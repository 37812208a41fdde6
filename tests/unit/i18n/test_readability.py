"""Plain English (issue 15.6): every English text scored with textstat.

NHS guidance is a reading age of about 9 to 11: a Flesch-Kincaid grade of 6 or below. No
text a person must read is longer than 60 words; the longer help lives behind /help, which
a person asks for.
"""

from __future__ import annotations

import re

import textstat
from babel.messages.pofile import read_po

from bot.i18n.catalogues import DOMAIN, LOCALES

MAX_GRADE = 6.0
MAX_WORDS = 60
# Below this the grade formula is noise: one long word ("organisers") decides it.
MIN_WORDS_TO_GRADE = 12
# Texts a person asks for, where the whole answer is the point.
ASKED_FOR = ("<b>How Equal Say works</b>", "<b>Equal Say</b> helps this group")


def english_texts() -> list[str]:
    with (LOCALES / f"{DOMAIN}.pot").open("rb") as source:
        catalog = read_po(source)
    found: list[str] = []
    for message in catalog:
        if message.id:
            found += [
                str(part)
                for part in (message.id if isinstance(message.id, tuple) else [message.id])
            ]
    return found


def plain(text: str) -> str:
    """What the reader reads: no markup; a placeholder is one short word; a command is a
    name, not words to read; each line ends where it ends (a list item, an example)."""
    words = re.sub(r"\{\w*\}", "it", re.sub(r"<[^>]+>", "", text))
    words = re.sub(r"/\w+", "it", words)
    lines = [line.strip() for line in words.split("\n") if line.strip()]
    return " ".join(line if line[-1] in ".?!" else f"{line.rstrip(':')}." for line in lines)


def test_there_are_texts_to_score() -> None:
    assert len(english_texts()) > 100


def test_every_english_text_is_easy_to_read() -> None:
    hard = []
    for text in english_texts():
        words = textstat.lexicon_count(plain(text))
        if words >= MIN_WORDS_TO_GRADE and textstat.flesch_kincaid_grade(plain(text)) > MAX_GRADE:
            hard.append((textstat.flesch_kincaid_grade(plain(text)), text[:70]))
    assert not hard, hard


def test_no_text_is_longer_than_a_person_should_have_to_read() -> None:
    long = [
        (textstat.lexicon_count(plain(text)), text[:70])
        for text in english_texts()
        if not text.startswith(ASKED_FOR) and textstat.lexicon_count(plain(text)) > MAX_WORDS
    ]
    assert not long, long


def test_the_scorer_tells_hard_from_plain() -> None:
    """The bar is not vacuous: an officious sentence fails it, a plain one passes."""
    officious = (
        "Facilitators administrate anonymised deliberative consultations, subsequently "
        "disseminating aggregated stakeholder determinations institutionally."
    )
    assert textstat.flesch_kincaid_grade(officious) > MAX_GRADE
    assert textstat.flesch_kincaid_grade("Press Join. Then pick your role.") <= MAX_GRADE
