"""Signed join payloads for `https://t.me/<bot>?start=<payload>` (DESIGN section 2).

Telegram allows 64 characters of [A-Za-z0-9_-]. The payload names the group by its internal
id (stable across supergroup upgrades) and carries a truncated HMAC, so a payload cannot be
edited into another group's: changing the id breaks the signature. The signing is shared with
the other deep links in :mod:`bot.domain.start_payloads`, under its own purpose string.

A person who presses a vote before joining is sent a join link that also names the poll and
the option they pressed (`j<group>-<poll>-<option>_<sig>`, signed over all three under another
purpose), so the vote can be cast once they have chosen a role, without going back to press it
again. The role buttons that follow carry the same vote with a short tag bound to the person
(`vote_tag`): a button's data is not secret, and a tag made for one person, poll and option
does not verify for any other.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from bot.domain.start_payloads import MAX_PAYLOAD, base36, signature, signature_matches

__all__ = [
    "MAX_PAYLOAD",
    "PREFIX",
    "CarriedVote",
    "JoinTarget",
    "read_join",
    "sign_join",
    "sign_join_with_vote",
    "verify_join",
    "vote_tag",
    "vote_tag_matches",
]

PREFIX = "j"
_PURPOSE = "join"
_VOTE_PURPOSE = "joinvote"
_TAG_PURPOSE = b"joinvote-button"
_PAYLOAD = re.compile(r"^j([0-9a-z]{1,12})_([A-Za-z0-9_-]{12})$")
_VOTE_PAYLOAD = re.compile(
    r"^j([0-9a-z]{1,12})-([0-9a-z]{1,12})-([0-9a-z]{1,12})_([A-Za-z0-9_-]{12})$"
)
# Button data holds numbers below 2**31: the tag is 31 bits of an HMAC. Guessing one takes a
# billion presses through Telegram, and would only cast a vote the person could cast anyway.
_TAG_BITS = 31


@dataclass(frozen=True, slots=True)
class CarriedVote:
    """The vote a person pressed before they had joined: one option of one poll."""

    poll_id: int
    option: int


@dataclass(frozen=True, slots=True)
class JoinTarget:
    group_id: int
    vote: CarriedVote | None = None


def sign_join(secret: bytes, group_id: int) -> str:
    if group_id < 0:
        raise ValueError("group ids are positive")
    return f"{PREFIX}{base36(group_id)}_{signature(secret, _PURPOSE, group_id)}"


def sign_join_with_vote(secret: bytes, group_id: int, vote: CarriedVote) -> str:
    """A join link that also carries the vote pressed before joining."""
    if min(group_id, vote.poll_id, vote.option) < 0:
        raise ValueError("group, poll and option numbers are never negative")
    sig = signature(secret, _VOTE_PURPOSE, group_id, vote.poll_id, vote.option)
    return f"{PREFIX}{base36(group_id)}-{base36(vote.poll_id)}-{base36(vote.option)}_{sig}"


def read_join(secret: bytes, payload: str) -> JoinTarget | None:
    """The group (and carried vote) a payload was signed for; None if forged or malformed."""
    plain = _PAYLOAD.match(payload or "")
    if plain is not None:
        group_id = int(plain.group(1), 36)
        if not signature_matches(secret, plain.group(2), _PURPOSE, group_id):
            return None
        return JoinTarget(group_id)
    voting = _VOTE_PAYLOAD.match(payload or "")
    if voting is None:
        return None
    group_id, poll_id, option = (int(voting.group(i), 36) for i in (1, 2, 3))
    if not signature_matches(secret, voting.group(4), _VOTE_PURPOSE, group_id, poll_id, option):
        return None
    return JoinTarget(group_id, CarriedVote(poll_id, option))


def verify_join(secret: bytes, payload: str) -> int | None:
    """The group id a payload was signed for, or None for anything forged or malformed."""
    target = read_join(secret, payload)
    return None if target is None else target.group_id


def vote_tag(secret: bytes, group_id: int, vote: CarriedVote, user_id: int) -> int:
    """A 31-bit tag for a role button that carries `vote` for this person only."""
    message = f"{group_id}:{vote.poll_id}:{vote.option}:{user_id}".encode()
    mac = hmac.new(secret, _TAG_PURPOSE + b":" + message, hashlib.sha256).digest()
    return int.from_bytes(mac[:4], "big") >> (32 - _TAG_BITS)


def vote_tag_matches(
    secret: bytes, group_id: int, vote: CarriedVote, user_id: int, tag: int
) -> bool:
    if not 0 <= tag < 2**_TAG_BITS:
        return False
    expected = vote_tag(secret, group_id, vote, user_id)
    return hmac.compare_digest(expected.to_bytes(4, "big"), tag.to_bytes(4, "big"))
