"""The poll message in the group, its buttons, reminders and the /polls list.

Handlers import poll views from here: the button answers and the results texts live in their
own modules and are re-exported below, so there is one place to look.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.poll_rules import PROPOSAL_OPTIONS, PollKind, results_visible
from bot.domain.poll_snapshot import PollSnapshot
from bot.i18n import N_, _, ngettext
from bot.views.callbacks import Action, encode
from bot.views.limits import MESSAGE_LIMIT, shorten, utf16_length
from bot.views.poll_disclosure import results_promise, total_voters_sentence, turnout_sentence
from bot.views.poll_results import EQUAL_WEIGHT_ALL, EQUAL_WEIGHT_SOME, option_figures
from bot.views.poll_sentences import results_summary
from bot.views.poll_wording import (
    SCALE_MEANING,
    bold_lines,
    fit,
    long_time,
    option_names,
    short_options,
    short_time,
    time_left,
    votes_word,
)

BUTTON_LABEL_LIMIT = 32  # a phone shows about this much of a full-width button
# Button labels: fixed texts, translated as they leave (bot/i18n/outbound.py).
EXPORT_BUTTON = N_("Results as CSV (organisers)")
WITHDRAW_BUTTON = N_("Withdraw my vote")
TURNOUT_BUTTON = N_("Who has voted? (organisers)")
CLOSE_BUTTON = N_("Close poll (organisers)")
PRIVATE_VOTE = N_("Nobody can see what you chose.")
CLOSED_NOTE = N_("This poll is closed.")
REOPENED_NOTE = N_("Reopened by an organiser.")
# Said before anyone votes again, as the notice for small roles is (DESIGN section 3): the
# first results were seen, and a vote given or changed now moves the second ones.
REOPENED_WARNING = N_(
    "Please note: people saw the first results. If only one or two people vote or change their "
    "vote now, others could compare and see how they voted."
)


def how_to_vote(kind: PollKind, max_choices: int, n_options: int) -> str:
    """One paragraph on how to vote in this kind of poll."""
    if kind is PollKind.MULTIPLE:
        if max_choices >= n_options:
            how = _(
                "<b>How to vote:</b> press the buttons below to choose as many as you like; "
                "press again to take a choice back."
            )
        else:
            how = ngettext(
                "<b>How to vote:</b> press the buttons below to choose up to {count}; press "
                "again to take a choice back.",
                "<b>How to vote:</b> press the buttons below to choose up to {count}; press "
                "again to take a choice back.",
                max_choices,
            ).format(count=max_choices)
    elif kind is PollKind.PROPOSAL:
        how = _(
            "<b>How to vote:</b> press <b>{agree}</b>, <b>{unsure}</b>, <b>{disagree}</b> or "
            "<b>{block}</b> below. A Block means a serious objection: you cannot go along with "
            "this. You can give a reason in private if you like; it is shown without your "
            "name."
        ).format(
            **dict(
                zip(
                    ("agree", "unsure", "disagree", "block"),
                    option_names(kind, PROPOSAL_OPTIONS),
                    strict=True,
                )
            )
        )
    elif kind is PollKind.SCALE:
        how = _("<b>How to vote:</b> press a number below ({meaning}).").format(
            meaning=_(SCALE_MEANING)
        )
    else:
        how = _("<b>How to vote:</b> press a button below.")
    return f"{how} {_(PRIVATE_VOTE)}"


def _option_lines(s: PollSnapshot, options: tuple[str, ...], show_results: bool) -> list[str]:
    pub = s.publication
    lines = []
    for i, option in enumerate(options):
        figures = option_figures(pub, i) if show_results else None
        # Fixed options (proposal, scale) are on the buttons; list them only with figures.
        if figures is None and s.kind in (PollKind.PROPOSAL, PollKind.SCALE):
            continue
        line = f"{i + 1}. {escape(option)}" if s.kind is not PollKind.SCALE else escape(option)
        lines.append(line + (f": <b>{escape(figures)}</b>" if figures else ""))
    return lines


def _timing_line(s: PollSnapshot, now: datetime) -> str | None:
    if s.closed:
        return None
    if s.deadline is None:
        return _("Open until an organiser closes it.")
    if s.deadline <= now:
        return _("The closing time has passed: the poll is closing now.")
    return _("Closes {when}.").format(when=long_time(s.deadline, s.timezone))


def _results_lines(s: PollSnapshot, options: tuple[str, ...], show_results: bool) -> list[str]:
    if not show_results:
        return [f"<i>{escape(line)}</i>" for line in results_promise(s)]
    pub = s.publication
    if pub.total_voters == 0:
        return []
    lines = [f"<b>{escape(results_summary(pub, options, s.kind))}</b>"]
    if pub.carries_equal_weight:
        lines.append(f"<i>{_(EQUAL_WEIGHT_ALL if pub.balanced else EQUAL_WEIGHT_SOME)}</i>")
    return lines


def poll_message(s: PollSnapshot, *, now: datetime) -> str:
    """The poll as posted (and edited) in the group."""
    show_results = results_visible(s.visibility, closed=s.closed, has_voted=False)

    def render(question_limit: int, option_limit: int) -> str:
        options = short_options(option_names(s.kind, s.options), option_limit)
        lines = [bold_lines(shorten(s.question, question_limit))]
        option_lines = _option_lines(s, options, show_results)
        if option_lines:
            lines += ["", *option_lines]
        lines.append("")
        if s.closed:
            lines.append(f"<b>{_(CLOSED_NOTE)}</b>")
        else:
            if s.reopened:
                lines += [f"<b>{_(REOPENED_NOTE)}</b>", f"<i>{_(REOPENED_WARNING)}</i>", ""]
            lines.append(how_to_vote(s.kind, s.max_choices, len(s.options)))
        # While open, the number of voters only: a count per role that went up just after
        # someone pressed would tell their role (issue 12).
        turnout = (
            turnout_sentence(s.publication)
            if s.closed
            else total_voters_sentence(s.total_voters, closed=False)
        )
        lines += ["", escape(turnout)]
        timing = _timing_line(s, now)
        if timing:
            lines.append(escape(timing))
        lines += _results_lines(s, options, show_results)
        return "\n".join(lines)

    return fit(render)


def _button(label: str, action: Action, *args: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(action, *args))


def poll_keyboard(s: PollSnapshot) -> InlineKeyboardMarkup | None:
    """Vote buttons and the poll's controls; after closing, only the facilitators' export."""
    if s.closed:
        return InlineKeyboardMarkup([[_button(EXPORT_BUTTON, Action.EXPORT, s.id)]])
    rows: list[list[InlineKeyboardButton]]
    if s.kind is PollKind.SCALE:
        rows = [[_button(o, Action.VOTE, s.id, i) for i, o in enumerate(s.options)]]
    elif s.kind is PollKind.PROPOSAL:
        buttons = [_button(o, Action.VOTE, s.id, i) for i, o in enumerate(s.options)]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    else:
        rows = [
            [_button(shorten(f"{i + 1}. {o}", BUTTON_LABEL_LIMIT), Action.VOTE, s.id, i)]
            for i, o in enumerate(s.options)
        ]
    rows.append([_button(WITHDRAW_BUTTON, Action.WITHDRAW, s.id)])
    rows.append([_button(TURNOUT_BUTTON, Action.TURNOUT, s.id)])
    rows.append([_button(CLOSE_BUTTON, Action.CLOSE, s.id)])
    return InlineKeyboardMarkup(rows)


FULL_RESULTS_BUTTON = N_("All figures, privately")
REOPEN_BUTTON = N_("Reopen poll (organisers, 10 min)")


def results_keyboard(
    s: PollSnapshot, *, complete: bool, reopen: bool = False
) -> InlineKeyboardMarkup:
    """Under the results message: the facilitators' export, the full words for anyone in the
    group when the message could not hold them all (a chart's caption is short), and while
    the reopen window lasts, Reopen (facilitators)."""
    rows = []
    if not complete:
        rows.append([_button(FULL_RESULTS_BUTTON, Action.SEE_RESULTS, s.id)])
    rows.append([_button(EXPORT_BUTTON, Action.EXPORT, s.id)])
    if reopen:
        rows.append([_button(REOPEN_BUTTON, Action.REOPEN, s.id)])
    return InlineKeyboardMarkup(rows)


def reminder_text(s: PollSnapshot, *, now: datetime) -> str:
    """A nudge before the deadline: how many have voted so far, never by role (facilitators
    see which roles have not voted with "Who has voted?", privately)."""
    question = f"<b>{escape(shorten(' '.join(s.question.split()), 200))}</b>"
    if s.deadline:
        reminder = _("Reminder: the poll {question} closes {when}.").format(
            question=question, when=escape(time_left(s.deadline, now))
        )
    else:
        reminder = _("Reminder: the poll {question} is still open.").format(question=question)
    parts = [reminder]
    parts.append(escape(total_voters_sentence(s.total_voters, closed=False)))
    parts.append(_("Vote with the buttons under the poll."))
    return " ".join(parts)


def _list_line(s: PollSnapshot, now: datetime) -> str:
    question = escape(shorten(" ".join(s.question.split()), 120))
    if s.closed:
        summary = shorten(results_summary(s.publication, s.options, s.kind), 200)
        return f"• <b>{question}</b>: {escape(summary)}"
    if s.deadline is None:
        timing = _("no closing time")
    elif s.deadline <= now:
        timing = _("closing now")
    else:
        timing = _("closes {when}").format(when=short_time(s.deadline, s.timezone))
    details = _("{timing}, {votes}").format(timing=timing, votes=votes_word(s.total_voters))
    return f"• <b>{question}</b> ({escape(details)})"


def polls_list(
    open_polls: Sequence[PollSnapshot],
    recent_closed: Sequence[PollSnapshot],
    *,
    now: datetime,
) -> str:
    """The answer to /polls: open polls first, then recently closed ones with their result."""
    if not open_polls and not recent_closed:
        return _("There are no polls in this group yet. Organisers can start one with /poll.")
    sections: list[tuple[str, Sequence[PollSnapshot]]] = [
        (_("<b>Open polls</b>"), open_polls),
        (_("<b>Recently closed</b>"), recent_closed),
    ]
    lines: list[str] = []
    # Room kept for the two titles, two "and N more" lines and the closing note.
    room = MESSAGE_LIMIT - 150
    for title, polls in sections:
        if not polls:
            continue
        if lines:
            lines.append("")
        lines.append(title)
        for shown, poll in enumerate(polls):
            line = _list_line(poll, now)
            if utf16_length("\n".join([*lines, line])) > room:
                lines.append(_("…and {count} more.").format(count=len(polls) - shown))
                break
            lines.append(line)
    if not open_polls:
        lines += ["", _("No poll is open right now.")]
    return "\n".join(lines)
