"""Liveness for `equalsay health` (Docker's HEALTHCHECK), in polling and webhook mode alike.

While the bot serves, a JobQueue job touches a small file every BEAT_SECONDS, but only while
the application and its updater (the polling loop, or the webhook server) are running; the
file goes at a clean stop. `equalsay health` passes while the file is fresh. A job that still
runs proves the event loop is not stuck; no port is needed, so polling mode can be probed too.
The file holds the mode only: nothing about anyone.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # `equalsay health` runs often: it must not load the Telegram library
    from telegram.ext import Application, ContextTypes

BEAT_SECONDS = 15
STALE_SECONDS = 60  # four beats missed: the process is stuck or gone


def beat_now(path: Path, mode: str) -> None:
    path.write_text(f"{mode}\n", encoding="utf-8")


def start_beating(app: Application[Any, Any, Any, Any, Any, Any], path: Path, mode: str) -> None:
    """Touch `path` every BEAT_SECONDS while `app` serves (the first beat right away)."""

    async def beat(context: ContextTypes.DEFAULT_TYPE) -> None:
        application = context.application
        updater = application.updater
        if application.running and updater is not None and updater.running:
            beat_now(path, mode)

    assert app.job_queue is not None  # the job-queue extra is a dependency
    app.job_queue.run_repeating(beat, interval=BEAT_SECONDS, first=0.5, name="liveness")


def stop_beating(path: Path) -> None:
    path.unlink(missing_ok=True)


def health(path: Path, *, now: float | None = None) -> tuple[bool, str]:
    """Whether the bot is alive, and a line saying so."""
    try:
        age = (time.time() if now is None else now) - path.stat().st_mtime
    except FileNotFoundError:
        return False, f"not running: there is no heartbeat at {path}."
    if age > STALE_SECONDS:
        return False, f"not answering: the last heartbeat was {int(age)} seconds ago ({path})."
    return True, f"alive: last heartbeat {max(int(age), 0)} seconds ago."
