"""The plain-words explanation of a published result (in English, the default)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import pytest

from bot.domain.disclosure import disclose
from bot.domain.disclosure_ladder import Rung
from bot.domain.poll_rules import PROPOSAL_OPTIONS, SCALE_OPTIONS, PollKind
from bot.domain.results_text import format_mean, join_words
from bot.domain.roles import Role
from bot.views.poll_sentences import results_sentences, results_summary
from tests.unit.domain.helpers import CA, ST, SU, from_counts, multiple, single

AB = ["A", "B"]


def sentences(
    counts: Mapping[Role, Sequence[int]],
    options: Sequence[str] = AB,
    kind: PollKind = PollKind.SINGLE,
    rung: Rung = Rung.FULL,
) -> list[str]:
    return results_sentences(disclose(from_counts(counts, kind=kind), rung), options, kind)


def test_split_roles_and_equal_weight_beats_show_of_hands() -> None:
    out = sentences({SU: [3, 0], CA: [3, 0], ST: [1, 9]})
    assert out == [
        "On equal weight: A.",
        "Service users and carers preferred A; staff preferred B.",
        "A show of hands would have picked B.",
    ]


def test_the_decision_comes_first_on_every_rung_that_carries_it() -> None:
    counts = {SU: [3, 0], CA: [3, 0], ST: [1, 9]}
    for rung in (Rung.DECISION, Rung.DECISIONS, Rung.DECISION_AND_COUNT, Rung.ROUNDED):
        assert sentences(counts, rung=rung)[0] == "On equal weight: A."
    assert sentences(counts, rung=Rung.DECISION) == ["On equal weight: A."]
    assert sentences(counts, rung=Rung.DECISIONS)[-1] == "A show of hands would have picked B."
    assert sentences(counts, rung=Rung.HEAD_COUNT) == ["By head count, B leads."]


def test_too_close_to_call_is_said_in_words() -> None:
    out = sentences({SU: [2, 1], CA: [1, 2], ST: [2, 2]}, ["A", "B"], rung=Rung.DECISION)
    assert out == ["On equal weight it is too close to call between A and B."]


def test_multiple_choice_and_scale_decisions_in_words() -> None:
    t = multiple(3, {SU: [{0}, {0, 1}], CA: [{0}], ST: [{1}, {2}, {0, 2}]})
    out = results_sentences(disclose(t, Rung.DECISION), ["A", "B", "C"], PollKind.MULTIPLE)
    assert out == ["On equal weight, most chose A; few chose B and C."]
    scale = single(5, {SU: [4, 4], CA: [3], ST: [0, 1, 4]}, kind=PollKind.SCALE)
    out = results_sentences(disclose(scale, Rung.DECISION), SCALE_OPTIONS, PollKind.SCALE)
    assert out == ["On equal weight, the average answer is high (3.5 or more out of 5)."]


def test_roles_agree() -> None:
    out = sentences({SU: [3, 0], CA: [2, 1], ST: [4, 3]})
    assert out == ["On equal weight: A.", "The roles agree: A."]


def test_missing_role_is_said_plainly() -> None:
    out = sentences({SU: [3, 1], CA: [0, 0], ST: [1, 3]})
    assert out[1] == "No carers voted, so this is not a balanced result."


def test_two_missing_roles() -> None:
    out = sentences({ST: [3, 1]})
    assert out[1] == "No service users or carers voted, so this is not a balanced result."
    assert "The roles agree" not in " ".join(out)  # one role cannot "agree" with itself
    assert out[0] == "On equal weight: A."


def test_tie_exact() -> None:
    out = sentences({SU: [1, 2], CA: [2, 2], ST: [2, 1]}, ["A", "B"])
    assert "On equal weight it is too close to call between A and B." in out


def test_role_split_within_a_role() -> None:
    out = sentences({SU: [3, 0, 0], CA: [3, 0, 0], ST: [2, 0, 2]}, ["A", "B", "C"])
    assert out[1] == "Service users and carers preferred A; staff were split between A and C."


def test_a_head_count_names_no_role() -> None:
    out = sentences({SU: [2, 0], CA: [1, 0], ST: [1, 5]}, rung=Rung.HEAD_COUNT)
    assert out == ["By head count, B leads."]


def test_nobody_voted() -> None:
    assert sentences({SU: [0, 0]}) == ["Nobody has voted yet."]


def test_proposal_block_count_when_raw_is_public() -> None:
    out = sentences(
        {SU: [0, 0, 0, 1], CA: [0, 0, 0, 0], ST: [5, 0, 0, 0]},
        PROPOSAL_OPTIONS,
        PollKind.PROPOSAL,
        rung=Rung.HEAD_COUNT,
    )
    assert out[-1] == "1 person blocked this proposal."
    assert "By head count, Agree leads." in out
    decision = sentences(
        {SU: [0, 0, 0, 1], CA: [0, 0, 0, 0], ST: [5, 0, 0, 0]},
        PROPOSAL_OPTIONS,
        PollKind.PROPOSAL,
        rung=Rung.DECISION,
    )
    assert not any("blocked" in x for x in decision)  # a count, not shown on this rung


def test_proposal_blocks_with_roles_when_all_big() -> None:
    out = sentences(
        {SU: [1, 0, 0, 2], CA: [3, 0, 0, 0], ST: [2, 0, 0, 1]}, PROPOSAL_OPTIONS, PollKind.PROPOSAL
    )
    assert out[-1] == "3 people blocked this proposal (service users and staff)."


def test_scale_equal_weight_and_by_role() -> None:
    t = single(5, {SU: [4, 4, 3], CA: [2, 2, 2], ST: [0, 0, 1, 1, 2, 2]}, kind=PollKind.SCALE)
    out = results_sentences(disclose(t, Rung.FULL), SCALE_OPTIONS, PollKind.SCALE)
    assert out == [
        "Average (equal weight): 3.2 out of 5.",
        "Average by role: service users 4.7, carers 3.0 and staff 2.0.",
        "Average (head count): 2.9 out of 5.",
    ]


def test_scale_head_count_when_small() -> None:
    t = single(5, {SU: [4], ST: [0, 1, 2]}, kind=PollKind.SCALE)
    out = results_sentences(disclose(t, Rung.HEAD_COUNT), SCALE_OPTIONS, PollKind.SCALE)
    assert out[-1] == "Average (head count): 2.8 out of 5."  # (5 + 1 + 2 + 3) / 4 = 2.75


@pytest.mark.parametrize(
    ("value", "text"),
    [(Fraction(37, 10), "3.7"), (Fraction(73, 20), "3.7"), (Fraction(5), "5.0"), (0, "0.0")],
)
def test_format_mean_rounds_half_up(value: Fraction, text: str) -> None:
    assert format_mean(Fraction(value)) == text


def test_join_words() -> None:
    assert join_words([]) == ""
    assert join_words(["A"]) == "A"
    assert join_words(["A", "B", "C"]) == "A, B and C"
    assert join_words(["A", "B"], "or") == "A or B"


def test_option_text_is_kept_verbatim() -> None:
    pub = disclose(from_counts({ST: [3, 0]}), Rung.FULL)
    summary = results_summary(pub, ["<b>Yes</b> & 👍", "No"], PollKind.SINGLE)
    assert "On equal weight: <b>Yes</b> & 👍." in summary  # the view layer escapes, not this one
