"""Whether a SECRET_KEY is strong enough: at least 32 random bytes' worth (256 bits).

Every join link is an HMAC under the key, so any member holds a sample to test guesses
against offline: a short or patterned key would give every role and ballot away. Randomness
cannot be measured from one string, so this is an estimate that catches the keys people
actually type (short words, "changeme", the alphabet twice), not a proof: generate the key.
"""

from __future__ import annotations

import math
import string
import zlib

MIN_KEY_BITS = 256
GENERATE = 'python3 -c "import secrets; print(secrets.token_urlsafe(48))"'

_HEX = frozenset(string.hexdigits)
_BASE64 = frozenset(string.ascii_letters + string.digits + "+/-_")
# How many characters each class offers a guesser.
_CLASSES = (
    (frozenset(string.ascii_lowercase), 26),
    (frozenset(string.ascii_uppercase), 26),
    (frozenset(string.digits), 10),
    (frozenset(string.punctuation), 32),
)
_MIN_DISTINCT = 10  # fewer kinds of character than this is a pattern, not randomness
_MIN_COMPRESSED = 0.75  # random hex compresses to 0.86 at least; repeats go far lower


def estimated_bits(key: str) -> float:
    """Characters times the bits each can carry: 4 for hex, 6 for base64 (what the usual
    generators print), else by the classes of character used; 0 for a patterned key."""
    body = key.rstrip("=")  # base64 padding carries nothing
    if not body:
        return 0.0
    chars = set(body)
    if len(chars) < _MIN_DISTINCT:
        return 0.0
    data = body.encode()
    if len(zlib.compress(data, 9)) < _MIN_COMPRESSED * len(data):
        return 0.0
    if chars <= _HEX:
        per_char = 4.0
    elif chars <= _BASE64:
        per_char = 6.0
    else:
        pool = sum(size for members, size in _CLASSES if chars & members)
        pool += 100 if any(not ch.isascii() for ch in chars) else 0
        per_char = math.log2(max(pool, 2))
    return len(body) * per_char


def weak_key_reason(key: str) -> str | None:
    """None for a strong key, else why it is refused, in words for a deployer."""
    bits = estimated_bits(key)
    if bits >= MIN_KEY_BITS:
        return None
    return (
        f"it is too weak to keep people anonymous (about {int(bits)} bits; "
        f"at least {MIN_KEY_BITS}, 32 random bytes' worth). Make one with: {GENERATE}"
    )
