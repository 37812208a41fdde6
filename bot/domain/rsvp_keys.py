"""The keyed hash that stands for a person's one RSVP to one meeting occurrence.

Like ballots (keyed_hash.ballot_key): unique per occurrence, so a second press changes the
same row, and without the deployment's secret it cannot be turned back into a Telegram id.
"""

from __future__ import annotations

import hashlib
import hmac


def rsvp_key(secret: bytes, occurrence_id: int, user_id: int) -> str:
    message = f"rsvp:{occurrence_id}:{user_id}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()
