"""Signed payloads for the group's "Give feedback anonymously" deep link.

The same signing as the join and poll links (bot.domain.start_payloads) under its own
purpose, so a join payload never verifies as a feedback one. The payload names only the
group: who follows it is never part of it.
"""

from __future__ import annotations

import re

from bot.domain.start_payloads import base36, signature, signature_matches

PREFIX = "f"
_PURPOSE = "feedback"
_PAYLOAD = re.compile(r"^f([0-9a-z]{1,12})_([A-Za-z0-9_-]{12})$")


def sign_feedback(secret: bytes, group_id: int) -> str:
    if group_id < 0:
        raise ValueError("group ids are positive")
    return f"{PREFIX}{base36(group_id)}_{signature(secret, _PURPOSE, group_id)}"


def is_feedback_payload(payload: str) -> bool:
    """Whether the payload claims to be a feedback link (it may still be forged)."""
    return payload.startswith(PREFIX)


def verify_feedback(secret: bytes, payload: str) -> int | None:
    """The group a payload was signed for, or None for anything forged or malformed."""
    match = _PAYLOAD.match(payload or "")
    if match is None:
        return None
    group_id = int(match.group(1), 36)
    if not signature_matches(secret, match.group(2), _PURPOSE, group_id):
        return None
    return group_id
