"""The board report's messages and buttons (the PDF itself is bot/views/report_pdf.py)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from babel.dates import format_date
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.problems import ProblemError
from bot.domain.report_period import EXAMPLE, Period, PeriodChoice
from bot.i18n import DEFAULT_LANGUAGE, N_, _, current_language
from bot.services.groups import GroupInfo
from bot.views.callbacks import Action, encode
from bot.views.problems import problem_words

_CHOICE_LABELS = {
    PeriodChoice.LAST_MONTH: N_("Last month"),
    PeriodChoice.LAST_QUARTER: N_("Last quarter"),
    PeriodChoice.LAST_YEAR: N_("Last 12 months"),
    PeriodChoice.CUSTOM: N_("Choose dates"),
}

SENT_PRIVATELY = N_("I have sent you the report's choices privately.")
OPEN_PRIVATE_CHAT_FIRST = N_(
    "Please open a private chat with me first (press the button), then type /report here again."
)
FACILITATORS_ONLY = N_("Only the group's organisers can make a report.")
NO_GROUPS = N_(
    "Type /report in your group's chat. I will ask you here which time it should cover. "
    "Only the group's organisers can make one."
)
SEND_FAILED = N_("Sorry, I could not make the report just now. Please try again in a minute.")


def ask_dates() -> str:
    return (
        _("Type the first and last day of the report, like {example}.").format(example=_(EXAMPLE))
        + " "
        + _("Both days are included.")
    )


def period_words(period: Period) -> str:
    """ "1 January 2026 to 31 March 2026", the months named in the reader's language."""
    language = current_language()
    if language == DEFAULT_LANGUAGE:
        return period.label()
    return _("{first} to {last}").format(
        first=format_date(period.first, format="long", locale=language),
        last=format_date(period.last, format="long", locale=language),
    )


def problem(error: ProblemError) -> str:
    return f"⚠️ {escape(problem_words(error))}"


def choose_period(group: GroupInfo) -> tuple[str, InlineKeyboardMarkup]:
    title = group.title or _("your group")
    text = "\n".join(
        [
            _("<b>Report for {group}</b>").format(group=escape(title)),
            _("A PDF you can show a board: decisions, feedback and meetings for a time."),
            _("It keeps the same privacy rules as the group's messages."),
            _("Which time should it cover?"),
        ]
    )
    rows = [
        [InlineKeyboardButton(_(label), callback_data=encode(Action.REPORT_PERIOD, group.id, c))]
        for c, label in _CHOICE_LABELS.items()
    ]
    return text, InlineKeyboardMarkup(rows)


def choose_group(found: Sequence[GroupInfo]) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [
            InlineKeyboardButton(
                g.title or _("Your group"), callback_data=encode(Action.REPORT_GROUP, g.id)
            )
        ]
        for g in found
    ]
    return _("Which group is the report for?"), InlineKeyboardMarkup(rows)


def making(period: Period) -> str:
    return _("Making the report for {period}. It takes a few seconds.").format(
        period=escape(period_words(period))
    )


def caption(title: str, period: Period) -> str:
    return _("The report for {group}, {period}. It is yours to share with the board.").format(
        group=escape(title or _("your group")), period=escape(period_words(period))
    )
