"""The signed deep-link payload that opens the guided meeting set-up in private.

Same signing as the poll set-up (start_payloads), under its own purpose string, so a join or
poll payload never verifies as a meeting one. `m<group>-<topic or 0>_<signature>`.
"""

from __future__ import annotations

import re

from bot.domain.start_payloads import NewPollTarget, base36, signature, signature_matches

PREFIX = "m"
_PURPOSE = "newmeeting"
_PAYLOAD = re.compile(r"^m([0-9a-z]{1,12})-([0-9a-z]{1,12})_([A-Za-z0-9_-]{12})$")

# A group and a topic: the same shape as a poll's target.
MeetingTarget = NewPollTarget


def sign_new_meeting(secret: bytes, group_id: int, thread_id: int | None) -> str:
    topic = thread_id or 0
    sig = signature(secret, _PURPOSE, group_id, topic)
    return f"{PREFIX}{base36(group_id)}-{base36(topic)}_{sig}"


def is_new_meeting_payload(payload: str) -> bool:
    return payload.startswith(PREFIX)


def verify_new_meeting(secret: bytes, payload: str) -> MeetingTarget | None:
    match = _PAYLOAD.match(payload or "")
    if match is None:
        return None
    group_id, topic = int(match.group(1), 36), int(match.group(2), 36)
    if not signature_matches(secret, match.group(3), _PURPOSE, group_id, topic):
        return None
    return MeetingTarget(group_id, topic or None)
