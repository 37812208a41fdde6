"""Signed join payloads for `https://t.me/<bot>?start=<payload>` (DESIGN section 2).

Telegram allows 64 characters of [A-Za-z0-9_-]. The payload names the group by its internal
id (stable across supergroup upgrades) and carries a truncated HMAC, so a payload cannot be
edited into another group's: changing the id breaks the signature.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

PREFIX = "j"
_SIGNATURE_BYTES = 9  # 72 bits: far beyond guessing through a chat window
_PAYLOAD = re.compile(r"^j([0-9a-z]{1,12})_([A-Za-z0-9_-]{12})$")
MAX_PAYLOAD = 64


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


def _signature(secret: bytes, group_id: int) -> str:
    mac = hmac.new(secret, f"join:{group_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:_SIGNATURE_BYTES]).decode().rstrip("=")


def sign_join(secret: bytes, group_id: int) -> str:
    if group_id < 0:
        raise ValueError("group ids are positive")
    return f"{PREFIX}{_base36(group_id)}_{_signature(secret, group_id)}"


def verify_join(secret: bytes, payload: str) -> int | None:
    """The group id a payload was signed for, or None for anything forged or malformed."""
    match = _PAYLOAD.match(payload or "")
    if match is None:
        return None
    group_id = int(match.group(1), 36)
    if not hmac.compare_digest(match.group(2), _signature(secret, group_id)):
        return None
    return group_id
