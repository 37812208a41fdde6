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


def seal_chat(secret: bytes, chat_id: int) -> str:
    return _fernet(secret).encrypt(str(chat_id).encode()).decode()


def unseal_chat(secret: bytes, sealed: str) -> int | None:
    """The chat id, or None for a token sealed under another secret or tampered with."""
    try:
        return int(_fernet(secret).decrypt(sealed.encode()))
    except (InvalidToken, ValueError):
        return None
