"""What others see of feedback: posts in the group, messages to facilitators, settings."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.feedback_rules import DELIVERIES, DIGEST_HOURS, Delivery
from bot.domain.roles import Role
from bot.domain.when import describe_when
from bot.services.feedback_delivery import MeetingRef
from bot.views.callbacks import Action, encode
from bot.views.feedback import heading, urgent_help
from bot.views.limits import MESSAGE_LIMIT, split_message, visible_length


def group_post(number: int, role: Role | None, text: str) -> str:
    return f"{heading(number, role)}\n\n{escape(text)}"


def digest_header(count: int) -> str:
    items = "1 message" if count == 1 else f"{count} messages"
    return (
        f"<b>Anonymous feedback</b>: {items} sent since the last round, in no particular "
        "order. Reply to any of them as to any message."
    )


WAITING_IN_GROUP = (
    "There is anonymous feedback waiting for a facilitator, but I cannot reach any of "
    "the facilitators privately yet. Facilitators: please open a private chat with me, and "
    "I will pass it on."
)


# Room kept under Telegram's limit for what goes with the text: the heading (a group title is
# at most 128 characters), the buttons' words or what became of the item, the crisis contacts.
_ROOM = 1500


def _tag(role: Role | None) -> str:
    return "" if role is None else f" (from {role.as_phrase})"


def _copy(heading: str, text: str, footer: str, title: str) -> list[str]:
    """A facilitator's copy: one message when the text fits with the rest; otherwise the
    text in as many parts as it takes, then the footer (which carries the buttons) as a
    message of its own, so what becomes of the item is written there and the text stays.

    Which of the two depends on the text only, so a copy rewritten later (an outcome, "seen")
    keeps the shape it was sent in.
    """
    body = f"{heading}\n\n{escape(text)}"
    if visible_length(escape(text)) + _ROOM <= MESSAGE_LIMIT:
        return [f"{body}\n\n{footer}"]
    return [
        *split_message(body),
        f"<b>Anonymous feedback for {escape(title)}</b> (above)\n\n{footer}",
    ]


def for_moderation(title: str, role: Role | None, text: str) -> list[str]:
    """The copy a facilitator moderates; the buttons go under the last part."""
    return _copy(
        f"<b>New anonymous feedback for {escape(title)}</b>{_tag(role)}",
        text,
        "Publish it in the group as “Anonymous feedback”, or reject it so nobody else sees "
        "it. I do not know who sent it, and neither will you.",
        title,
    )


def decided(title: str, role: Role | None, text: str, outcome: str) -> str:
    """The moderated copy's message with the buttons, once dealt with: the buttons go, the
    outcome is said, and the text (in that message or the parts above it) stays."""
    heading = f"<b>Anonymous feedback for {escape(title)}</b>{_tag(role)}"
    return _copy(heading, text, outcome, title)[-1]


def _meeting_words(meeting: MeetingRef | None) -> str:
    if meeting is None:
        return "a meeting date that is no longer planned"
    when = describe_when(meeting.starts_at, meeting.zone)
    return f"<b>{escape(meeting.title)}</b> ({escape(when)})"


def agenda_for_moderation(title: str, meeting: MeetingRef | None, text: str) -> list[str]:
    """A private agenda item, for a facilitator to add or reject (the group's feedback is
    checked first, and this came in the same anonymous way)."""
    return _copy(
        f"<b>Agenda item suggested anonymously for {escape(title)}</b>\n"
        f"For: {_meeting_words(meeting)}",
        text,
        "Add it to that meeting's agenda (the group sees it in the reminders and /meetings), "
        "or reject it so nobody else sees it. Please check any link before you add it. "
        "I do not know who sent it, and neither will you.",
        title,
    )


def agenda_decided(title: str, meeting: MeetingRef | None, text: str, outcome: str) -> str:
    """The agenda item's copy once dealt with, as `decided` is for feedback."""
    heading = (
        f"<b>Agenda item suggested anonymously for {escape(title)}</b>\n"
        f"For: {_meeting_words(meeting)}"
    )
    return _copy(heading, text, outcome, title)[-1]


def listed(meeting: MeetingRef | None) -> str:
    if meeting is None:
        return AGENDA_GONE
    return f"Added to the agenda of {_meeting_words(meeting)}."


AGENDA_GONE = "That meeting date is no longer planned, so it was not added to any agenda."
ALREADY_LISTED = "Already added to the agenda."
ADD_TO_AGENDA = "Add to the agenda"


def moderation_keyboard(
    feedback_id: int, publish: str = "Publish in the group"
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    publish,
                    callback_data=encode(Action.FEEDBACK_DECIDE, feedback_id, 1),
                ),
                InlineKeyboardButton(
                    "Reject", callback_data=encode(Action.FEEDBACK_DECIDE, feedback_id, 0)
                ),
            ]
        ]
    )


def urgent(
    title: str,
    role: Role | None,
    text: str,
    contacts: Sequence[str],
    *,
    reminder: bool = False,
    seen: str | None = None,
) -> list[str]:
    """An urgent item's copy for facilitators; "I've seen this" goes under the last part,
    where `seen` (what became of it) is written once someone pressed it."""
    heading = (
        f"⚠️ <b>URGENT: possible crisis</b> in anonymous feedback for {escape(title)}{_tag(role)}"
    )
    if reminder:
        heading = f"{REMINDER}\n\n{heading}"
    footer = "\n".join(
        [
            "It uses words that can mean someone is at risk. It will <b>not</b> be posted in "
            "the group. The sender was given the crisis contacts straight away. Nobody can "
            "know who sent it; you might remind the group, in general words, where help is:",
            urgent_help(contacts),
            "",
            seen
            or "Please press <b>I’ve seen this</b> when you have read it, so the other "
            "facilitators know.",
        ]
    )
    return _copy(heading, text, footer, title)


REMINDER = "⏰ <b>Reminder:</b> nobody has marked this urgent message as seen yet."
SEEN_LABEL = "I’ve seen this"


def seen_keyboard(feedback_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(SEEN_LABEL, callback_data=encode(Action.URGENT_SEEN, feedback_id))]]
    )


MUTE_LABEL = "🔕 Mute this sender for 24 hours"
_HALF = 31  # each callback number holds 31 bits


def mute_row(feedback_id: int, token: int) -> list[InlineKeyboardButton]:
    """Under an urgent copy: mute whoever sent it (the token is their key, blinded for this
    item, so no two buttons carry the same value)."""
    high, low = token >> _HALF, token & ((1 << _HALF) - 1)
    data = encode(Action.URGENT_MUTE, feedback_id, high, low)
    return [InlineKeyboardButton(MUTE_LABEL, callback_data=data)]


def mute_token(high: int, low: int) -> int:
    return (high << _HALF) | low


def _is_mute(row: Sequence[InlineKeyboardButton]) -> bool:
    return any(str(b.callback_data or "").startswith(f"{Action.URGENT_MUTE.value}:") for b in row)


def mute_rows(markup: InlineKeyboardMarkup | None) -> list[list[InlineKeyboardButton]]:
    """The Mute row of a copy's keyboard, to keep when the copy is rewritten ("seen")."""
    rows = [] if markup is None else markup.inline_keyboard
    return [list(row) for row in rows if _is_mute(row)]


def with_rows(
    markup: InlineKeyboardMarkup | None, rows: Sequence[Sequence[InlineKeyboardButton]]
) -> InlineKeyboardMarkup | None:
    kept = [*([] if markup is None else markup.inline_keyboard), *rows]
    return InlineKeyboardMarkup(kept) if kept else None


def without_mute(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    rows = [] if markup is None else [r for r in markup.inline_keyboard if not _is_mute(r)]
    return InlineKeyboardMarkup(rows) if rows else None


def muted(until: str) -> str:
    """The presser's answer (at most 200 characters)."""
    return (
        f"Muted until {until}: this sender's urgent messages will not reach the facilitators. "
        "They are told so, with the crisis contacts. Others' still come."
    )


def seen_by_you(at: str) -> str:
    return f"✓ You marked this as seen at {at}. The other facilitators’ copies now say so."


def seen_by_a_facilitator(at: str) -> str:
    """What the others read: never who pressed."""
    return f"✓ A facilitator marked this as seen at {at}."


SEEN_THANKS = "Thank you. The other facilitators will see that it has been seen."
ALREADY_SEEN = "A facilitator has already marked this as seen."


def published(title: str, number: int) -> str:
    return f"Published in <b>{escape(title)}</b> as Anonymous feedback #{number}."


def publish_failed(title: str) -> str:
    return (
        f"I could not post it in <b>{escape(title)}</b> just now. I will keep trying; "
        "it is not lost."
    )


REJECTED = "Rejected. It will not appear anywhere."
ALREADY_DECIDED = "Another facilitator has already dealt with this one."
ALREADY_PUBLISHED = "Already published."
ALREADY_REJECTED = "Already rejected."
FACILITATORS_ONLY = "Only the group's facilitators can do this."

_DELIVERY_LABELS = {
    Delivery.MODERATED: "Checked first",
    Delivery.DIRECT: "Straight to the group",
    Delivery.DIGEST: "Once a day",
}


def settings_text(delivery: Delivery, digest_hour: int) -> str:
    now = _DELIVERY_LABELS[delivery] + (
        f", at {digest_hour}:00" if delivery is Delivery.DIGEST else ""
    )
    return "\n".join(
        [
            "<b>How anonymous feedback reaches this group</b>",
            f"Now: <b>{now}</b>",
            "",
            "• <b>Checked first</b>: a facilitator reads each message privately, then "
            "publishes or rejects it.",
            "• <b>Straight to the group</b>: posted as soon as it is sent.",
            "• <b>Once a day</b>: posted together at a set hour, so the time cannot hint at "
            "who wrote it.",
            "",
            "Whatever you choose, a message that sounds like a crisis goes only to the "
            "facilitators, never to the group.",
        ]
    )


def settings_keyboard(group_id: int, delivery: Delivery, digest_hour: int) -> InlineKeyboardMarkup:
    def mark(label: str, chosen: bool) -> str:
        return f"✓ {label}" if chosen else label

    rows = [
        [
            InlineKeyboardButton(
                mark(_DELIVERY_LABELS[choice], choice is delivery),
                callback_data=encode(Action.FEEDBACK_SETTINGS, group_id, index, digest_hour),
            )
        ]
        for index, choice in enumerate(DELIVERIES)
    ]
    if delivery is Delivery.DIGEST:
        digest = DELIVERIES.index(Delivery.DIGEST)
        rows.append(
            [
                InlineKeyboardButton(
                    mark(f"{hour}:00", hour == digest_hour),
                    callback_data=encode(Action.FEEDBACK_SETTINGS, group_id, digest, hour),
                )
                for hour in DIGEST_HOURS
            ]
        )
    return InlineKeyboardMarkup(rows)


SETTINGS_IN_GROUP_ONLY = "Please use /feedbacksettings in your group's chat."
SETTINGS_FACILITATORS_ONLY = (
    "Sorry, only the group's facilitators (its admins) can change how feedback is delivered."
)
