"""Meetings: create a series, keep its occurrences a bounded horizon ahead, list, cancel, move,
and the group's meeting settings (agenda items: bot/services/agenda.py). Plain values in,
plain values out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain.meeting_rules import DEFAULT_OFFSETS, Rsvp, reminder_times
from bot.domain.recurrence import HORIZON, MAX_AHEAD, Recurrence, local_starts
from bot.domain.roles import ROLES, Role
from bot.domain.when import zone_of
from storage.models import Meeting, MeetingOccurrence
from storage.repositories.meetings import ACTIVE, CANCELLED, SCHEDULED
from storage.uow import UnitOfWork

# A reminder alarm to set (or drop): (reminder id, when it is due).
Alarm = tuple[int, datetime]


@dataclass(frozen=True, slots=True)
class RsvpCounts:
    coming: int = 0
    maybe: int = 0
    not_coming: int = 0
    coming_by_role: dict[Role, int] = field(default_factory=dict)

    def roles_with_nobody_coming(self) -> list[Role]:
        return [role for role in ROLES if not self.coming_by_role.get(role)]


@dataclass(frozen=True, slots=True)
class OccurrenceView:
    """Everything a meeting message, a reminder or /meetings shows about one date."""

    occurrence_id: int
    meeting_id: int
    group_id: int
    chat_id: int
    group_active: bool
    thread_id: int | None
    message_id: int | None
    title: str
    place: str
    zone: str
    starts_at: datetime
    start_local: datetime  # the series' first local start, for describing the rule
    recurrence: Recurrence
    cancelled: bool
    moved: bool
    agenda: tuple[str, ...]
    counts: RsvpCounts
    revision: int = 0  # this date's changes: its calendar file's SEQUENCE
    series_revision: int = 0  # the series' changes (any date's): the series file's SEQUENCE
    series_cancelled: bool = False

    @property
    def repeats(self) -> bool:
        return self.recurrence is not Recurrence.NONE


async def group_offsets(uow: UnitOfWork, group_id: int) -> tuple[int, ...]:
    stored = await uow.meetings.offsets(group_id)
    return tuple(stored) if stored else DEFAULT_OFFSETS


async def _add_reminders(
    uow: UnitOfWork, occurrence: MeetingOccurrence, offsets: tuple[int, ...], now: datetime
) -> None:
    for offset, due in reminder_times(occurrence.starts_at, offsets, now=now):
        await uow.meeting_reminders.add(occurrence.id, offset, due)


async def _extend(
    uow: UnitOfWork, meeting: Meeting, now: datetime, *, until: datetime | None = None
) -> list[int]:
    """Make the meeting's missing occurrences up to the horizon (or `until`, when that is
    later); returns the new ids."""
    recurrence = Recurrence(meeting.recurrence)
    existing = await uow.meetings.series_keys(meeting.id)
    room = MAX_AHEAD - await uow.meetings.scheduled_count_after(meeting.id, now)
    until = max(now + HORIZON, until or now)
    found = local_starts(
        recurrence,
        meeting.start_local,
        meeting.zone,
        after=now,
        until=until,
        limit=MAX_AHEAD + len(existing),
    )
    offsets = await group_offsets(uow, meeting.group_id)
    made: list[int] = []
    for local, moment in found:
        if len(made) >= room:
            break
        key = local.isoformat(timespec="minutes")
        if key in existing:
            continue  # made before (perhaps since cancelled or moved): never twice
        occurrence = await uow.meetings.add_occurrence(
            MeetingOccurrence(
                meeting_id=meeting.id, series_local=key, starts_at=moment, status=SCHEDULED
            )
        )
        await _add_reminders(uow, occurrence, offsets, now)
        made.append(occurrence.id)
    meeting.generated_until = until
    return made


async def create_meeting(
    uow: UnitOfWork,
    group_id: int,
    *,
    starts_at: datetime,
    title: str,
    place: str,
    recurrence: Recurrence,
    zone: str,
    thread_id: int | None,
    now: datetime,
) -> int:
    """Store a confirmed meeting with its first occurrences and reminders; returns the first
    occurrence's id (the one the meeting message is about)."""
    start_local = starts_at.astimezone(zone_of(zone)).replace(tzinfo=None)
    meeting = await uow.meetings.add(
        Meeting(
            group_id=group_id,
            title=title,
            place=place,
            zone=zone,
            start_local=start_local,
            recurrence=recurrence.value,
            status=ACTIVE,
            thread_id=thread_id,
            generated_until=now,
            created_at=now,
        )
    )
    made = await _extend(uow, meeting, now)
    if not made:
        # Planned further ahead than the horizon: its first date exists all the same (it is
        # what the meeting message is about); the sweep makes the next ones as they come near.
        made = await _extend(uow, meeting, now, until=starts_at)
    await uow.commit()
    if not made:
        raise LookupError("a confirmed meeting in the future always has a first occurrence")
    return made[0]


async def extend_horizons(uow: UnitOfWork, now: datetime) -> int:
    """The sweep's part: keep every repeating meeting's occurrences a horizon ahead."""
    made = 0
    for meeting in await uow.meetings.to_extend(now + HORIZON - timedelta(days=1)):
        made += len(await _extend(uow, meeting, now))
    await uow.commit()
    return made


async def pending_alarms(uow: UnitOfWork) -> list[Alarm]:
    return await uow.meeting_reminders.pending()


async def alarms_of_meeting(uow: UnitOfWork, meeting_id: int, now: datetime) -> list[Alarm]:
    alarms: list[Alarm] = []
    for occurrence in await uow.meetings.future_of_meeting(meeting_id, now):
        alarms += await uow.meeting_reminders.pending_of(occurrence.id)
    return alarms


async def counts_of(uow: UnitOfWork, occurrence_id: int) -> RsvpCounts:
    coming = maybe = not_coming = 0
    by_role: dict[Role, int] = {}
    for role, answer, n in await uow.meetings.rsvp_counts(occurrence_id):
        if answer == Rsvp.COMING:
            coming += n
            by_role[Role(role)] = by_role.get(Role(role), 0) + n
        elif answer == Rsvp.MAYBE:
            maybe += n
        else:
            not_coming += n
    return RsvpCounts(coming, maybe, not_coming, by_role)


async def view_of(uow: UnitOfWork, occurrence_id: int) -> OccurrenceView | None:
    occurrence = await uow.meetings.occurrence(occurrence_id)
    if occurrence is None:
        return None
    meeting = await uow.meetings.get(occurrence.meeting_id)
    group = None if meeting is None else await uow.groups.by_id(meeting.group_id)
    if meeting is None or group is None:
        return None
    return OccurrenceView(
        occurrence_id=occurrence.id,
        meeting_id=meeting.id,
        group_id=group.id,
        chat_id=group.chat_id,
        group_active=group.active,
        thread_id=meeting.thread_id,
        message_id=occurrence.message_id,
        title=meeting.title,
        place=meeting.place,
        zone=meeting.zone,
        starts_at=occurrence.starts_at,
        start_local=meeting.start_local,
        recurrence=Recurrence(meeting.recurrence),
        cancelled=occurrence.status != SCHEDULED or meeting.status != ACTIVE,
        moved=occurrence.moved,
        agenda=tuple(await uow.meetings.agenda(occurrence.id)),
        counts=await counts_of(uow, occurrence.id),
        revision=occurrence.revision,
        series_revision=meeting.revision,
        series_cancelled=meeting.status != ACTIVE,
    )


async def upcoming(
    uow: UnitOfWork, group_id: int, now: datetime, *, limit: int = 10
) -> list[OccurrenceView]:
    rows = await uow.meetings.upcoming(group_id, now, limit=limit)
    views = [await view_of(uow, occurrence.id) for occurrence, _ in rows]
    return [view for view in views if view is not None]


async def series_exceptions(
    uow: UnitOfWork, meeting_id: int
) -> tuple[list[datetime], list[tuple[datetime, datetime]]]:
    """For a calendar file: the local dates cancelled one by one, and the dates moved one by
    one as (the local date it would have been, the local date it is now)."""
    meeting = await uow.meetings.get(meeting_id)
    if meeting is None:
        return [], []
    zone = zone_of(meeting.zone)
    cancelled: list[datetime] = []
    moved: list[tuple[datetime, datetime]] = []
    for occurrence in await uow.meetings.all_of_meeting(meeting_id):
        original = datetime.fromisoformat(occurrence.series_local)
        if occurrence.status != SCHEDULED:
            cancelled.append(original)
        elif occurrence.moved:
            moved.append((original, occurrence.starts_at.astimezone(zone).replace(tzinfo=None)))
    return cancelled, moved


@dataclass(frozen=True, slots=True)
class Change:
    """What a cancel or a move did: alarms to drop and alarms to set."""

    view: OccurrenceView
    dropped: tuple[int, ...] = ()
    added: tuple[Alarm, ...] = ()


async def cancel(
    uow: UnitOfWork, occurrence_id: int, *, whole_series: bool, now: datetime
) -> Change | None:
    """Cancel one date, or the series from now on; pending reminders are dropped."""
    occurrence = await uow.meetings.occurrence(occurrence_id)
    if occurrence is None or occurrence.status != SCHEDULED or occurrence.starts_at <= now:
        return None
    meeting = await uow.meetings.get(occurrence.meeting_id)
    if meeting is None or meeting.status != ACTIVE:
        return None
    targets = [occurrence]
    if whole_series:
        meeting.status = CANCELLED
        targets = await uow.meetings.future_of_meeting(meeting.id, now)
    for target in targets:
        target.status = CANCELLED
        target.revision += 1
    meeting.revision += 1  # the series file loses the date (or is cancelled) too
    dropped = await uow.meeting_reminders.drop_pending([t.id for t in targets])
    await uow.commit()
    view = await view_of(uow, occurrence_id)
    assert view is not None
    return Change(view, tuple(dropped))


async def move(
    uow: UnitOfWork,
    occurrence_id: int,
    new_start: datetime,
    *,
    whole_series: bool,
    now: datetime,
) -> Change | None:
    """Move one date, or the series from this date on (the rule restarts at the new time);
    reminders follow: pending ones are remade for the new time."""
    occurrence = await uow.meetings.occurrence(occurrence_id)
    if occurrence is None or occurrence.status != SCHEDULED or occurrence.starts_at <= now:
        return None
    meeting = await uow.meetings.get(occurrence.meeting_id)
    if meeting is None or meeting.status != ACTIVE or new_start <= now:
        return None
    dropped = await uow.meeting_reminders.delete_pending(occurrence.id)
    await uow.meeting_reminders.forget_done(occurrence.id)
    if whole_series and meeting.recurrence != Recurrence.NONE.value:
        later = [
            o
            for o in await uow.meetings.future_of_meeting(meeting.id, now)
            if o.id != occurrence.id and o.starts_at > occurrence.starts_at
        ]
        for other in later:
            dropped += await uow.meeting_reminders.delete_pending(other.id)
        await uow.meetings.delete_occurrences([o.id for o in later])
        meeting.start_local = new_start.astimezone(zone_of(meeting.zone)).replace(tzinfo=None)
        occurrence.series_local = meeting.start_local.isoformat(timespec="minutes")
    else:
        occurrence.moved = True
    occurrence.starts_at = new_start
    occurrence.revision += 1
    meeting.revision += 1
    if meeting.recurrence == Recurrence.NONE.value:
        meeting.start_local = new_start.astimezone(zone_of(meeting.zone)).replace(tzinfo=None)
    await uow.session.flush()
    await _add_reminders(uow, occurrence, await group_offsets(uow, meeting.group_id), now)
    if whole_series:
        await _extend(uow, meeting, now)
    await uow.commit()
    view = await view_of(uow, occurrence_id)
    assert view is not None
    added: list[Alarm] = []
    for planned in await uow.meetings.future_of_meeting(meeting.id, now):
        added += await uow.meeting_reminders.pending_of(planned.id)
    return Change(view, tuple(dropped), tuple(added))


async def next_occurrence(uow: UnitOfWork, group_id: int, now: datetime) -> int | None:
    rows = await uow.meetings.upcoming(group_id, now, limit=1)
    return rows[0][0].id if rows else None


async def set_timezone(uow: UnitOfWork, group_id: int, zone: str) -> None:
    """New meetings use the new zone; planned ones keep theirs (their times do not jump)."""
    group = await uow.groups.by_id(group_id)
    if group is not None:
        group.timezone = zone
        await uow.commit()


async def set_offsets(
    uow: UnitOfWork, group_id: int, offsets: tuple[int, ...], *, now: datetime
) -> tuple[list[int], list[Alarm]]:
    """Store the group's reminder times and remake the pending reminders of planned dates."""
    await uow.meetings.set_offsets(group_id, list(offsets))
    dropped: list[int] = []
    planned = [
        occurrence for occurrence, _ in await uow.meetings.upcoming(group_id, now, limit=1000)
    ]
    for occurrence in planned:
        dropped += await uow.meeting_reminders.delete_pending(occurrence.id)
        await _add_reminders(uow, occurrence, offsets, now)
    await uow.commit()
    added: list[Alarm] = []
    for occurrence in planned:
        added += await uow.meeting_reminders.pending_of(occurrence.id)
    return dropped, added
