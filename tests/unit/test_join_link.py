"""Join payloads: short, URL-safe, and impossible to edit into another group's."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.join_link import MAX_PAYLOAD, sign_join, verify_join

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
