"""Give large freed blocks back to the operating system.

The disclosure audit (bot/domain/disclosure_audit.py) works on numpy arrays of tens of MB for
a second or two when a poll is posted or closed, then frees them. glibc's malloc serves blocks
over its mmap threshold with their own mappings, which go back to the system when freed, but
it raises that threshold to the size of each such block freed (up to 32 MB), so the next
audit's arrays come from the heap instead and stay resident after they are freed: a bot that
had audited one 30-member poll kept about 220 MB it no longer used (bench/memory.py, 400 MB
against 180 MB). Setting the threshold once turns that adjustment off.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

_M_MMAP_THRESHOLD = -3  # mallopt's parameter number, from glibc's malloc.h
MMAP_THRESHOLD = 256 * 1024  # blocks this large get their own mapping (glibc's start: 128 KB)


def return_large_blocks() -> bool:
    """Fix glibc's mmap threshold; False where the C library is not glibc (nothing changes)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl, macOS: no mallopt, and no such adjustment
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    done = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    if not done:
        log.warning("mallopt refused the mmap threshold; freed audit memory may stay resident")
    return done
