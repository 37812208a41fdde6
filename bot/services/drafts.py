"""What poll set-ups and meeting drafts share: one draft per person, found by person_key.

Starting again replaces the person's draft (its buttons stop working: they carry the old id,
never given out again); a draft untouched for a day, or written by a version that cannot be
read any more, counts as gone and is dropped when next looked at. The two services keep
their own rules (wizard steps, meeting Save) over these.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from storage.models import MeetingDraft, PollDraft
from storage.repositories.drafts import DraftRepository
from storage.uow import UnitOfWork

DRAFT_LIFETIME = timedelta(days=1)

Row = TypeVar("Row", PollDraft, MeetingDraft)
Read = TypeVar("Read")


async def start(uow: UnitOfWork, store: DraftRepository[Row], row: Row, *, now: datetime) -> Row:
    """Store `row` as its owner's one draft (dropping drafts past their day), committed."""
    await store.remove_older_than(now - DRAFT_LIFETIME)
    stored = await store.replace(row)
    await uow.commit()
    return stored


async def live(
    uow: UnitOfWork,
    store: DraftRepository[Row],
    owner_key: str,
    read: Callable[[Row], Read | None],
    *,
    now: datetime,
) -> Read | None:
    """The owner's draft as `read` makes it, unless there is none, it is too old, or it
    cannot be read (those two are removed)."""
    row = await store.by_owner(owner_key)
    if row is None:
        return None
    draft = read(row)
    if draft is None or row.updated_at < now - DRAFT_LIFETIME:
        await store.remove(row.id)
        await uow.commit()
        return None
    return draft
