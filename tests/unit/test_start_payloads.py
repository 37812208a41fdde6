"""Poll set-up payloads: short, URL-safe, and never interchangeable with join payloads."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.join_link import sign_join, verify_join
from bot.domain.start_payloads import (
    MAX_PAYLOAD,
    NewPollTarget,
    is_new_poll_payload,
    sign_new_poll,
    verify_new_poll,
)

SECRET = b"a-secret"
SIGNATURE_LENGTH = 12  # 9 bytes in URL-safe base64
ids = st.integers(min_value=1, max_value=2**62)


@given(ids, st.none() | ids)
def test_round_trip_fits_telegram(group_id: int, thread_id: int | None) -> None:
    payload = sign_new_poll(SECRET, group_id, thread_id)
    assert len(payload) <= MAX_PAYLOAD
    assert re.fullmatch(r"[A-Za-z0-9_-]+", payload)
    assert is_new_poll_payload(payload)
    assert verify_new_poll(SECRET, payload) == NewPollTarget(group_id, thread_id)


@given(ids)
def test_purposes_never_cross(group_id: int) -> None:
    join = sign_join(SECRET, group_id)
    poll = sign_new_poll(SECRET, group_id, None)
    assert verify_new_poll(SECRET, join) is None
    assert verify_join(SECRET, poll) is None
    # Same numbers, same signature position: the purpose string still tells them apart.
    assert poll[-SIGNATURE_LENGTH:] != join[-SIGNATURE_LENGTH:]
    assert verify_new_poll(SECRET, "p" + join[1:]) is None


def test_editing_the_group_or_topic_breaks_the_signature() -> None:
    payload = sign_new_poll(SECRET, 7, 12)
    head, sig = payload.split("_", 1)
    assert verify_new_poll(SECRET, head.replace("p7", "p8") + "_" + sig) is None
    assert verify_new_poll(SECRET, "p7-0_" + sig) is None
    assert verify_new_poll(b"other-secret", payload) is None


@given(st.text(max_size=80))
def test_arbitrary_text_never_verifies(text: str) -> None:
    assert verify_new_poll(SECRET, text) is None
