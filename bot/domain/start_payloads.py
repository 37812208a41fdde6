"""Signed payloads for `https://t.me/<bot>?start=<payload>` deep links (DESIGN section 2).

Telegram allows 64 characters of [A-Za-z0-9_-]. Every payload carries numbers in base 36 and
a truncated HMAC over a purpose string and those numbers. The purpose is part of what is
signed, so a payload made for one purpose (joining a group) never verifies as another
(setting up a poll), even when the numbers are the same.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

MAX_PAYLOAD = 64
SIGNATURE_BYTES = 9  # 72 bits: far beyond guessing through a chat window
SIGNATURE_CHARS = 12  # 9 bytes in unpadded URL-safe base64

NEW_POLL_PREFIX = "p"
_NEW_POLL_PURPOSE = "newpoll"
# p<group>-<topic, 0 for none>_<signature>; base 36 is lowercase, so the separators are clear.
_NEW_POLL = re.compile(r"^p([0-9a-z]{1,12})-([0-9a-z]{1,12})_([A-Za-z0-9_-]{12})$")


def base36(number: int) -> str:
    if number < 0:
        raise ValueError("payload numbers are never negative")
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


def signature(secret: bytes, purpose: str, *numbers: int) -> str:
    """The truncated HMAC of "<purpose>:<n>:<n>...", URL-safe and unpadded."""
    message = ":".join([purpose, *(str(n) for n in numbers)])
    mac = hmac.new(secret, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:SIGNATURE_BYTES]).decode().rstrip("=")


def signature_matches(secret: bytes, given: str, purpose: str, *numbers: int) -> bool:
    return hmac.compare_digest(given, signature(secret, purpose, *numbers))


@dataclass(frozen=True, slots=True)
class NewPollTarget:
    """Where a poll set up in private will be posted: a group and, in forums, a topic."""

    group_id: int
    thread_id: int | None


def sign_new_poll(secret: bytes, group_id: int, thread_id: int | None) -> str:
    """The payload that opens the guided poll set-up for this group (and topic)."""
    if group_id < 0 or (thread_id is not None and thread_id <= 0):
        raise ValueError("group and topic ids are positive")
    topic = thread_id or 0
    sig = signature(secret, _NEW_POLL_PURPOSE, group_id, topic)
    return f"{NEW_POLL_PREFIX}{base36(group_id)}-{base36(topic)}_{sig}"


def is_new_poll_payload(payload: str) -> bool:
    """Whether the payload claims to be a poll set-up link (it may still be forged)."""
    return payload.startswith(NEW_POLL_PREFIX)


def verify_new_poll(secret: bytes, payload: str) -> NewPollTarget | None:
    """The group and topic a payload was signed for, or None if forged or malformed."""
    match = _NEW_POLL.match(payload or "")
    if match is None:
        return None
    group_id, topic = int(match.group(1), 36), int(match.group(2), 36)
    if not signature_matches(secret, match.group(3), _NEW_POLL_PURPOSE, group_id, topic):
        return None
    return NewPollTarget(group_id, topic or None)
