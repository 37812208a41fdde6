"""Words and numbers shared by the poll views: percentages, who voted, times, fitting to size.

Everything here is plain text except `bold_lines`; callers escape and lay it out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from html import escape
from math import floor
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_datetime
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

from bot.domain.disclosure import Publication
from bot.domain.poll_rules import PROPOSAL_OPTIONS, PollKind
from bot.domain.results_text import join_words
from bot.domain.roles import ROLES, Role
from bot.i18n import DEFAULT_LANGUAGE, N_, _, current_language, ngettext
from bot.views import role_words as words
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
# A proposal's fixed options are stored in English (bot/domain/poll_rules.py): each reader
# sees them in their language, on the buttons and in every sentence that names them.
_PROPOSAL_WORDS = (N_("Agree"), N_("Unsure"), N_("Disagree"), N_("Block"))

SCALE_MEANING = N_("1 = lowest, 5 = highest")

# How far long user texts are cut when a message would not fit: (question, option) limits in
# UTF-16 units, tried in order. Escaping can make text up to five times longer ("&" -> "&amp;"),
# so the last level fits even 10 options made of nothing but ampersands.
FIT_LEVELS: tuple[tuple[int, int], ...] = ((300, 100), (200, 60), (120, 40), (80, 24), (40, 12))


def english() -> bool:
    return current_language() == DEFAULT_LANGUAGE


def word_list(items: Sequence[str], conjunction: str = "and") -> str:
    """'A, B and C' (or 'A, B or C') in the reader's language: 'A, B i C', 'A وB وC'."""
    if english() or len(items) <= 1:
        return join_words(items, conjunction)
    if conjunction == "or":
        return format_list(list(items), style="or", locale=current_language())
    return format_list(list(items), locale=current_language())


def separated(parts: Sequence[str], *, strong: bool = False) -> str:
    """Parts of one sentence, 'a, b' (or 'a; b' with `strong`), with the reader's own marks
    (Arabic writes '،' and '؛')."""
    return (_("; ") if strong else _(", ")).join(parts)


def option_names(kind: PollKind | None, options: Sequence[str]) -> tuple[str, ...]:
    """The options as the reader sees them: a proposal's fixed ones in their language."""
    if kind is not PollKind.PROPOSAL:
        return tuple(options)
    return tuple(_(option) if option in PROPOSAL_OPTIONS else option for option in options)


def percent(value: Fraction) -> str:
    """'72%', rounding half up on the exact value; never '0%' or '100%' unless it is exactly so."""
    rounded = floor(value * 100 + Fraction(1, 2))
    if value > 0 and rounded == 0:
        return "<" + _percent_sign(1)
    if value < 1 and rounded == 100:
        return ">" + _percent_sign(99)
    return _percent_sign(rounded)


def _percent_sign(whole: int) -> str:
    """'72%' as the reader writes it (Babel: the locale's sign and spacing)."""
    if english():
        return f"{whole}%"
    return format_percent(Decimal(whole) / 100, locale=current_language())


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
    return ngettext("{count} vote", "{count} votes", count).format(count=count)


def people_word(count: int) -> str:
    return ngettext("{count} person", "{count} people", count).format(count=count)


def role_count(role: Role, count: int) -> str:
    """'1 carer', '3 carers', '2 staff'."""
    if english():
        return f"{count} {role.label if count == 1 else role.plural}"
    # Counted nouns take the language's plural forms: "2 opiekunów", "5 opiekunów".
    forms = {
        Role.SERVICE_USER: ngettext("{count} service user", "{count} service users", count),
        Role.CARER: ngettext("{count} carer", "{count} carers", count),
        Role.STAFF: ngettext("{count} member of staff", "{count} members of staff", count),
    }
    return forms[role].format(count=count)


def participation_sentence(
    counts: Mapping[Role, int], *, closed: bool, name_missing: bool = True
) -> str:
    """'12 people have voted: 3 service users, 2 carers and 7 staff.' Missing roles are named,
    so facilitators can see who still needs to be asked."""
    total = sum(counts.values())
    if total == 0:
        return _("Nobody voted.") if closed else _("Nobody has voted yet.")
    present = word_list([role_count(r, counts[r]) for r in ROLES if counts.get(r, 0) > 0])
    missing = [words.plural(r) for r in ROLES if counts.get(r, 0) == 0]
    if closed:
        sentence = ngettext("{count} person voted: {roles}", "{count} people voted: {roles}", total)
    else:
        sentence = ngettext(
            "{count} person has voted: {roles}", "{count} people have voted: {roles}", total
        )
    text = sentence.format(count=total, roles=present)
    if missing and name_missing:
        nobody = _("; no {roles}") if closed else _("; no {roles} yet")
        text += nobody.format(roles=word_list(missing, "or"))
    return text + "."


def missing_roles_sentence(counts: Mapping[Role, int]) -> str | None:
    """'Nobody from carers has voted yet.' or None when every role has voted."""
    missing = [words.plural(r) for r in ROLES if counts.get(r, 0) == 0]
    if not missing or sum(counts.values()) == 0:
        return None
    return _("Nobody from {roles} has voted yet.").format(roles=word_list(missing, "or"))


def zone(name: str) -> ZoneInfo:
    """The group's zone; a name that no longer resolves falls back to UTC instead of failing."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def zone_words(name: str) -> str:
    """'London time' for Europe/London, 'New York time'; other names as they are ('UTC')."""
    area, _sep, place = name.rpartition("/")
    if area and area != "Etc" and place:
        return _("{place} time").format(place=place.replace("_", " "))
    return name


def long_time(moment: datetime, timezone: str) -> str:
    """'Tuesday 1 December 2026 at 17:00 (London time)'. English names are our own; other
    languages take Babel's ('wtorek 1 grudnia 2026 o 17:00')."""
    local = moment.astimezone(zone(timezone))
    return _("{day} at {clock} ({zone})").format(
        day=long_day(moment, timezone), clock=f"{local:%H:%M}", zone=zone_words(timezone)
    )


def long_day(moment: datetime, timezone: str) -> str:
    """'Friday 4 December 2026', the day in the group's zone."""
    local = moment.astimezone(zone(timezone))
    if not english():
        return format_date(local, "EEEE d MMMM y", locale=current_language())
    return f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]} {local.year}"


def short_time(moment: datetime, timezone: str) -> str:
    """'Tue 1 Dec 17:00', for the 200-character button answers."""
    local = moment.astimezone(zone(timezone))
    if not english():
        return format_datetime(local, "EEE d MMM HH:mm", locale=current_language())
    return f"{_DAYS[local.weekday()][:3]} {local.day} {_MONTHS[local.month - 1][:3]} {local:%H:%M}"


def time_left(deadline: datetime, now: datetime) -> str:
    """'in about 3 hours', 'in about 20 minutes', 'in 2 days'; rough on purpose."""
    minutes = int((deadline - now).total_seconds() // 60)
    if minutes < 1:
        return _("now")
    if minutes < 60:
        return ngettext("in about {count} minute", "in about {count} minutes", minutes).format(
            count=minutes
        )
    hours = round(minutes / 60)
    if hours < 48:
        return ngettext("in about {count} hour", "in about {count} hours", hours).format(
            count=hours
        )
    days = round(hours / 24)
    return ngettext("in {count} day", "in {count} days", days).format(count=days)


def mean_words(number: str) -> str:
    """An average as bot.domain.results_text.format_mean writes it ('3.5'), as the reader
    writes numbers ('3,5' in Polish)."""
    if english():
        return number
    return format_decimal(Decimal(number), format="0.0", locale=current_language())


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
