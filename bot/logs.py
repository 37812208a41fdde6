"""Logging set-up that keeps personal data out of the logs (DESIGN section 3, promise 3)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

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


# python-telegram-bot prints an update it cannot read whole (user ids, names, private text),
# at CRITICAL, from these two places; bot/unreadable_updates.py skips such updates in polling.
_UPDATE_DUMPS = (
    "Error while parsing updates!",  # telegram.Bot, polling
    "Something went wrong processing the data received from Telegram",  # webhook handler
)


class HideUpdateDumps(logging.Filter):
    """Rewrites the library's records that would print an unreadable update whole: the
    error's type stays, its text (which can quote a value) and the data go."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith(_UPDATE_DUMPS):
            error = record.exc_info[1] if record.exc_info else None
            record.msg = "An update from Telegram could not be read (%s); its data is not logged."
            record.args = (type(error).__name__ if error else "no details",)
            record.exc_info = None
            record.exc_text = None
        return True


class HideSecrets(logging.Filter):
    """Replaces the given secrets (the bot token) wherever a record would print them: the
    library names the token in some of its errors, and URLs hold it."""

    def __init__(self, secrets: Sequence[str]) -> None:
        super().__init__()
        self._secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        hidden = text
        for secret in self._secrets:
            hidden = hidden.replace(secret, "<hidden>")
            if record.exc_text:
                record.exc_text = record.exc_text.replace(secret, "<hidden>")
        if hidden != text:
            record.msg, record.args = hidden, ()
        return True


def hold_back_library_logs(level: str) -> None:
    """Raise the libraries' loggers to their floors (or to `level` if that is higher)."""
    wanted = logging.getLevelName(level)
    for name, floor in _FLOORS.items():
        logging.getLogger(name).setLevel(max(floor, wanted))


def configure_logging(level: str, *, hide: Sequence[str] = ()) -> None:
    """`hide`: secrets no log line may print (the bot token)."""
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )
    for handler in logging.getLogger().handlers:  # where every library's records end up
        handler.addFilter(HideUpdateDumps())
        handler.addFilter(HideSecrets(hide))
    hold_back_library_logs(level)
