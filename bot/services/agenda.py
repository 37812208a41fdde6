"""Agenda items for a group's next meeting: typed in the group (everyone saw who typed it) or
sent privately (nobody knows who).

A private item is an anonymous way into the group, so it is held to the group's feedback
setting: where feedback is moderated, it goes to the facilitators as a feedback item that
names its meeting date, and only their Publish lists it (bot/services/feedback_delivery.py);
otherwise it is listed at once. Each date's agenda holds at most `per_meeting` items, and
one person may add at most `per_person` to one date privately, and as many in the group
(counted apart). Those counts are kept under keyed hashes of the person and the date (never
on an item, so they name no item), and go with the feedback counters once the date is past.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain.feedback_rules import Delivery, Status, received_hour
from bot.domain.keyed_hash import agenda_key
from bot.domain.meeting_rules import DEFAULT_AGENDA_PER_MEETING, DEFAULT_AGENDA_PER_PERSON
from bot.services.meetings import OccurrenceView, next_occurrence, view_of
from storage.models import Feedback, MeetingOccurrence
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class AgendaCaps:
    per_person: int = DEFAULT_AGENDA_PER_PERSON
    per_meeting: int = DEFAULT_AGENDA_PER_MEETING


class Outcome(StrEnum):
    ADDED = "added"
    WAITING = "waiting"  # with the facilitators, to publish or reject
    NOTHING_PLANNED = "nothing_planned"
    MEETING_FULL = "meeting_full"
    PERSON_FULL = "person_full"


@dataclass(frozen=True, slots=True)
class Suggested:
    outcome: Outcome
    view: OccurrenceView | None = None
    feedback_id: int = 0  # the item waiting for the facilitators (Outcome.WAITING)


async def add_in_group(
    uow: UnitOfWork,
    secret: bytes,
    group_id: int,
    user_id: int,
    text: str,
    *,
    caps: AgendaCaps,
    now: datetime,
) -> Suggested:
    """An item typed in the group: listed at once on the next meeting's agenda, if it and
    the person's share of it have room.

    Only what the group could see counts here (listed items; the person's items typed in
    the group): a refusal in the group must not hint at private items, listed or waiting.
    """
    occurrence_id = await next_occurrence(uow, group_id, now)
    occurrence = None if occurrence_id is None else await uow.meetings.occurrence(occurrence_id)
    if occurrence is None:
        return Suggested(Outcome.NOTHING_PLANNED)
    if await uow.meetings.agenda_count(occurrence.id) >= caps.per_meeting:
        return Suggested(Outcome.MEETING_FULL, await view_of(uow, occurrence.id))
    if not await _counted(uow, secret, occurrence, user_id, caps, private=False):
        return Suggested(Outcome.PERSON_FULL, await view_of(uow, occurrence.id))
    await uow.meetings.add_agenda_item(occurrence.id, text)
    await uow.commit()
    return Suggested(Outcome.ADDED, await view_of(uow, occurrence.id))


async def _counted(
    uow: UnitOfWork,
    secret: bytes,
    occurrence: MeetingOccurrence,
    user_id: int,
    caps: AgendaCaps,
    *,
    private: bool,
) -> bool:
    """Count one more item of this person's for the date; False when that is one too many
    (the caller does not commit then, so the count does not grow)."""
    counted = await uow.feedback_counters.increment(
        agenda_key(secret, occurrence.id, user_id, private=private), occurrence.starts_at.date()
    )
    return counted <= caps.per_person


async def suggest_privately(
    uow: UnitOfWork,
    secret: bytes,
    group_id: int,
    user_id: int,
    text: str,
    *,
    caps: AgendaCaps,
    now: datetime,
) -> Suggested:
    """An item sent privately: refused when the date's agenda or this person's share of it
    is full (nothing changes then), else listed or sent for moderation as the group's
    feedback setting says. The caller routes a waiting item to the facilitators."""
    occurrence_id = await next_occurrence(uow, group_id, now)
    occurrence = None if occurrence_id is None else await uow.meetings.occurrence(occurrence_id)
    if occurrence is None:
        return Suggested(Outcome.NOTHING_PLANNED)
    listed = await uow.meetings.agenda_count(occurrence.id)
    waiting = await uow.feedback.agenda_waiting(occurrence.id)
    if listed + waiting >= caps.per_meeting:
        return Suggested(Outcome.MEETING_FULL, await view_of(uow, occurrence.id))
    if not await _counted(uow, secret, occurrence, user_id, caps, private=True):
        return Suggested(Outcome.PERSON_FULL, await view_of(uow, occurrence.id))
    settings = await uow.feedback.settings(group_id)
    feedback_id = 0
    if Delivery(settings.delivery) is Delivery.MODERATED:
        item = await uow.feedback.add(
            Feedback(
                group_id=group_id,
                text=text,
                role_tag=None,
                status=Status.PENDING.value,
                urgent=False,
                reached_facilitators=False,
                received_at=received_hour(now),
                occurrence_id=occurrence.id,
            )
        )
        feedback_id = item.id
    else:
        # Direct or digest: listed now. It shows only in reminders and /meetings, never
        # posted on its own, so there is no arrival for a digest to hide.
        await uow.meetings.add_agenda_item(occurrence.id, text)
    await uow.commit()
    view = await view_of(uow, occurrence.id)
    return Suggested(Outcome.WAITING if feedback_id else Outcome.ADDED, view, feedback_id)
