""" "You said, we did": what facilitators can record about a published feedback item or a
closed poll, and when reviews and the monthly digest fall due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

WHY_LIMIT = 500
OWNER_LIMIT = 80
# Review dates offered as buttons, in days from today; 0 is "no review date".
REVIEW_CHOICES: tuple[int, ...] = (14, 30, 90, 0)
# Done and "not possible" stay in /yousaid for this long after they were recorded.
RECENT = timedelta(days=90)
# The monthly digest goes on the first days of the month, from this local hour (a bot that
# was down on the 1st still sends it in the first week).
DIGEST_HOUR = 10
DIGEST_DAYS = 7


class Subject(StrEnum):
    FEEDBACK = "feedback"
    POLL = "poll"


SUBJECTS: tuple[Subject, ...] = (Subject.FEEDBACK, Subject.POLL)


class OutcomeStatus(StrEnum):
    AGREED = "agreed"
    PLANNED = "planned"
    DONE = "done"
    NOT_POSSIBLE = "not_possible"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def is_open(self) -> bool:
        """Still to be done: listed until it changes."""
        return self in (OutcomeStatus.AGREED, OutcomeStatus.PLANNED)


_LABELS = {
    OutcomeStatus.AGREED: "Agreed",
    OutcomeStatus.PLANNED: "Planned",
    OutcomeStatus.DONE: "Done",
    OutcomeStatus.NOT_POSSIBLE: "Not possible",
}
STATUSES: tuple[OutcomeStatus, ...] = tuple(OutcomeStatus)


@dataclass(frozen=True, slots=True)
class OutcomeFacts:
    """What a facilitator recorded: a status, why (required for "not possible"), who will
    do it and when to look at it again."""

    status: OutcomeStatus
    why: str | None = None
    owner: str | None = None
    review_on: date | None = None


class OutcomeInputError(ValueError):
    """A kind refusal, said to the facilitator (translated by the view: `limit` is set when
    the text was too long)."""

    def __init__(self, message: str, limit: int | None = None) -> None:
        super().__init__(message)
        self.limit = limit


def _clean(text: str, limit: int, empty: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise OutcomeInputError(empty)
    if len(cleaned) > limit:
        raise OutcomeInputError(f"Please keep it under {limit} characters.", limit)
    return cleaned


def clean_why(text: str) -> str:
    return _clean(text, WHY_LIMIT, "Please say in a few words why it is not possible.")


def clean_owner(text: str) -> str:
    return _clean(text, OWNER_LIMIT, "Please type who will do it, or press Skip.")


def listed(status: OutcomeStatus, updated_at: datetime, now: datetime) -> bool:
    """In /yousaid: open ones always, closed ones for a while."""
    return status.is_open or now - updated_at <= RECENT


def digest_due(local_now: datetime, last_month: str | None) -> str | None:
    """The month ("2026-12") whose digest is due now, or None."""
    month = f"{local_now:%Y-%m}"
    if last_month == month or local_now.day > DIGEST_DAYS or local_now.hour < DIGEST_HOUR:
        return None
    return month
