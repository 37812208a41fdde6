"""Setting up a meeting before it is saved: a pure state, typed text in, a new state out.

The one-line `/meeting` fills every field at once and lands on CONFIRM; the guided flow in
private asks for the time, the title and the place in turn. Nothing is a meeting until Save.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.domain.meeting_rules import (
    TITLE_MAX,
    MeetingLine,
    clean_place,
    clean_text,
    read_when_or_ask,
)
from bot.domain.recurrence import Recurrence


class SetupStep(StrEnum):
    WHEN = "when"
    TITLE = "title"
    PLACE = "place"
    CONFIRM = "confirm"


@dataclass(frozen=True, slots=True)
class MeetingSetup:
    step: SetupStep = SetupStep.WHEN
    starts_at: datetime | None = None
    title: str = ""
    place: str = ""
    recurrence: Recurrence = Recurrence.NONE
    in_group: bool = False  # typed as one line in the group, so Change means "type it again"
    # A bare hour's evening reading while the person has not said which they meant: the
    # confirmation asks (morning `starts_at` or this), and nothing is saved until they pick.
    or_else: datetime | None = None

    @classmethod
    def from_line(cls, line: MeetingLine) -> MeetingSetup:
        return cls(
            SetupStep.CONFIRM,
            line.starts_at,
            line.title,
            line.place,
            in_group=True,
            or_else=line.or_else,
        )

    def picked(self, evening: bool) -> MeetingSetup:
        """The answer to "in the morning or in the evening?"."""
        if self.or_else is None:
            return self
        return replace(self, starts_at=self.or_else if evening else self.starts_at, or_else=None)

    def to_data(self) -> dict[str, Any]:
        return {
            "or_else": None if self.or_else is None else self.or_else.isoformat(),
            "starts_at": None if self.starts_at is None else self.starts_at.isoformat(),
            "title": self.title,
            "place": self.place,
            "recurrence": self.recurrence.value,
            "in_group": self.in_group,
        }

    @classmethod
    def from_data(cls, step: str, data: dict[str, Any]) -> MeetingSetup:
        """Rebuild a stored state; ValueError if it does not make sense any more."""
        starts_at, or_else = (
            None if data.get(key) is None else datetime.fromisoformat(str(data[key]))
            for key in ("starts_at", "or_else")
        )
        if any(t is not None and t.tzinfo is None for t in (starts_at, or_else)):
            raise ValueError("stored time is naive")
        return cls(
            step=SetupStep(step),
            starts_at=starts_at,
            title=str(data.get("title") or ""),
            place=str(data.get("place") or ""),
            recurrence=Recurrence(str(data.get("recurrence") or "none")),
            in_group=bool(data.get("in_group")),
            or_else=or_else,
        )


def type_text(state: MeetingSetup, text: str, *, zone_name: str, now: datetime) -> MeetingSetup:
    """The answer to the step's question; MeetingInputError leaves the state as it was."""
    if state.step is SetupStep.WHEN:
        starts_at, or_else = read_when_or_ask(text, zone_name, now)
        return replace(
            state, starts_at=starts_at, or_else=or_else, step=_after(state, SetupStep.WHEN)
        )
    if state.step is SetupStep.TITLE:
        title = clean_text(text, limit=TITLE_MAX, what="title")
        return replace(state, title=title, step=_after(state, SetupStep.TITLE))
    if state.step is SetupStep.PLACE:
        return replace(state, place=clean_place(text), step=SetupStep.CONFIRM)
    return state


def _after(state: MeetingSetup, step: SetupStep) -> SetupStep:
    # After "Change", a new time goes straight back to the summary if the rest is filled in.
    if state.title and step is SetupStep.WHEN:
        return SetupStep.CONFIRM
    return SetupStep.TITLE if step is SetupStep.WHEN else SetupStep.PLACE
