""" "You said, we did" on a clock: review dates remind the facilitators privately, and groups
that asked for it get the monthly digest. Run by the hourly housekeeping; each is claimed in
the database first, so any number of processes send it once."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram.error import Forbidden, TelegramError

from bot.clock import now
from bot.i18n import speaking
from bot.reader_languages import group_language_of, person_language_of
from bot.scheduling.feedback_routing import reachable_facilitators
from bot.scheduling.group_sender import send_to_group
from bot.services import outcomes, reachable
from bot.views import outcomes as views

if TYPE_CHECKING:
    from bot.context import AppContext

log = logging.getLogger(__name__)


async def remind_reviews(context: AppContext) -> int:
    """Each review whose day has come, to every facilitator of its group the bot can reach."""
    async with context.uow() as uow:
        due = await outcomes.take_due_reviews(uow, now())
    sent = 0
    for review in due:
        for user_id in await reachable_facilitators(context, review.group.chat_id):
            with speaking(await person_language_of(context, user_id)):
                text = views.review_due(review.group.title, review.outcome)
            try:
                await context.bot.send_message(user_id, text)
            except Forbidden:
                async with context.uow() as uow:
                    await reachable.forget(uow, context.secret, user_id)
                continue
            except TelegramError as error:
                log.warning("could not send a review reminder: %s", type(error).__name__)
                continue
            sent += 1
    return sent


async def post_monthly_digests(context: AppContext) -> int:
    async with context.uow() as uow:
        due = await outcomes.take_due_digests(uow, now())
    posted = 0
    for group in due:
        async with context.uow() as uow:
            found = await outcomes.listing(uow, group.id, now())
        if not found:
            continue  # nothing to say this month: no empty message in the group
        # A busy month does not fit in one message: in parts, each outcome whole (one message
        # too long would be refused, and the month is already claimed).
        with speaking(await group_language_of(context, group.chat_id)):
            parts = views.digest_parts(group.title, found)
        sent = [await send_to_group(context, group.chat_id, part) for part in parts]
        posted += all(message is not None for message in sent)
    return posted
