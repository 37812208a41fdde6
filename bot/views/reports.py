"""The board report's messages and buttons (the PDF itself is bot/views/report_pdf.py)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.report_period import EXAMPLE, Period, PeriodChoice
from bot.services.groups import GroupInfo
from bot.views.callbacks import Action, encode

_CHOICE_LABELS = {
    PeriodChoice.LAST_MONTH: "Last month",
    PeriodChoice.LAST_QUARTER: "Last quarter",
    PeriodChoice.LAST_YEAR: "Last 12 months",
    PeriodChoice.CUSTOM: "Choose dates",
}

SENT_PRIVATELY = "I have sent you the report's choices privately."
OPEN_PRIVATE_CHAT_FIRST = (
    "Please open a private chat with me first (press the button), then type /report here again."
)
FACILITATORS_ONLY = "Only the group's facilitators can make a report."
NO_GROUPS = (
    "Type /report in your group's chat: I will ask you here which period it should cover. "
    "Only the group's facilitators can make one."
)
ASK_DATES = f"Type the first and last day of the report, like {EXAMPLE}. Both days are included."
SEND_FAILED = "Sorry, I could not make the report just now. Please try again in a minute."


def choose_period(group: GroupInfo) -> tuple[str, InlineKeyboardMarkup]:
    text = (
        f"<b>Report for {escape(group.title or 'your group')}</b>\n"
        "A PDF you can show a board: decisions, feedback and meetings for a period, with the "
        "same privacy rules as the group's messages.\nWhich period?"
    )
    rows = [
        [InlineKeyboardButton(label, callback_data=encode(Action.REPORT_PERIOD, group.id, c))]
        for c, label in _CHOICE_LABELS.items()
    ]
    return text, InlineKeyboardMarkup(rows)


def choose_group(found: Sequence[GroupInfo]) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [
            InlineKeyboardButton(
                g.title or "Your group", callback_data=encode(Action.REPORT_GROUP, g.id)
            )
        ]
        for g in found
    ]
    return "Which group is the report for?", InlineKeyboardMarkup(rows)


def making(period: Period) -> str:
    return f"Making the report for {escape(period.label())}. It takes a few seconds."


def caption(title: str, period: Period) -> str:
    return (
        f"The report for {escape(title or 'your group')}, {escape(period.label())}. "
        "It is yours to share with the board."
    )
