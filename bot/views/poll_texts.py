"""Short texts around polls: refusals, confirmations, settings. Plain words, kind tone."""

from __future__ import annotations

from html import escape

from bot.domain.disclosure import DEFAULT_SMALL_ROLES, SmallRoles
from bot.domain.poll_rules import EXAMPLE_LINE, EXAMPLE_LINES

POLL_IN_GROUP_ONLY = "Polls live in your group's chat. Please use this command there."
ONLY_FACILITATORS_CREATE = (
    "In this group only the facilitators (its admins) can start polls. "
    "A facilitator can let everyone do it with /pollsettings."
)
ONLY_FACILITATORS_CLOSE = "Only the group's facilitators (its admins) can close a poll."
ONLY_FACILITATORS_EXPORT = "Only the group's facilitators (its admins) can download results."
ONLY_FACILITATORS_SETTINGS = "Only the group's facilitators (its admins) can change settings."
CLOSE_HOW = (
    "To close a poll, reply to the poll's message with /close, or press its "
    "<b>Close poll</b> button."
)
ALREADY_CLOSED = "That poll is already closed."
EXPORT_CAPTION = "The results of the poll, counts only. No one's individual vote is in it."
DECISIONS_CAPTION = "Every closed poll of the group and what it decided, counts only."
DECISIONS_SENT = "I sent you the decision log in our private chat."
OPEN_PRIVATE_CHAT_FIRST = (
    "I can only send you files in a private chat. Please open one with me, then try again."
)


def input_problem(message: str) -> str:
    return (
        f"{escape(message)}\n\nExample: <code>{escape(EXAMPLE_LINE)}</code>\n"
        f"or one per line:\n<code>{escape(EXAMPLE_LINES)}</code>"
    )


SMALL_ROLES_LABELS = {
    SmallRoles.NOTICE: "Small roles: equal say, with notice",
    SmallRoles.PROTECT: "Small roles: protect them",
}


def settings_text(anyone_can_poll: bool, small_roles: SmallRoles = DEFAULT_SMALL_ROLES) -> str:
    now = "everyone in the group" if anyone_can_poll else "the facilitators only"
    usual = (
        "keep the equal say, and the poll tells everyone before they vote that the few may be "
        "able to tell how each other voted"
        if small_roles is SmallRoles.NOTICE
        else "protect them: the result shows only the votes for each option (a head count)"
    )
    return (
        f"<b>Who can start polls?</b>\nNow: {now}.\n\n"
        "<b>When only a few people of a role can vote</b>, an equal-weight result could let "
        f"people work out how they voted. Now: {usual}. The guided /newpoll asks each time.\n\n"
        "Choose below."
    )


def poll_gone_ack() -> str:
    return "This poll no longer exists. Nothing was changed."


def open_private_chat_ack() -> str:
    return "Please open a private chat with me first, then press the button again."


CLOSE_YES, CLOSE_NO = "Yes, close it now", "No, keep it open"
KEPT_OPEN = "The poll stays open."
CLOSED_NOTE = "Closed by a facilitator. The results are posted in the group."


def close_question(question: str) -> str:
    return (
        f"Close the poll “{escape(question)}” now? Nobody can vote or change a vote after that. "
        "(Facilitators only.)"
    )


def closed_ack() -> str:
    return "The poll is closed. The results are posted in the group."


def export_after_close_ack() -> str:
    return "Results can be downloaded once the poll has closed."
