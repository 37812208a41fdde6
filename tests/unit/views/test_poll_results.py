"""The results message: right figures, nothing withheld, always one valid message."""

from __future__ import annotations

import re

import pytest

from bot.domain.disclosure import SmallRoles
from bot.domain.disclosure_ladder import Rung
from bot.domain.poll_rules import PollKind, Visibility
from bot.domain.roles import Role
from bot.views.poll_results import private_results, results_message

from .builders import CA, ST, SU, assert_telegram_html, snapshot


def table_rows(html: str) -> list[list[str]]:
    """The monospace table, one list of cells per row."""
    return [row.split() for row in re.findall(r"<code>(.*?)</code>", html)]


def test_worked_example_gives_equal_weight_and_role_shares() -> None:
    # 3 service users and 3 carers chose Alpha; staff 1 Alpha, 9 Beta. Beta wins a show of
    # hands (9 to 7); equal weight: Alpha (1 + 1 + 1/10) / 3 = 70%, Beta 30%.
    s = snapshot({SU: [0, 0, 0], CA: [0, 0, 0], ST: [0] + [1] * 9})
    html = results_message(s)
    text = assert_telegram_html(html)
    assert text.startswith("Results: Which plan?")
    assert "Service users and carers preferred Alpha; staff preferred Beta." in text
    assert text.split("\n")[2] == "On equal weight: Alpha."  # the decision first
    assert "A show of hands would have picked Beta." in text
    assert "1. Alpha\n2. Beta" in text
    assert table_rows(html) == [
        ["#", "Votes", "Equal", "SU", "Car", "Staff"],
        ["1", "7", "70%", "100%", "100%", "10%"],
        ["2", "9", "30%", "0%", "0%", "90%"],
    ]
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
    rows = table_rows(html)
    assert rows[0] == ["#", "Votes", "Share"]  # no equal-weight or per-role column
    assert rows[1:] == [["1", "5", "56%"], ["2", "4", "44%"]]
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
    assert table_rows(html)[0] == ["#", "Votes", "Equal"]
    assert "Equal: equal-weight score, to the nearest 10%." in text
    assert all(cell.endswith("0%") for row in table_rows(html)[1:] for cell in row[2:])


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
    assert len(table_rows(html)) == 6


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
