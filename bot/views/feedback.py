"""Texts and keyboards for giving anonymous feedback in the private chat."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.feedback_rules import MAX_FEEDBACK_CHARS, Delivery
from bot.domain.roles import Role
from bot.i18n import N_, _, ngettext
from bot.views import role_words as words
from bot.views.callbacks import Action, encode
from bot.views.links import start_link

BUTTON_LABEL = N_("Give feedback anonymously")


def feedback_link_row(bot_username: str, payload: str) -> list[InlineKeyboardButton]:
    """The group's "Give feedback anonymously" button: a deep link into the private chat."""
    return [InlineKeyboardButton(_(BUTTON_LABEL), url=start_link(bot_username, payload))]


def in_group_pointer() -> str:
    return _(
        "Feedback is given privately, so nobody here can see who wrote it. "
        "Press the button to write yours in a private chat with me."
    )


def who_will_see(delivery: Delivery, digest_hour: int) -> str:
    if delivery is Delivery.DIRECT:
        return _("It goes into the group straight away, without your name.")
    if delivery is Delivery.DIGEST:
        return _(
            "It goes into the group at {hour}:00 with any others, so the time cannot give you away."
        ).format(hour=digest_hour)
    return _("The organisers read it first. They decide if it goes into the group.")


def urgent_help(contacts: Sequence[str]) -> str:
    return "\n".join([_("<b>If you need help now:</b>"), *(f"• {escape(c)}" for c in contacts)])


def prompt(
    title: str, delivery: Delivery, digest_hour: int, contacts: Sequence[str], remaining: int
) -> str:
    # Short (issue 15: about 60 words to read): what to do first, then why it is safe.
    return "\n".join(
        [
            _("<b>Anonymous feedback for {group}</b>").format(group=escape(title)),
            "",
            _("Type your message and send it. You will see it before it goes."),
            who_will_see(delivery, digest_hour),
            "",
            _(
                "I do not keep your name with it. Nobody can tell it came from you. Leave out "
                "details only you would know."
            ),
            "",
            urgent_help(contacts),
            "",
            ngettext(
                "Text only, please. You can send {count} more message today.",
                "Text only, please. You can send {count} more messages today.",
                remaining,
            ).format(count=remaining),
        ]
    )


def prompt_keyboard(serial: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("Cancel"), callback_data=encode(Action.FEEDBACK_CANCEL, serial))]]
    )


def pick_group(groups: Sequence[tuple[int, str]]) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [
        [InlineKeyboardButton(title[:60], callback_data=encode(Action.FEEDBACK_GROUP, gid))]
        for gid, title in groups
    ]
    return _("Which group is your feedback for?"), InlineKeyboardMarkup(buttons)


def heading(number: int | None, role: Role | None) -> str:
    """How a posted item is headed: no name, no username, only the role if chosen."""
    title = (
        _("Anonymous feedback")
        if number is None
        else _("Anonymous feedback #{number}").format(number=number)
    )
    if role is None:
        return f"<b>{title}</b>"
    return f"<b>{title}</b> " + _("(from {role})").format(role=words.as_phrase(role))


def preview(
    title: str,
    text: str,
    *,
    role: Role | None,
    delivery: Delivery,
    digest_hour: int,
    urgent: bool,
) -> str:
    lines = [
        _("<b>Your feedback for {group}</b>").format(group=escape(title)),
        "",
        escape(text),
        "",
    ]
    if urgent:
        lines.append(
            _(
                "Because of what you wrote, this will go <b>only to the group’s organisers</b>, "
                "marked urgent, so they can look out for everyone. It will not be posted in the "
                "group. They will still not know who you are."
            )
        )
    else:
        lines.append(_("It will appear as: {heading}").format(heading=heading(None, role)))
        lines.append(who_will_see(delivery, digest_hour))
    lines += ["", _("Press <b>Send</b> if it is right, or type it again to change it.")]
    return "\n".join(lines)


def preview_keyboard(
    serial: int, *, role: Role, may_tag: bool, tagged: bool
) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(_("Send"), callback_data=encode(Action.FEEDBACK_SEND, serial)),
            InlineKeyboardButton(_("Cancel"), callback_data=encode(Action.FEEDBACK_CANCEL, serial)),
        ]
    ]
    if may_tag:
        label = (
            _("Do not say my role")
            if tagged
            else _("Say I am {role}").format(role=words.as_phrase(role))
        )
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
            _(
                "Thank you for telling me. It sounds like things may be very hard right now. "
                "You do not have to wait to talk to someone."
            ),
            "",
            urgent_help(contacts),
        ]
    )


def crisis_offer(title: str) -> str:
    """After the crisis reply, to someone who was not writing feedback when they wrote it."""
    return _(
        "If you would like the organisers of <b>{group}</b> to know, I can pass "
        "your message to them, marked urgent. It will not be posted in the group, and they "
        "will not know who sent it. Nothing is sent unless you press <b>Send</b>."
    ).format(group=escape(title))


# To a group, when the person who wrote a crisis message there cannot be written to
# privately: it names nobody and repeats nothing, and the button opens the private chat.
CRISIS_IN_GROUP = N_(
    "If things feel very hard right now, help is there. Tap below to get the contacts in a "
    "private chat with me."
)
CRISIS_IN_GROUP_BUTTON = N_("Get help privately")

CRISIS_PICK_GROUP = N_(
    "I can pass your message to a group's organisers, marked urgent and without your name. "
    "It will not go into the group. Which group?"
)


def sent(delivery: Delivery, digest_hour: int, *, urgent: bool) -> str:
    if urgent:
        return _(
            "Sent to the organisers only, marked urgent. It will not be posted in the group, "
            "and they cannot tell who sent it. Please use the contacts above if you need to."
        )
    if delivery is Delivery.DIRECT:
        return _("Sent. It is now in the group as “Anonymous feedback”, without your name.")
    if delivery is Delivery.DIGEST:
        return _(
            "Sent. It will be posted in the group at {hour}:00 with any others, without your name."
        ).format(hour=digest_hour)
    return _(
        "Sent. The organisers will read it. If they publish it, it will appear in the group "
        "without your name."
    )


CANCELLED = N_("Cancelled. Nothing was sent.")
SENT_SHORT = N_("Sent")
EXPIRED = N_("This is no longer in use, so nothing was sent. Type /feedback to start again.")
EXPIRED_SHORT = N_("This is no longer in use. Nothing was sent.")
ALREADY_SENT_SHORT = N_("Already sent. There is nothing more to do.")
EMPTY = N_("That message looks empty. Please type what you would like to say.")
MEDIA = N_(
    "Please send your feedback as text only. Photos, voice notes, videos and files can give "
    "away who you are (a voice, a face, a room, hidden details inside the file), so I do not "
    "pass them on. Just type your message here."
)
NO_GROUPS = N_(
    "You have not joined a group yet, so there is nowhere to send feedback. "
    "Press <b>Join</b> on my message in your group first."
)
NOT_MEMBER = N_(
    "Only members of that group can send it feedback. If you are in the group, press "
    "<b>Join</b> on my message there first, then try again."
)
NOT_MEMBER_SHORT = N_("Only members of that group can send it feedback.")
BAD_LINK = N_(
    "Sorry, I could not use that feedback link. It may be old or copied wrongly. "
    "Type /feedback to choose your group."
)
TAG_GONE = N_(
    "Your role can no longer be shown, because too few people in the group hold it to keep "
    "you anonymous. Nothing was sent; press Send again to send it without your role."
)


def too_long(length: int) -> str:
    return _(
        "That is a little long: it has {length} characters and I can take up to "
        "{limit}. Could you shorten it, or send the most important part?"
    ).format(length=length, limit=MAX_FEEDBACK_CHARS)


def urgent_limit_reached(title: str, contacts: Sequence[str]) -> str:
    """Past the urgent limit: not passed on, and where to get help, always."""
    return "\n".join(
        [
            _(
                "I have not passed this one on: you have sent many urgent messages to the "
                "organisers of <b>{group}</b> today, and they have those. You can send "
                "more tomorrow."
            ).format(group=escape(title)),
            "",
            _("If you are not safe, or need someone now, please do not wait for them:"),
            urgent_help(contacts),
        ]
    )


def urgent_muted(title: str, until: str, contacts: Sequence[str]) -> str:
    """A facilitator muted this sender's urgent items: said plainly, with where to get help,
    so nobody in crisis believes they are being read when they are not."""
    return "\n".join(
        [
            _(
                "I have not passed this on. The organisers of <b>{group}</b> have paused "
                "urgent messages from you until {until}. They do not know who you are. Your "
                "other feedback still reaches them as usual."
            ).format(group=escape(title), until=escape(until)),
            "",
            _("If you are not safe, or need someone now, please contact:"),
            urgent_help(contacts),
        ]
    )


def limit_reached(title: str, limit: int) -> str:
    return _(
        "You have sent {count} messages of feedback to <b>{group}</b> today, which "
        "is as many as I can take in one day. You can send more tomorrow. Thank you for "
        "taking the time."
    ).format(count=limit, group=escape(title))
