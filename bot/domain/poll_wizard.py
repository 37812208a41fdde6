"""The guided poll set-up as a pure state machine: a state, a press or a typed text, a new state.

Nothing here knows about Telegram or the database. The state is serialised to plain JSON
(:meth:`WizardState.to_data`) and kept in a `poll_drafts` row between steps, so a restart
loses nothing. Every problem with what was typed or pressed raises PollInputError or WhenError
with a message for the person, and leaves the state as it was (states are immutable).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, time
from enum import IntEnum, StrEnum
from typing import Any

from bot.domain.poll_rules import (
    OPTION_MAX_LEN,
    OPTIONS_MAX,
    OPTIONS_MIN,
    QUESTION_MAX_LEN,
    QUESTION_TOO_LONG,
    PollDraft,
    PollInputError,
    PollKind,
    Visibility,
    fixed_options,
    normalise_option,
    normalise_question,
    option_key,
    same_option_error,
    validate_draft,
)
from bot.domain.problems import N_
from bot.domain.when import in_days, parse_when, tomorrow_at


class Step(StrEnum):
    KIND = "kind"
    QUESTION = "question"
    OPTIONS = "options"
    MAX_CHOICES = "max_choices"
    DEADLINE = "deadline"
    TYPE_DEADLINE = "type_deadline"
    CONFIRM_DEADLINE = "confirm_deadline"
    VISIBILITY = "visibility"
    PREVIEW = "preview"


# Numbers for callback data. Append only: buttons already sent carry these numbers.
_STEP_CODES: tuple[Step, ...] = tuple(Step)

# Steps where the person's next typed message belongs to the set-up. At DEADLINE a typed date
# is taken too, so someone who types instead of pressing "Type a date" is not turned away.
TEXT_STEPS = frozenset(
    {Step.QUESTION, Step.OPTIONS, Step.DEADLINE, Step.TYPE_DEADLINE, Step.CONFIRM_DEADLINE}
)


def step_code(step: Step) -> int:
    return _STEP_CODES.index(step)


def step_of_code(code: int) -> Step | None:
    return _STEP_CODES[code] if 0 <= code < len(_STEP_CODES) else None


class Button(IntEnum):
    """What a set-up button does; the number travels in callback data (append only)."""

    CANCEL = 0
    KIND = 1  # value: index in KINDS
    DONE = 2
    UNDO = 3
    MAX_CHOICES = 4  # value: how many
    DEADLINE = 5  # value: a DeadlineChoice
    CONFIRM_DEADLINE = 6
    CHANGE_DEADLINE = 7
    VISIBILITY = 8  # value: index in VISIBILITIES (only on set-ups left at that old step)
    POST = 9  # value: a PostChoice
    START_AGAIN = 10
    BACK_TO_DEADLINES = 11


class PostChoice(IntEnum):
    """How to post, when the equal-weight result could let a small role be worked out."""

    AS_PLANNED = 0  # nothing to choose: the result passes the privacy bar
    WITH_NOTICE = 1  # keep the equal say, and say so before anyone votes
    PROTECT = 2  # a head count only


class DeadlineChoice(IntEnum):
    NONE = 0  # a facilitator closes it
    TOMORROW_EVENING = 1
    IN_3_DAYS = 2
    IN_A_WEEK = 3
    TYPE = 4


KINDS: tuple[PollKind, ...] = (
    PollKind.SINGLE,
    PollKind.MULTIPLE,
    PollKind.PROPOSAL,
    PollKind.SCALE,
)
VISIBILITIES: tuple[Visibility, ...] = (
    Visibility.AFTER_CLOSE,
    Visibility.LIVE,
    Visibility.AFTER_VOTING,
)
EVENING = time(17, 0)


class StaleButtonError(Exception):
    """A button that does not fit the draft's current state (old message, or forged)."""


@dataclass(frozen=True, slots=True)
class WizardState:
    step: Step = Step.KIND
    kind: PollKind | None = None
    question: str = ""
    options: tuple[str, ...] = ()
    max_choices: int | None = None
    deadline_chosen: bool = False  # "no deadline" is a choice too
    deadline: datetime | None = None
    pending_deadline: datetime | None = None  # typed, waiting for Yes
    visibility: Visibility | None = None

    @property
    def needs_options(self) -> bool:
        return self.kind is not None and fixed_options(self.kind) is None

    @property
    def shown_options(self) -> tuple[str, ...]:
        """The options the poll will have: typed ones, or the kind's fixed ones."""
        fixed = None if self.kind is None else fixed_options(self.kind)
        return fixed if fixed is not None else self.options

    def to_data(self) -> dict[str, Any]:
        return {
            "kind": None if self.kind is None else self.kind.value,
            "question": self.question,
            "options": list(self.options),
            "max_choices": self.max_choices,
            "deadline_chosen": self.deadline_chosen,
            "deadline": _iso(self.deadline),
            "pending_deadline": _iso(self.pending_deadline),
            "visibility": None if self.visibility is None else self.visibility.value,
        }

    @classmethod
    def from_data(cls, step: str, data: dict[str, Any]) -> WizardState:
        """Rebuild a stored state; ValueError if the row does not make sense any more."""
        kind = data.get("kind")
        visibility = data.get("visibility")
        max_choices = data.get("max_choices")
        options = data.get("options") or []
        if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
            raise ValueError("stored options are not a list of text")
        if max_choices is not None and not isinstance(max_choices, int):
            raise ValueError("stored max_choices is not a number")
        return cls(
            step=Step(step),
            kind=None if kind is None else PollKind(kind),
            question=str(data.get("question") or ""),
            options=tuple(options),
            max_choices=max_choices,
            deadline_chosen=bool(data.get("deadline_chosen")),
            deadline=_from_iso(data.get("deadline")),
            pending_deadline=_from_iso(data.get("pending_deadline")),
            visibility=None if visibility is None else Visibility(visibility),
        )


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _from_iso(value: object) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise ValueError("stored time without a zone")
    return moment.astimezone(UTC)


# ------------------------------------------------------------------------------ typed text


EMPTY_OPTION = N_("That option is empty. Please type the option's words.")


def check_question(text: str) -> str:
    question = normalise_question(text)
    if not question:
        raise PollInputError(N_("The question is empty. Please type the question you want to ask."))
    if len(question) > QUESTION_MAX_LEN:
        raise PollInputError(QUESTION_TOO_LONG, length=len(question), limit=QUESTION_MAX_LEN)
    return question


def check_new_options(existing: tuple[str, ...], text: str) -> tuple[str, ...]:
    """The options typed in one message (one per line), checked against those already there.

    All or nothing: if one line is a problem, none of them is added.
    """
    lines = [normalise_option(line) for line in text.splitlines()]
    new = [line for line in lines if line]
    if not new:
        raise PollInputError(EMPTY_OPTION)
    seen = {option_key(option): option for option in existing}
    for option in new:
        if len(option) > OPTION_MAX_LEN:
            raise PollInputError(
                N_(
                    "“{start}…” is {length} characters long. Please keep each option to "
                    "{limit} characters or fewer."
                ),
                start=option[:30],
                length=len(option),
                limit=OPTION_MAX_LEN,
            )
        key = option_key(option)
        if not key:
            raise PollInputError(EMPTY_OPTION)
        if key in seen:
            raise same_option_error(seen[key], option)
        seen[key] = option
    if len(existing) + len(new) > OPTIONS_MAX:
        room = OPTIONS_MAX - len(existing)
        if room:
            raise PollInputError(
                N_("A poll can have at most {limit} options. There is room for {room} more."),
                limit=OPTIONS_MAX,
                room=room,
            )
        raise PollInputError(
            N_("A poll can have at most {limit} options. Please press Done."), limit=OPTIONS_MAX
        )
    return (*existing, *new)


def type_text(state: WizardState, text: str, *, now: datetime, zone_name: str) -> WizardState:
    """What the person typed, at a step that waits for text."""
    if state.step is Step.QUESTION:
        question = check_question(text)
        next_step = Step.OPTIONS if state.needs_options else Step.DEADLINE
        return replace(state, question=question, step=next_step)
    if state.step is Step.OPTIONS:
        return replace(state, options=check_new_options(state.options, text))
    if state.step in {Step.DEADLINE, Step.TYPE_DEADLINE, Step.CONFIRM_DEADLINE}:
        moment = parse_when(text, zone_name, now)
        return replace(state, pending_deadline=moment, step=Step.CONFIRM_DEADLINE)
    raise StaleButtonError("this step takes buttons, not text")


# ------------------------------------------------------------------------------ buttons


def preset_deadline(choice: DeadlineChoice, *, now: datetime, zone_name: str) -> datetime | None:
    if choice is DeadlineChoice.TOMORROW_EVENING:
        return tomorrow_at(now, zone_name, EVENING)
    if choice is DeadlineChoice.IN_3_DAYS:
        return in_days(now, zone_name, 3)
    if choice is DeadlineChoice.IN_A_WEEK:
        return in_days(now, zone_name, 7)
    return None


def _pick(values: tuple[Any, ...], index: int) -> Any:
    if not 0 <= index < len(values):
        raise StaleButtonError("no such choice")
    return values[index]


def press(
    state: WizardState, button: Button, value: int, *, now: datetime, zone_name: str
) -> WizardState:
    """A set-up button other than Cancel and Post (those end the draft; the service does them).

    Raises StaleButtonError for a button that does not belong to the current step.
    """
    step = state.step
    if button is Button.START_AGAIN and step is Step.PREVIEW:
        return WizardState()
    if button is Button.KIND and step is Step.KIND:
        kind: PollKind = _pick(KINDS, value)
        # Options typed for another kind would not fit: start the options afresh.
        return WizardState(step=Step.QUESTION, kind=kind)
    if step is Step.OPTIONS and button is Button.UNDO:
        if not state.options:
            raise PollInputError(N_("There are no options to undo yet."))
        return replace(state, options=state.options[:-1])
    if step is Step.OPTIONS and button is Button.DONE:
        if len(state.options) < OPTIONS_MIN:
            raise PollInputError(
                N_("A poll needs at least {count} options. Please type one more."),
                count=OPTIONS_MIN,
            )
        if state.kind is PollKind.MULTIPLE:
            return replace(state, step=Step.MAX_CHOICES)
        return replace(state, max_choices=None, step=Step.DEADLINE)
    if step is Step.MAX_CHOICES and button is Button.MAX_CHOICES:
        if not 1 <= value <= len(state.options):
            raise StaleButtonError("more than there are options")
        return replace(state, max_choices=value, step=Step.DEADLINE)
    if step is Step.DEADLINE and button is Button.DEADLINE:
        choice = DeadlineChoice(_pick(tuple(DeadlineChoice), value))
        if choice is DeadlineChoice.TYPE:
            return replace(state, step=Step.TYPE_DEADLINE)
        deadline = preset_deadline(choice, now=now, zone_name=zone_name)
        return _to_preview(replace(state, deadline_chosen=True, deadline=deadline))
    if step is Step.TYPE_DEADLINE and button is Button.BACK_TO_DEADLINES:
        return replace(state, step=Step.DEADLINE)
    if step is Step.CONFIRM_DEADLINE and button is Button.CONFIRM_DEADLINE:
        if state.pending_deadline is None:
            raise StaleButtonError("nothing to confirm")
        if state.pending_deadline <= now:
            raise PollInputError(
                N_("That time has passed in the meantime. Please choose a later one.")
            )
        return _to_preview(
            replace(
                state, deadline_chosen=True, deadline=state.pending_deadline, pending_deadline=None
            )
        )
    if step is Step.CONFIRM_DEADLINE and button is Button.CHANGE_DEADLINE:
        return replace(state, pending_deadline=None, step=Step.DEADLINE)
    if step is Step.VISIBILITY and button is Button.VISIBILITY:
        # A set-up left at the old results step: whatever is pressed, results come at close.
        _pick(VISIBILITIES, value)
        return _to_preview(state)
    raise StaleButtonError("that button does not belong to this step")


def _to_preview(state: WizardState) -> WizardState:
    """Results are shown when the poll closes, always (bot/domain/disclosure.py): there is
    no results step to ask about any more."""
    return replace(state, visibility=Visibility.AFTER_CLOSE, step=Step.PREVIEW)


def final_draft(state: WizardState) -> PollDraft:
    """The poll to create, checked once more by the same rules as every other poll."""
    if state.step is not Step.PREVIEW or state.kind is None or state.visibility is None:
        raise StaleButtonError("the set-up is not finished")
    return validate_draft(
        state.question,
        state.options if state.needs_options else (),
        kind=state.kind,
        max_choices=state.max_choices if state.kind is PollKind.MULTIPLE else None,
        visibility=state.visibility,
    )
