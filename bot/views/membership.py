"""Texts and keyboards for joining, roles and privacy rights."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.disclosure import role_count_is_small
from bot.domain.personal_data import AlsoStored
from bot.domain.role_changes import ChangeKind, RoleChange
from bot.domain.roles import ROLES, Role
from bot.i18n import N_, _, ngettext
from bot.views import role_words as words
from bot.views.callbacks import Action, encode
from bot.views.feedback import feedback_link_row
from bot.views.links import start_link


def welcome(title: str) -> str:
    return _(
        "Hello, <b>{group}</b>! I am <b>Equal Say</b>.\n\n"
        "I run polls where service users, carers and staff each have an <b>equal say</b>, "
        "however many of each there are.\n\n"
        "Press <b>Join</b> to start. You choose your role in a private chat. "
        "Nobody here can see it, or how you vote."
    ).format(group=escape(title))


def join_keyboard(
    bot_username: str,
    payload: str,
    feedback_payload: str | None = None,
    *,
    pin_group: int | None = None,
) -> InlineKeyboardMarkup:
    """Join (and anonymous feedback); `pin_group`: offer facilitators to pin the message."""
    rows = [[InlineKeyboardButton(_("Join"), url=start_link(bot_username, payload))]]
    if feedback_payload is not None:
        rows.append(feedback_link_row(bot_username, feedback_payload))
    if pin_group is not None:
        rows.append(
            [InlineKeyboardButton(_(PIN_LABEL), callback_data=encode(Action.PIN, pin_group))]
        )
    return InlineKeyboardMarkup(rows)


PIN_LABEL = N_("📌 Pin this message (organisers)")


def newcomers_welcome(title: str) -> str:
    return _(
        "Welcome to <b>{group}</b>! I am <b>Equal Say</b>: I run polls where service "
        "users, carers and staff each have an equal say.\n\n"
        "Press <b>Join</b> to choose your role in a private chat. Nobody here can see it."
    ).format(group=escape(title))


ONLY_FACILITATORS_PIN = N_("Only the group's organisers can pin messages.")
PINNED = N_("Pinned. Newcomers will find the Join button at the top of the chat.")
PIN_NOT_ALLOWED = N_("I cannot pin here any more: I need the right to pin messages.")


def join_again(title: str) -> str:
    return _(
        "To take part in <b>{group}</b>, press <b>Join</b>. "
        "You will pick your role in a private chat with me."
    ).format(group=escape(title))


PRIVACY_STATEMENT = N_(
    "Your role is private. It is kept under a code, not your name. "
    "Nobody in the group can see it, or your votes. /mydata shows what I keep."
)

WHY_EQUAL = N_("Each role counts for one third of every result, however many people are in it.")


def choose_role(title: str, current: Role | None, carried: str | None = None) -> str:
    """`carried`: a line about the vote pressed before joining (see `carried_vote`).

    Kept short (issue 15: about 60 words at most): the choice first, then why it is safe.
    """
    lines = [_("You are joining <b>{group}</b>.").format(group=escape(title)), ""]
    if carried is not None:
        lines += [carried, ""]
    if current is not None:
        lines.append(_("Your role here now: <b>{role}</b>.").format(role=words.label(current)))
    lines.append(_("<b>Which role fits you?</b>"))
    for role in ROLES:
        lines.append(f"• <b>{words.capitalised(words.label(role))}</b>: {words.explanation(role)}")
    lines += ["", _(WHY_EQUAL), _(PRIVACY_STATEMENT)]
    return "\n".join(lines)


def role_keyboard(
    group_id: int, carried: tuple[int, int, int] | None = None
) -> InlineKeyboardMarkup:
    """`carried`: (poll, option, tag) of the vote to cast once the role is chosen."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    words.capitalised(words.label(role)),
                    callback_data=encode(Action.ROLE, group_id, index, *(carried or ())),
                )
            ]
            for index, role in enumerate(ROLES)
        ]
    )


def carried_vote(question: str, label: str) -> str:
    return _(
        "You pressed <b>{option}</b> on the poll “{question}”. "
        "Choose your role below and I will count that vote straight away."
    ).format(option=escape(label), question=escape(question))


CARRIED_VOTE_CLOSED = N_(
    "The poll you pressed has closed (or the button was old), so there is no vote to count. "
    "You can still join."
)


def vote_counted(labels: Sequence[str]) -> str:
    return _(
        "Your vote for <b>{options}</b> is counted. "
        "You can change it with the buttons under the poll in the group."
    ).format(options=escape(", ".join(labels)))


VOTE_ALREADY_GIVEN = N_("You had already voted in that poll, so your vote stays as it was.")
VOTE_TOO_LATE = N_("That poll closed before you chose, so your vote could not be counted.")
VOTE_NOT_CAST = N_(
    "I could not count your vote. Please press it again under the poll in the group."
)


def when_role_counts(change: RoleChange) -> str | None:
    """When a changed role starts to count, in plain words (bot/domain/role_changes.py)."""
    if change.kind is ChangeKind.NOW:
        return _("Your new role counts in every poll from now on.")
    if change.kind is ChangeKind.FROM_NEXT_POLL and change.kept_role is not None:
        kept = Role(change.kept_role)
        return ngettext(
            "Your new role counts from the next poll. The poll open now keeps your old role "
            "({role}), so nobody counts twice in one poll.",
            "Your new role counts from the next poll. The {count} polls open now keep your old "
            "role ({role}), so nobody counts twice in one poll.",
            change.open_polls_keeping,
        ).format(count=change.open_polls_keeping, role=words.label(kept))
    return None


def role_chosen(title: str, role: Role, change: RoleChange, *, vote_news: str | None = None) -> str:
    """`vote_news`: what became of the vote pressed before joining, in the same message."""
    opening = _("Welcome!") if change.kind is ChangeKind.NEW else _("Done.")
    last = (
        vote_news
        or when_role_counts(change)
        or _("Now you can vote with the buttons under polls in the group.")
    )
    you_are = _("You are in <b>{group}</b> as <b>{role}</b>.").format(
        group=escape(title), role=words.as_phrase(role)
    )
    return f"{opening} {you_are}\n{last}\n\n" + _(
        "Only you can see this. You can change your role at any time with /role."
    )


def role_change_waits(title: str, change: RoleChange) -> str:
    """A second change while polls opened before the first are still open: refused, and why."""
    kept = (
        _("your old role") if change.kept_role is None else words.as_phrase(Role(change.kept_role))
    )
    count = change.open_polls_keeping
    return (
        _("Your role in <b>{group}</b> was not changed this time.").format(group=escape(title))
        + "\n\n"
        + ngettext(
            "You changed it a short while ago. A poll opened before that change is still open and "
            "counts you as {role}. So that every poll counts you once, you can change it again "
            "when that poll closes.",
            "You changed it a short while ago. {count} polls opened before that change are still "
            "open and count you as {role}. So that every poll counts you once, you can change it "
            "again when those polls close.",
            count,
        ).format(count=count, role=kept)
    )


BAD_JOIN_LINK = N_(
    "Sorry, I could not use that join link. It may be old or copied wrongly.\n"
    "Please go back to your group and press <b>Join</b> on my latest message, "
    "or type /join there."
)
NOT_IN_GROUP = N_(
    "I could not find you in that group. Please join the group in Telegram first, "
    "then press <b>Join</b> on my message there."
)
NOT_IN_GROUP_PLAIN = N_(
    "I could not find you in that group. Please join the group in Telegram first."
)
NO_GROUPS = N_(
    "You have not joined any group yet. Press <b>Join</b> on my message in your group, "
    "or type /join there."
)


def pick_group_for_role(held: Sequence[tuple[int, str, Role]]) -> tuple[str, InlineKeyboardMarkup]:
    lines = [_("You are in these groups. Which one do you want to change your role in?")]
    buttons = []
    for group_id, title, role in held:
        lines.append(f"• <b>{escape(title)}</b>: {words.label(role)}")
        buttons.append(
            [InlineKeyboardButton(title[:60], callback_data=encode(Action.ROLE_MENU, group_id))]
        )
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


def _also_lines(also: AlsoStored | None) -> list[str]:
    if also is None:
        return []
    extra = []
    if also.draft_group:
        extra.append(
            _("• A poll you are setting up for <b>{group}</b> (not posted yet).").format(
                group=escape(also.draft_group)
            )
        )
    if also.meeting_draft_group:
        extra.append(
            _("• A meeting you typed for <b>{group}</b> (not saved).").format(
                group=escape(also.meeting_draft_group)
            )
        )
    if also.reminder_requests:
        extra.append(
            ngettext(
                "• You asked for {count} meeting reminder for yourself. It is deleted once sent.",
                "• You asked for {count} meeting reminders for yourself. Each is deleted once "
                "sent.",
                also.reminder_requests,
            ).format(count=also.reminder_requests)
        )
    if also.reply_channels:
        extra.append(
            ngettext(
                "• You let organisers reply privately to {count} feedback message. Where to "
                "write to you is kept locked. It is deleted after 30 days, or when you press "
                "Stop replies.",
                "• You let organisers reply privately to {count} feedback messages. Where to "
                "write to you is kept locked. It is deleted after 30 days, or when you press "
                "Stop replies.",
                also.reply_channels,
            ).format(count=also.reply_channels)
        )
    return extra


def _reachable_line() -> str:
    return _(
        "• That you have opened this private chat, so I can send you things here. I keep a "
        "secret code for this, not your account."
    )


def my_data(held: Sequence[tuple[str, Role, Role | None]], also: AlsoStored | None = None) -> str:
    """`held`: (group title, role, the role before a change still settling, if any)."""
    extra = _also_lines(also)
    reachable = also is not None and also.reachable
    if not held and not extra:
        return "\n".join(
            [
                _("<b>What I store about you</b>"),
                "",
                _("Nothing about roles: you have not joined any group, or you erased your data."),
                *([_reachable_line()] if reachable else []),
                "",
                _(
                    "Your votes and meeting answers are kept under secret codes, not your name "
                    "or account. So they are not listed here. Feedback is kept without anything "
                    "that points to you."
                ),
            ]
        )
    if reachable:
        extra.append(_reachable_line())
    lines = [_("<b>What I store about you</b>"), ""]
    for title, role, earlier in held:
        lines.append(
            _("• In <b>{group}</b>: you are <b>{role}</b>.").format(
                group=escape(title), role=words.as_phrase(role)
            )
        )
        if earlier is not None:
            lines.append(
                "  "
                + _(
                    "Your earlier role ({role}) is kept too, until the polls that were open "
                    "when you changed it close. Those polls count you under it."
                ).format(role=words.label(earlier))
            )
    lines += extra
    lines += [
        "",
        _(
            "That is all. Your name and Telegram account are not stored with your role. It "
            "is kept under a secret code that only I can work out, with no date."
        ),
        _(
            "Your votes and meeting answers are kept under other secret codes, with the role "
            "you had then. When a poll closes or a meeting is over, those codes are changed to "
            "random ones. Then nothing links them to you. Feedback is kept without anything "
            "that points to you."
        ),
        _("To erase your roles and memberships, use /forgetme."),
    ]
    return "\n".join(lines)


FORGET_CONFIRM = N_(
    "<b>Erase your data?</b>\n\n"
    "This removes your role and membership in every group. "
    "You can join again later with the group's <b>Join</b> button.\n\n"
    "Your past votes, meeting answers and feedback stay in the results. They are stored "
    "without your name or Telegram account, so nobody in the group, organisers included, "
    "can tell they were yours."
)


def forget_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("Yes, erase my data"), callback_data=encode(Action.FORGET, 1))],
            [InlineKeyboardButton(_("No, keep it"), callback_data=encode(Action.FORGET, 0))],
        ]
    )


def forgotten(count: int) -> str:
    if count == 0:
        return _("There was nothing to erase. I hold no role or membership for you.")
    return (
        ngettext(
            "Done. I erased your role and membership in {count} group.",
            "Done. I erased your role and membership in {count} groups.",
            count,
        ).format(count=count)
        + "\n\n"
        + _(
            "What stays: votes, meeting answers and feedback you gave before. They are kept "
            "without your name, so nobody can tell they were yours."
        )
    )


FORGET_KEPT = N_("Nothing was erased. Your roles stay as they were.")


def _figure(count: int, min_cell: int) -> str:
    """How one role's size is said: a role of fewer than `min_cell` people is not given as
    an exact number (in a small group "Carers: 1" all but names the one carer)."""
    if count <= 0:
        return _("none yet")
    if role_count_is_small(count, min_cell):
        return _("fewer than {count}").format(count=min_cell)
    return str(count)


def member_counts(title: str, counts: dict[Role, int], *, min_cell: int) -> str:
    lines = [
        _("<b>Who has joined {group}</b> (counts only, never names)").format(group=escape(title)),
        "",
    ]
    for role in ROLES:
        lines.append(
            f"• {words.capitalised(words.plural(role))}: {_figure(counts[role], min_cell)}"
        )
    lines.append("")
    if any(role_count_is_small(counts[role], min_cell) for role in ROLES):
        # The total minus the exact roles would give the small one back.
        lines.append(
            _(
                "I do not show the exact total while a role has fewer than {count} people. "
                "Then nobody's role can be worked out from it."
            ).format(count=min_cell)
        )
    else:
        lines.append(_("In all: {count}.").format(count=sum(counts.values())))
    return "\n".join(lines)


MEMBERS_SENT = N_("I sent you the member counts in our private chat, so only you see them.")
MEMBERS_OPEN_PRIVATE_CHAT = N_(
    "I can only send you the member counts in a private chat, so that only you see them. "
    "Please open one with me, then send /members here again."
)


FACILITATORS_ONLY = N_(
    "Sorry, only the group's organisers (its admins) can do that. "
    "If you think you should be one, ask an admin of this group."
)
GROUP_ONLY = N_("Please use this in your group's chat.")
