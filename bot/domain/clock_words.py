"""Times of day as people type them: "10:30", "2pm", "at 10", "half 2", "quarter to 7", "noon".

Pure: no telegram, no database. dateparser reads days well ("next Tuesday", "3/12") but not
bare hours: it takes "at 10" for the 10th of the month, "tomorrow at 10" as tomorrow at the
current clock time, and knows nothing of "half 2" (British for half past two). So the time of
day is found here first, with a small grammar, and the rest of the text is left to dateparser
as the day (bot/domain/when.py).

A bare hour has two readings, morning and evening. Only hours a group could meet at count
(`PLAUSIBLE`, 07:00 to 22:59): "half 2" is 14:30 (02:30 is not a meeting time), "11" is 11:00
(23:00 is not), and "10" is either, so the person is asked. A 24-hour clock ("14", "09",
"10:30"), am or pm, or "morning" / "evening" / "tonight" leave nothing to ask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

# The hours at which a meeting or a deadline is plausible, for choosing a bare hour's reading.
PLAUSIBLE = range(7, 23)

_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_NUM = r"(\d{1,2}|" + "|".join(_WORDS) + r")"
_MERIDIEM = r"(a\.?m\.?|p\.?m\.?)"

# In order of precedence: the first that matches is the time of day.
_CLOCK = re.compile(rf"(?<![\d./:-])(\d{{1,2}}):(\d{{2}})(?![\d:])(?:\s*{_MERIDIEM}(?!\w))?")
_DOTTED = re.compile(rf"(?<![\d./:-])(\d{{1,2}})\.(\d{{2}})(?![\d./-])(?:\s*{_MERIDIEM}(?!\w))?")
_WITH_MERIDIEM = re.compile(rf"(?<![\d./:-])(\d{{1,2}})\s*{_MERIDIEM}(?!\w)")
_HALF = re.compile(rf"\bhalf\s+(?:past\s+)?{_NUM}(?!\w)")
_QUARTER = re.compile(rf"\bquarter\s+(past|after|to)\s+{_NUM}(?!\w)")
_OCLOCK = re.compile(rf"\b{_NUM}\s*o'?\s?clock\b")
_NOON = re.compile(r"\b(noon|midday|mid-day)\b")
# "at 10", and the same in Polish ("o 10", "o godz. 10", "godz. 10") and Arabic ("الساعة 10").
_AT_WORDS = r"\bat|@|\bo(?:\s+godz(?:inie|\.)?)?|\bgodz(?:ina|inie|\.)?|الساع[ةه]"
_AT = re.compile(rf"(?:{_AT_WORDS})\s*{_NUM}(?![\w:./-])")
# A number alone at the end, after a day word: "tomorrow 10", "next Tuesday 10".
_DAY_WORD = (
    r"(today|tomorrow|tonight|mon|monday|tue|tues|tuesday|wed|weds|wednesday|thu|thur|thurs|"
    r"thursday|fri|friday|sat|saturday|sun|sunday|jutro|dziś|dzisiaj|pojutrze|غدا|اليوم)"
)
_AFTER_DAY = re.compile(rf"\b{_DAY_WORD}\s+{_NUM}$")
_ALONE = re.compile(rf"^{_NUM}$")

# Which half of the day, in English, Polish and Arabic (Arabic after its short vowels are
# dropped: see bot/domain/when.py).
_MORNING = re.compile(r"\b(in the morning|morning|rano|z rana|rankiem|صباحا|صباح|الصبح)\b")
_EVENING = re.compile(
    r"\b(in the afternoon|afternoon|in the evening|evening|tonight|at night|wieczorem|"
    r"po południu|w nocy|مساءا|مساء|بعد الظهر|ليلا)\b"
)
# Phrases that only say which half of the day: not part of the day for dateparser.
_HALF_OF_DAY = re.compile(
    r"\b(in the (morning|afternoon|evening)|at night|rano|z rana|rankiem|wieczorem|"
    r"po południu|w nocy|صباحا|صباح|الصبح|مساءا|مساء|بعد الظهر|ليلا)\b"
)
# Words around a time that are not the day: "at", and Polish "o", "godz.", Arabic "الساعة".
_FILLERS = {"at", "@", "on", "by", "from", "-", "o", "godz.", "godz", "godzinie"} | {
    "الساعة",
    "الساعه",
}


class ClockError(ValueError):
    """A time of day that cannot be: "25:00", "13pm", "half 14"."""


@dataclass(frozen=True, slots=True)
class TypedTime:
    """A time of day found in typed text.

    `readings` is one time when the text says which (a 24-hour clock, am/pm, "evening"), or
    the morning and the evening reading of a bare hour, plausible or not (`plausible`).
    `start`/`end` locate it in the text, to leave the day for dateparser and to suggest the
    same words with am or pm.
    """

    readings: tuple[time, ...]
    start: int
    end: int
    spoken: str  # "10", "7:30": how to name it when asking which one

    @property
    def plausible(self) -> tuple[time, ...]:
        """The readings a group could mean; the first reading when none is (a typed 03:00)."""
        if len(self.readings) == 1:
            return self.readings
        kept = tuple(t for t in self.readings if t.hour in PLAUSIBLE)
        return kept or self.readings[:1]


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _WORDS[word]


def _twelve_hour(hour: int, minute: int, meridiem: str | None) -> time:
    if not 1 <= hour <= 12:
        raise ClockError("am and pm go with hours 1 to 12")
    base = hour % 12
    return time(base + 12 if meridiem and meridiem.startswith("p") else base, minute)


def _bare(hour: int, minute: int, *, leading_zero: bool = False) -> tuple[time, ...]:
    """A clock hour without am or pm: 24-hour past 12 or with a leading zero, else both."""
    if not 0 <= hour <= 23 or not 0 <= minute <= 59:
        raise ClockError("no such time of day")
    if hour == 0 or hour > 12 or leading_zero:
        return (time(hour, minute),)
    return (time(hour % 12, minute), time(hour % 12 + 12, minute))


def _found(text: str) -> tuple[tuple[int, int], tuple[time, ...], str] | None:
    """Where the time of day is in `text` (lowercase), its readings and how to say it back."""
    if match := _CLOCK.search(text) or _DOTTED.search(text):
        hour, minute, meridiem = int(match.group(1)), int(match.group(2)), match.group(3)
        if minute > 59:
            raise ClockError("no such minute")
        if meridiem:
            return match.span(), (_twelve_hour(hour, minute, meridiem),), ""
        if hour > 23:
            raise ClockError("no such hour")
        # Written as a clock, it is read as one: "04:00" is four in the morning.
        return match.span(), (time(hour, minute),), ""
    if match := _WITH_MERIDIEM.search(text):
        return match.span(), (_twelve_hour(int(match.group(1)), 0, match.group(2)),), ""
    if match := _HALF.search(text):
        hour = _number(match.group(1))
        return match.span(), _twelve_readings(hour, 30), f"{hour}:30"
    if match := _QUARTER.search(text):
        hour = _number(match.group(2))
        if match.group(1) != "to":
            return match.span(), _twelve_readings(hour, 15), f"{hour}:15"
        if not 1 <= hour <= 12:
            raise ClockError("quarter to goes with hours 1 to 12")
        before = 12 if hour == 1 else hour - 1
        return match.span(), _twelve_readings(before, 45), f"{before}:45"
    if match := _OCLOCK.search(text):
        hour = _number(match.group(1))
        return match.span(), _twelve_readings(hour, 0), str(hour)
    if match := _NOON.search(text):
        return match.span(), (time(12, 0),), ""
    # The hour alone: only its number is the time ("at" is left for the day's filler words).
    if match := _AT.search(text) or _ALONE.search(text) or _AFTER_DAY.search(text):
        group = match.lastindex or 1
        word = match.group(group)
        hour = _number(word)
        return match.span(group), _bare(hour, 0, leading_zero=word.startswith("0")), str(hour)
    return None


def _twelve_readings(hour: int, minute: int) -> tuple[time, ...]:
    if not 1 <= hour <= 12:
        raise ClockError("hours in words go from 1 to 12")
    return (time(hour % 12, minute), time(hour % 12 + 12, minute))


def find_time(text: str) -> TypedTime | None:
    """The time of day typed in `text` (lowercase, single spaces), or None if there is none.

    Raises ClockError for one that cannot be ("25:00", "13pm").
    """
    found = _found(text)
    if found is None:
        return None
    (start, end), readings, spoken = found
    if len(readings) == 2:
        # "Tonight", "in the evening" or "morning" elsewhere in the text says which half.
        if _EVENING.search(text):
            readings = readings[1:]
        elif _MORNING.search(text):
            readings = readings[:1]
    return TypedTime(readings, start, end, spoken)


def day_words(text: str, typed: TypedTime) -> str:
    """What is left for the day once the time of day is taken out: "tomorrow at 10" ->
    "tomorrow". Filler words at the edges and phrases naming half the day go too."""
    rest = f"{text[: typed.start]} {text[typed.end :]}"
    rest = _HALF_OF_DAY.sub(" ", rest)
    words = rest.replace(",", " ").split()
    while words and words[-1] in _FILLERS:
        words.pop()
    while words and words[0] in _FILLERS:
        words.pop(0)
    return " ".join(words)


def with_meridiem(text: str, typed: TypedTime, reading: time) -> str:
    """The text as typed, the time written unambiguously: "tomorrow at 10" -> "tomorrow at
    10pm", so a person asked which one can type it straight back."""
    hour = reading.hour % 12 or 12
    clock = f"{hour}" if reading.minute == 0 else f"{hour}:{reading.minute:02d}"
    suffix = "pm" if reading.hour >= 12 else "am"
    return f"{text[: typed.start]}{clock}{suffix}{text[typed.end :]}"
