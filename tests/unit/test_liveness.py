"""`equalsay health` reads the heartbeat the serving bot keeps fresh (14.12)."""

from __future__ import annotations

import os
from pathlib import Path

from bot.liveness import STALE_SECONDS, beat_now, health


def test_fresh_stale_and_missing_heartbeats(tmp_path: Path) -> None:
    path = tmp_path / "alive"
    assert health(path) == (False, f"not running: there is no heartbeat at {path}.")
    beat_now(path, "webhook")
    assert health(path)[0]
    mtime = path.stat().st_mtime
    assert health(path, now=mtime + STALE_SECONDS)[0]
    alive, line = health(path, now=mtime + STALE_SECONDS + 1)
    assert not alive and "not answering" in line
    os.utime(path, (mtime - 3600, mtime - 3600))
    assert not health(path)[0]
