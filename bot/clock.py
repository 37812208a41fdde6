"""The one clock: every "now" the bot reads comes from here.

Tests move it with time_machine (which moves `datetime.now` itself), so nothing else in the
project should call `datetime.now` for a decision that a test may need to move.
"""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current moment, aware, in UTC."""
    return datetime.now(UTC)
