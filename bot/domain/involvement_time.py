"""Time and travel expenses as people type them for the involvement record: "120 minutes
£4.50", "2 hours, 3.20", "90 min". Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

EXAMPLE = "“120 minutes £4.50” or “2 hours”"
MAX_MINUTES = 24 * 60
MAX_PENCE = 100_000  # £1,000: more is a typo, and a claim that size goes through staff anyway
_MINUTES = re.compile(r"(\d+(?:[.,]\d+)?)\s*(hours?|hrs?|h|minutes?|mins?|m)\b", re.IGNORECASE)
_MONEY = re.compile(r"£\s*(\d+(?:\.\d{1,2})?)|(\d+\.\d{2})\b")


class TravelTimeError(ValueError):
    """Said to the person as is."""


@dataclass(frozen=True, slots=True)
class TimeAndTravel:
    minutes: int | None
    pence: int | None


def read_time_and_travel(text: str) -> TimeAndTravel:
    cleaned = " ".join(text.split())[:80]
    minutes = pence = None
    found = _MINUTES.search(cleaned)
    rest = cleaned
    if found:
        amount = float(found.group(1).replace(",", "."))
        minutes = round(amount * 60) if found.group(2).lower().startswith("h") else round(amount)
        rest = cleaned[: found.start()] + cleaned[found.end() :]
    money = _MONEY.search(rest)
    if money:
        pence = round(float(money.group(1) or money.group(2)) * 100)
    if minutes is None and pence is None:
        raise TravelTimeError(f"Please type the time and travel like {EXAMPLE}.")
    if minutes is not None and not 0 < minutes <= MAX_MINUTES:
        raise TravelTimeError("Please type a time between 1 minute and 24 hours.")
    if pence is not None and not 0 <= pence <= MAX_PENCE:
        raise TravelTimeError("Please type travel expenses up to £1,000.")
    return TimeAndTravel(minutes, pence)
