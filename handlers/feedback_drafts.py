"""The feedback being written, kept in memory only (PTB's user_data), never in the database.

A draft in the database would sit beside a key derived from the writer; in memory it links
nobody once the process ends, and a restart only means writing the message again. Every new
step gets a new serial, carried by the buttons, so a press on an older preview is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from bot.context import AppContext

DRAFT_LIFETIME = timedelta(days=1)
_DRAFT = "feedback_draft"
_SERIAL = "feedback_serial"
_HELD = "feedback_held"
_SENT = "feedback_sent"


@dataclass(frozen=True, slots=True)
class FeedbackDraft:
    group_id: int
    serial: int
    started: datetime
    text: str | None = None
    tagged: bool = False
    # Begun by the crisis gate from a message meant for something else (a command, a set-up
    # step): once it has its text, later typing belongs to whatever the person was doing.
    offered: bool = False
    replies: bool = False  # the writer lets facilitators reply privately


def _next_serial(context: AppContext) -> int:
    assert context.user_data is not None
    serial = int(context.user_data.get(_SERIAL, 0)) + 1
    context.user_data[_SERIAL] = serial
    return serial


def current(context: AppContext) -> FeedbackDraft | None:
    """The person's draft, unless there is none or it was left for more than a day."""
    if context.user_data is None:
        return None
    draft = context.user_data.get(_DRAFT)
    if not isinstance(draft, FeedbackDraft):
        return None
    if datetime.now(UTC) - draft.started > DRAFT_LIFETIME:
        drop(context)
        return None
    return draft


def hold(context: AppContext, text: str) -> None:
    """A crisis message written outside a draft, kept while the person picks a group."""
    assert context.user_data is not None
    context.user_data[_HELD] = (text, datetime.now(UTC))


def take_held(context: AppContext) -> str | None:
    """The held crisis message (once), unless it was left for more than a day."""
    if context.user_data is None:
        return None
    held = context.user_data.pop(_HELD, None)
    if not isinstance(held, tuple) or datetime.now(UTC) - held[1] > DRAFT_LIFETIME:
        return None
    return str(held[0])


def begin(context: AppContext, group_id: int, *, offered: bool = False) -> FeedbackDraft:
    """A fresh draft for this group, replacing any other (and any held message)."""
    assert context.user_data is not None
    context.user_data.pop(_HELD, None)
    draft = FeedbackDraft(group_id, _next_serial(context), datetime.now(UTC), offered=offered)
    context.user_data[_DRAFT] = draft
    return draft


def _store(context: AppContext, draft: FeedbackDraft) -> FeedbackDraft:
    assert context.user_data is not None
    context.user_data[_DRAFT] = draft
    return draft


def with_text(context: AppContext, draft: FeedbackDraft, text: str) -> FeedbackDraft:
    return _store(context, replace(draft, text=text, serial=_next_serial(context)))


def with_tag(context: AppContext, draft: FeedbackDraft, tagged: bool) -> FeedbackDraft:
    return _store(context, replace(draft, tagged=tagged, serial=_next_serial(context)))


def with_replies(context: AppContext, draft: FeedbackDraft, allowed: bool) -> FeedbackDraft:
    return _store(context, replace(draft, replies=allowed, serial=_next_serial(context)))


def mark_sent(context: AppContext, serial: int, shown: str) -> None:
    """Remember the last Send that went through (its serial and the "Sent" words shown), so
    a second tap on the same preview leaves "Sent" in place instead of inviting a resend."""
    if context.user_data is not None:
        context.user_data[_SENT] = (serial, shown)


def sent_as(context: AppContext, serial: int) -> str | None:
    """The "Sent" words shown for this preview, if its Send went through; else None."""
    sent = None if context.user_data is None else context.user_data.get(_SENT)
    if isinstance(sent, tuple) and sent[0] == serial:
        return str(sent[1])
    return None


def drop(context: AppContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(_DRAFT, None)
        context.user_data.pop(_HELD, None)
