"""The results message: right figures, nothing withheld, always one valid message."""

from __future__ import annotations

import re

import pytest

from bot.domain.disclosure import SmallRoles
from bot.domain.disclosure_ladder import Rung
from bot.domain.poll_rules import PollKind, Visibility
from bot.domain.roles import Role
from bot.views.limits import utf16_length
from bot.views.poll_results import (
    CAPTION_LIMIT,
    CUT_NOTE,
    private_results,
    results_caption,
    results_message,
)

from .builders import CA, ST, SU, assert_telegram_html, snapshot


def table_rows(html: str) -> list[str]:
    """The figures, one plain-words line per option ('1. Alpha: 7 votes, ...')."""
    return [line for line in html.split("\n") if re.match(r"^(\d+\. .*|\d): \d+ votes?", line)]


def test_worked_example_gives_equal_weight_and_role_shares() -> None:
    # 3 service users and 3 carers chose Alpha; staff 1 Alpha, 9 Beta. Beta wins a show of
    # hands (9 to 7); equal weight: Alpha (1 + 1 + 1/10) / 3 = 70%, Beta 30%.
    s = snapshot({SU: [0, 0, 0], CA: [0, 0, 0], ST: [0] + [1] * 9})
    html = results_message(s)
    text = assert_telegram_html(html)
    # The decision in words first, then which poll (issue 14, point 7).
    assert text.startswith("On equal weight: Alpha.\nResults: Which plan?")
    assert "Service users and carers preferred Alpha; staff preferred Beta." in text
    assert "A show of hands would have picked Beta." in text
    # The table in plain words: roles named as people chose them, never "SU" or "Car".
    assert table_rows(html) == [
        "1. Alpha: 7 votes, 70% equal weight (service users 100%, carers 100%, staff 10%)",
        "2. Beta: 9 votes, 30% equal weight (service users 0%, carers 0%, staff 90%)",
    ]
    assert "In brackets: the share of each role who chose it." in text
    assert not re.search(r"\b(SU|Car)\b", text)
    assert "16 people voted: 3 service users, 3 carers and 10 staff." in text
    assert "Equal weight: each role counts for a third, however many people are in it." in text
    assert "Held back" not in text


def test_a_head_count_shows_no_role_and_no_equal_weight() -> None:
    s = snapshot(
        {SU: [0, 0, 1], CA: [0, 0], ST: [0, 1, 1, 1]},
        rung=Rung.HEAD_COUNT,
        small_roles=SmallRoles.PROTECT,
    )
    html = results_message(s)
    text = assert_telegram_html(html)
    # No equal-weight or per-role figure.
    assert table_rows(html) == ["1. Alpha: 5 votes (56%)", "2. Beta: 4 votes (44%)"]
    assert text.startswith("By head count, Alpha leads.\nResults: Which plan?")
    assert "equal weight" not in text.lower()
    assert "preferred" not in text  # per-role leaders are per-role figures too
    assert "To protect small roles, this poll shows a head count only, as it said." in text
    assert "9 people voted." in text and "carer" not in text
    assert sorted(re.findall(r"\d+%", text)) == ["44%", "56%"]


def test_the_decision_alone_shows_no_figure_and_no_role() -> None:
    s = snapshot({SU: [0, 0], CA: [1], ST: [0, 0, 0]}, rung=Rung.DECISION)
    html = results_message(s)
    text = assert_telegram_html(html)
    assert table_rows(html) == []
    assert "%" not in text and "votes" not in text
    assert "On equal weight: Alpha." in text
    assert "6 people voted." in text
    assert "service user" not in text.lower() and "carer" not in text.lower()
    assert "Figures role by role are not shown." in text


def test_a_notice_is_repeated_with_the_result() -> None:
    s = snapshot(
        {SU: [0, 1], CA: [1], ST: [0, 0, 0]}, rung=Rung.DECISION, notice_roles=frozenset({CA})
    )
    text = assert_telegram_html(results_message(s))
    assert "As the poll said before voting: Please note:" in text


def test_fewer_voters_than_members_lower_the_rung_and_say_why() -> None:
    s = snapshot(
        {SU: [0], CA: [1, 1, 0], ST: [0, 0, 0]}, rung=Rung.ROUNDED, closed_rung=Rung.DECISION
    )
    text = assert_telegram_html(results_message(s))
    assert "Fewer people voted than could, so fewer figures are shown." in text
    assert "%" not in text


def test_rounded_scores_are_marked_about() -> None:
    s = snapshot({SU: [0, 0, 1], CA: [0, 1, 1], ST: [0, 1, 1]}, rung=Rung.ROUNDED)
    html = results_message(s)
    text = assert_telegram_html(html)
    rows = table_rows(html)
    assert len(rows) == 2 and all("0% equal weight" in row and "about" in row for row in rows)
    assert "Equal-weight scores are to the nearest 10%." in text
    assert "service users" not in text.split("Results:")[1].split("\n\n")[1]


def test_nobody_voted() -> None:
    text = assert_telegram_html(results_message(snapshot({})))
    assert "Nobody voted." in text
    assert "%" not in text


def test_missing_role_is_not_called_balanced() -> None:
    s = snapshot({SU: [0, 0, 1], ST: [1, 1, 1]})
    text = assert_telegram_html(results_message(s))
    assert "No carers voted, so this is not a balanced result." in text
    assert "each role that voted counts the same" in text


def test_multiple_choice_explains_sums_over_100() -> None:
    votes: dict[Role, list[int | set[int]]] = {SU: [{0, 1}] * 3, CA: [{0}] * 3, ST: [{1, 2}] * 3}
    s = snapshot(votes, kind=PollKind.MULTIPLE, options=("A", "B", "C"), max_choices=2)
    text = assert_telegram_html(results_message(s))
    assert "adds up to more than 100%" in text


def test_scale_reports_averages() -> None:
    s = snapshot({SU: [4, 4, 3], CA: [0, 1, 2], ST: [2, 2, 2]}, kind=PollKind.SCALE)
    html = results_message(s)
    text = assert_telegram_html(html)
    assert "Average (equal weight): 3.2 out of 5." in text
    assert "Scale: 1 = lowest, 5 = highest." in text
    assert len(table_rows(html)) == 5


def test_proposal_reasons_are_listed_sorted_and_escaped() -> None:
    reasons = ((3, "Too <costly> & rushed"), (1, "Need more\ninformation"), (3, "Against 🙅"))
    s = snapshot(
        {SU: [0, 0, 3], CA: [0, 1, 2], ST: [0, 0, 0, 3]}, kind=PollKind.PROPOSAL, reasons=reasons
    )
    text = assert_telegram_html(results_message(s))
    assert "2 people blocked this proposal (service users and staff)." in text
    tail = text.split("Reasons given privately, anonymously:\n")[1].split("\n")
    assert tail == [
        "• Unsure: Need more information",
        "• Block: Against 🙅",
        "• Block: Too <costly> & rushed",
    ]


def test_reasons_are_hidden_when_no_head_count_is_published() -> None:
    # Only Disagree and Block invite a reason: its mere presence would tell how the lone
    # service user voted.
    s = snapshot(
        {SU: [3], CA: [0]}, kind=PollKind.PROPOSAL, reasons=((3, "No"),), rung=Rung.DECISION
    )
    text = assert_telegram_html(results_message(s))
    assert "• No" not in text
    assert "Reasons given privately" not in text


def test_many_long_reasons_are_cut_with_and_n_more() -> None:
    reasons = tuple((3, f"{i:02} " + "&" * 297) for i in range(60))
    s = snapshot({SU: [3] * 3, CA: [0] * 3, ST: [1] * 3}, kind=PollKind.PROPOSAL, reasons=reasons)
    text = assert_telegram_html(results_message(s))
    assert re.search(r"…and \d+ more\.$", text)


@pytest.mark.parametrize("emoji", [False, True])
def test_longest_results_fit_one_message(emoji: bool) -> None:
    filler = "🧩" if emoji else "&"
    options = tuple(f"{i}" + filler * 99 for i in range(10))
    votes = {SU: list(range(10)) * 2, CA: list(range(10)), ST: list(range(10)) * 3}
    s = snapshot(votes, question="<" * 300, options=options)
    assert_telegram_html(results_message(s))
    assert_telegram_html(private_results(s))


def test_private_results_say_they_can_change() -> None:
    s = snapshot(
        {SU: [0, 0, 0], CA: [1, 1, 1], ST: [0, 1, 1]},
        closed=False,
        visibility=Visibility.AFTER_VOTING,
        kind=PollKind.PROPOSAL,
        reasons=((3, "secret timing"),),
    )
    text = assert_telegram_html(private_results(s))
    assert text.startswith("Results so far: Which plan?")
    assert "These can change until the poll closes." in text
    assert "secret timing" not in text  # reasons only once the poll is closed


def test_the_caption_under_the_chart_starts_with_the_decision_and_fits() -> None:
    s = snapshot({SU: [0, 0, 0], CA: [0, 0, 0], ST: [0] + [1] * 9})
    post = results_caption(s)
    text = assert_telegram_html(post.text)
    assert post.complete and text == assert_telegram_html(results_message(s))
    assert text.startswith("On equal weight: Alpha.")
    assert len(text) <= CAPTION_LIMIT


@pytest.mark.parametrize("emoji", [False, True])
def test_a_caption_too_long_keeps_the_decision_and_points_to_the_rest(emoji: bool) -> None:
    filler = "🧩" if emoji else "&"
    options = tuple(f"{i}" + filler * 99 for i in range(10))
    votes = {SU: list(range(10)) * 2, CA: list(range(10)), ST: list(range(10)) * 3}
    s = snapshot(votes, question="<" * 300, options=options)
    post = results_caption(s)
    text = assert_telegram_html(post.text)
    assert utf16_length(text) <= CAPTION_LIMIT
    assert text.startswith("On equal weight it is too close to call")
    assert not post.complete and text.endswith(CUT_NOTE)


def test_a_caption_with_many_reasons_says_there_is_more() -> None:
    reasons = tuple((3, f"{i:02} " + "too dear " * 10) for i in range(20))
    s = snapshot({SU: [3] * 3, CA: [0] * 3, ST: [1] * 3}, kind=PollKind.PROPOSAL, reasons=reasons)
    post = results_caption(s)
    text = assert_telegram_html(post.text)
    assert utf16_length(text) <= CAPTION_LIMIT and not post.complete
    assert "…and 19 more." in text and text.endswith(CUT_NOTE)
    # Asked for privately, the reasons come with the rest.
    assert "19 too dear" in assert_telegram_html(private_results(s))
