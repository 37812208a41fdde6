"""Sealing a chat id that must be kept for a later message (personal meeting reminders).

A copy of the database alone must not name a Telegram user next to what they did (DESIGN
section 3, promise 2). Where the bot must write to someone later, the chat id is kept sealed
(Fernet: authenticated encryption) under a key derived from SECRET_KEY, and found again
through their keyed hash, never by the id itself.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken


def _fernet(secret: bytes) -> Fernet:
    key = hashlib.sha256(b"equalsay:seal:" + secret).digest()
    return Fernet(base64.urlsafe_b64encode(key))


# A Fernet token carries the time it was made, in clear. The time a reminder was asked for is
# nobody's business, and a sealed id never expires, so every token says the same instant.
_NO_TIME = 0


def seal_chat(secret: bytes, chat_id: int) -> str:
    return _fernet(secret).encrypt_at_time(str(chat_id).encode(), _NO_TIME).decode()


def unseal_chat(secret: bytes, sealed: str) -> int | None:
    """The chat id, or None for a token sealed under another secret or tampered with."""
    try:
        return int(_fernet(secret).decrypt(sealed.encode()))
    except (InvalidToken, ValueError):
        return None
