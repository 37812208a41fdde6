"""Every catalogue has every message, with the same placeholders and markup (issue 15.7)."""

from __future__ import annotations

import gettext
import io
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.i18n import _, ngettext, speaking
from bot.i18n.catalogues import DOMAIN, LOCALES, SUPPORTED

ROOT = Path(__file__).resolve().parents[3]
TRANSLATED = [language for language in SUPPORTED if language != "en"]
_PLACEHOLDER = re.compile(r"\{(\w*)\}")
_TAG = re.compile(r"</?\w+")


def template() -> Catalog:
    with (LOCALES / f"{DOMAIN}.pot").open("rb") as source:
        return read_po(source)


def catalogue(language: str) -> Catalog:
    with (LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as source:
        return read_po(source, locale=language)


def ids(message: Message) -> tuple[str, ...]:
    found = message.id if isinstance(message.id, tuple | list) else (message.id,)
    return tuple(str(part) for part in found)


def forms(message: Message) -> tuple[str, ...]:
    found = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return tuple(str(form or "") for form in found)


def messages(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def test_the_template_holds_exactly_the_texts_in_the_code() -> None:
    """A text added or changed in the code without `bot/i18n/tools/update.sh` fails here."""
    found: set[str] = set()
    method_map = [("bot/**.py", "python"), ("handlers/**.py", "python")]
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords={"_": None, "N_": None, "ngettext": (1, 2)}
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    assert found == {ids(m)[0] for m in messages(template())}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language: str) -> None:
    translated = {ids(m)[0]: m for m in messages(catalogue(language))}
    for message in messages(template()):
        found = translated.get(ids(message)[0])
        assert found is not None, f"{language}: missing {ids(message)[0][:60]!r}"
        assert "fuzzy" not in found.flags, f"{language}: a guess, not a translation: {found.id!r}"
        assert all(form.strip() for form in forms(found)), f"{language}: empty {found.id!r}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_translation_has_the_english_placeholders_and_markup(language: str) -> None:
    for message in messages(catalogue(language)):
        english = set(_PLACEHOLDER.findall(" ".join(ids(message))))
        tags = Counter(_TAG.findall(ids(message)[0]))
        plural = isinstance(message.id, tuple)
        for form in forms(message):
            used = set(_PLACEHOLDER.findall(form))
            assert used <= english, f"{language}: unknown placeholder in {form!r}"
            # A plural form for one, or two, may say the number in words ("one", "two").
            missing = english - used - ({"count"} if plural else set())
            assert not missing, f"{language}: {missing} lost in {form!r}"
            assert Counter(_TAG.findall(form)) == tags, f"{language}: markup differs: {form!r}"
            form.format(**dict.fromkeys(english, "x"))  # no stray braces


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_messages_have_every_form_the_language_needs(language: str) -> None:
    catalog = catalogue(language)
    for message in messages(catalog):
        if isinstance(message.id, tuple):
            assert len(forms(message)) == catalog.num_plurals, message.id


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogues_compile(language: str) -> None:
    buffer = io.BytesIO()
    write_mo(buffer, catalogue(language), use_fuzzy=False)
    assert buffer.getvalue()


def test_texts_come_out_in_the_current_language() -> None:
    with speaking("pl"):
        assert _("Join") == "Dołącz"
        assert (
            ngettext(
                "{count} person has voted so far.", "{count} people have voted so far.", 5
            ).format(count=5)
            == "Do tej pory zagłosowało 5 osób."
        )
    with speaking("pl-PL"):  # Telegram's codes carry a region
        assert _("Join") == "Dołącz"
    with speaking("so"):  # not (yet) translated: English
        assert _("Join") == "Join"
    assert _("Join") == "Join"


def test_arabic_lines_are_laid_out_right_to_left() -> None:
    """Telegram sets a paragraph's direction from its first strong letter: each Arabic line
    starts with the right-to-left mark, so one that opens with a name still reads rightly."""
    with speaking("ar"):
        text = _("You are in <b>{group}</b> as <b>{role}</b>.")
    assert text.startswith("\u200f")
    assert all(line.startswith("\u200f") for line in text.split("\n") if line)


def test_arabic_counts_from_eleven_to_ninety_nine_take_the_accusative() -> None:
    """Arabic says "11 شخصًا" (the noun in the accusative, marked with tanwin ً) but
    "100 شخص". The catalogue's plural rule puts 11-99 in form 5 and 100-102 in form 4, the
    reverse of the order many references list them in: several entries were written swapped,
    so "11 people voted" read wrongly. Where the two forms differ, the 11-99 one has the mark."""
    arabic = catalogue("ar")
    form_of = gettext.c2py(arabic.plural_expr)  # as gettext itself reads the header
    assert [form_of(n) for n in (11, 99, 111, 100, 102)] == [5, 5, 5, 4, 4]
    swapped = [
        message.id[0]
        for message in messages(arabic)
        if isinstance(message.id, tuple)
        and forms(message)[4] != forms(message)[5]
        and forms(message)[5].count("\u064b") <= forms(message)[4].count("\u064b")
    ]
    assert swapped == []
