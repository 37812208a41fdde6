"""Poll texts in Polish and Arabic (issue 15): the CSV's headings and cells, the chart's
labels, plural forms, dates and a proposal's fixed options, in the reader's language."""

from __future__ import annotations

import csv
import io
from fractions import Fraction

from bot.domain.poll_rules import PROPOSAL_OPTIONS, PollKind
from bot.i18n import speaking
from bot.i18n.catalogues import RLM
from bot.views.poll_chart import chart_model
from bot.views.poll_export import decision_log_csv, results_csv
from bot.views.poll_results import results_message
from bot.views.poll_wording import long_time, percent, short_time, time_left, votes_word
from bot.views.polls import poll_keyboard, poll_message

from .builders import CA, DEADLINE, NOW, ST, SU, snapshot

FULL = {SU: [0, 0, 0], CA: [0, 0, 0], ST: [0] + [1] * 9}


def table(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_headings_and_words_are_in_the_reader_language() -> None:
    s = snapshot(FULL)
    with speaking("pl"):
        rows = table(results_csv(s))
        log = table(decision_log_csv([s]))
    header = {row[0]: row[1:] for row in rows if row}
    assert header["Ankieta"] == ["Which plan?"]  # the question as typed
    assert header["Rodzaj"] == ["jeden wybór"]
    assert header["Osoby korzystające z usług"] == ["3"] and header["Personel"] == ["10"]
    assert header["Pokazane liczby"] == ["pełna tabela"]
    assert header["Decyzja (równa waga)"] == ["Przy równej wadze: Alpha."]
    assert rows[-3][:3] == ["Numer opcji", "Opcja", "Głosy"]
    assert log[0][:4] == ["Zamknięta", "Strefa czasowa", "Pytanie", "Rodzaj"]
    assert log[1][-5] == "tak"  # balanced
    # English stays the default.
    assert table(results_csv(s))[0][0] == "Poll"


def test_arabic_csv_cells_carry_no_direction_marks() -> None:
    """The marks that lay Arabic out in Telegram would only get in a spreadsheet's way."""
    with speaking("ar"):
        data = results_csv(snapshot(FULL))
    cells = [cell for row in table(data) for cell in row]
    assert "الاستطلاع" in cells and "الخيار" in cells
    assert not [cell for cell in cells if RLM in cell]


def test_chart_labels_are_in_the_reader_language() -> None:
    s = snapshot(FULL)
    with speaking("pl"):
        model = chart_model(s)
    assert model is not None
    assert [name for name, _colour in model.series] == [
        "Odsetek głosujących (zwykłe liczenie)",
        "Równa waga (każda rola liczy się tak samo)",
    ]
    assert model.rows[0].mark == "Wybrano"
    assert model.decision == "Przy równej wadze: Alpha."
    assert model.footer.startswith("Zagłosowało 16 osób: ")
    assert model.subtitle.endswith("wtorek 1 grudnia 2026")
    with speaking("ar"):
        arabic = chart_model(s)
    assert arabic is not None and arabic.rows[0].mark == "تقرّر"
    assert RLM not in arabic.decision + arabic.footer + arabic.series[0][0]


def test_plural_forms_come_from_the_catalogue() -> None:
    with speaking("pl"):
        assert [votes_word(n) for n in (1, 2, 5, 22)] == [
            "1 głos",
            "2 głosy",
            "5 głosów",
            "22 głosy",
        ]
    with speaking("ar"):
        assert [votes_word(n).lstrip(RLM) for n in (1, 2, 3, 11, 100)] == [
            "صوت واحد",
            "صوتان",
            "3 أصوات",
            "11 صوتًا",
            "100 صوت",
        ]


def test_dates_and_numbers_are_formatted_for_the_locale() -> None:
    with speaking("pl"):
        assert (
            long_time(DEADLINE, "Europe/London") == "wtorek 1 grudnia 2026 o 17:00 (czas: London)"
        )
        assert short_time(DEADLINE, "Europe/London") == "wt. 1 gru 17:00"
        assert time_left(DEADLINE, NOW) == "za około 29 godzin"
    with speaking("ar"):
        assert "ديسمبر" in long_time(DEADLINE, "Europe/London")
    assert long_time(DEADLINE, "Europe/London") == "Tuesday 1 December 2026 at 17:00 (London time)"
    assert percent(Fraction(1, 2)) == "50%"


def test_a_proposal_shows_its_fixed_options_in_the_language() -> None:
    s = snapshot({SU: [0, 0, 0], CA: [1, 1, 1], ST: [3, 0, 0]}, kind=PollKind.PROPOSAL)
    with speaking("pl"):
        text = results_message(s)
        open_text = poll_message(snapshot({}, kind=PollKind.PROPOSAL, closed=False), now=NOW)
    for english in PROPOSAL_OPTIONS:
        assert english not in text and english not in open_text
    assert "Zgadzam się" in text and "<b>Sprzeciw</b>" in open_text
    # The buttons keep the stored English: they are translated whole as they leave.
    keyboard = poll_keyboard(snapshot({}, kind=PollKind.PROPOSAL, closed=False))
    assert keyboard is not None
    assert keyboard.inline_keyboard[0][0].text == "Agree"
