"""Poll drafts: the guided set-up's state, stored per person so a restart loses nothing.

A person is found by `person_key` (an HMAC of their Telegram id), never by the id itself.
Each person has at most one draft; starting again replaces it, and the old draft's buttons
stop working because they carry the old draft's id. Drafts untouched for a day are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bot.domain.disclosure import SmallRoles
from bot.domain.disclosure_audit import DEFAULT_BAR, Bar
from bot.domain.keyed_hash import person_key
from bot.domain.poll_wizard import Step, WizardState, final_draft, step_of_code
from bot.domain.start_payloads import NewPollTarget
from bot.i18n import N_
from bot.services import drafts, polls
from storage.models import PollDraft as DraftRow
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Draft:
    id: int
    group_id: int
    thread_id: int | None
    state: WizardState


def _of(row: DraftRow) -> Draft | None:
    try:
        state = WizardState.from_data(row.step, dict(row.data))
    except (ValueError, TypeError):
        return None  # written by an older or broken version: treat it as gone
    return Draft(row.id, row.group_id, row.thread_id, state)


async def begin(
    uow: UnitOfWork, secret: bytes, user_id: int, target: NewPollTarget, *, now: datetime
) -> Draft:
    """A fresh draft for this group and topic, replacing any draft the person had."""
    state = WizardState()
    row = await drafts.start(
        uow,
        uow.poll_drafts,
        DraftRow(
            group_id=target.group_id,
            owner_key=person_key(secret, user_id),
            thread_id=target.thread_id,
            step=state.step.value,
            data=state.to_data(),
            updated_at=now,
        ),
        now=now,
    )
    draft = _of(row)
    assert draft is not None
    return draft


async def current(uow: UnitOfWork, secret: bytes, user_id: int, *, now: datetime) -> Draft | None:
    """The person's draft, if they have one that is not too old."""
    return await drafts.live(uow, uow.poll_drafts, person_key(secret, user_id), _of, now=now)


async def for_press(
    uow: UnitOfWork, secret: bytes, user_id: int, draft_id: int, step_code: int, *, now: datetime
) -> Draft | None:
    """The presser's own draft, only if the button was made for it at its current step.

    Anything else (an older message, another person's button, forged data) gets None.
    """
    step = step_of_code(step_code)
    draft = await current(uow, secret, user_id, now=now)
    if draft is None or step is None or draft.id != draft_id or draft.state.step is not step:
        return None
    return draft


async def save(uow: UnitOfWork, draft: Draft, state: WizardState, *, now: datetime) -> Draft:
    changed = await uow.poll_drafts.update(
        draft.id, step=state.step.value, data=state.to_data(), now=now
    )
    await uow.commit()
    if not changed:
        raise LookupError("the draft was replaced or removed meanwhile")
    return Draft(draft.id, draft.group_id, draft.thread_id, state)


async def discard(uow: UnitOfWork, draft_id: int) -> None:
    await uow.poll_drafts.remove(draft_id)
    await uow.commit()


@dataclass(frozen=True, slots=True)
class Posted:
    poll_id: int | None  # None: nothing created (see problem, or a second press)
    problem: str | None = None  # English, marked for the catalogue: the view translates it


async def create_from_draft(
    uow: UnitOfWork,
    draft: Draft,
    *,
    now: datetime,
    small_roles: SmallRoles | None = None,
    bar: Bar = DEFAULT_BAR,
) -> Posted:
    """Turn a finished draft into a poll, once: the draft is deleted in the same transaction.

    If the deadline has passed while the draft sat in preview, the draft goes back to the
    deadline step and the problem is returned.
    """
    poll = final_draft(draft.state)
    deadline = draft.state.deadline
    if deadline is not None and deadline <= now:
        back = replace(draft.state, step=Step.DEADLINE, deadline_chosen=False, deadline=None)
        await save(uow, draft, back, now=now)
        return Posted(
            None, N_("That closing time has passed in the meantime. Please choose a later one.")
        )
    if not await uow.poll_drafts.remove(draft.id, step=Step.PREVIEW.value):
        return Posted(None)  # another press got there first
    # create_poll commits, so the draft's removal and the new poll stick together.
    return Posted(
        await polls.create_poll(
            uow,
            draft.group_id,
            poll,
            now=now,
            deadline=deadline,
            small_roles=small_roles,
            bar=bar,
        )
    )
