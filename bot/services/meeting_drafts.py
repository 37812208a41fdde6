"""Meeting drafts: what was typed, waiting for Save. One per person, found by person_key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.keyed_hash import person_key
from bot.domain.meeting_setup import MeetingSetup
from bot.i18n import N_
from bot.services import drafts, meetings
from storage.models import MeetingDraft as DraftRow
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class MeetingDraft:
    id: int
    group_id: int
    thread_id: int | None
    state: MeetingSetup


def _of(row: DraftRow) -> MeetingDraft | None:
    try:
        state = MeetingSetup.from_data(row.step, dict(row.data))
    except (ValueError, TypeError):
        return None
    return MeetingDraft(row.id, row.group_id, row.thread_id, state)


async def begin(
    uow: UnitOfWork,
    secret: bytes,
    user_id: int,
    group_id: int,
    thread_id: int | None,
    state: MeetingSetup,
    *,
    now: datetime,
) -> MeetingDraft:
    """A fresh draft, replacing any the person had (its buttons stop working)."""
    row = await drafts.start(
        uow,
        uow.meeting_drafts,
        DraftRow(
            group_id=group_id,
            owner_key=person_key(secret, user_id),
            thread_id=thread_id,
            step=state.step.value,
            data=state.to_data(),
            updated_at=now,
        ),
        now=now,
    )
    return MeetingDraft(row.id, group_id, thread_id, state)


async def current(
    uow: UnitOfWork, secret: bytes, user_id: int, *, now: datetime
) -> MeetingDraft | None:
    return await drafts.live(uow, uow.meeting_drafts, person_key(secret, user_id), _of, now=now)


async def save(uow: UnitOfWork, draft: MeetingDraft, state: MeetingSetup, *, now: datetime) -> bool:
    changed = await uow.meeting_drafts.update(
        draft.id, step=state.step.value, data=state.to_data(), now=now
    )
    await uow.commit()
    return changed


async def take(uow: UnitOfWork, draft_id: int) -> bool:
    """Remove the draft; True for the one caller that did (so Save saves once)."""
    removed = await uow.meeting_drafts.remove(draft_id)
    await uow.commit()
    return removed


@dataclass(frozen=True, slots=True)
class Saved:
    occurrence_id: int | None  # None: nothing saved (a second press, or see `problem`)
    problem: str | None = None


async def save_meeting(uow: UnitOfWork, draft: MeetingDraft, *, zone: str, now: datetime) -> Saved:
    """Turn a confirmed draft into a meeting, once: the draft goes in the same transaction."""
    state = draft.state
    if state.starts_at is None or not state.title:
        return Saved(None)
    if state.or_else is not None:
        # Morning or evening is still open: a Save forged past the question saves nothing.
        return Saved(None, N_("Please choose the morning or the evening time first."))
    if state.starts_at <= now:
        return Saved(
            None, N_("That time has passed while the meeting waited. Please press Change.")
        )
    if not await uow.meeting_drafts.remove(draft.id):
        return Saved(None)
    occurrence_id = await meetings.create_meeting(
        uow,
        draft.group_id,
        starts_at=state.starts_at,
        title=state.title,
        place=state.place,
        recurrence=state.recurrence,
        zone=zone,
        thread_id=draft.thread_id,
        now=now,
    )
    return Saved(occurrence_id)
