"""Give large freed blocks back to the operating system, and keep the collector off the
objects that live as long as the process.

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
import gc
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


def freeze_startup_objects() -> int:
    """After start-up: collect once, then move every object alive now (imported modules,
    SQLAlchemy's and PTB's classes, the catalogues, the look-alike tables: about 180,000) to
    the collector's permanent generation, so its full collections stop walking them. A press
    allocates enough that the collector runs every few presses; with them walked, a press
    waited on it (sequential votes on PostgreSQL: p99 5.0-5.6 ms before, 4.2-4.8 after,
    docs/PERFORMANCE.md). Only for a process that runs one bot (`equalsay run`): objects
    frozen here are never collected as cycles until `thaw`. Returns how many were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def thaw() -> None:
    """At shutdown: hand the frozen objects back to the collector."""
    gc.unfreeze()
