"""Sealed chat ids: readable with the deployment's secret, opaque and tamper-evident without."""

from __future__ import annotations

import base64
import time

from hypothesis import given
from hypothesis import strategies as st

from bot.sealing import seal_chat, unseal_chat


@given(st.integers(min_value=1, max_value=2**52))
def test_round_trip_and_nothing_readable_without_the_secret(chat_id: int) -> None:
    sealed = seal_chat(b"secret", chat_id)
    assert unseal_chat(b"secret", sealed) == chat_id
    assert unseal_chat(b"another secret", sealed) is None


def test_the_same_id_seals_differently_each_time() -> None:
    # Otherwise equal tokens would link one person's requests across meetings.
    assert seal_chat(b"secret", 42) != seal_chat(b"secret", 42)


def test_a_tampered_token_is_refused() -> None:
    sealed = seal_chat(b"secret", 42)
    middle = len(sealed) // 2
    flipped = "B" if sealed[middle] == "A" else "A"
    assert unseal_chat(b"secret", sealed[:middle] + flipped + sealed[middle + 1 :]) is None


def test_a_sealed_id_does_not_say_when_it_was_sealed() -> None:
    """Fernet keeps its token's creation time in clear (bytes 1-8, big-endian seconds)."""
    sealed = seal_chat(b"secret", 123456789)
    raw = base64.urlsafe_b64decode(sealed.encode())
    assert raw[0] == 0x80  # a Fernet token
    stamped = int.from_bytes(raw[1:9], "big")
    assert abs(stamped - time.time()) > 365 * 24 * 3600, "the token holds a real time"
    assert unseal_chat(b"secret", sealed) == 123456789
