"""Private replies to anonymous feedback: the words and buttons on both sides.

Neither side is ever named: the writer reads "a facilitator of <group>", the facilitators
read "the person who wrote this".
"""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import N_, _
from bot.views.callbacks import Action, encode
from bot.views.limits import shorten

ALLOW = N_("Let the organisers reply to me privately")
ALLOWED = N_("✓ Organisers may reply privately (tap to undo)")
REPLY = N_("Reply privately")
ANSWER = N_("Answer")
STOP = N_("Stop replies")
CANCEL = N_("Cancel")


def preview_line(allowed: bool) -> str | None:
    if not allowed:
        return None
    return _(
        "The organisers can reply to you here for 30 days. They will not see who you are, and "
        "you will not see who they are. You can stop replies at any time."
    )


def allow_row(serial: int, allowed: bool) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            _(ALLOWED if allowed else ALLOW),
            callback_data=encode(Action.FEEDBACK_ALLOW_REPLIES, serial, int(not allowed)),
        )
    ]


def reply_row(feedback_id: int) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(_(REPLY), callback_data=encode(Action.REPLY_START, feedback_id))]


def _about(text: str) -> str:
    return f"“{escape(shorten(text, 120))}”"


def reply_prompt(text: str) -> str:
    return _(
        "Type your reply to the person who wrote {quote}, in one message. It goes to them "
        "privately, without your name. They can answer, or stop replies."
    ).format(quote=_about(text))


def answer_prompt(title: str) -> str:
    return _(
        "Type your answer in one message. It goes to the organisers of <b>{group}</b>, "
        "without your name."
    ).format(group=escape(title))


def cancel_keyboard(feedback_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(_(CANCEL), callback_data=encode(Action.REPLY_CANCEL, feedback_id))]]
    )


def to_writer(title: str, item_text: str, reply: str) -> str:
    return "\n".join(
        [
            _("💬 <b>An organiser of {group} replied</b> to your feedback {quote}:").format(
                group=escape(title), quote=_about(item_text)
            ),
            "",
            escape(reply),
            "",
            _("They do not know who you are. You can answer, or stop replies."),
        ]
    )


def writer_keyboard(feedback_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _(ANSWER), callback_data=encode(Action.REPLY_ANSWER, feedback_id)
                ),
                InlineKeyboardButton(_(STOP), callback_data=encode(Action.REPLY_STOP, feedback_id)),
            ]
        ]
    )


def to_facilitators(title: str, item_text: str, answer: str, *, urgent: bool) -> str:
    lines = [
        "💬 "
        + _(
            "<b>The person who wrote {quote}</b> answered (anonymous feedback for {group}):"
        ).format(quote=_about(item_text), group=escape(title)),
        "",
        escape(answer),
    ]
    if urgent:
        lines = [
            "⚠️ " + _("<b>URGENT: possible crisis.</b> They were given the crisis contacts."),
            "",
            *lines,
        ]
    return "\n".join(lines)


def facilitator_keyboard(feedback_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([reply_row(feedback_id)])


SENT_WITH_REPLIES = N_(
    "If an organiser replies, it will come here. You can answer, or stop replies."
)
REPLY_SENT = N_("Sent privately to the person who wrote it, without your name.")
ANSWER_SENT = N_("Sent to the organisers, without your name.")
ANSWER_UNREACHED = N_(
    "I could not reach any organiser just now. Please try again later; nothing was sent."
)
WRITER_GONE = N_("I can no longer reach the person who wrote this, so nothing was sent.")
CLOSED = N_("Replies to this message have ended, or the writer stopped them.")
CLOSED_SHORT = N_("Replies to this message have ended.")
STOPPED = N_(
    "Replies stopped. The organisers can no longer write to you about this. "
    "I deleted how to reach you."
)
CANCELLED = N_("Cancelled. Nothing was sent.")
STOPPED_SHORT = N_("Stopped")
LIMIT = N_(
    "That is as many messages about this one as I can pass on today. Please write again tomorrow."
)
