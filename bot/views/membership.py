"""Texts and keyboards for joining, roles and privacy rights."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.disclosure import role_count_is_small, role_figure
from bot.domain.personal_data import AlsoStored
from bot.domain.role_changes import ChangeKind, RoleChange
from bot.domain.roles import ROLES, Role
from bot.views.callbacks import Action, encode
from bot.views.feedback import feedback_link_row
from bot.views.links import start_link


def welcome(title: str) -> str:
    return (
        f"Hello, <b>{escape(title)}</b>! I am <b>Equal Say</b>.\n\n"
        "I run polls and gather feedback so that service users, carers and staff each have "
        "an <b>equal say</b>: every group counts the same, however many people are in it.\n\n"
        "Your role is private. Nobody here, not even the facilitators, can see who holds "
        "which role or who voted what.\n\n"
        "Press <b>Join</b> to start. I will ask you, in a private chat, which role fits you.\n\n"
        "To tell the group something without your name, press "
        "<b>Give feedback anonymously</b>."
    )


def join_keyboard(
    bot_username: str,
    payload: str,
    feedback_payload: str | None = None,
    *,
    pin_group: int | None = None,
) -> InlineKeyboardMarkup:
    """Join (and anonymous feedback); `pin_group`: offer facilitators to pin the message."""
    rows = [[InlineKeyboardButton("Join", url=start_link(bot_username, payload))]]
    if feedback_payload is not None:
        rows.append(feedback_link_row(bot_username, feedback_payload))
    if pin_group is not None:
        rows.append([InlineKeyboardButton(PIN_LABEL, callback_data=encode(Action.PIN, pin_group))])
    return InlineKeyboardMarkup(rows)


PIN_LABEL = "📌 Pin this message (facilitators)"


def newcomers_welcome(title: str) -> str:
    return (
        f"Welcome to <b>{escape(title)}</b>! I am <b>Equal Say</b>: I run polls where service "
        "users, carers and staff each have an equal say.\n\n"
        "Press <b>Join</b> to choose your role in a private chat. Nobody here can see it."
    )


ONLY_FACILITATORS_PIN = "Only the group's facilitators can pin messages."
PINNED = "Pinned. Newcomers will find the Join button at the top of the chat."
PIN_NOT_ALLOWED = "I cannot pin here any more: I need the right to pin messages."


def join_again(title: str) -> str:
    return (
        f"To take part in <b>{escape(title)}</b>, press <b>Join</b>. "
        "You will pick your role in a private chat with me."
    )


PRIVACY_STATEMENT = (
    "<b>Before you choose: your privacy</b>\n"
    "• Your role is stored with a scrambled code, never with your name or Telegram account.\n"
    "• Nobody in the group, facilitators included, can see your role or your votes. "
    "They only see how many people are in each role.\n"
    "• You can see what is stored about you with /mydata and erase it with /forgetme."
)

WHY_EQUAL = (
    "<b>Why roles?</b> Each role counts for one third of every result, "
    "however many people are in it. That way no group can be outvoted by numbers alone."
)


def choose_role(title: str, current: Role | None, carried: str | None = None) -> str:
    """`carried`: a line about the vote pressed before joining (see `carried_vote`)."""
    lines = [f"You are joining <b>{escape(title)}</b>.", "", PRIVACY_STATEMENT, "", WHY_EQUAL, ""]
    if carried is not None:
        lines += [carried, ""]
    if current is not None:
        lines.append(f"Your role here now: <b>{current.label}</b>.")
    lines.append("<b>Which role fits you in this group?</b>")
    for role in ROLES:
        lines.append(f"• <b>{role.label.capitalize()}</b>: {role.explanation}")
    return "\n".join(lines)


def role_keyboard(
    group_id: int, carried: tuple[int, int, int] | None = None
) -> InlineKeyboardMarkup:
    """`carried`: (poll, option, tag) of the vote to cast once the role is chosen."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    role.label.capitalize(),
                    callback_data=encode(Action.ROLE, group_id, index, *(carried or ())),
                )
            ]
            for index, role in enumerate(ROLES)
        ]
    )


def carried_vote(question: str, label: str) -> str:
    return (
        f"You pressed <b>{escape(label)}</b> on the poll “{escape(question)}”. "
        "Choose your role below and I will count that vote straight away."
    )


CARRIED_VOTE_CLOSED = (
    "The poll you pressed has closed (or the button was old), so there is no vote to count. "
    "You can still join."
)


def vote_counted(labels: Sequence[str]) -> str:
    return (
        f"Your vote for <b>{escape(', '.join(labels))}</b> is counted. "
        "You can change it with the buttons under the poll in the group."
    )


VOTE_ALREADY_GIVEN = "You had already voted in that poll, so your vote stays as it was."
VOTE_TOO_LATE = "That poll closed before you chose, so your vote could not be counted."
VOTE_NOT_CAST = "I could not count your vote. Please press it again under the poll in the group."


def _polls_open(count: int) -> str:
    return "the poll open now keeps" if count == 1 else f"the {count} polls open now keep"


def when_role_counts(change: RoleChange) -> str | None:
    """When a changed role starts to count, in plain words (bot/domain/role_changes.py)."""
    if change.kind is ChangeKind.NOW:
        return "Your new role counts in every poll from now on."
    if change.kind is ChangeKind.FROM_NEXT_POLL and change.kept_role is not None:
        kept = Role(change.kept_role)
        return (
            f"Your new role counts from the next poll; {_polls_open(change.open_polls_keeping)} "
            f"your old role ({kept.label}), so that nobody counts twice in one poll."
        )
    return None


def role_chosen(title: str, role: Role, change: RoleChange, *, vote_news: str | None = None) -> str:
    """`vote_news`: what became of the vote pressed before joining, in the same message."""
    opening = "Welcome!" if change.kind is ChangeKind.NEW else "Done."
    last = (
        vote_news
        or when_role_counts(change)
        or "Now you can vote with the buttons under polls in the group."
    )
    return (
        f"{opening} You are in <b>{escape(title)}</b> as <b>{role.as_phrase}</b>.\n"
        f"{last}\n\n"
        "Only you can see this. You can change your role at any time with /role."
    )


def role_change_waits(title: str, change: RoleChange) -> str:
    """A second change while polls opened before the first are still open: refused, and why."""
    kept = "your old role" if change.kept_role is None else Role(change.kept_role).as_phrase
    count = change.open_polls_keeping
    polls = "A poll" if count == 1 else f"{count} polls"
    verb = "is" if count == 1 else "are"
    return (
        f"Your role in <b>{escape(title)}</b> was not changed this time.\n\n"
        f"You changed it a short while ago. {polls} opened before that change {verb} still "
        f"open and count you as {kept}, and a poll opened since counts your new "
        "role. So that every poll counts you once, under one role, you can change it again "
        f"when {'that poll closes' if count == 1 else 'those polls close'}."
    )


BAD_JOIN_LINK = (
    "Sorry, I could not use that join link. It may be old or copied wrongly.\n"
    "Please go back to your group and press <b>Join</b> on my latest message, "
    "or type /join there."
)
NOT_IN_GROUP = (
    "I could not find you in that group. Please join the group in Telegram first, "
    "then press <b>Join</b> on my message there."
)
NOT_IN_GROUP_PLAIN = "I could not find you in that group. Please join the group in Telegram first."
NO_GROUPS = (
    "You have not joined any group yet. Press <b>Join</b> on my message in your group, "
    "or type /join there."
)


def pick_group_for_role(held: Sequence[tuple[int, str, Role]]) -> tuple[str, InlineKeyboardMarkup]:
    lines = ["You are in these groups. Which one do you want to change your role in?"]
    buttons = []
    for group_id, title, role in held:
        lines.append(f"• <b>{escape(title)}</b>: {role.label}")
        buttons.append(
            [InlineKeyboardButton(title[:60], callback_data=encode(Action.ROLE_MENU, group_id))]
        )
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


def my_data(held: Sequence[tuple[str, Role, Role | None]], also: AlsoStored | None = None) -> str:
    """`held`: (group title, role, the role before a change still settling, if any)."""
    extra = []
    if also is not None and also.draft_group:
        extra.append(
            f"• A poll you are setting up for <b>{escape(also.draft_group)}</b> (not posted yet)."
        )
    if also is not None and also.meeting_draft_group:
        extra.append(
            f"• A meeting you typed for <b>{escape(also.meeting_draft_group)}</b> (not saved)."
        )
    if also is not None and also.reminder_requests:
        extra.append(
            f"• You asked for {also.reminder_requests} personal meeting reminder(s); "
            "each is deleted once sent."
        )
    if also is not None and also.reply_channels:
        extra.append(
            f"• You let facilitators reply privately to {also.reply_channels} feedback "
            "message(s): where to write to you is kept locked, and deleted after 30 days "
            "or when you press Stop replies."
        )
    reachable_line = (
        "• That you have opened this private chat, so I can send you things here "
        "(a scrambled code, not your account)."
    )
    if not held and not extra:
        return (
            "<b>What I store about you</b>\n\n"
            "Nothing about roles: you have not joined any group, or you erased your data.\n"
            + (f"{reachable_line}\n" if also is not None and also.reachable else "")
            + "\nYour votes and meeting answers are kept under scrambled codes, not your name or "
            "account, so they are not listed here. Feedback is kept without anything that "
            "points to you."
        )
    if also is not None and also.reachable:
        extra.append(reachable_line)
    lines = ["<b>What I store about you</b>", ""]
    for title, role, earlier in held:
        lines.append(f"• In <b>{escape(title)}</b>: you are <b>{role.as_phrase}</b>.")
        if earlier is not None:
            lines.append(
                f"  Until the polls that were open when you changed it close, your earlier "
                f"role ({earlier.label}) is kept too: those polls count you under it."
            )
    lines += extra
    lines += [
        "",
        "That is all. Your name and Telegram account are not stored with your role: "
        "it is kept under a scrambled code only I can work out, with no date.",
        "Your votes and meeting answers are kept under other scrambled codes, with the role "
        "you had then. When a poll closes or a meeting is over, those codes are replaced with "
        "random ones, so nothing links them to you any more. Feedback is kept without "
        "anything that points to you.",
        "To erase your roles and memberships, use /forgetme.",
    ]
    return "\n".join(lines)


FORGET_CONFIRM = (
    "<b>Erase your data?</b>\n\n"
    "This removes your role and membership in every group. "
    "You can join again later with the group's <b>Join</b> button.\n\n"
    "Your past votes, meeting answers and feedback stay in the results. They are stored "
    "without your name or Telegram account, so nobody in the group, facilitators included, "
    "can tell they were yours."
)


def forget_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Yes, erase my data", callback_data=encode(Action.FORGET, 1))],
            [InlineKeyboardButton("No, keep it", callback_data=encode(Action.FORGET, 0))],
        ]
    )


def forgotten(count: int) -> str:
    if count == 0:
        return "There was nothing to erase. I hold no role or membership for you."
    groups = "group" if count == 1 else "groups"
    return (
        f"Done. I erased your role and membership in {count} {groups}.\n\n"
        "What stays: anonymous votes, meeting answers and feedback you gave before. They are "
        "stored without your name or Telegram account, so nobody in the group, facilitators "
        "included, can tell they were yours."
    )


FORGET_KEPT = "Nothing was erased. Your roles stay as they were."


def member_counts(title: str, counts: dict[Role, int], *, min_cell: int) -> str:
    lines = [f"<b>Who has joined {escape(title)}</b> (counts only, never names)", ""]
    for role in ROLES:
        lines.append(f"• {role.plural.capitalize()}: {role_figure(counts[role], min_cell)}")
    if any(role_count_is_small(counts[role], min_cell) for role in ROLES):
        # The total minus the exact roles would give the small one back.
        lines.append(
            f"\nThe exact total is held back while a role has fewer than {min_cell} people, "
            "so nobody's role can be worked out from it."
        )
    else:
        lines.append(f"\nIn all: {sum(counts.values())}.")
    return "\n".join(lines)


MEMBERS_SENT = "I sent you the member counts in our private chat, so only you see them."
MEMBERS_OPEN_PRIVATE_CHAT = (
    "I can only send you the member counts in a private chat, so that only you see them. "
    "Please open one with me, then send /members here again."
)


FACILITATORS_ONLY = (
    "Sorry, only the group's facilitators (its admins) can do that. "
    "If you think you should be one, ask an admin of this group."
)
GROUP_ONLY = "Please use this in your group's chat."
