"""The board report's facts for one group and one period, as plain values.

Every poll comes through `polls.snapshot`, the very function the close path renders its
results message from, so the report can only show what the group was shown (the view calls
the same results renderer). Feedback is counted here, and only published texts are read;
meetings are dates held with their answer totals.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.feedback_rules import Status
from bot.domain.outcomes import OutcomeFacts
from bot.domain.poll_snapshot import PollSnapshot
from bot.domain.report_period import Period
from bot.domain.when import zone_of
from bot.services import meetings, outcomes, polls
from bot.services.meetings import RsvpCounts
from storage.repositories.involvement import PersonTotal
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Decision:
    snapshot: PollSnapshot
    outcome: OutcomeFacts | None


@dataclass(frozen=True, slots=True)
class FeedbackMonth:
    month: str  # "2026-01"
    received: int = 0
    published: int = 0
    rejected: int = 0
    urgent: int = 0


@dataclass(frozen=True, slots=True)
class PublishedItem:
    number: int | None
    text: str
    received_at: datetime


@dataclass(frozen=True, slots=True)
class MeetingHeld:
    title: str
    starts_at: datetime
    counts: RsvpCounts


@dataclass(frozen=True, slots=True)
class ReportFacts:
    group_title: str
    timezone: str
    period: Period
    made_at: datetime
    decisions: list[Decision] = field(default_factory=list)
    feedback_months: list[FeedbackMonth] = field(default_factory=list)
    published: list[PublishedItem] = field(default_factory=list)
    meetings: list[MeetingHeld] = field(default_factory=list)
    # Totals per person who chose to be recorded (issue 16.2): names they gave, for payment.
    involvement: list[PersonTotal] = field(default_factory=list)

    @property
    def feedback_received(self) -> int:
        return sum(m.received for m in self.feedback_months)


async def gather(
    uow: UnitOfWork, group_id: int, period: Period, *, min_cell: int, now: datetime
) -> ReportFacts | None:
    """Everything the report shows, read in one unit of work; None for an unknown group."""
    group = await uow.groups.by_id(group_id)
    if group is None:
        return None
    zone = zone_of(group.timezone)
    start, end = period.bounds(zone)
    decided = await outcomes.poll_outcomes(uow, group_id)
    decisions = [
        Decision(snap, decided.get(snap.id))
        for poll_id in await uow.reports.closed_poll_ids(group_id, start, end)
        if (snap := await polls.snapshot(uow, poll_id, min_cell=min_cell)) is not None
    ]
    items = await uow.reports.feedback(group_id, start, end)
    tallies: dict[str, Counter[str]] = {month: Counter() for month in period.months()}
    published: list[PublishedItem] = []
    for item in items:
        month = f"{item.received_at.astimezone(zone):%Y-%m}"
        tally = tallies.setdefault(month, Counter())
        tally["received"] += 1
        if item.urgent:
            tally["urgent"] += 1
        elif item.status == Status.PUBLISHED.value:
            tally["published"] += 1
        elif item.status == Status.REJECTED.value:
            tally["rejected"] += 1
        if item.text is not None:
            published.append(PublishedItem(item.number, item.text, item.received_at))
    held = [
        MeetingHeld(d.title, d.starts_at, await meetings.counts_of(uow, d.occurrence_id))
        for d in await uow.reports.held_dates(group_id, start, min(end, now))
    ]
    return ReportFacts(
        group_title=group.title,
        timezone=group.timezone,
        period=period,
        made_at=now,
        decisions=decisions,
        feedback_months=[
            FeedbackMonth(
                month,
                received=t["received"],
                published=t["published"],
                rejected=t["rejected"],
                urgent=t["urgent"],
            )
            for month, t in sorted(tallies.items())
        ],
        published=published,
        meetings=held,
        involvement=await uow.involvement.totals(group_id, period.first, period.last),
    )
