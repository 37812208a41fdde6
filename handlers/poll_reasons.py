"""Optional reasons for disagreeing with or blocking a proposal, given privately.

Which poll a person may give a reason for is kept only in memory (PTB's user_data), so the
database never links a reason to anyone; the reason row holds the poll, the option and text.
"""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.error import Forbidden

from bot.context import AppContext
from bot.domain.poll_rules import PROPOSAL_OPTIONS, PollKind
from bot.scheduling.poll_jobs import now
from bot.services import polls
from bot.services.polls import VoteOutcome

REASON_LIMIT = 300
_PENDING = "reason_for"
_ASKS_FOR_REASON = frozenset(PROPOSAL_OPTIONS[2:])  # Disagree, Block


async def offer_reason(context: AppContext, user_id: int, outcome: VoteOutcome) -> None:
    """After a Disagree or Block, invite a short reason in the private chat."""
    if outcome.kind is not PollKind.PROPOSAL or not outcome.counted:
        return
    chosen = next(iter(outcome.chosen), "")
    if chosen not in _ASKS_FOR_REASON:
        return
    option = PROPOSAL_OPTIONS.index(chosen)
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
        context.user_data[_PENDING] = (outcome.poll_id, option)


async def take_reason(update: Update, context: AppContext) -> bool:
    """Store a typed reason if one was invited; True when the message was used."""
    pending = None if context.user_data is None else context.user_data.get(_PENDING)
    message = update.effective_message
    if pending is None or message is None or message.text is None:
        return False
    poll_id, option = pending
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
        snap = await polls.snapshot(uow, poll_id, min_cell=context.settings.min_cell)
        if snap is None or snap.closed or (snap.deadline is not None and snap.deadline <= now()):
            reply = "The poll has closed, so I can no longer add a reason. Thank you all the same."
        else:
            await polls.add_reason(uow, poll_id, option, text)
            reply = "Thank you. Your reason will be shown with the results, without your name."
    if context.user_data is not None:
        context.user_data.pop(_PENDING, None)
    await message.reply_text(reply, do_quote=False)
    return True
