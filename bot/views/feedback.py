"""Texts and keyboards for giving anonymous feedback in the private chat."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.feedback_rules import MAX_FEEDBACK_CHARS, Delivery
from bot.domain.roles import Role
from bot.views.callbacks import Action, encode
from bot.views.links import start_link

BUTTON_LABEL = "Give feedback anonymously"


def feedback_link_row(bot_username: str, payload: str) -> list[InlineKeyboardButton]:
    """The group's "Give feedback anonymously" button: a deep link into the private chat."""
    return [InlineKeyboardButton(BUTTON_LABEL, url=start_link(bot_username, payload))]


def in_group_pointer() -> str:
    return (
        "Feedback is given privately, so nobody here can see who wrote it. "
        "Press the button to write yours in a private chat with me."
    )


def who_will_see(delivery: Delivery, digest_hour: int) -> str:
    if delivery is Delivery.DIRECT:
        return (
            "It is posted in the group straight away as “Anonymous feedback”, "
            "and everyone there can read it."
        )
    if delivery is Delivery.DIGEST:
        return (
            f"It is posted in the group as “Anonymous feedback” at {digest_hour}:00, "
            "together with any others, so the time it was sent cannot give you away."
        )
    return (
        "First the group’s facilitators read it. They decide whether to post it in the "
        "group as “Anonymous feedback”."
    )


def urgent_help(contacts: Sequence[str]) -> str:
    return "\n".join(["<b>If you need help now:</b>", *(f"• {escape(c)}" for c in contacts)])


def prompt(
    title: str, delivery: Delivery, digest_hour: int, contacts: Sequence[str], remaining: int
) -> str:
    more = "1 more message" if remaining == 1 else f"{remaining} more messages"
    return "\n".join(
        [
            f"<b>Anonymous feedback for {escape(title)}</b>",
            "",
            "Type your message here and send it to me as one text message "
            f"(up to {MAX_FEEDBACK_CHARS} characters). You will see it before it goes.",
            "",
            f"<b>Who will see it:</b> {who_will_see(delivery, digest_hour)}",
            "",
            "<b>It cannot be traced back to you.</b> I do not keep your name, username or "
            "account with it, so nobody, not the facilitators and not me, can tell it came "
            "from you. Only what you write could give you away, so leave out details only "
            "you would know.",
            "",
            urgent_help(contacts),
            "",
            f"Text only, please: a photo or voice note could identify you. "
            f"You can send {more} to this group today.",
        ]
    )


def prompt_keyboard(serial: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton("Cancel", callback_data=encode(Action.FEEDBACK_CANCEL, serial))]]
    )


def pick_group(groups: Sequence[tuple[int, str]]) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [
        [InlineKeyboardButton(title[:60], callback_data=encode(Action.FEEDBACK_GROUP, gid))]
        for gid, title in groups
    ]
    return "Which group is your feedback for?", InlineKeyboardMarkup(buttons)


def heading(number: int | None, role: Role | None) -> str:
    """How a posted item is headed: no name, no username, only the role if chosen."""
    title = "Anonymous feedback" if number is None else f"Anonymous feedback #{number}"
    return f"<b>{title}</b>" + ("" if role is None else f" (from {role.as_phrase})")


def preview(
    title: str,
    text: str,
    *,
    role: Role | None,
    delivery: Delivery,
    digest_hour: int,
    urgent: bool,
) -> str:
    lines = [f"<b>Your feedback for {escape(title)}</b>", "", escape(text), ""]
    if urgent:
        lines.append(
            "Because of what you wrote, this will go <b>only to the group’s facilitators</b>, "
            "marked urgent, so they can look out for everyone. It will not be posted in the "
            "group. They will still not know who you are."
        )
    else:
        lines.append(f"It will appear as: {heading(None, role)}")
        lines.append(who_will_see(delivery, digest_hour))
    lines += ["", "Press <b>Send</b> when you are happy with it, or type it again to change it."]
    return "\n".join(lines)


def preview_keyboard(
    serial: int, *, role: Role, may_tag: bool, tagged: bool
) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton("Send", callback_data=encode(Action.FEEDBACK_SEND, serial)),
            InlineKeyboardButton("Cancel", callback_data=encode(Action.FEEDBACK_CANCEL, serial)),
        ]
    ]
    if may_tag:
        label = "Do not say my role" if tagged else f"Say I am {role.as_phrase}"
        rows.append(
            [
                InlineKeyboardButton(
                    label, callback_data=encode(Action.FEEDBACK_TAG, serial, int(not tagged))
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


def crisis_reply(contacts: Sequence[str]) -> str:
    """Only the deployment's own contacts: a number from another country would not help."""
    return "\n".join(
        [
            "Thank you for telling me. It sounds like things may be very hard right now, "
            "and you do not have to wait to talk to someone.",
            "",
            urgent_help(contacts),
        ]
    )


def crisis_offer(title: str) -> str:
    """After the crisis reply, to someone who was not writing feedback when they wrote it."""
    return (
        f"If you would like the facilitators of <b>{escape(title)}</b> to know, I can pass "
        "your message to them, marked urgent. It will not be posted in the group, and they "
        "will not know who sent it. Nothing is sent unless you press <b>Send</b>."
    )


# To a group, when the person who wrote a crisis message there cannot be written to
# privately: it names nobody and repeats nothing, and the button opens the private chat.
CRISIS_IN_GROUP = (
    "If things feel very hard right now, help is there. Tap below to get the contacts in a "
    "private chat with me."
)
CRISIS_IN_GROUP_BUTTON = "Get help privately"

CRISIS_PICK_GROUP = (
    "If you would like a group’s facilitators to know, I can pass your message to them, "
    "marked urgent and without your name. It will not be posted in the group. Which group?"
)


def sent(delivery: Delivery, digest_hour: int, *, urgent: bool) -> str:
    if urgent:
        return (
            "Sent to the facilitators only, marked urgent. It will not be posted in the group, "
            "and they cannot tell who sent it. Please use the contacts above if you need to."
        )
    if delivery is Delivery.DIRECT:
        return "Sent. It is now in the group as “Anonymous feedback”, without your name."
    if delivery is Delivery.DIGEST:
        return (
            f"Sent. It will be posted in the group at {digest_hour}:00 with any others, "
            "without your name."
        )
    return (
        "Sent. The facilitators will read it. If they publish it, it will appear in the group "
        "without your name."
    )


CANCELLED = "Cancelled. Nothing was sent."
EXPIRED = "This is no longer in use, so nothing was sent. Type /feedback to start again."
EXPIRED_SHORT = "This is no longer in use. Nothing was sent."
ALREADY_SENT_SHORT = "Already sent. There is nothing more to do."
EMPTY = "That message looks empty. Please type what you would like to say."
MEDIA = (
    "Please send your feedback as text only. Photos, voice notes, videos and files can give "
    "away who you are (a voice, a face, a room, hidden details inside the file), so I do not "
    "pass them on. Just type your message here."
)
NO_GROUPS = (
    "You have not joined a group yet, so there is nowhere to send feedback. "
    "Press <b>Join</b> on my message in your group first."
)
NOT_MEMBER = (
    "Only members of that group can send it feedback. If you are in the group, press "
    "<b>Join</b> on my message there first, then try again."
)
NOT_MEMBER_SHORT = "Only members of that group can send it feedback."
BAD_LINK = (
    "Sorry, I could not use that feedback link. It may be old or copied wrongly. "
    "Type /feedback to choose your group."
)
TAG_GONE = (
    "Your role can no longer be shown, because too few people in the group hold it to keep "
    "you anonymous. Nothing was sent; press Send again to send it without your role."
)


def too_long(length: int) -> str:
    return (
        f"That is a little long: it has {length} characters and I can take up to "
        f"{MAX_FEEDBACK_CHARS}. Could you shorten it, or send the most important part?"
    )


def urgent_limit_reached(title: str, contacts: Sequence[str]) -> str:
    """Past the urgent limit: not passed on, and where to get help, always."""
    return "\n".join(
        [
            f"I have not passed this one on: you have sent many urgent messages to the "
            f"facilitators of <b>{escape(title)}</b> today, and they have those. You can send "
            "more tomorrow.",
            "",
            "If you are not safe, or need someone now, please do not wait for them:",
            urgent_help(contacts),
        ]
    )


def urgent_muted(title: str, until: str, contacts: Sequence[str]) -> str:
    """A facilitator muted this sender's urgent items: said plainly, with where to get help,
    so nobody in crisis believes they are being read when they are not."""
    return "\n".join(
        [
            f"I have not passed this on: the facilitators of <b>{escape(title)}</b> have "
            f"paused urgent messages from you until {escape(until)}. They do not know who "
            "you are. Your other feedback still reaches them as usual.",
            "",
            "If you are not safe, or need someone now, please contact:",
            urgent_help(contacts),
        ]
    )


def limit_reached(title: str, limit: int) -> str:
    return (
        f"You have sent {limit} messages of feedback to <b>{escape(title)}</b> today, which "
        "is as many as I can take in one day. You can send more tomorrow. Thank you for "
        "taking the time."
    )
