"""Short answers to button presses on polls: plain text, at most 200 characters (DESIGN §2)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from bot.domain.disclosure import participation_word
from bot.domain.poll_rules import PollKind
from bot.domain.roles import ROLES, Role
from bot.i18n import N_, _, ngettext
from bot.views import role_words as words
from bot.views.limits import CALLBACK_ANSWER_LIMIT, shorten
from bot.views.poll_wording import option_names, separated, short_time, word_list

# What participation_word (bot/domain/disclosure.py) says, for the catalogue.
_PARTICIPATION = (N_("none yet"), N_("some"))
# Each label is cut so that even ten of them leave room for the rest of the sentence.
_LABEL_LIMIT = 40
_LABELS_LIMIT = 110


def _fit(text: str) -> str:
    return shorten(text, CALLBACK_ANSWER_LIMIT)


def ballot_ack(
    option_labels: Sequence[str],
    *,
    kind: PollKind,
    deadline: datetime | None,
    timezone: str,
    changed: bool,
) -> str:
    """'You chose: Yes. You can change it until Tue 1 Dec 17:00.'"""
    until = short_time(deadline, timezone) if deadline else _("the poll closes")
    if not option_labels:
        # Multiple choice: the last tick was taken back.
        return _fit(
            _("You have no options chosen now. You can choose again until {until}.").format(
                until=until
            )
        )
    names = option_names(kind, option_labels)
    labels = shorten(word_list([shorten(x, _LABEL_LIMIT) for x in names]), _LABELS_LIMIT)
    if kind is PollKind.MULTIPLE:
        opening = _("Your choices now") if changed else _("Your choices")
    else:
        opening = _("Changed. You now chose") if changed else _("You chose")
    return _fit(
        _("{opening}: {options}. You can change it until {until}.").format(
            opening=opening, options=labels, until=until
        )
    )


def withdrawn_ack() -> str:
    return _("Your vote is withdrawn. You can vote again while the poll is open.")


def already_chosen_ack(label: str) -> str:
    return _fit(
        _("You already chose {option}. Nothing changed.").format(option=shorten(label, 100))
    )


def too_many_ack(max_choices: int) -> str:
    return _fit(
        ngettext(
            "You can choose up to {count} option. Press one of your choices to take it back first.",
            "You can choose up to {count} options. Press one of your choices to take it back "
            "first.",
            max_choices,
        ).format(count=max_choices)
    )


def poll_closed_ack() -> str:
    return _("This poll is closed. Votes can no longer be changed.")


def wrong_chat_ack() -> str:
    return _("This button only works in the group where the poll was posted.")


def join_first_ack() -> str:
    return _("Please join the group first: I will open a private chat.")


def join_to_vote_ack() -> str:
    """A vote pressed before joining: it travels with the join link (handlers/membership)."""
    return _(
        "Please join first: I will open a private chat, and count this vote once you pick "
        "your role."
    )


def not_in_group_ack() -> str:
    # Said the same to someone who left and to someone who was never in: nothing about a
    # role they may have had, and nothing changed.
    return _(
        "Only people in this group can vote here, so nothing was changed. "
        "If you have just joined, please try again in a minute."
    )


def not_in_group_results_ack() -> str:
    return _("Only people in this group can see these results.")


def facilitators_only_ack() -> str:
    return _("Sorry, only the group's organisers can do that.")


def no_vote_to_withdraw_ack() -> str:
    return _("You have not voted in this poll, so there is nothing to withdraw.")


def results_sent_ack() -> str:
    return _("I sent you the results in a private chat.")


def results_after_close_ack() -> str:
    return _("The results will be shown in the group when the poll closes.")


def notice_ack(roles: Collection[Role], option_labels: Sequence[str]) -> str:
    """With the first press of a voter whose role the poll's notice named (as an alert, so it
    is read): what they chose, and what others may work out."""
    who = word_list([words.plural(r) for r in ROLES if r in roles])
    labels = shorten(word_list([shorten(x, 24) for x in option_labels]), 40)
    return _fit(
        _(
            "You chose: {options}. Please note: in a group this size, the result could "
            "sometimes let others work out how {roles} voted. You can change or withdraw it."
        ).format(options=labels, roles=who)
    )


def turnout_ack(voters: Mapping[Role, int]) -> str:
    """For facilitators, privately: which roles have voted so far, never a count that changes
    with one vote (bot/domain/disclosure.py)."""
    total = sum(voters.values())
    if total == 0:
        return _("Nobody has voted yet.")
    parts = [
        f"{words.capitalised(words.plural(r))}: {_(participation_word(voters.get(r, 0)))}"
        for r in ROLES
    ]
    people = ngettext(
        "{count} person has voted so far.", "{count} people have voted so far.", total
    ).format(count=total)
    return _fit(f"{people} " + separated(parts, strong=True) + ".")


def reopened_ack() -> str:
    return _("The poll is open again, with every vote kept. Close it when you are ready.")


def already_open_ack() -> str:
    return _("The poll is already open again. Nothing was changed.")


def reopened_once_ack() -> str:
    return _("This poll was reopened once already, so it stays closed. Nothing was changed.")


def too_late_to_reopen_ack() -> str:
    return _(
        "It is too late to reopen this poll: 10 minutes after closing, votes are made "
        "anonymous for good and cannot be changed. You can start a new poll instead."
    )
