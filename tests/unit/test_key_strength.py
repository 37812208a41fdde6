"""SECRET_KEY must be 32 random bytes' worth; what people type instead is refused (13.6)."""

from __future__ import annotations

import base64
import logging
import os
import secrets
import sys

import pytest

from bot.domain.key_strength import MIN_KEY_BITS, estimated_bits, weak_key_reason
from bot.logs import HideSecrets


@pytest.mark.parametrize(
    "make",
    [
        lambda: secrets.token_hex(32),
        lambda: secrets.token_urlsafe(32),
        lambda: secrets.token_urlsafe(48),
        lambda: base64.b64encode(os.urandom(32)).decode(),  # openssl rand -base64 32
    ],
)
def test_what_the_usual_generators_print_is_strong(make: object) -> None:
    for _ in range(2000):  # the estimate must not refuse an unlucky draw
        key = make()  # type: ignore[operator]
        assert weak_key_reason(key) is None, key


@pytest.mark.parametrize(
    "key",
    [
        "",
        "x",
        "changeme",
        "test-secret-key-not-for-production",
        "correct horse battery staple",
        "abcdefghijklmnopqrstuvwxyz0123456789" * 2,  # long, but a pattern
        "0123456789abcdef" * 4,  # hex-shaped, but a pattern
        "A" * 200,
        pytest.param(secrets.token_hex(16), id="random-128-bits"),  # random, but only 128 bits
    ],
)
def test_typed_and_short_keys_are_weak(key: str) -> None:
    assert estimated_bits(key) < MIN_KEY_BITS
    reason = weak_key_reason(key)
    assert reason is not None and "token_urlsafe(48)" in reason


def test_the_token_never_reaches_a_log_line(caplog: pytest.LogCaptureFixture) -> None:
    token = "123456:AAE-very-secret"
    record = logging.LogRecord("telegram", logging.ERROR, __file__, 1, "token %s", (token,), None)
    try:
        raise ValueError(f"The token `{token}` was rejected")
    except ValueError:
        record.exc_info = sys.exc_info()
    assert HideSecrets([token]).filter(record)
    text = logging.Formatter().format(record)
    assert token not in text and "<hidden>" in text
