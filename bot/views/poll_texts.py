"""Short texts around polls: refusals, confirmations, settings. Plain words, kind tone.

Constants are marked N_() and translated whole as they leave (bot/i18n/outbound.py); texts
built from parts call _() themselves.
"""

from __future__ import annotations

from html import escape

from bot.domain.disclosure import DEFAULT_SMALL_ROLES, SmallRoles
from bot.domain.poll_rules import EXAMPLE_LINE, EXAMPLE_LINES, PollKind
from bot.domain.problems import ProblemError
from bot.i18n import N_, _
from bot.views.poll_wording import option_names
from bot.views.problems import problem_words

POLL_IN_GROUP_ONLY = N_("Polls live in your group's chat. Please use this command there.")
ONLY_FACILITATORS_CREATE = N_(
    "In this group only the organisers (its admins) can start polls. "
    "An organiser can let everyone do it with /pollsettings."
)
ONLY_FACILITATORS_CLOSE = N_("Only the group's organisers (its admins) can close a poll.")
ONLY_FACILITATORS_EXPORT = N_("Only the group's organisers (its admins) can download results.")
ONLY_FACILITATORS_SETTINGS = N_("Only the group's organisers (its admins) can change settings.")
CLOSE_HOW = N_(
    "To close a poll, reply to the poll's message with /close, or press its "
    "<b>Close poll</b> button."
)
ALREADY_CLOSED = N_("That poll is already closed.")
EXPORT_CAPTION = N_("The results of the poll, counts only. No one's individual vote is in it.")
DECISIONS_CAPTION = N_("Every closed poll of the group and what it decided, counts only.")
DECISIONS_SENT = N_("I sent you the decision log in our private chat.")
OPEN_PRIVATE_CHAT_FIRST = N_(
    "I can only send you files in a private chat. Please open one with me, then try again."
)
SAVED = N_("Saved")


def input_problem(problem: ProblemError | str) -> str:
    """What was wrong with a typed /poll (in the reader's language), and how to write it."""
    words = _(problem) if isinstance(problem, str) else problem_words(problem)
    return (
        f"{escape(words)}\n\n"
        + _("Example: {line}").format(line=f"<code>{escape(EXAMPLE_LINE)}</code>")
        + "\n"
        + _("or one per line:")
        + f"\n<code>{escape(EXAMPLE_LINES)}</code>"
    )


SMALL_ROLES_LABELS = {
    SmallRoles.NOTICE: N_("Small roles: equal say, with notice"),
    SmallRoles.PROTECT: N_("Small roles: protect them"),
}
WHO_CAN_POLL_LABELS = (N_("Organisers only"), N_("Everyone"))


def settings_label(label: str, chosen: bool) -> str:
    """A /pollsettings button; the chosen one is ticked, so translated here (a label built
    from parts is not a catalogue entry when it leaves)."""
    return f"✓ {_(label)}" if chosen else label


def settings_text(anyone_can_poll: bool, small_roles: SmallRoles = DEFAULT_SMALL_ROLES) -> str:
    now = _("everyone in the group") if anyone_can_poll else _("the organisers only")
    usual = (
        _(
            "keep the equal say, and warn people before they vote that the few may see how "
            "each other voted"
        )
        if small_roles is SmallRoles.NOTICE
        else _("protect them: the result shows only the votes for each option (a head count)")
    )
    return "\n\n".join(
        [
            _("<b>Who can start polls?</b>\nNow: {now}.").format(now=now),
            _(
                "<b>When only a few people of a role can vote</b>, an equal-weight result could "
                "let people work out how they voted. Now: {usual}. The guided /newpoll asks "
                "each time."
            ).format(usual=usual),
            _("Choose below."),
        ]
    )


def poll_gone_ack() -> str:
    return _("This poll no longer exists. Nothing was changed.")


def open_private_chat_ack() -> str:
    return _("Please open a private chat with me first, then press the button again.")


CLOSE_YES, CLOSE_NO = N_("Yes, close it now"), N_("No, keep it open")
KEPT_OPEN = N_("The poll stays open.")
CLOSED_NOTE = N_("Closed by an organiser. The results are posted in the group.")


def close_question(question: str) -> str:
    return _(
        "Close the poll “{question}” now? Nobody can vote or change a vote after that. "
        "(Organisers only.)"
    ).format(question=escape(question))


def closed_ack() -> str:
    return _("The poll is closed. The results are posted in the group.")


REASON_LIMIT = 300
REASON_KEPT = N_("Thank you. Your reason will be shown with the results, without your name.")
REASON_TOO_LATE = N_(
    "I can no longer add that reason: the poll has closed or your vote has changed."
)


def reason_invitation(chosen: str) -> str:
    """After a Disagree or Block, in private: an optional reason, shown without a name."""
    (option,) = option_names(PollKind.PROPOSAL, [chosen])
    return _(
        "You chose <b>{option}</b>. If you like, tell me why in a few words (up to {limit} "
        "characters). I will show it with the results without your name or role. You can "
        "also just leave it."
    ).format(option=escape(option), limit=REASON_LIMIT)


def reason_too_long(length: int) -> str:
    return _(
        "That is a little long. Please keep it under {limit} characters (it has {length})."
    ).format(limit=REASON_LIMIT, length=length)


def export_after_close_ack() -> str:
    return _("Results can be downloaded once the poll has closed.")
