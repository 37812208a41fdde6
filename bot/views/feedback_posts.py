"""What others see of feedback: posts in the group, messages to facilitators, settings."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.feedback_rules import DELIVERIES, DIGEST_HOURS, Delivery
from bot.domain.roles import Role
from bot.i18n import N_, _, ngettext
from bot.i18n.formats import when_words
from bot.services.feedback_delivery import MeetingRef
from bot.views import role_words as words
from bot.views.callbacks import Action, encode
from bot.views.feedback import heading, urgent_help
from bot.views.limits import MESSAGE_LIMIT, split_message, visible_length


def group_post(number: int, role: Role | None, text: str) -> str:
    return f"{heading(number, role)}\n\n{escape(text)}"


def digest_header(count: int) -> str:
    return ngettext(
        "<b>Anonymous feedback</b>: {count} message since the last time, in no set order. "
        "You can reply to it like any message.",
        "<b>Anonymous feedback</b>: {count} messages since the last time, in no set order. "
        "You can reply to any of them like any message.",
        count,
    ).format(count=count)


WAITING_IN_GROUP = N_(
    "Some anonymous feedback is waiting. But I cannot write to any organiser yet. "
    "Organisers: please open a private chat with me. Then I will pass it on."
)


# Room kept under Telegram's limit for what goes with the text: the heading (a group title is
# at most 128 characters), the buttons' words or what became of the item, the crisis contacts.
_ROOM = 1500


def _tag(role: Role | None) -> str:
    return "" if role is None else " " + _("(from {role})").format(role=words.as_phrase(role))


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
        _("<b>Anonymous feedback for {group}</b> (above)").format(group=escape(title))
        + f"\n\n{footer}",
    ]


def for_moderation(title: str, role: Role | None, text: str) -> list[str]:
    """The copy a facilitator moderates; the buttons go under the last part."""
    return _copy(
        _("<b>New anonymous feedback for {group}</b>").format(group=escape(title)) + _tag(role),
        text,
        _(
            "Publish it in the group as “Anonymous feedback”, or reject it so nobody else "
            "sees it. I do not know who sent it, and you will not know either."
        ),
        title,
    )


def decided(title: str, role: Role | None, text: str, outcome: str) -> str:
    """The moderated copy's message with the buttons, once dealt with: the buttons go, the
    outcome is said, and the text (in that message or the parts above it) stays."""
    heading = _("<b>Anonymous feedback for {group}</b>").format(group=escape(title)) + _tag(role)
    return _copy(heading, text, outcome, title)[-1]


def _meeting_words(meeting: MeetingRef | None) -> str:
    if meeting is None:
        return _("a meeting date that is no longer planned")
    when = when_words(meeting.starts_at, meeting.zone)
    return f"<b>{escape(meeting.title)}</b> ({escape(when)})"


def _agenda_heading(title: str, meeting: MeetingRef | None) -> str:
    return "\n".join(
        [
            _("<b>Agenda item suggested anonymously for {group}</b>").format(group=escape(title)),
            _("For: {meeting}").format(meeting=_meeting_words(meeting)),
        ]
    )


def agenda_for_moderation(title: str, meeting: MeetingRef | None, text: str) -> list[str]:
    """A private agenda item, for a facilitator to add or reject (the group's feedback is
    checked first, and this came in the same anonymous way)."""
    return _copy(
        _agenda_heading(title, meeting),
        text,
        _(
            "Add it to that meeting's agenda, or reject it so nobody else sees it. The group "
            "sees the agenda in the reminders and /meetings. Please check any link before you "
            "add it. I do not know who sent it, and you will not know either."
        ),
        title,
    )


def agenda_decided(title: str, meeting: MeetingRef | None, text: str, outcome: str) -> str:
    """The agenda item's copy once dealt with, as `decided` is for feedback."""
    return _copy(_agenda_heading(title, meeting), text, outcome, title)[-1]


def listed(meeting: MeetingRef | None) -> str:
    if meeting is None:
        return _(AGENDA_GONE)
    return _("Added to the agenda of {meeting}.").format(meeting=_meeting_words(meeting))


AGENDA_GONE = N_("That meeting date is no longer planned, so it was not added to any agenda.")
ALREADY_LISTED = N_("Already added to the agenda.")
ADD_TO_AGENDA = N_("Add to the agenda")
PUBLISH = N_("Publish in the group")


def moderation_keyboard(feedback_id: int, publish: str = PUBLISH) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _(publish),
                    callback_data=encode(Action.FEEDBACK_DECIDE, feedback_id, 1),
                ),
                InlineKeyboardButton(
                    _("Reject"), callback_data=encode(Action.FEEDBACK_DECIDE, feedback_id, 0)
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
        "⚠️ "
        + _("<b>URGENT: possible crisis</b> in anonymous feedback for {group}").format(
            group=escape(title)
        )
        + _tag(role)
    )
    if reminder:
        heading = f"{_(REMINDER)}\n\n{heading}"
    footer = "\n".join(
        [
            _(
                "It has words that can mean someone is at risk. It will <b>not</b> be posted "
                "in the group. The sender got the crisis contacts straight away. Nobody can "
                "know who sent it. You could remind the group, in general words, where help is:"
            ),
            urgent_help(contacts),
            "",
            seen
            or _(
                "Please press <b>I’ve seen this</b> when you have read it, so the other "
                "organisers know."
            ),
        ]
    )
    return _copy(heading, text, footer, title)


REMINDER = N_("⏰ <b>Reminder:</b> nobody has marked this urgent message as seen yet.")
SEEN_LABEL = N_("I’ve seen this")


def seen_keyboard(feedback_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _(SEEN_LABEL), callback_data=encode(Action.URGENT_SEEN, feedback_id)
                )
            ]
        ]
    )


MUTE_LABEL = N_("🔕 Mute this sender for 24 hours")
_HALF = 31  # each callback number holds 31 bits


def mute_row(feedback_id: int, token: int) -> list[InlineKeyboardButton]:
    """Under an urgent copy: mute whoever sent it (the token is their key, blinded for this
    item, so no two buttons carry the same value)."""
    high, low = token >> _HALF, token & ((1 << _HALF) - 1)
    data = encode(Action.URGENT_MUTE, feedback_id, high, low)
    return [InlineKeyboardButton(_(MUTE_LABEL), callback_data=data)]


def mute_token(high: int, low: int) -> int:
    return (high << _HALF) | low


def _is_mute(row: Sequence[InlineKeyboardButton]) -> bool:
    return any(str(b.callback_data or "").startswith(f"{Action.URGENT_MUTE.value}:") for b in row)


def mute_rows(markup: InlineKeyboardMarkup | None) -> list[list[InlineKeyboardButton]]:
    """The Mute row of a copy's keyboard, to keep when the copy is rewritten ("seen")."""
    rows = [] if markup is None else markup.inline_keyboard
    return [list(row) for row in rows if _is_mute(row)]


def relabelled(rows: Sequence[Sequence[InlineKeyboardButton]]) -> list[list[InlineKeyboardButton]]:
    """The Mute row taken from one organiser's copy, labelled for another's language."""
    return [
        [InlineKeyboardButton(_(MUTE_LABEL), callback_data=b.callback_data) for b in row]
        for row in rows
    ]


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
    return _(
        "Muted until {until}: this sender's urgent messages will not reach the organisers. "
        "They are told so, with the crisis contacts. Others' still come."
    ).format(until=until)


def seen_by_you(at: str) -> str:
    return _(
        "✓ You marked this as seen at {time}. The other organisers’ copies now say so."
    ).format(time=at)


def seen_by_a_facilitator(at: str) -> str:
    """What the others read: never who pressed."""
    return _("✓ An organiser marked this as seen at {time}.").format(time=at)


SEEN_THANKS = N_("Thank you. The other organisers will see that it has been seen.")
ALREADY_SEEN = N_("An organiser has already marked this as seen.")
ALREADY_SEEN_BY_YOU = N_("Already marked as seen.")


def published(title: str, number: int) -> str:
    return _("Published in <b>{group}</b> as Anonymous feedback #{number}.").format(
        group=escape(title), number=number
    )


def publish_failed(title: str) -> str:
    return _(
        "I could not post it in <b>{group}</b> just now. I will keep trying. It is not lost."
    ).format(group=escape(title))


def by_another(outcome: str) -> str:
    """The other organisers' copies once one of them decided: what happened, never who."""
    return _("Another organiser dealt with this. {outcome}").format(outcome=outcome)


REJECTED = N_("Rejected. It will not appear anywhere.")
ALREADY_DECIDED = N_("Another organiser has already dealt with this one.")
ALREADY_PUBLISHED = N_("Already published.")
ALREADY_REJECTED = N_("Already rejected.")
FACILITATORS_ONLY = N_("Only the group's organisers can do this.")
# The short answers to a press (a toast).
DONE_ADDED = N_("Added")
DONE_PUBLISHED = N_("Published")
DONE_REJECTED = N_("Rejected")
DONE_SAVED = N_("Saved")

_DELIVERY_LABELS = {
    Delivery.MODERATED: N_("Checked first"),
    Delivery.DIRECT: N_("Straight to the group"),
    Delivery.DIGEST: N_("Once a day"),
}


def settings_text(delivery: Delivery, digest_hour: int) -> str:
    now = (
        _("{choice}, at {hour}:00").format(choice=_(_DELIVERY_LABELS[delivery]), hour=digest_hour)
        if delivery is Delivery.DIGEST
        else _(_DELIVERY_LABELS[delivery])
    )
    return "\n".join(
        [
            _("<b>How anonymous feedback reaches this group</b>"),
            _("Now: <b>{choice}</b>").format(choice=now),
            "",
            _(
                "• <b>Checked first</b>: an organiser reads each message in private. Then "
                "they post it or reject it."
            ),
            _("• <b>Straight to the group</b>: posted as soon as it is sent."),
            _(
                "• <b>Once a day</b>: posted together at a set hour, so the time cannot hint at "
                "who wrote it."
            ),
            "",
            _(
                "Whatever you choose, a message that sounds like a crisis goes only to the "
                "organisers. It never goes to the group."
            ),
        ]
    )


def settings_keyboard(group_id: int, delivery: Delivery, digest_hour: int) -> InlineKeyboardMarkup:
    def mark(label: str, chosen: bool) -> str:
        return f"✓ {label}" if chosen else label

    rows = [
        [
            InlineKeyboardButton(
                mark(_(_DELIVERY_LABELS[choice]), choice is delivery),
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


SETTINGS_IN_GROUP_ONLY = N_("Please use /feedbacksettings in your group's chat.")
SETTINGS_FACILITATORS_ONLY = N_(
    "Sorry, only the group's organisers can change how feedback gets here. They are its admins."
)
