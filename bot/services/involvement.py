"""The opt-in involvement record (issue 16, part 2), off unless a group's facilitators switch
it on. A person chooses, once per group, to be recorded and under which name, and whether they
want payment; then says which meetings they took part in. Facilitators export it for payment.

Only the involvement key (its own HMAC label) is stored with it: nothing joins it to the
person's role, ballots, meeting answers, reasons or feedback.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.domain.involvement_time import TimeAndTravel
from bot.domain.keyed_hash import involvement_key
from bot.domain.when import zone_of
from storage.models import InvolvementEntry
from storage.repositories.involvement import PersonTotal
from storage.repositories.reports import HeldDate
from storage.uow import UnitOfWork

NAME_LIMIT = 80
# Meetings offered for "I took part": those held in the last four weeks.
RECENT = timedelta(days=28)


class TookPart(StrEnum):
    RECORDED = "recorded"
    ALREADY = "already"
    NOT_CHOSEN = "not_chosen"  # the person has not chosen to be recorded in this group
    OFF = "off"  # the group does not record involvement (any more)
    GONE = "gone"


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    wants_payment: bool


@dataclass(frozen=True, slots=True)
class MyEntry:
    group_title: str
    day: date
    meeting: str
    exported: bool


@dataclass(frozen=True, slots=True)
class ExportRow:
    name: str
    wants_payment: bool
    day: date
    meeting: str
    minutes: int | None
    expenses_pence: int | None


def clean_name(text: str) -> str | None:
    """The name as typed, spaces tidied; None if empty or too long."""
    cleaned = " ".join(text.split())
    return cleaned if 0 < len(cleaned) <= NAME_LIMIT else None


async def recording(uow: UnitOfWork, group_id: int) -> bool:
    return await uow.involvement.recording(group_id)


async def switch(uow: UnitOfWork, group_id: int, on: bool) -> None:
    await uow.involvement.set_recording(group_id, on)
    await uow.commit()


async def profile(uow: UnitOfWork, secret: bytes, group_id: int, user_id: int) -> Profile | None:
    found = await uow.involvement.person(group_id, involvement_key(secret, group_id, user_id))
    return None if found is None else Profile(found.name, found.wants_payment)


async def choose(
    uow: UnitOfWork, secret: bytes, group_id: int, user_id: int, name: str, wants_payment: bool
) -> None:
    key = involvement_key(secret, group_id, user_id)
    await uow.involvement.save_person(group_id, key, name, wants_payment)
    await uow.commit()


async def group_of_meeting(uow: UnitOfWork, occurrence_id: int) -> int | None:
    view = await uow.meetings.occurrence(occurrence_id)
    meeting = None if view is None else await uow.meetings.get(view.meeting_id)
    return None if meeting is None else meeting.group_id


async def recent_meetings(uow: UnitOfWork, group_id: int, now: datetime) -> list[HeldDate]:
    return list(await uow.reports.held_dates(group_id, now - RECENT, now))


async def took_part(
    uow: UnitOfWork, secret: bytes, occurrence_id: int, user_id: int, now: datetime
) -> TookPart:
    group_id = await group_of_meeting(uow, occurrence_id)
    if group_id is None:
        return TookPart.GONE
    return await _record(uow, occurrence_id, involvement_key(secret, group_id, user_id), now)


@dataclass(frozen=True, slots=True)
class Chosen:
    """Someone who chose to be recorded, as facilitators see them to mark attendance."""

    person_id: int
    name: str
    marked: bool


async def chosen_for(uow: UnitOfWork, occurrence_id: int) -> list[Chosen]:
    group_id = await group_of_meeting(uow, occurrence_id)
    if group_id is None:
        return []
    marked = await uow.involvement.keys_at(occurrence_id)
    people = await uow.involvement.people_of_group(group_id)
    return sorted(
        (Chosen(p.id, p.name, p.person_key in marked) for p in people),
        key=lambda c: (c.name.casefold(), c.person_id),
    )


async def mark(uow: UnitOfWork, occurrence_id: int, person_id: int, now: datetime) -> TookPart:
    """A facilitator marks someone who chose to be recorded as having taken part."""
    found = await uow.involvement.person_by_id(person_id)
    group_id = await group_of_meeting(uow, occurrence_id)
    if found is None or group_id is None or found.group_id != group_id:
        return TookPart.GONE
    return await _record(uow, occurrence_id, found.person_key, now)


async def _record(uow: UnitOfWork, occurrence_id: int, key: str, now: datetime) -> TookPart:
    view = await uow.meetings.occurrence(occurrence_id)
    meeting = None if view is None else await uow.meetings.get(view.meeting_id)
    if view is None or meeting is None or view.starts_at > now:
        return TookPart.GONE
    group_id = meeting.group_id
    if not await uow.involvement.recording(group_id):
        return TookPart.OFF
    if await uow.involvement.person(group_id, key) is None:
        return TookPart.NOT_CHOSEN
    group = await uow.groups.by_id(group_id)
    zone = zone_of(group.timezone if group is not None else "Europe/London")
    added = await uow.involvement.add_entry(
        InvolvementEntry(
            group_id=group_id,
            person_key=key,
            occurrence_id=occurrence_id,
            day=view.starts_at.astimezone(zone).date(),
            meeting=meeting.title,
        )
    )
    await uow.commit()
    return TookPart.RECORDED if added else TookPart.ALREADY


async def set_time(
    uow: UnitOfWork,
    secret: bytes,
    group_id: int,
    occurrence_id: int,
    user_id: int,
    typed: TimeAndTravel,
) -> bool:
    """The time and travel the person typed for a meeting they took part in (not exported)."""
    key = involvement_key(secret, group_id, user_id)
    done = await uow.involvement.set_time(key, occurrence_id, typed.minutes, typed.pence)
    await uow.commit()
    return done


async def export(uow: UnitOfWork, group_id: int) -> list[ExportRow]:
    """Every entry for payment claims; the entries are marked exported (and /forgetme says
    so, since an exported copy is out of the bot's reach)."""
    rows = await uow.involvement.export(group_id)
    await uow.commit()
    return [
        ExportRow(p.name, p.wants_payment, e.day, e.meeting, e.minutes, e.expenses_pence)
        for p, e in rows
    ]


async def totals(uow: UnitOfWork, group_id: int, first: date, last: date) -> list[PersonTotal]:
    return await uow.involvement.totals(group_id, first, last)


async def _keys(uow: UnitOfWork, secret: bytes, user_id: int) -> dict[str, int]:
    return {involvement_key(secret, gid, user_id): gid for gid in await uow.groups.all_ids()}


async def mine(
    uow: UnitOfWork, secret: bytes, user_id: int
) -> tuple[list[tuple[str, Profile]], list[MyEntry]]:
    """For /mydata: the groups where the person chose to be recorded, and their entries."""
    keys = await _keys(uow, secret, user_id)
    people = await uow.involvement.people_of(list(keys))
    entries = await uow.involvement.entries_of(list(keys))
    groups = {
        g.id: g.title
        for g in await uow.groups.by_ids(
            list({p.group_id for p in people} | {e.group_id for e in entries})
        )
    }
    return (
        [(groups.get(p.group_id, ""), Profile(p.name, p.wants_payment)) for p in people],
        [MyEntry(groups.get(e.group_id, ""), e.day, e.meeting, e.exported) for e in entries],
    )


async def forget(uow: UnitOfWork, secret: bytes, user_id: int) -> tuple[int, int]:
    """Erase the person's involvement everywhere: (entries erased, of which exported)."""
    erased = await uow.involvement.forget(list(await _keys(uow, secret, user_id)))
    await uow.commit()
    return erased
