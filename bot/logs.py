"""Logging set-up that keeps personal data out of the logs (DESIGN section 3, promise 3)."""

from __future__ import annotations

import logging

# These libraries log whole requests, updates and SQL parameters at DEBUG (user ids beside
# button data, feedback text, the token inside URLs), so they never go below these levels,
# whatever LOG_LEVEL says.
_FLOORS = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "telegram": logging.INFO,
    "apscheduler": logging.WARNING,
    "tornado.access": logging.WARNING,
    "aiosqlite": logging.WARNING,
    "sqlalchemy": logging.WARNING,
    "asyncpg": logging.WARNING,
}


def hold_back_library_logs(level: str) -> None:
    """Raise the libraries' loggers to their floors (or to `level` if that is higher)."""
    wanted = logging.getLevelName(level)
    for name, floor in _FLOORS.items():
        logging.getLogger(name).setLevel(max(floor, wanted))


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )
    hold_back_library_logs(level)
