"""Signed join payloads for `https://t.me/<bot>?start=<payload>` (DESIGN section 2).

Telegram allows 64 characters of [A-Za-z0-9_-]. The payload names the group by its internal
id (stable across supergroup upgrades) and carries a truncated HMAC, so a payload cannot be
edited into another group's: changing the id breaks the signature. The signing is shared with
the other deep links in :mod:`bot.domain.start_payloads`, under its own purpose string.
"""

from __future__ import annotations

import re

from bot.domain.start_payloads import MAX_PAYLOAD, base36, signature, signature_matches

__all__ = ["MAX_PAYLOAD", "PREFIX", "sign_join", "verify_join"]

PREFIX = "j"
_PURPOSE = "join"
_PAYLOAD = re.compile(r"^j([0-9a-z]{1,12})_([A-Za-z0-9_-]{12})$")


def sign_join(secret: bytes, group_id: int) -> str:
    if group_id < 0:
        raise ValueError("group ids are positive")
    return f"{PREFIX}{base36(group_id)}_{signature(secret, _PURPOSE, group_id)}"


def verify_join(secret: bytes, payload: str) -> int | None:
    """The group id a payload was signed for, or None for anything forged or malformed."""
    match = _PAYLOAD.match(payload or "")
    if match is None:
        return None
    group_id = int(match.group(1), 36)
    if not signature_matches(secret, match.group(2), _PURPOSE, group_id):
        return None
    return group_id
