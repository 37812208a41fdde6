""" "You said, we did": the words and buttons. Short messages; names of no one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.outcomes import (
    REVIEW_CHOICES,
    STATUSES,
    SUBJECTS,
    OutcomeFacts,
    OutcomeInputError,
    OutcomeStatus,
)
from bot.i18n import N_, _
from bot.i18n.formats import date_words
from bot.services.outcomes import OutcomeView, Topic
from bot.views.callbacks import Action, encode
from bot.views.limits import MESSAGE_LIMIT, shorten, split_message, visible_length

_REVIEW_LABELS = {
    14: N_("In 2 weeks"),
    30: N_("In a month"),
    90: N_("In 3 months"),
    0: N_("No review date"),
}
_STATUS_LABELS = {
    OutcomeStatus.AGREED: N_("Agreed"),
    OutcomeStatus.PLANNED: N_("Planned"),
    OutcomeStatus.DONE: N_("Done"),
    OutcomeStatus.NOT_POSSIBLE: N_("Not possible"),
}
SKIP = N_("Skip")
# The domain's refusals (bot/domain/outcomes.py), marked here for the catalogue.
_INPUT_ERRORS = (
    N_("Please say in a few words why it is not possible."),
    N_("Please type who will do it, or press Skip."),
)


def status_label(status: OutcomeStatus) -> str:
    return _(_STATUS_LABELS[status])


def input_error(error: OutcomeInputError) -> str:
    if error.limit is not None:
        return "⚠️ " + _("Please keep it under {limit} characters.").format(limit=error.limit)
    return f"⚠️ {_(str(error))}"


def _said(found: Topic, limit: int = 200) -> str:
    words = escape(shorten(found.text, limit))
    if found.number is not None:
        return _("Anonymous feedback #{number}: “{words}”").format(number=found.number, words=words)
    return _("Poll: “{words}”").format(words=words)


def _day(day: date) -> str:
    return date_words(day)


def _we_did(facts: OutcomeFacts) -> str:
    label = escape(status_label(facts.status))
    line = (
        _("<b>{status}</b> by {owner}").format(status=label, owner=escape(facts.owner))
        if facts.owner
        else f"<b>{label}</b>"
    )
    if facts.why:
        line += ". " + _("Why: {why}").format(why=escape(facts.why))
    if facts.review_on is not None and facts.status.is_open:
        line += ". " + _("Review: {day}").format(day=_day(facts.review_on))
    return line + "."


def we_did(facts: OutcomeFacts) -> str:
    """What came of it, as the group was told (HTML): the board report uses it too."""
    return _we_did(facts)


def _args(found: Topic) -> tuple[int, int]:
    return SUBJECTS.index(found.subject), found.subject_id


def pick(title: str, found: Sequence[Topic]) -> tuple[str, InlineKeyboardMarkup | None]:
    if not found:
        return _(
            "There is nothing in <b>{group}</b> to record an outcome for yet. Published "
            "feedback and closed polls will show here."
        ).format(group=escape(title)), None
    rows = [
        [
            InlineKeyboardButton(
                shorten(
                    f"#{t.number} {t.text}"
                    if t.number is not None
                    else _("Poll: {question}").format(question=t.text),
                    60,
                ),
                callback_data=encode(Action.OUTCOME_PICK, *_args(t)),
            )
        ]
        for t in found
    ]
    return _(
        "<b>You said, we did</b> for {group}: pick what you want to record an outcome for."
    ).format(group=escape(title)), InlineKeyboardMarkup(rows)


def ask_status(found: Topic, now: OutcomeFacts | None) -> tuple[str, InlineKeyboardMarkup]:
    lines = [_("You said: {said}").format(said=_said(found))]
    if now is not None:
        lines.append(_("Recorded now: {outcome}").format(outcome=_we_did(now)))
    lines.append(_("What has happened?"))
    rows = [
        [
            InlineKeyboardButton(
                status_label(s), callback_data=encode(Action.OUTCOME_STATUS, *_args(found), index)
            )
            for index, s in enumerate(STATUSES[:2])
        ],
        [
            InlineKeyboardButton(
                status_label(s),
                callback_data=encode(Action.OUTCOME_STATUS, *_args(found), index + 2),
            )
            for index, s in enumerate(STATUSES[2:])
        ],
    ]
    return "\n\n".join(lines), InlineKeyboardMarkup(rows)


ASK_WHY = N_(
    "Why is it not possible? Type it in a few words, in one message. The group will read it."
)


def ask_owner(found: Topic) -> tuple[str, InlineKeyboardMarkup]:
    return (
        _("Who will do it? Type a role, like “the ward manager”, or press Skip."),
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        _(SKIP), callback_data=encode(Action.OUTCOME_SKIP, *_args(found))
                    )
                ]
            ]
        ),
    )


def ask_review(found: Topic) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [
            InlineKeyboardButton(
                _(_REVIEW_LABELS[days]),
                callback_data=encode(Action.OUTCOME_REVIEW, *_args(found), days),
            )
        ]
        for days in REVIEW_CHOICES
    ]
    return (
        _("When should the organisers look at it again? I will remind you privately."),
        InlineKeyboardMarkup(rows),
    )


def saved(changed: bool) -> str:
    if changed:
        return _("Saved. The group has been told in one short message.")
    return _("Saved. Nothing changed, so the group was not told again.")


def _you_said_we_did(found: Topic, facts: OutcomeFacts, limit: int = 200) -> str:
    return "\n".join(
        [
            _("You said: {said}").format(said=_said(found, limit)),
            _("We did: {outcome}").format(outcome=_we_did(facts)),
        ]
    )


def group_post(found: Topic, facts: OutcomeFacts) -> str:
    return "📣 " + _("<b>You said, we did</b>") + "\n" + _you_said_we_did(found, facts)


def to_writer(title: str, found: Topic, facts: OutcomeFacts) -> str:
    return "📣 " + _(
        "The organisers of <b>{group}</b> recorded what came of your feedback {quote}: {outcome}"
    ).format(
        group=escape(title), quote=f"“{escape(shorten(found.text, 120))}”", outcome=_we_did(facts)
    )


def review_due(title: str, view: OutcomeView) -> str:
    return "\n".join(
        [
            "⏰ " + _("<b>Review due</b> in {group}").format(group=escape(title)),
            _("You said: {said}").format(said=_said(view.topic)),
            _("Recorded: {outcome}").format(outcome=_we_did(view.facts)),
            _("Type /outcome in the group to update it."),
        ]
    )


LISTING = N_("<b>You said, we did</b> in {group}")
MONTHLY = N_("<b>This month: you said, we did</b> in {group}")


def listing(title: str, found: Sequence[OutcomeView], heading: str = LISTING) -> str:
    """All in one text; `listing_parts` for sending."""
    return "\n\n".join(listing_parts(title, found, heading, limit=None))


def listing_parts(
    title: str,
    found: Sequence[OutcomeView],
    heading: str = LISTING,
    *,
    limit: int | None = MESSAGE_LIMIT,
) -> list[str]:
    """/yousaid or the digest as messages that fit, each outcome whole in one of them (its
    "You said" never apart from its "We did")."""
    if not found:
        return [
            _(
                "<b>You said, we did</b> in {group}: nothing recorded yet. Organisers can "
                "record what came of feedback and polls with /outcome."
            ).format(group=escape(title))
        ]
    blocks = [_(heading).format(group=escape(title))] + [
        _you_said_we_did(view.topic, view.facts, 120) for view in found
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
    return listing_parts(title, found, MONTHLY)


def monthly_keyboard(group_id: int, on: bool) -> InlineKeyboardMarkup:
    label = (
        _("Monthly digest: on (tap to turn off)")
        if on
        else _("Monthly digest: off (tap to turn on)")
    )
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    label, callback_data=encode(Action.OUTCOME_MONTHLY, group_id, int(not on))
                )
            ]
        ]
    )


SENT_PRIVATELY = N_("I have sent you the list privately.")
OPEN_PRIVATE_CHAT_FIRST = N_(
    "Please open a private chat with me first (press the button). Then type /outcome here again."
)
IN_GROUP_ONLY = N_("Please use /outcome or /yousaid in your group's chat.")
FACILITATORS_ONLY = N_("Only the group's organisers can record outcomes.")
MONTHLY_FACILITATORS_ONLY = N_("Only the group's organisers can change this.")
GONE = N_("That is no longer something I can record an outcome for.")
SAVED_SHORT = N_("Saved")


def status_of(index: int) -> OutcomeStatus | None:
    return STATUSES[index] if 0 <= index < len(STATUSES) else None
