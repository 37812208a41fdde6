"""Words and numbers shared by the poll views: percentages, who voted, times, fitting to size.

Everything here is plain text except `bold_lines`; callers escape and lay it out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from fractions import Fraction
from html import escape
from math import floor
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.disclosure import Publication
from bot.domain.results_text import join_words
from bot.domain.roles import ROLES, Role
from bot.views.limits import MESSAGE_LIMIT, shorten, utf16_length

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

SCALE_MEANING = "1 = lowest, 5 = highest"

# How far long user texts are cut when a message would not fit: (question, option) limits in
# UTF-16 units, tried in order. Escaping can make text up to five times longer ("&" -> "&amp;"),
# so the last level fits even 10 options made of nothing but ampersands.
FIT_LEVELS: tuple[tuple[int, int], ...] = ((300, 100), (200, 60), (120, 40), (80, 24), (40, 12))


def percent(value: Fraction) -> str:
    """'72%', rounding half up on the exact value; never '0%' or '100%' unless it is exactly so."""
    rounded = floor(value * 100 + Fraction(1, 2))
    if value > 0 and rounded == 0:
        return "<1%"
    if value < 1 and rounded == 100:
        return ">99%"
    return f"{rounded}%"


def percent_number(value: Fraction) -> str:
    """One decimal, no sign, for spreadsheets: '72.2'."""
    tenths = floor(value * 1000 + Fraction(1, 2))
    return f"{tenths // 10}.{tenths % 10}"


def raw_shares(pub: Publication) -> tuple[Fraction, ...] | None:
    """Share of voters who chose each option, from published figures only (raw and n_r)."""
    if pub.raw is None or pub.total_voters == 0:
        return None
    return tuple(Fraction(count, pub.total_voters) for count in pub.raw)


def votes_word(count: int) -> str:
    return "1 vote" if count == 1 else f"{count} votes"


def people_word(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def role_count(role: Role, count: int) -> str:
    """'1 carer', '3 carers', '2 staff'."""
    return f"{count} {role.label if count == 1 else role.plural}"


def participation_sentence(
    counts: Mapping[Role, int], *, closed: bool, name_missing: bool = True
) -> str:
    """'12 people have voted: 3 service users, 2 carers and 7 staff.' Missing roles are named,
    so facilitators can see who still needs to be asked."""
    total = sum(counts.values())
    if total == 0:
        return "Nobody voted." if closed else "Nobody has voted yet."
    verb = "voted" if closed else ("has voted" if total == 1 else "have voted")
    present = [role_count(r, counts[r]) for r in ROLES if counts.get(r, 0) > 0]
    missing = [r.plural for r in ROLES if counts.get(r, 0) == 0]
    sentence = f"{people_word(total)} {verb}: {join_words(present)}"
    if missing and name_missing:
        sentence += f"; no {join_words(missing, 'or')}" + ("" if closed else " yet")
    return sentence + "."


def missing_roles_sentence(counts: Mapping[Role, int]) -> str | None:
    """'Nobody from carers has voted yet.' or None when every role has voted."""
    missing = [r.plural for r in ROLES if counts.get(r, 0) == 0]
    if not missing or sum(counts.values()) == 0:
        return None
    return f"Nobody from {join_words(missing, 'or')} has voted yet."


def zone(name: str) -> ZoneInfo:
    """The group's zone; a name that no longer resolves falls back to UTC instead of failing."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def zone_words(name: str) -> str:
    """'London time' for Europe/London, 'New York time'; other names as they are ('UTC')."""
    area, _, place = name.rpartition("/")
    if area and area != "Etc" and place:
        return f"{place.replace('_', ' ')} time"
    return name


def long_time(moment: datetime, timezone: str) -> str:
    """'Tuesday 1 December 2026 at 17:00 (London time)'. Names are our own, not the locale's."""
    local = moment.astimezone(zone(timezone))
    return (
        f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]} {local.year} "
        f"at {local:%H:%M} ({zone_words(timezone)})"
    )


def long_day(moment: datetime, timezone: str) -> str:
    """'Friday 4 December 2026', the day in the group's zone."""
    local = moment.astimezone(zone(timezone))
    return f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]} {local.year}"


def short_time(moment: datetime, timezone: str) -> str:
    """'Tue 1 Dec 17:00', for the 200-character button answers."""
    local = moment.astimezone(zone(timezone))
    return f"{_DAYS[local.weekday()][:3]} {local.day} {_MONTHS[local.month - 1][:3]} {local:%H:%M}"


def time_left(deadline: datetime, now: datetime) -> str:
    """'in about 3 hours', 'in about 20 minutes', 'in 2 days'; rough on purpose."""
    minutes = int((deadline - now).total_seconds() // 60)
    if minutes < 1:
        return "now"
    if minutes < 60:
        return f"in about {minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    if hours < 48:
        return f"in about {hours} hour{'s' if hours != 1 else ''}"
    return f"in {round(hours / 24)} days"


def short_options(options: Sequence[str], limit: int) -> tuple[str, ...]:
    return tuple(shorten(option, limit) for option in options)


def fit(render: Callable[[int, int], str], limit: int = MESSAGE_LIMIT) -> str:
    """The first rendering, from the fullest down, whose HTML fits in one message.

    Measuring the HTML source is conservative (Telegram counts the visible text), and a poll
    message is edited in place, so it must never need splitting.
    """
    text = ""
    for question_limit, option_limit in FIT_LEVELS:
        text = render(question_limit, option_limit)
        if utf16_length(text) <= limit:
            return text
    return text


def bold_lines(text: str) -> str:
    """Escaped text in bold, one <b> per line: a tag never spans a line (see limits.py)."""
    return "\n".join(f"<b>{escape(line)}</b>" if line else "" for line in text.split("\n"))
