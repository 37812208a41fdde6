"""Items typed after /poll or /meeting: `|`-separated, or one per line."""

from __future__ import annotations

from bot.domain.typed_items import split_items


def test_a_bar_splits_there_only_and_keeps_empty_items() -> None:
    assert split_items("Long\nquestion? | Yes | | No") == ["Long\nquestion? ", " Yes ", " ", " No"]


def test_one_per_line_drops_blank_lines() -> None:
    assert split_items("\nQ?\n\n Yes \r\nNo\n\n") == ["Q?", " Yes ", "No"]


def test_list_markers_go_only_when_every_option_has_one() -> None:
    assert split_items("- Q?\n- Yes\n• No") == ["- Q?", "Yes", "No"]  # the question keeps it
    assert split_items("Q?\n1. Yes\n2) No") == ["Q?", "Yes", "No"]
    assert split_items("Q?\n1. Yes\n3. No") == ["Q?", "1. Yes", "3. No"]  # not a list
    assert split_items("Q?\n-5 degrees\n- 5 degrees") == ["Q?", "-5 degrees", "- 5 degrees"]
