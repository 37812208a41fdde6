"""Texts and buttons for the guided poll set-up in the private chat. HTML; user text escaped."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.disclosure import Plan
from bot.domain.poll_rules import OPTIONS_MAX, OPTIONS_MIN, QUESTION_MAX_LEN, PollKind, Visibility
from bot.domain.poll_wizard import (
    KINDS,
    VISIBILITIES,
    Button,
    DeadlineChoice,
    PostChoice,
    Step,
    WizardState,
    step_code,
)
from bot.domain.results_text import join_words
from bot.domain.roles import ROLES
from bot.domain.when import EXAMPLES, describe_when, zone_label
from bot.views.callbacks import Action, decode, encode
from bot.views.links import start_link
from bot.views.poll_disclosure import RUNG_WORDS

KIND_LABELS: dict[PollKind, tuple[str, str]] = {
    PollKind.SINGLE: ("Single choice", "everyone picks one option."),
    PollKind.MULTIPLE: ("Multiple choice", "people can pick more than one option."),
    PollKind.PROPOSAL: (
        "Proposal",
        "people agree, are unsure, disagree, or block (a serious objection).",
    ),
    PollKind.SCALE: ("Scale 1 to 5", "people rate something from 1 (low) to 5 (high)."),
}

VISIBILITY_LABELS: dict[Visibility, tuple[str, str]] = {
    Visibility.AFTER_CLOSE: (
        "After the poll closes (recommended)",
        "nobody sees results until the poll closes. The safest for privacy.",
    ),
    Visibility.LIVE: (
        "Live",
        "everyone sees the count as it changes, so people may guess a vote "
        "by watching the count change.",
    ),
    Visibility.AFTER_VOTING: (
        "After voting (privately)",
        "each person can see the results privately once they have voted.",
    ),
}

DEADLINE_LABELS: dict[DeadlineChoice, str] = {
    DeadlineChoice.NONE: "No deadline (a facilitator closes it)",
    DeadlineChoice.TOMORROW_EVENING: "Tomorrow at 17:00",
    DeadlineChoice.IN_3_DAYS: "In 3 days",
    DeadlineChoice.IN_A_WEEK: "In a week",
    DeadlineChoice.TYPE: "Type a date and time",
}

# --------------------------------------------------------------------------- in the group

NEWPOLL_IN_GROUP_ONLY = (
    "Please use /newpoll in the group the poll is for. I will then help you set it up here."
)
ONLY_FACILITATORS_CREATE = "Sorry, only the group's organisers can create polls here."
SET_UP_LABEL = "Set up the poll in private"


def set_up_in_private() -> str:
    return "Let's make a poll. Press the button and I will guide you, step by step, in private."


def set_up_keyboard(bot_username: str, payload: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(SET_UP_LABEL, url=start_link(bot_username, payload))]]
    )


# --------------------------------------------------------------------------- in private

BAD_LINK = (
    "Sorry, I could not use that link. Please press <b>Set up the poll in private</b> "
    "again, or type /newpoll in your group."
)
NOT_ALLOWED = (
    "Sorry, you cannot create polls in that group. Only its facilitators can, "
    "unless they allow everyone."
)
NOT_UNDERSTOOD = (
    "I am not sure what to do with that message. Type /help to see what I can do, "
    "or use the buttons on my messages."
)
NOT_ALLOWED_SHORT = "Sorry, you cannot create polls in that group any more."
CANCELLED = "Cancelled. Nothing was posted. Type /newpoll in your group to start again."
CANCELLED_SHORT = "Cancelled"
STALE = "This button is no longer in use. Nothing was changed."
NOT_SENT_TO_GROUP = (
    "The poll is made, but I could not post it in the group. Please check I am still a "
    "member there and allowed to send messages."
)


def posted(group_title: str) -> str:
    return (
        f"Done! Your poll is now in <b>{escape(group_title)}</b>. "
        "Type /newpoll in a group to make another."
    )


def problem(message: str) -> str:
    return f"⚠️ {escape(message)}"


@dataclass(frozen=True, slots=True)
class WizardPress:
    draft_id: int
    step_code: int
    button: Button
    value: int


def _data(draft_id: int, step: Step, button: Button, value: int = 0) -> str:
    return encode(Action.WIZARD, draft_id, step_code(step), button.value, value)


def decode_press(data: str | None) -> WizardPress | None:
    """A set-up button's meaning, or None for anything malformed."""
    press = decode(data)
    if press is None or press.action is not Action.WIZARD or len(press.args) != 4:
        return None
    draft_id, code, button, value = press.args
    try:
        return WizardPress(draft_id, code, Button(button), value)
    except ValueError:
        return None


def _button(
    label: str, draft_id: int, step: Step, button: Button, value: int = 0
) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(label, callback_data=_data(draft_id, step, button, value))]


def _cancel(draft_id: int, step: Step) -> list[InlineKeyboardButton]:
    return _button("Cancel", draft_id, step, Button.CANCEL)


def _options_list(options: tuple[str, ...]) -> str:
    return "\n".join(f"{n}. {escape(option)}" for n, option in enumerate(options, start=1))


def _kind_label(kind: PollKind | None) -> str:
    return "" if kind is None else KIND_LABELS[kind][0]


def _deadline_words(state: WizardState, zone_name: str) -> str:
    if state.deadline is None:
        return "No deadline: a facilitator closes it"
    return describe_when(state.deadline, zone_name)


def step_message(
    state: WizardState,
    draft_id: int,
    group_title: str,
    zone_name: str,
    *,
    plan: Plan | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons for the step the draft is at (`plan`: what the poll would show,
    worked out for the preview)."""
    step = state.step
    rows: list[list[InlineKeyboardButton]] = []
    title = escape(group_title)
    if step is Step.KIND:
        lines = [f"<b>New poll for {title}</b>", "", "What kind of poll is it?"]
        for index, kind in enumerate(KINDS):
            label, explanation = KIND_LABELS[kind]
            lines.append(f"• <b>{label}</b>: {explanation}")
            rows.append(_button(label, draft_id, step, Button.KIND, index))
        text = "\n".join(lines)
    elif step is Step.QUESTION:
        what = "proposal" if state.kind is PollKind.PROPOSAL else "question"
        text = (
            f"<b>{_kind_label(state.kind)}</b>. Now type your {what} in one message, "
            f"up to {QUESTION_MAX_LEN} characters. Short and clear works best."
        )
    elif step is Step.OPTIONS:
        text = _options_text(state)
        if len(state.options) >= OPTIONS_MIN:
            rows.append(_button("Done", draft_id, step, Button.DONE))
        if state.options:
            rows.append(_button("Undo last", draft_id, step, Button.UNDO))
    elif step is Step.MAX_CHOICES:
        text = "<b>How many can each person choose?</b>"
        numbers = [
            InlineKeyboardButton(str(n), callback_data=_data(draft_id, step, Button.MAX_CHOICES, n))
            for n in range(1, len(state.options) + 1)
        ]
        # Five to a row: ten buttons in one row are too narrow to hit on a phone.
        rows += [numbers[i : i + 5] for i in range(0, len(numbers), 5)]
    elif step is Step.DEADLINE:
        text = (
            "<b>When should the poll close?</b>\n"
            f"Times are {escape(zone_label(zone_name))} time. You can also type a date and "
            f"time, like {EXAMPLES}."
        )
        for choice, label in DEADLINE_LABELS.items():
            rows.append(_button(label, draft_id, step, Button.DEADLINE, choice.value))
    elif step is Step.TYPE_DEADLINE:
        text = (
            f"Type the date and time the poll should close, like {EXAMPLES}.\n"
            f"Times are {escape(zone_label(zone_name))} time."
        )
        rows.append(_button("Back to the choices", draft_id, step, Button.BACK_TO_DEADLINES))
    elif step is Step.CONFIRM_DEADLINE:
        when = (
            ""
            if state.pending_deadline is None
            else describe_when(state.pending_deadline, zone_name)
        )
        text = f"The poll will close on <b>{escape(when)}</b>.\nIs that right?"
        rows.append(
            [
                InlineKeyboardButton(
                    "Yes", callback_data=_data(draft_id, step, Button.CONFIRM_DEADLINE)
                ),
                InlineKeyboardButton(
                    "Change", callback_data=_data(draft_id, step, Button.CHANGE_DEADLINE)
                ),
            ]
        )
    elif step is Step.VISIBILITY:
        lines = ["<b>When should people see the results?</b>"]
        for index, visibility in enumerate(VISIBILITIES):
            label, explanation = VISIBILITY_LABELS[visibility]
            lines.append(f"• <b>{label}</b>: {explanation}")
            rows.append(_button(label, draft_id, step, Button.VISIBILITY, index))
        text = "\n".join(lines)
    else:
        text = preview(state, group_title, zone_name, plan)
        if plan is not None and plan.needs_choice:
            rows.append(
                _button(POST_WITH_NOTICE, draft_id, step, Button.POST, PostChoice.WITH_NOTICE)
            )
            rows.append(_button(POST_PROTECTED, draft_id, step, Button.POST, PostChoice.PROTECT))
        else:
            rows.append(_button("Post", draft_id, step, Button.POST, PostChoice.AS_PLANNED))
        rows.append(_button("Start again", draft_id, step, Button.START_AGAIN))
    rows.append(_cancel(draft_id, step))
    return text, InlineKeyboardMarkup(rows)


def _options_text(state: WizardState) -> str:
    count = len(state.options)
    if not count:
        return (
            "Now type the options people can choose from: one per message, or several "
            f"in one message, one per line. You need {OPTIONS_MIN} to {OPTIONS_MAX}."
        )
    lines = [f"Options so far ({count}):", _options_list(state.options), ""]
    if count >= OPTIONS_MAX:
        lines.append("That is the most a poll can have. Press <b>Done</b>.")
    elif count < OPTIONS_MIN:
        lines.append("Type another option.")
    else:
        lines.append("Type another option, or press <b>Done</b>.")
    return "\n".join(lines)


POST_WITH_NOTICE = "Post: equal say, with notice"
POST_PROTECTED = "Post: protect small roles"


def small_roles_choice(plan: Plan) -> list[str]:
    """Why the facilitator must choose, and what each choice means, in plain words."""
    who = join_words([r.plural for r in ROLES if r in plan.exposed]) or "some roles"
    return [
        f"<b>In a group this size, an equal-weight result could sometimes let people work "
        f"out how {who} voted</b> (for example if two people compare their own votes).",
        "Please choose:",
        f"• <b>{POST_WITH_NOTICE}</b>: the result says what equal weight decides (no "
        "figures), and the poll tells everyone this before they vote.",
        f"• <b>{POST_PROTECTED}</b>: the result shows only the votes for each option, with "
        "no equal-weight result.",
    ]


def preview(state: WizardState, group_title: str, zone_name: str, plan: Plan | None = None) -> str:
    lines = [
        f"<b>Here is your poll for {escape(group_title)}</b>",
        "",
        f"<b>{escape(state.question)}</b>",
        _options_list(state.shown_options),
        "",
        f"Kind: {_kind_label(state.kind)}",
    ]
    if state.kind is PollKind.MULTIPLE and state.max_choices is not None:
        lines.append(f"Each person can choose up to {state.max_choices}")
    lines.append(f"Closes: {escape(_deadline_words(state, zone_name))}")
    if plan is not None and plan.needs_choice:
        lines += ["", *small_roles_choice(plan)]
        return "\n".join(lines)
    if plan is not None:
        lines.append(f"Results: when the poll closes, I will show {RUNG_WORDS[plan.rung]}.")
    else:
        lines.append("Results: when the poll closes")
    lines += ["", "Post it in the group?"]
    return "\n".join(lines)
