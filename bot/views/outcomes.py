""" "You said, we did": the words and buttons. Short messages; names of no one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.outcomes import REVIEW_CHOICES, STATUSES, SUBJECTS, OutcomeFacts, OutcomeStatus
from bot.services.outcomes import OutcomeView, Topic
from bot.views.callbacks import Action, encode
from bot.views.limits import MESSAGE_LIMIT, shorten, split_message, visible_length

_REVIEW_LABELS = {14: "In 2 weeks", 30: "In a month", 90: "In 3 months", 0: "No review date"}
SKIP = "Skip"


def _said(found: Topic, limit: int = 200) -> str:
    words = escape(shorten(found.text, limit))
    if found.number is not None:
        return f"Anonymous feedback #{found.number}: “{words}”"
    return f"Poll: “{words}”"


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _we_did(facts: OutcomeFacts) -> str:
    parts = [f"<b>{facts.status.label}</b>"]
    if facts.owner:
        parts.append(f"by {escape(facts.owner)}")
    line = " ".join(parts)
    if facts.why:
        line += f". Why: {escape(facts.why)}"
    if facts.review_on is not None and facts.status.is_open:
        line += f". Review: {_day(facts.review_on)}"
    return line + "."


def we_did(facts: OutcomeFacts) -> str:
    """What came of it, as the group was told (HTML): the board report uses it too."""
    return _we_did(facts)


def _args(found: Topic) -> tuple[int, int]:
    return SUBJECTS.index(found.subject), found.subject_id


def pick(title: str, found: Sequence[Topic]) -> tuple[str, InlineKeyboardMarkup | None]:
    if not found:
        return (
            f"There is nothing in <b>{escape(title)}</b> to record an outcome for yet: "
            "published feedback and closed polls appear here."
        ), None
    rows = [
        [
            InlineKeyboardButton(
                shorten(f"#{t.number} {t.text}" if t.number is not None else f"Poll: {t.text}", 60),
                callback_data=encode(Action.OUTCOME_PICK, *_args(t)),
            )
        ]
        for t in found
    ]
    return (
        f"<b>You said, we did</b> for {escape(title)}: pick what you want to record an outcome for."
    ), InlineKeyboardMarkup(rows)


def ask_status(found: Topic, now: OutcomeFacts | None) -> tuple[str, InlineKeyboardMarkup]:
    lines = [f"You said: {_said(found)}"]
    if now is not None:
        lines.append(f"Recorded now: {_we_did(now)}")
    lines.append("What has happened?")
    rows = [
        [
            InlineKeyboardButton(
                s.label, callback_data=encode(Action.OUTCOME_STATUS, *_args(found), index)
            )
            for index, s in enumerate(STATUSES[:2])
        ],
        [
            InlineKeyboardButton(
                s.label, callback_data=encode(Action.OUTCOME_STATUS, *_args(found), index + 2)
            )
            for index, s in enumerate(STATUSES[2:])
        ],
    ]
    return "\n\n".join(lines), InlineKeyboardMarkup(rows)


ASK_WHY = "Why is it not possible? Type it in a few words, in one message: the group will read it."


def ask_owner(found: Topic) -> tuple[str, InlineKeyboardMarkup]:
    return (
        "Who will do it? Type a role, like “the ward manager”, or press Skip.",
        InlineKeyboardMarkup(
            [[InlineKeyboardButton(SKIP, callback_data=encode(Action.OUTCOME_SKIP, *_args(found)))]]
        ),
    )


def ask_review(found: Topic) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [
            InlineKeyboardButton(
                _REVIEW_LABELS[days],
                callback_data=encode(Action.OUTCOME_REVIEW, *_args(found), days),
            )
        ]
        for days in REVIEW_CHOICES
    ]
    return (
        "When should the facilitators look at it again? I will remind you privately.",
        InlineKeyboardMarkup(rows),
    )


def saved(changed: bool) -> str:
    if changed:
        return "Saved. The group has been told in one short message."
    return "Saved. Nothing changed, so the group was not told again."


def group_post(found: Topic, facts: OutcomeFacts) -> str:
    return f"📣 <b>You said, we did</b>\nYou said: {_said(found)}\nWe did: {_we_did(facts)}"


def to_writer(title: str, found: Topic, facts: OutcomeFacts) -> str:
    return (
        f"📣 The facilitators of <b>{escape(title)}</b> recorded what came of your feedback "
        f"“{escape(shorten(found.text, 120))}”: {_we_did(facts)}"
    )


def review_due(title: str, view: OutcomeView) -> str:
    return (
        f"⏰ <b>Review due</b> in {escape(title)}\nYou said: {_said(view.topic)}\n"
        f"Recorded: {_we_did(view.facts)}\nType /outcome in the group to update it."
    )


def listing(title: str, found: Sequence[OutcomeView], heading: str = "You said, we did") -> str:
    """All in one text; `listing_parts` for sending."""
    return "\n\n".join(listing_parts(title, found, heading, limit=None))


def listing_parts(
    title: str,
    found: Sequence[OutcomeView],
    heading: str = "You said, we did",
    *,
    limit: int | None = MESSAGE_LIMIT,
) -> list[str]:
    """/yousaid or the digest as messages that fit, each outcome whole in one of them (its
    "You said" never apart from its "We did")."""
    if not found:
        return [
            f"<b>{heading}</b> in {escape(title)}: nothing recorded yet. Facilitators "
            "can record what came of feedback and polls with /outcome."
        ]
    blocks = [f"<b>{heading}</b> in {escape(title)}"] + [
        f"You said: {_said(view.topic, 120)}\nWe did: {_we_did(view.facts)}" for view in found
    ]
    if limit is None:
        return blocks
    parts: list[str] = []
    for block in blocks:
        joined = f"{parts[-1]}\n\n{block}" if parts else block
        if parts and visible_length(joined) <= limit:
            parts[-1] = joined
        else:
            parts += split_message(block, limit)  # one block fits (a why is at most 500)
    return parts


def digest_parts(title: str, found: Sequence[OutcomeView]) -> list[str]:
    return listing_parts(title, found, "This month: you said, we did")


def monthly_keyboard(group_id: int, on: bool) -> InlineKeyboardMarkup:
    label = "Monthly digest: on (tap to turn off)" if on else "Monthly digest: off (tap to turn on)"
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    label, callback_data=encode(Action.OUTCOME_MONTHLY, group_id, int(not on))
                )
            ]
        ]
    )


SENT_PRIVATELY = "I have sent you the list privately."
OPEN_PRIVATE_CHAT_FIRST = (
    "Please open a private chat with me first (press the button), then type /outcome here again."
)
IN_GROUP_ONLY = "Please use /outcome or /yousaid in your group's chat."
FACILITATORS_ONLY = "Only the group's facilitators can record outcomes."
MONTHLY_FACILITATORS_ONLY = "Only the group's facilitators can change this."
GONE = "That is no longer something I can record an outcome for."


def status_of(index: int) -> OutcomeStatus | None:
    return STATUSES[index] if 0 <= index < len(STATUSES) else None
