"""Keyed hashes that stand in for people (DESIGN section 3, promise 2).

A copy of the database holds only these; without the deployment's secret they cannot be
turned back into Telegram ids. Each purpose and each group gets its own derivation, so the
same person's rows in two groups, or their role and their ballot, do not share a value.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date


def _digest(secret: bytes, *parts: object) -> str:
    message = ":".join(str(part) for part in parts).encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def member_key(secret: bytes, group_id: int, user_id: int) -> str:
    """Identifies one person's membership (and role) in one group."""
    return _digest(secret, "member", group_id, user_id)


def ballot_key(secret: bytes, poll_id: int, user_id: int) -> str:
    """Identifies one person's single ballot in one poll."""
    return _digest(secret, "ballot", poll_id, user_id)


def reason_key(secret: bytes, poll_id: int, user_id: int) -> str:
    """One person's one reason in one poll; unlike `ballot_key`, so the two do not join."""
    return _digest(secret, "reason", poll_id, user_id)


def daily_key(secret: bytes, day: date, purpose: str, group_id: int, user_id: int) -> str:
    """A counter key that changes every day, so old counters link to nobody once purged."""
    return _digest(secret, "daily", day.isoformat(), purpose, group_id, user_id)


def agenda_key(secret: bytes, occurrence_id: int, user_id: int, *, private: bool) -> str:
    """Counts one person's agenda items for one meeting date, those sent privately apart
    from those typed in the group (so a refusal in the group says nothing of private ones):
    its own label, so it matches no other key, and no item row carries it."""
    return _digest(secret, "agenda", "private" if private else "group", occurrence_id, user_id)


def involvement_key(secret: bytes, group_id: int, user_id: int) -> str:
    """Identifies one person's involvement record in one group: its own label, so it matches
    no membership, ballot, answer or reason key (nothing joins it to a role or a vote)."""
    return _digest(secret, "involvement", group_id, user_id)


def person_key(secret: bytes, user_id: int) -> str:
    """Identifies a person who has opened a chat with the bot (no role is ever beside it)."""
    return _digest(secret, "person", user_id)


def language_key(secret: bytes, user_id: int) -> str:
    """Identifies a person's language choice: its own purpose, so it matches no other row."""
    return _digest(secret, "language", user_id)


def key_fingerprint(secret: bytes) -> str:
    """Tells keys apart without giving them away: kept in the database, so a start with
    another key is refused instead of forgetting every role."""
    return _digest(secret, "which key set up this database")[:32]


MUTE_BITS = 62  # two 31-bit callback numbers


def mute_key(secret: bytes, group_id: int, user_id: int) -> int:
    """Stands for one sender of urgent items in one group while facilitators mute them.

    Never stored beside an item: the facilitators' Mute button carries it blinded by
    `mute_pad` (a different value on every item), so neither the database nor the buttons
    link two items to one sender.
    """
    return int(_digest(secret, "urgent mute", group_id, user_id), 16) >> (256 - MUTE_BITS)


def mute_pad(secret: bytes, feedback_id: int) -> int:
    """A one-time pad per item, XORed onto the sender's mute key in its Mute button."""
    return int(_digest(secret, "urgent mute pad", feedback_id), 16) >> (256 - MUTE_BITS)
