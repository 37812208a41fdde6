"""Private replies to anonymous feedback: who may be offered them, for how long, how many."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.feedback_rules import Delivery

REPLY_PERIOD = timedelta(days=30)
# Messages a day each way on one item: enough for a conversation, not for a flood.
REPLY_DAILY_LIMIT = 5


def replies_possible(delivery: Delivery, *, urgent: bool) -> bool:
    """Only facilitators can reply, so only items that reach them first: moderated ones, and
    urgent ones whatever the mode. Direct and digest items go straight to the group."""
    return urgent or delivery is Delivery.MODERATED
