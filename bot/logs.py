"""Logging set-up that keeps personal data out of the logs (DESIGN section 3, promise 3)."""

from __future__ import annotations

import logging

# These libraries log whole requests and updates at DEBUG (user ids beside button data,
# feedback text, the token inside URLs), so they never go below WARNING or INFO.
_NOISY = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "telegram": logging.INFO,
    "apscheduler": logging.WARNING,
    "tornado.access": logging.WARNING,
}


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )
    for name, floor in _NOISY.items():
        logging.getLogger(name).setLevel(max(floor, logging.getLevelName(level)))
