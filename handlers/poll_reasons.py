"""Optional reasons for disagreeing with or blocking a proposal, given privately.

Which poll a person was invited to give a reason for is kept only in memory (PTB's
user_data). A stored reason carries its own keyed hash, unlike the ballot's, so one person has
one reason per poll (writing again replaces it, changing the vote takes it back) without the
database linking the reason to a ballot or a role.
"""

from __future__ import annotations

from telegram import Update, User
from telegram.error import Forbidden

from bot.clock import now
from bot.context import AppContext
from bot.domain.poll_rules import PROPOSAL_OPTIONS, REASON_OPTIONS, PollKind
from bot.i18n import speaking
from bot.reader_languages import person_language_of
from bot.services import polls
from bot.services.polls import VoteOutcome
from bot.views import poll_texts as texts

REASON_LIMIT = texts.REASON_LIMIT
_PENDING = "reason_for"
_INVITING = frozenset(PROPOSAL_OPTIONS[i] for i in REASON_OPTIONS)


async def ballot_changed(context: AppContext, user: User, outcome: VoteOutcome) -> None:
    """After a counted press on a proposal: invite a reason, or take an old one back (in the
    voter's own language: the press came from the group, the invitation goes to them)."""
    user_id = user.id
    if outcome.kind is not PollKind.PROPOSAL or not outcome.counted:
        return
    chosen = next(iter(outcome.chosen), "")
    if chosen not in _INVITING:
        # Agree, Unsure or withdrawn: a reason for disagreeing no longer stands.
        if context.user_data is not None:
            context.user_data.pop(_PENDING, None)
        async with context.uow() as uow:
            await polls.drop_reason(uow, context.secret, poll_id=outcome.poll_id, user_id=user_id)
        return
    try:
        with speaking(await person_language_of(context, user.id, user.language_code)):
            await context.bot.send_message(user_id, texts.reason_invitation(chosen))
    except Forbidden:
        return
    if context.user_data is not None:
        context.user_data[_PENDING] = outcome.poll_id


async def take_reason(update: Update, context: AppContext) -> bool:
    """Store a typed reason if one was invited; True when the message was used."""
    poll_id = None if context.user_data is None else context.user_data.get(_PENDING)
    message = update.effective_message
    user = update.effective_user
    if not isinstance(poll_id, int) or message is None or message.text is None or user is None:
        return False
    text = message.text.strip()
    if not text:
        return False
    if len(text) > REASON_LIMIT:
        await message.reply_text(texts.reason_too_long(len(text)), do_quote=False)
        return True
    async with context.uow() as uow:
        kept = await polls.give_reason(
            uow, context.secret, poll_id=poll_id, user_id=user.id, text=text, now=now()
        )
    if context.user_data is not None:
        context.user_data.pop(_PENDING, None)
    await message.reply_text(texts.REASON_KEPT if kept else texts.REASON_TOO_LATE, do_quote=False)
    return True
