"""CSV exports: readable by Excel, only published figures, no formulas."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.disclosure_ladder import Rung
from bot.domain.poll_rules import PollKind
from bot.views.poll_export import decision_log_csv, results_csv, safe_cell

from .builders import CA, ST, SU, snapshot


def rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def option_rows(table: list[list[str]]) -> list[list[str]]:
    start = next(i for i, row in enumerate(table) if row[:1] == ["Option number"])
    return table[start:]


def test_results_csv_has_every_published_figure() -> None:
    s = snapshot({SU: [0, 0, 0], CA: [0, 0, 0], ST: [0] + [1] * 9})
    table = rows(results_csv(s))
    header = {row[0]: row[1:] for row in table if row and row[0] != "Option number"}
    assert header["Poll"] == ["Which plan?"]
    assert header["Closed at"] == ["2026-12-01 17:00", "Europe/London"]
    assert header["Service users"] == ["3"] and header["Staff"] == ["10"]
    assert header["Figures shown"] == ["full table"]
    assert header["Held back"] == ["Nothing was held back."]
    assert header["Decision (equal weight)"] == ["On equal weight: Alpha."]
    assert option_rows(table) == [
        [
            "Option number",
            "Option",
            "Votes",
            "Share of voters (%)",
            "Equal-weight score (%)",
            "Share of service users (%)",
            "Share of carers (%)",
            "Share of staff (%)",
        ],
        ["1", "Alpha", "7", "43.8", "70.0", "100.0", "100.0", "10.0"],
        ["2", "Beta", "9", "56.3", "30.0", "0.0", "0.0", "90.0"],
    ]


def test_results_csv_leaves_what_the_rung_withholds_blank() -> None:
    s = snapshot({SU: [0, 0, 1], CA: [0, 0], ST: [0, 1, 1, 1]}, rung=Rung.DECISION_AND_COUNT)
    table = rows(results_csv(s))
    assert option_rows(table)[1:] == [
        ["1", "Alpha", "5", "55.6", "", "", "", ""],
        ["2", "Beta", "4", "44.4", "", "", "", ""],
    ]
    header = {row[0]: row[1:] for row in table if row}
    assert header["Carers"] == ["not shown"] and header["Staff"] == ["not shown"]
    assert header["Figures shown"] == ["decision and head count"]
    assert header["Held back"][0].startswith("Figures role by role are not shown.")
    everything = " ".join(" ".join(row) for row in table)
    assert "100.0" not in everything  # the carers' unanimous share


def test_the_decision_alone_means_no_numbers_per_option() -> None:
    table = rows(results_csv(snapshot({SU: [0, 0], CA: [1], ST: [0]}, rung=Rung.DECISION)))
    assert [row[2:] for row in option_rows(table)[1:]] == [[""] * 6, [""] * 6]
    header = {row[0]: row[1:] for row in table if row}
    assert header["Decision (equal weight)"] == ["On equal weight: Alpha."]


def test_formulas_are_defused() -> None:
    s = snapshot(
        {SU: [0, 1, 2], CA: [0, 1, 3], ST: [0, 1, 2]},
        question='=HYPERLINK("http://evil","click")',
        options=("+1", "-1", "@SUM(A1)", "\tTab"),
    )
    table = rows(results_csv(s))
    assert ["Poll", '\'=HYPERLINK("http://evil","click")'] in table
    assert [row[1] for row in option_rows(table)[1:]] == ["'+1", "'-1", "'@SUM(A1)", "'\tTab"]
    log = rows(decision_log_csv([s]))
    assert log[1][2].startswith("'=")
    assert safe_cell(-3) == "'-3" and safe_cell(None) == "" and safe_cell("a=b") == "a=b"


def test_decision_log_has_one_row_per_closed_poll() -> None:
    balanced = snapshot({SU: [0, 0, 0], CA: [0, 0, 0], ST: [0] + [1] * 9}, poll_id=1)
    small = snapshot({SU: [0, 0, 1], CA: [0, 0], ST: [0, 1, 1, 1]}, poll_id=2, rung=Rung.HEAD_COUNT)
    missing = snapshot({SU: [1, 1, 1]}, poll_id=3, kind=PollKind.SINGLE)
    still_open = snapshot({SU: [1, 1, 1]}, poll_id=4, closed=False)
    table = rows(decision_log_csv([balanced, small, missing, still_open]))
    assert table[0] == [
        "Closed at",
        "Time zone",
        "Question",
        "Kind",
        "Service users",
        "Carers",
        "Staff",
        "Voters",
        "Leading option(s)",
        "Measure",
        "Result",
        "Balanced",
        "What we did",
        "Why",
        "Owner",
        "Review on",
    ]
    assert len(table) == 4
    assert table[1][8:10] == ["Alpha", "equal weight"]
    assert table[1][11] == "yes"
    assert table[2][8:10] == ["Alpha", "head count"]
    assert table[3][4:8] == ["3", "0", "0", "3"]
    assert table[3][11] == "no"
    assert "not a balanced result" in table[3][10]


SEPARATORS = (",", ";", "\t", "|")
FORMULA_STARTS = ("=", "+", "-", "@")


def assert_no_cell_is_a_formula(data: bytes) -> None:
    """Read the file as each common spreadsheet set-up would: every separator, with quotes
    honoured and with quotes ignored (a naive split), a line break starting a row."""
    text = data.decode("utf-8-sig")
    for sep in SEPARATORS:
        honoured = [
            cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep) for cell in row
        ]
        naive = [piece for line in text.splitlines() for piece in line.split(sep)]
        for cell in honoured + naive:
            for piece in cell.splitlines() or [""]:
                assert not piece.lstrip(' "\t').startswith(FORMULA_STARTS), (sep, cell)


@pytest.mark.parametrize(
    "question",
    [
        'Plan A;=HYPERLINK("http://evil","click")',
        "Plan A|=cmd|' /C calc'!A0",
        "Plan A\t@SUM(A1)",
        'Plan A, "=1+1"',
        "Plan A;  -2+3+cmd|' /C calc'!A0",
        "Plan A\n=HYPERLINK(1)",
    ],
)
def test_a_formula_after_any_separator_is_defused(question: str) -> None:
    s = snapshot({SU: [0, 1, 1], CA: [0, 1, 1], ST: [0, 1, 1]}, question=question)
    assert_no_cell_is_a_formula(results_csv(s))
    assert_no_cell_is_a_formula(decision_log_csv([s]))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(",;\t|\"' =+-@\r\nAb1\u2028\x0c")), max_size=30))
def test_no_text_becomes_a_formula_under_any_separator(text: str) -> None:
    s = snapshot(
        {SU: [0, 1, 2], CA: [2, 2, 2]}, question=text, options=(text + "x", "y" + text, "z")
    )
    assert_no_cell_is_a_formula(results_csv(s))


def test_every_cell_is_quoted() -> None:
    data = results_csv(snapshot({SU: [0, 1, 1]})).decode("utf-8-sig")
    assert all(line.startswith('"') for line in data.splitlines() if line)
