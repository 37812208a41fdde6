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
from bot.domain.problems import ProblemError
from bot.domain.roles import ROLES
from bot.domain.when import EXAMPLES, zone_label
from bot.i18n import N_, _
from bot.i18n.formats import when_words
from bot.views import role_words as words
from bot.views.callbacks import Action, decode, encode
from bot.views.links import start_link
from bot.views.poll_disclosure import RUNG_WORDS
from bot.views.poll_wording import option_names, word_list
from bot.views.problems import problem_words

KIND_LABELS: dict[PollKind, tuple[str, str]] = {
    PollKind.SINGLE: (N_("Single choice"), N_("everyone picks one option.")),
    PollKind.MULTIPLE: (N_("Multiple choice"), N_("people can pick more than one option.")),
    PollKind.PROPOSAL: (
        N_("Proposal"),
        N_("people agree, are unsure, disagree, or block (a serious objection)."),
    ),
    PollKind.SCALE: (N_("Scale 1 to 5"), N_("people rate something from 1 (low) to 5 (high).")),
}

VISIBILITY_LABELS: dict[Visibility, tuple[str, str]] = {
    Visibility.AFTER_CLOSE: (
        N_("After the poll closes (recommended)"),
        N_("nobody sees results until the poll closes. The safest for privacy."),
    ),
    Visibility.LIVE: (
        N_("Live"),
        N_(
            "everyone sees the count as it changes, so people may guess a vote "
            "by watching the count change."
        ),
    ),
    Visibility.AFTER_VOTING: (
        N_("After voting (privately)"),
        N_("each person can see the results privately once they have voted."),
    ),
}

DEADLINE_LABELS: dict[DeadlineChoice, str] = {
    DeadlineChoice.NONE: N_("No deadline (an organiser closes it)"),
    DeadlineChoice.TOMORROW_EVENING: N_("Tomorrow at 17:00"),
    DeadlineChoice.IN_3_DAYS: N_("In 3 days"),
    DeadlineChoice.IN_A_WEEK: N_("In a week"),
    DeadlineChoice.TYPE: N_("Type a date and time"),
}

# --------------------------------------------------------------------------- in the group

NEWPOLL_IN_GROUP_ONLY = N_(
    "Please use /newpoll in the group the poll is for. I will then help you set it up here."
)
ONLY_FACILITATORS_CREATE = N_("Sorry, only the group's organisers can create polls here.")
SET_UP_LABEL = N_("Set up the poll in private")


def set_up_in_private() -> str:
    return _("Let's make a poll. Press the button and I will guide you, step by step, in private.")


def set_up_keyboard(bot_username: str, payload: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(SET_UP_LABEL, url=start_link(bot_username, payload))]]
    )


# --------------------------------------------------------------------------- in private

BAD_LINK = N_(
    "Sorry, I could not use that link. Please press <b>Set up the poll in private</b> "
    "again, or type /newpoll in your group."
)
NOT_ALLOWED = N_(
    "Sorry, you cannot make polls in that group. Only its organisers can. They can let "
    "everyone do it."
)
NOT_UNDERSTOOD = N_(
    "I am not sure what to do with that message. Type /help to see what I can do, "
    "or use the buttons on my messages."
)
NOT_ALLOWED_SHORT = N_("Sorry, you cannot create polls in that group any more.")
CANCELLED = N_("Cancelled. Nothing was posted. Type /newpoll in your group to start again.")
# Not the bare "Cancelled": that is a meeting's word in the catalogue ("Odwołano", called off).
CANCELLED_SHORT = N_("Cancelled. Nothing was posted.")
POSTED_SHORT = N_("Posted")
STALE = N_("This button is no longer in use. Nothing was changed.")
NOT_SENT_TO_GROUP = N_(
    "The poll is made, but I could not post it in the group. Please check I am still a "
    "member there and allowed to send messages."
)


def posted(group_title: str) -> str:
    return _(
        "Done! Your poll is now in <b>{group}</b>. Type /newpoll in a group to make another."
    ).format(group=escape(group_title))


def problem(message: ProblemError | str) -> str:
    """A refused step, in the reader's language: a domain problem, or a marked English text."""
    words = _(message) if isinstance(message, str) else problem_words(message)
    return f"⚠️ {escape(words)}"


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
    return _button(_("Cancel"), draft_id, step, Button.CANCEL)


def _options_list(options: tuple[str, ...]) -> str:
    return "\n".join(f"{n}. {escape(option)}" for n, option in enumerate(options, start=1))


def _kind_label(kind: PollKind | None) -> str:
    return "" if kind is None else _(KIND_LABELS[kind][0])


def _deadline_words(state: WizardState, zone_name: str) -> str:
    if state.deadline is None:
        return _("No deadline: an organiser closes it")
    return when_words(state.deadline, zone_name)


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
        lines = [
            _("<b>New poll for {group}</b>").format(group=title),
            "",
            _("What kind of poll is it?"),
        ]
        for index, kind in enumerate(KINDS):
            label, explanation = _(KIND_LABELS[kind][0]), _(KIND_LABELS[kind][1])
            lines.append(f"• <b>{label}</b>: {explanation}")
            rows.append(_button(label, draft_id, step, Button.KIND, index))
        text = "\n".join(lines)
    elif step is Step.QUESTION:
        ask = (
            _(
                "<b>{kind}</b>. Now type your proposal in one message, up to {limit} "
                "characters. Short and clear works best."
            )
            if state.kind is PollKind.PROPOSAL
            else _(
                "<b>{kind}</b>. Now type your question in one message, up to {limit} "
                "characters. Short and clear works best."
            )
        )
        text = ask.format(kind=_kind_label(state.kind), limit=QUESTION_MAX_LEN)
    elif step is Step.OPTIONS:
        text = _options_text(state)
        if len(state.options) >= OPTIONS_MIN:
            rows.append(_button(_("Done"), draft_id, step, Button.DONE))
        if state.options:
            rows.append(_button(_("Undo last"), draft_id, step, Button.UNDO))
    elif step is Step.MAX_CHOICES:
        text = _("<b>How many can each person choose?</b>")
        numbers = [
            InlineKeyboardButton(str(n), callback_data=_data(draft_id, step, Button.MAX_CHOICES, n))
            for n in range(1, len(state.options) + 1)
        ]
        # Five to a row: ten buttons in one row are too narrow to hit on a phone.
        rows += [numbers[i : i + 5] for i in range(0, len(numbers), 5)]
    elif step is Step.DEADLINE:
        text = _(
            "<b>When should the poll close?</b>\n"
            "Times are {place} time. You can also type a date and time, like {examples}."
        ).format(place=escape(zone_label(zone_name)), examples=_(EXAMPLES))
        for choice, label in DEADLINE_LABELS.items():
            rows.append(_button(_(label), draft_id, step, Button.DEADLINE, choice.value))
    elif step is Step.TYPE_DEADLINE:
        text = _(
            "Type the date and time the poll should close, like {examples}.\n"
            "Times are {place} time."
        ).format(place=escape(zone_label(zone_name)), examples=_(EXAMPLES))
        rows.append(_button(_("Back to the choices"), draft_id, step, Button.BACK_TO_DEADLINES))
    elif step is Step.CONFIRM_DEADLINE:
        when = (
            "" if state.pending_deadline is None else when_words(state.pending_deadline, zone_name)
        )
        text = _("The poll will close on <b>{when}</b>.\nIs that right?").format(when=escape(when))
        rows.append(
            [
                InlineKeyboardButton(
                    _("Yes"), callback_data=_data(draft_id, step, Button.CONFIRM_DEADLINE)
                ),
                InlineKeyboardButton(
                    _("Change"), callback_data=_data(draft_id, step, Button.CHANGE_DEADLINE)
                ),
            ]
        )
    elif step is Step.VISIBILITY:
        lines = [_("<b>When should people see the results?</b>")]
        for index, visibility in enumerate(VISIBILITIES):
            label, explanation = (_(x) for x in VISIBILITY_LABELS[visibility])
            lines.append(f"• <b>{label}</b>: {explanation}")
            rows.append(_button(label, draft_id, step, Button.VISIBILITY, index))
        text = "\n".join(lines)
    else:
        text = preview(state, group_title, zone_name, plan)
        if plan is not None and plan.needs_choice:
            rows.append(
                _button(_(POST_WITH_NOTICE), draft_id, step, Button.POST, PostChoice.WITH_NOTICE)
            )
            rows.append(_button(_(POST_PROTECTED), draft_id, step, Button.POST, PostChoice.PROTECT))
        else:
            rows.append(_button(_("Post"), draft_id, step, Button.POST, PostChoice.AS_PLANNED))
        rows.append(_button(_("Start again"), draft_id, step, Button.START_AGAIN))
    rows.append(_cancel(draft_id, step))
    return text, InlineKeyboardMarkup(rows)


def _options_text(state: WizardState) -> str:
    count = len(state.options)
    if not count:
        return _(
            "Now type the options people can choose from: one per message, or several "
            "in one message, one per line. You need {least} to {most}."
        ).format(least=OPTIONS_MIN, most=OPTIONS_MAX)
    lines = [
        _("Options so far ({count}):").format(count=count),
        _options_list(state.options),
        "",
    ]
    if count >= OPTIONS_MAX:
        lines.append(_("That is the most a poll can have. Press <b>Done</b>."))
    elif count < OPTIONS_MIN:
        lines.append(_("Type another option."))
    else:
        lines.append(_("Type another option, or press <b>Done</b>."))
    return "\n".join(lines)


POST_WITH_NOTICE = N_("Post: equal say, with notice")
POST_PROTECTED = N_("Post: protect small roles")


def small_roles_choice(plan: Plan) -> list[str]:
    """Why the facilitator must choose, and what each choice means, in plain words."""
    who = word_list([words.plural(r) for r in ROLES if r in plan.exposed]) or _("some roles")
    return [
        _(
            "<b>This group is small, so the result could sometimes let people work out how "
            "{roles} voted.</b> For example, two people could compare their votes."
        ).format(roles=who),
        _("Please choose:"),
        _(
            "• <b>{choice}</b>: the result says what equal weight decides, with no figures. "
            "The poll tells everyone this first."
        ).format(choice=_(POST_WITH_NOTICE)),
        _(
            "• <b>{choice}</b>: the result shows only the votes for each option. There is no "
            "equal-weight result."
        ).format(choice=_(POST_PROTECTED)),
    ]


def preview(state: WizardState, group_title: str, zone_name: str, plan: Plan | None = None) -> str:
    lines = [
        _("<b>Here is your poll for {group}</b>").format(group=escape(group_title)),
        "",
        f"<b>{escape(state.question)}</b>",
        _options_list(option_names(state.kind, state.shown_options)),
        "",
        _("Kind: {kind}").format(kind=_kind_label(state.kind)),
    ]
    if state.kind is PollKind.MULTIPLE and state.max_choices is not None:
        lines.append(_("Each person can choose up to {count}").format(count=state.max_choices))
    lines.append(_("Closes: {when}").format(when=escape(_deadline_words(state, zone_name))))
    if plan is not None and plan.needs_choice:
        lines += ["", *small_roles_choice(plan)]
        return "\n".join(lines)
    if plan is not None:
        lines.append(
            _("Results: when the poll closes, I will show {what}.").format(
                what=_(RUNG_WORDS[plan.rung])
            )
        )
    else:
        lines.append(_("Results: when the poll closes"))
    lines += ["", _("Post it in the group?")]
    return "\n".join(lines)
