"""Equal Say: a Telegram bot where service users, carers and staff each count equally."""

import os

# Opt in to python-telegram-bot's coming behaviour (durations as timedelta). Without it, PTB
# warns from inside RetryAfter itself every time Telegram answers 429.
os.environ.setdefault("PTB_TIMEDELTA", "1")

__version__ = "0.1.0"
