""" "You said, we did": recording outcomes, listing them, reviews and the monthly digest.

Outcomes are about the group's feedback and polls, never about people: who recorded one is
not stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.outcomes import (
    OutcomeFacts,
    OutcomeStatus,
    Subject,
    digest_due,
    listed,
)
from bot.services.groups import GroupInfo, find_group_by_id
from storage.models import Outcome
from storage.uow import UnitOfWork

PICK_LIMIT = 8  # items of each kind offered to choose from


@dataclass(frozen=True, slots=True)
class Topic:
    """What an outcome is about, as shown: "#3 The lift ..." or a poll's question."""

    subject: Subject
    subject_id: int
    group_id: int
    text: str
    number: int | None = None  # a feedback item's "#N"


@dataclass(frozen=True, slots=True)
class OutcomeView:
    topic: Topic
    facts: OutcomeFacts
    updated_at: datetime
    id: int = 0


async def topic(uow: UnitOfWork, subject: Subject, subject_id: int) -> Topic | None:
    """A published feedback item or a closed poll; None for anything else (outcomes are
    recorded only on what the group has seen)."""
    if subject is Subject.FEEDBACK:
        item = await uow.feedback.get(subject_id)
        if (
            item is None
            or item.status != "published"
            or not item.text
            or item.occurrence_id is not None
        ):
            return None
        return Topic(subject, item.id, item.group_id, item.text, item.number)
    poll = await uow.polls.get(subject_id)
    if poll is None or poll.status != "closed":
        return None
    return Topic(subject, poll.id, poll.group_id, poll.question)


async def topics(uow: UnitOfWork, group_id: int) -> list[Topic]:
    """What a facilitator may give an outcome to: the latest published items and polls."""
    found = [
        Topic(Subject.FEEDBACK, f.id, group_id, f.text, f.number)
        for f in await uow.outcomes.published_feedback(group_id, PICK_LIMIT)
        if f.text
    ]
    found += [
        Topic(Subject.POLL, p.id, group_id, p.question)
        for p in await uow.outcomes.closed_polls(group_id, PICK_LIMIT)
    ]
    return found


def _facts(row: Outcome) -> OutcomeFacts:
    return OutcomeFacts(OutcomeStatus(row.status), row.why, row.owner, row.review_on)


async def current(uow: UnitOfWork, found: Topic) -> OutcomeFacts | None:
    row = await uow.outcomes.of(found.subject.value, found.subject_id)
    return None if row is None else _facts(row)


async def record(uow: UnitOfWork, found: Topic, facts: OutcomeFacts, now: datetime) -> bool:
    """Save the outcome; True when it changed (and the group should hear of it)."""
    row = await uow.outcomes.of(found.subject.value, found.subject_id)
    if row is not None and _facts(row) == facts:
        return False
    if row is None:
        row = Outcome(
            group_id=found.group_id,
            subject=found.subject.value,
            subject_id=found.subject_id,
            review_reminded=False,
        )
    row.status = facts.status.value
    row.why = facts.why
    row.owner = facts.owner
    if row.review_on != facts.review_on:
        row.review_reminded = False
    row.review_on = facts.review_on
    row.updated_at = now
    await uow.outcomes.save(row)
    await uow.commit()
    return True


async def _views(uow: UnitOfWork, rows: list[Outcome]) -> list[OutcomeView]:
    views = []
    for row in rows:
        found = await topic(uow, Subject(row.subject), row.subject_id)
        if found is not None:
            views.append(OutcomeView(found, _facts(row), row.updated_at, row.id))
    return views


async def listing(uow: UnitOfWork, group_id: int, now: datetime) -> list[OutcomeView]:
    """/yousaid: open outcomes, then recent done and not possible ones, newest first."""
    rows = [
        r
        for r in await uow.outcomes.of_group(group_id)
        if listed(OutcomeStatus(r.status), r.updated_at, now)
    ]
    rows.sort(key=lambda r: not OutcomeStatus(r.status).is_open)
    return await _views(uow, rows)


async def poll_outcomes(uow: UnitOfWork, group_id: int) -> dict[int, OutcomeFacts]:
    """For the decision log: every closed poll's outcome, by poll id."""
    return {
        r.subject_id: _facts(r)
        for r in await uow.outcomes.of_group(group_id)
        if r.subject == Subject.POLL.value
    }


async def feedback_outcomes(uow: UnitOfWork, group_id: int) -> list[OutcomeView]:
    rows = [r for r in await uow.outcomes.of_group(group_id) if r.subject == Subject.FEEDBACK.value]
    return await _views(uow, rows)


@dataclass(frozen=True, slots=True)
class Review:
    outcome: OutcomeView
    group: GroupInfo


async def take_due_reviews(uow: UnitOfWork, now: datetime) -> list[Review]:
    """Reviews whose day has come in their group's zone, each claimed once."""
    due = []
    for row in await uow.outcomes.reviews_due_by(now.date() + timedelta(days=1)):
        group = await find_group_by_id(uow, row.group_id)
        if group is None or row.review_on is None:
            continue
        if row.review_on > now.astimezone(ZoneInfo(group.timezone)).date():
            continue
        if not await uow.outcomes.claim_review(row.id):
            continue
        due += [Review(view, group) for view in await _views(uow, [row])]
    await uow.commit()
    return due


async def monthly(uow: UnitOfWork, group_id: int) -> bool:
    return (await uow.outcomes.settings(group_id)).monthly


async def set_monthly(uow: UnitOfWork, group_id: int, on: bool) -> None:
    settings = await uow.outcomes.settings(group_id)
    settings.monthly = on
    await uow.commit()


async def take_due_digests(uow: UnitOfWork, now: datetime) -> list[GroupInfo]:
    """Groups whose monthly digest is due now, each claimed once per month."""
    groups = []
    for settings in await uow.outcomes.monthly_groups():
        group = await find_group_by_id(uow, settings.group_id)
        if group is None or not group.active:
            continue
        month = digest_due(now.astimezone(ZoneInfo(group.timezone)), settings.last_month)
        if month is not None and await uow.outcomes.claim_month(group.id, month):
            groups.append(group)
    await uow.commit()
    return groups


def review_date(today: date, days: int) -> date | None:
    return None if days == 0 else today + timedelta(days=days)
