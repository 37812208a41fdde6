"""Private replies to anonymous feedback: the words and buttons on both sides.

Neither side is ever named: the writer reads "a facilitator of <group>", the facilitators
read "the person who wrote this".
"""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.views.callbacks import Action, encode
from bot.views.limits import shorten

ALLOW = "Let the facilitators reply to me privately"
ALLOWED = "✓ Facilitators may reply privately (tap to undo)"
REPLY = "Reply privately"
ANSWER = "Answer"
STOP = "Stop replies"
CANCEL = "Cancel"


def preview_line(allowed: bool) -> str | None:
    if not allowed:
        return None
    return (
        "The facilitators will be able to reply to you here for 30 days. They will not see "
        "who you are, and you will not see who they are. You can stop replies at any time."
    )


def allow_row(serial: int, allowed: bool) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            ALLOWED if allowed else ALLOW,
            callback_data=encode(Action.FEEDBACK_ALLOW_REPLIES, serial, int(not allowed)),
        )
    ]


def reply_row(feedback_id: int) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(REPLY, callback_data=encode(Action.REPLY_START, feedback_id))]


def _about(text: str) -> str:
    return f"“{escape(shorten(text, 120))}”"


def reply_prompt(text: str) -> str:
    return (
        f"Type your reply to the person who wrote {_about(text)}, in one message. It goes to "
        "them privately, without your name. They can answer, or stop replies."
    )


def answer_prompt(title: str) -> str:
    return (
        f"Type your answer in one message. It goes to the facilitators of <b>{escape(title)}"
        "</b>, without your name."
    )


def cancel_keyboard(feedback_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(CANCEL, callback_data=encode(Action.REPLY_CANCEL, feedback_id))]]
    )


def to_writer(title: str, item_text: str, reply: str) -> str:
    return "\n".join(
        [
            f"💬 <b>A facilitator of {escape(title)} replied</b> to your feedback "
            f"{_about(item_text)}:",
            "",
            escape(reply),
            "",
            "They do not know who you are. You can answer, or stop replies.",
        ]
    )


def writer_keyboard(feedback_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    ANSWER, callback_data=encode(Action.REPLY_ANSWER, feedback_id)
                ),
                InlineKeyboardButton(STOP, callback_data=encode(Action.REPLY_STOP, feedback_id)),
            ]
        ]
    )


def to_facilitators(title: str, item_text: str, answer: str, *, urgent: bool) -> str:
    lines = [
        f"💬 <b>The person who wrote {_about(item_text)}</b> answered (anonymous feedback for "
        f"{escape(title)}):",
        "",
        escape(answer),
    ]
    if urgent:
        lines = [
            "⚠️ <b>URGENT: possible crisis.</b> They were given the crisis contacts.",
            "",
            *lines,
        ]
    return "\n".join(lines)


def facilitator_keyboard(feedback_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([reply_row(feedback_id)])


SENT_WITH_REPLIES = "If a facilitator replies, it will come here. You can answer, or stop replies."
REPLY_SENT = "Sent privately to the person who wrote it, without your name."
ANSWER_SENT = "Sent to the facilitators, without your name."
ANSWER_UNREACHED = (
    "I could not reach any facilitator just now. Please try again later; nothing was sent."
)
WRITER_GONE = "I can no longer reach the person who wrote this, so nothing was sent."
CLOSED = "Replies to this message have ended, or the writer stopped them."
CLOSED_SHORT = "Replies to this message have ended."
STOPPED = (
    "Replies stopped. The facilitators can no longer write to you about this message, and "
    "where to reach you has been deleted."
)
CANCELLED = "Cancelled. Nothing was sent."
LIMIT = (
    "That is as many messages about this one as I can pass on today. Please write again tomorrow."
)
