"""Join payloads: short, URL-safe, and impossible to edit into another group's."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.join_link import (
    MAX_PAYLOAD,
    CarriedVote,
    JoinTarget,
    read_join,
    sign_join,
    sign_join_with_vote,
    verify_join,
    vote_tag,
    vote_tag_matches,
)

SECRET = b"a-secret"


@given(st.integers(min_value=0, max_value=2**62))
def test_round_trip_fits_telegram(group_id: int) -> None:
    payload = sign_join(SECRET, group_id)
    assert len(payload) <= MAX_PAYLOAD
    assert re.fullmatch(r"[A-Za-z0-9_-]+", payload)
    assert verify_join(SECRET, payload) == group_id


def test_another_groups_id_with_this_signature_is_refused() -> None:
    mine, theirs = sign_join(SECRET, 7), sign_join(SECRET, 8)
    forged = mine.split("_")[0].replace("7", "8") + "_" + mine.split("_")[1]
    assert verify_join(SECRET, forged) is None
    assert verify_join(SECRET, theirs) == 8


@given(st.text(max_size=80))
def test_arbitrary_text_never_verifies(text: str) -> None:
    assert verify_join(SECRET, text) is None


def test_a_payload_from_another_deployment_is_refused() -> None:
    assert verify_join(b"other-secret", sign_join(SECRET, 5)) is None


@given(
    st.integers(min_value=0, max_value=2**62),
    st.integers(min_value=0, max_value=2**62),
    st.integers(min_value=0, max_value=2**62),
)
def test_a_carried_vote_round_trips_and_fits(group_id: int, poll_id: int, option: int) -> None:
    vote = CarriedVote(poll_id, option)
    payload = sign_join_with_vote(SECRET, group_id, vote)
    assert len(payload) <= MAX_PAYLOAD
    assert re.fullmatch(r"[A-Za-z0-9_-]+", payload)
    assert read_join(SECRET, payload) == JoinTarget(group_id, vote)
    assert verify_join(SECRET, payload) == group_id
    assert read_join(b"other-secret", payload) is None


def test_editing_the_carried_poll_or_option_breaks_the_signature() -> None:
    payload = sign_join_with_vote(SECRET, 7, CarriedVote(12, 1))
    head, sig = payload.split("_", 1)
    assert read_join(SECRET, head.replace("-c-", "-d-") + "_" + sig) is None
    assert read_join(SECRET, head[:-1] + "0_" + sig) is None
    # The plain join signature over the same group never stands in for a vote's.
    assert read_join(SECRET, head + "_" + sign_join(SECRET, 7).split("_")[1]) is None
    assert read_join(SECRET, "j7_" + sig) is None


def test_a_vote_tag_holds_for_one_person_poll_and_option() -> None:
    vote = CarriedVote(12, 1)
    tag = vote_tag(SECRET, 7, vote, 1001)
    assert 0 <= tag < 2**31
    assert vote_tag_matches(SECRET, 7, vote, 1001, tag)
    assert not vote_tag_matches(SECRET, 7, vote, 1002, tag)
    assert not vote_tag_matches(SECRET, 7, CarriedVote(12, 0), 1001, tag)
    assert not vote_tag_matches(SECRET, 8, vote, 1001, tag)
    assert not vote_tag_matches(SECRET, 7, vote, 1001, -1)
    assert not vote_tag_matches(b"other-secret", 7, vote, 1001, tag)
