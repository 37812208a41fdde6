"""The results chart: a small PNG when figures may be shown, nothing otherwise."""

from __future__ import annotations

import io

from PIL import Image

from bot.domain.disclosure_ladder import Rung
from bot.views.poll_chart import (
    DECIDED,
    MOST_VOTES,
    TOO_CLOSE,
    chart_model,
    results_chart,
)
from bot.views.poll_wording import long_day

from .builders import CA, DEADLINE, ST, SU, snapshot

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_a_large_chart_is_a_small_png_wide_enough_for_a_phone() -> None:
    options = tuple(f"Option {i} " + "with a long name " * 5 for i in range(10))
    votes = {SU: list(range(10)), CA: list(range(10)), ST: list(range(10)) * 2}
    s = snapshot(votes, options=options, question="A question " * 27)
    # How fast it draws is the board-report benchmark's to say (python -m bench.board_report):
    # a timed test fails on a loaded machine, not on slow code.
    png = results_chart(s)
    assert png is not None and png.startswith(PNG_MAGIC)
    assert len(png) < 150_000
    with Image.open(io.BytesIO(png)) as image:
        assert image.width >= 600  # wide enough for large text on a phone


def test_head_count_only_chart_when_equal_weight_is_withheld() -> None:
    png = results_chart(snapshot({SU: [0, 0, 1], CA: [0, 1], ST: [1, 1, 1]}, rung=Rung.HEAD_COUNT))
    assert png is not None and png.startswith(PNG_MAGIC)


def test_no_chart_when_nothing_per_option_is_published() -> None:
    for rung in (Rung.DECISION, Rung.DECISIONS):
        assert results_chart(snapshot({SU: [0, 1], CA: [1]}, rung=rung)) is None
    assert results_chart(snapshot({})) is None


def test_awkward_text_draws_without_warnings() -> None:
    # Warnings are errors in this suite: a missing emoji glyph or a "$" read as maths would fail.
    s = snapshot(
        {SU: [0, 0, 0], CA: [1, 1, 1], ST: [0, 1, 1]},
        question="Costs $5 or $10? 👩‍👩‍👧 مرحبا",
        options=("$5 🎉", "$10 & more \\alpha"),
    )
    png = results_chart(s)
    assert png is not None and png.startswith(PNG_MAGIC)


def test_the_chart_marks_the_decision_and_names_the_group_and_day() -> None:
    from dataclasses import replace

    s = replace(
        snapshot({SU: [0, 0, 0], CA: [0, 0, 0], ST: [0] + [1] * 9}), group_title="Ward  forum"
    )
    model = chart_model(s)
    assert model is not None
    assert model.decision == "On equal weight: Alpha."  # as the results message starts
    assert [(row.label, row.mark) for row in model.rows] == [
        ("1. Alpha", DECIDED),
        ("2. Beta", None),
    ]
    day = long_day(DEADLINE, "Europe/London")
    assert model.subtitle == f"Ward forum · {day}"
    # The same words travel in the PNG itself, readable without looking at the pixels.
    png = results_chart(s)
    assert png is not None
    with Image.open(io.BytesIO(png)) as image:
        words = dict(image.text)  # type: ignore[attr-defined]
    assert words["Description"] == "On equal weight: Alpha."
    assert words["Group and date"] == f"Ward forum · {day}"
    assert words["Marked"] == "1. Alpha: Decided"


def test_a_head_count_marks_its_leader_and_a_tie_is_too_close_to_call() -> None:
    head = chart_model(snapshot({SU: [0, 0, 1], CA: [0, 1], ST: [1, 1, 1]}, rung=Rung.HEAD_COUNT))
    assert head is not None and [r.mark for r in head.rows] == [None, MOST_VOTES]
    assert head.decision == "By head count, Beta leads."
    tie = chart_model(snapshot({SU: [0, 1], CA: [0, 1], ST: [0, 1]}))
    assert tie is not None and [r.mark for r in tie.rows] == [TOO_CLOSE, TOO_CLOSE]
