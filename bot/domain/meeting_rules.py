"""What a meeting is made of, as people type it: `/meeting <when> | <title> | <place>`.

Pure: no telegram, no database. Problems raise MeetingInputError with plain words for the
person; times are read by when.py in the group's zone, so the same rules (past, nonsense,
a time the clocks skip) apply as for poll deadlines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

from bot.domain.problems import N_, ProblemError
from bot.domain.typed_items import split_items
from bot.domain.when import EXAMPLES, AmbiguousTimeError, WhenError, parse_when

TITLE_MAX = 120
PLACE_MAX = 200
AGENDA_MAX = 300
# How many items one person may suggest privately for one meeting date, and how many one
# date's agenda holds: an anonymous way in must not flood the group, nor grow its reminders
# past what a message can carry.
DEFAULT_AGENDA_PER_PERSON = 3
DEFAULT_AGENDA_PER_MEETING = 20
DEFAULT_OFFSETS: tuple[int, ...] = (24 * 60, 60)  # minutes before: a day, and an hour
MAX_OFFSETS = 4
MAX_OFFSET = 14 * 24 * 60


class MeetingInputError(ProblemError):
    """Something typed for a meeting that cannot be used: a template and its values
    (bot/domain/problems.py), said in the reader's language by the view."""

    @classmethod
    def of(cls, error: ProblemError) -> MeetingInputError:
        return cls(error.problem.template, **error.problem.values)


# One whole sentence each, not a word slotted into one: the word's form and the sentence's
# order differ between languages.
_EMPTY = {
    "title": N_("Please give the meeting a title."),
    "place or link": N_("Please give the meeting a place or link."),
    "agenda item": N_("Please type the agenda item."),
}
_TOO_LONG = {
    "title": N_("That title is {length} characters long. Please keep it under {limit}."),
    "place or link": N_(
        "That place or link is {length} characters long. Please keep it under {limit}."
    ),
    "agenda item": N_(
        "That agenda item is {length} characters long. Please keep it under {limit}."
    ),
}


class Rsvp(IntEnum):
    """An answer to a meeting; the number travels in buttons and is stored (append only)."""

    COMING = 0
    MAYBE = 1
    NOT_COMING = 2


RSVP_LABELS: dict[Rsvp, str] = {
    Rsvp.COMING: "Coming",
    Rsvp.MAYBE: "Maybe",
    Rsvp.NOT_COMING: "Can't come",
}


@dataclass(frozen=True, slots=True)
class MeetingLine:
    starts_at: datetime  # aware UTC
    title: str
    place: str
    # The evening reading of a bare hour ("at 10"), when both could be meant: the person
    # picks one on the confirmation before anything can be saved.
    or_else: datetime | None = None


def clean_text(text: str, *, limit: int, what: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise MeetingInputError(_EMPTY[what])
    if len(cleaned) > limit:
        raise MeetingInputError(_TOO_LONG[what], length=len(cleaned), limit=limit)
    return cleaned


def clean_place(text: str) -> str:
    """The place or link; it may be left out ("-" or nothing), the title says enough then."""
    cleaned = " ".join(text.split())
    if cleaned in {"", "-"}:
        return ""
    return clean_text(cleaned, limit=PLACE_MAX, what="place or link")


def read_when(text: str, zone_name: str, now: datetime) -> datetime:
    try:
        return parse_when(text, zone_name, now)
    except WhenError as error:
        raise MeetingInputError.of(error) from error


def read_when_or_ask(text: str, zone_name: str, now: datetime) -> tuple[datetime, datetime | None]:
    """The time typed, or both readings of a bare hour ("at 10": morning first) to ask."""
    try:
        return parse_when(text, zone_name, now), None
    except AmbiguousTimeError as error:
        return error.readings
    except WhenError as error:
        raise MeetingInputError.of(error) from error


def parse_meeting_line(line: str, zone_name: str, now: datetime) -> MeetingLine:
    """`next Tuesday 2pm | Discharge working group | Room 3, Hounslow`, or the same three
    items one per line (when, what, where)."""
    parts = [part.strip() for part in split_items(line)]
    if len(parts) < 2 or len(parts) > 3 or not parts[0]:
        raise MeetingInputError(
            N_(
                "Please write it like this:\n/meeting next Tuesday 2pm | Working group | Room 3\n"
                "(when | what | where), or put each of the three on its own line. "
                "For the time you can type {examples}."
            ),
            examples=EXAMPLES,
        )
    starts_at, or_else = read_when_or_ask(parts[0], zone_name, now)
    title = clean_text(parts[1], limit=TITLE_MAX, what="title")
    place = clean_place(parts[2] if len(parts) == 3 else "")
    return MeetingLine(starts_at, title, place, or_else)


def clean_agenda_item(text: str) -> str:
    return clean_text(text, limit=AGENDA_MAX, what="agenda item")


_OFFSET_PART = re.compile(r"^(\d{1,3})\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?)$")
_UNIT_MINUTES = {"m": 1, "h": 60, "d": 24 * 60}


def parse_offsets(text: str) -> tuple[int, ...]:
    """'1 day, 1 hour' or '2d 30m' as minutes before the meeting, largest first."""
    pieces = [p for p in re.split(r"[,;]|\band\b", text.lower()) if p.strip()]
    if len(pieces) == 1:  # "1d 1h" with spaces only
        pieces = re.findall(r"\d{1,3}\s*[a-z]+", text.lower()) or pieces
    found: set[int] = set()
    for piece in pieces:
        match = _OFFSET_PART.match(piece.strip())
        if match is None:
            raise MeetingInputError(
                N_("Please write reminder times like “1 day, 1 hour” or “2 days, 30 minutes”.")
            )
        minutes = int(match.group(1)) * _UNIT_MINUTES[match.group(2)[0]]
        if not 0 < minutes <= MAX_OFFSET:
            raise MeetingInputError(N_("Reminders can be from 1 minute to 14 days before."))
        found.add(minutes)
    if not found or len(found) > MAX_OFFSETS:
        raise MeetingInputError(
            N_("Please choose between 1 and {most} reminder times."), most=MAX_OFFSETS
        )
    return tuple(sorted(found, reverse=True))


def describe_offset(minutes: int) -> str:
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [
        f"{n} {unit}{'' if n == 1 else 's'}"
        for n, unit in ((days, "day"), (hours, "hour"), (mins, "minute"))
        if n
    ]
    return " ".join(parts)


def reminder_times(
    starts_at: datetime, offsets: tuple[int, ...], *, now: datetime
) -> list[tuple[int, datetime]]:
    """(offset, due) for each reminder still in the future; past ones are not made at all."""
    due = [(offset, starts_at - timedelta(minutes=offset)) for offset in offsets]
    return [(offset, at) for offset, at in due if at > now]
