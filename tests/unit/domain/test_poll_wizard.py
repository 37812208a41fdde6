"""The guided set-up's state machine, without Telegram or a database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.poll_rules import PollInputError, PollKind, Visibility
from bot.domain.poll_wizard import (
    Button,
    DeadlineChoice,
    StaleButtonError,
    Step,
    WizardState,
    final_draft,
    press,
    step_code,
    step_of_code,
    type_text,
)

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
ZONE = "Europe/London"


def tap(state: WizardState, button: Button, value: int = 0) -> WizardState:
    return press(state, button, value, now=NOW, zone_name=ZONE)


def typed(state: WizardState, text: str) -> WizardState:
    return type_text(state, text, now=NOW, zone_name=ZONE)


def test_a_multiple_choice_poll_step_by_step() -> None:
    state = tap(WizardState(), Button.KIND, 1)
    assert (state.step, state.kind) == (Step.QUESTION, PollKind.MULTIPLE)
    state = typed(state, "  Which   days? ")
    assert (state.step, state.question) == (Step.OPTIONS, "Which days?")
    state = typed(state, "Mon\n\n  Tue  \nWed")
    assert state.options == ("Mon", "Tue", "Wed")
    state = tap(state, Button.UNDO)
    state = tap(state, Button.DONE)
    assert state.step is Step.MAX_CHOICES
    with pytest.raises(StaleButtonError):
        tap(state, Button.MAX_CHOICES, 3)  # only two options now
    state = tap(state, Button.MAX_CHOICES, 2)
    state = tap(state, Button.DEADLINE, DeadlineChoice.TYPE)
    state = typed(state, "tomorrow 2pm")
    assert state.step is Step.CONFIRM_DEADLINE
    state = tap(state, Button.CONFIRM_DEADLINE)
    assert state.deadline == datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
    # No results step: results come when the poll closes, always (issue 12).
    assert state.step is Step.PREVIEW
    draft = final_draft(state)
    assert (draft.kind, draft.options, draft.max_choices, draft.visibility) == (
        PollKind.MULTIPLE,
        ("Mon", "Tue"),
        2,
        Visibility.AFTER_CLOSE,
    )
    # What is stored comes back the same.
    assert WizardState.from_data(state.step.value, state.to_data()) == state


def test_proposals_and_scales_skip_the_options() -> None:
    for index, kind in ((2, PollKind.PROPOSAL), (3, PollKind.SCALE)):
        state = typed(tap(WizardState(), Button.KIND, index), "Agreed?")
        assert state.step is Step.DEADLINE
        state = tap(state, Button.DEADLINE, DeadlineChoice.NONE)
        draft = final_draft(state)
        assert draft.kind is kind and len(draft.options) in (4, 5)


def test_problems_leave_the_state_alone() -> None:
    state = typed(tap(WizardState(), Button.KIND, 0), "Where?")
    state = typed(state, "Here")
    with pytest.raises(PollInputError):
        tap(state, Button.DONE)
    with pytest.raises(PollInputError):
        typed(state, "HERE")
    assert state.options == ("Here",)


def test_buttons_of_other_steps_are_stale() -> None:
    with pytest.raises(StaleButtonError):
        tap(WizardState(), Button.DONE)
    with pytest.raises(StaleButtonError):
        tap(WizardState(), Button.KIND, 4)
    with pytest.raises(StaleButtonError):
        final_draft(WizardState())
    with pytest.raises(StaleButtonError):
        typed(WizardState(), "text at the kind step")


def test_step_codes_round_trip() -> None:
    for step in Step:
        assert step_of_code(step_code(step)) is step
    assert step_of_code(99) is None


def test_a_set_up_left_at_the_old_results_step_still_finishes_after_close() -> None:
    """A draft stored at the results step before it was removed: any choice posts a poll whose
    results wait for the close."""
    state = typed(tap(WizardState(), Button.KIND, 2), "Agreed?")
    old = WizardState.from_data(Step.VISIBILITY.value, state.to_data())
    state = tap(old, Button.VISIBILITY, 1)  # "Live", pressed on the old message
    assert state.step is Step.PREVIEW
    assert final_draft(state).visibility is Visibility.AFTER_CLOSE
    with pytest.raises(StaleButtonError):
        tap(old, Button.VISIBILITY, 7)
