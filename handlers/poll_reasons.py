"""Optional reasons for disagreeing with or blocking a proposal, given privately.

Which poll a person was invited to give a reason for is kept only in memory (PTB's
user_data). A stored reason carries its own keyed hash, unlike the ballot's, so one person has
one reason per poll (writing again replaces it, changing the vote takes it back) without the
database linking the reason to a ballot or a role.
"""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.error import Forbidden

from bot.clock import now
from bot.context import AppContext
from bot.domain.poll_rules import PROPOSAL_OPTIONS, REASON_OPTIONS, PollKind
from bot.services import polls
from bot.services.polls import VoteOutcome

REASON_LIMIT = 300
_PENDING = "reason_for"
_INVITING = frozenset(PROPOSAL_OPTIONS[i] for i in REASON_OPTIONS)


async def ballot_changed(context: AppContext, user_id: int, outcome: VoteOutcome) -> None:
    """After a counted press on a proposal: invite a reason, or take an old one back."""
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
        await context.bot.send_message(
            user_id,
            f"You chose <b>{escape(chosen)}</b>. If you like, tell me why in a few words "
            f"(up to {REASON_LIMIT} characters). I will show it with the results without your "
            "name or role. You can also just leave it.",
        )
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
        await message.reply_text(
            f"That is a little long. Please keep it under {REASON_LIMIT} characters "
            f"(it has {len(text)}).",
            do_quote=False,
        )
        return True
    async with context.uow() as uow:
        kept = await polls.give_reason(
            uow, context.secret, poll_id=poll_id, user_id=user.id, text=text, now=now()
        )
    if context.user_data is not None:
        context.user_data.pop(_PENDING, None)
    await message.reply_text(
        "Thank you. Your reason will be shown with the results, without your name."
        if kept
        else "I can no longer add that reason: the poll has closed or your vote has changed.",
        do_quote=False,
    )
    return True
