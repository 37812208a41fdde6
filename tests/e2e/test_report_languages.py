"""/report in the organiser's language (issue 15): the choices, the answers and the PDF's
headings, labels and sentences, in Polish and in Arabic (read back from the PDF with pypdf)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.harness import SandboxBot
from tests.e2e.poll_helpers import button
from tests.e2e.report_helpers import pdf_text, reports_in
from tests.e2e.test_languages import all_words, english_in

# Words the English report has on every PDF, whatever happened in the period.
ENGLISH_HEADINGS = ("report to the board", "Decisions", "Meetings", "How equal weight", "page")


@pytest.mark.parametrize(
    ("code", "choose_dates", "headings"),
    [
        (
            "pl",
            "Wybierz daty",
            ("raport dla zarządu", "Decyzje", "Spotkania", "Jak działa równa waga", "strona 2"),
        ),
        ("ar", "اختر التواريخ", ("القرارات", "الاجتماعات", "الملاحظات", "صفحة")),
    ],
)
async def test_an_organiser_gets_the_report_in_their_language(
    bot: SandboxBot, code: str, choose_dates: str, headings: tuple[str, ...]
) -> None:
    tg = bot.tg
    organiser = tg.create_user("Organizator", language_code=code)
    group = tg.create_group("Wsparcie", members=[], admins=[organiser])
    await bot.add_to_group(group, by=organiser)
    await bot.start(organiser)
    await bot.say(organiser, group, "/report")
    assert not english_in(bot.last_text(group)), bot.last_text(group)
    dm = bot.private(organiser)
    choices = bot.last(dm)
    assert not english_in(all_words(choices)), all_words(choices)
    await bot.press(organiser, choices, data=button(choices, choose_dates))
    assert not english_in(bot.last_text(dm)), bot.last_text(dm)
    # A typo first: the problem is said in the language.
    await bot.say(organiser, dm, "wczoraj")
    assert "⚠️" in bot.last_text(dm) and not english_in(bot.last_text(dm)), bot.last_text(dm)
    today = datetime.now(UTC).date()
    first = today - timedelta(days=30)
    await bot.say(organiser, dm, f"{first:%d.%m.%Y} - {today:%d.%m.%Y}")
    (report,) = reports_in(bot, organiser)
    caption = bot.last(dm).caption or ""
    assert "Wsparcie" in caption and not english_in(caption), caption
    text = pdf_text(report)
    for heading in headings:
        assert heading in text, (heading, text[:400])
    for english in ENGLISH_HEADINGS:
        assert english not in text, (english, text[:400])
