"""Sending to a group from a job: follow upgrades, stop at removals, never crash the job."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup, Message, ReplyParameters
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError

from bot.scheduling.edits import render_is_current
from bot.services import groups

if TYPE_CHECKING:
    from bot.context import AppContext

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Delivery:
    """What became of a send: delivered, the group is gone for good, or try again later."""

    message: Message | None = None
    gone: bool = False

    @property
    def retry_later(self) -> bool:
        """Telegram failed for now (timeout, 5xx, flood after retries): the work is not done."""
        return self.message is None and not self.gone


@dataclass(frozen=True, slots=True)
class Photo:
    """A picture with its caption, and the text to send instead if Telegram refuses it."""

    image: bytes
    caption: str
    instead: str
    complete: bool = True  # the caption holds every word `instead` does


async def deliver_to_group(
    context: AppContext,
    chat_id: int,
    text: str,
    *,
    thread_id: int | None = None,
    markup: InlineKeyboardMarkup | None = None,
    reply_to: int | None = None,
    photo: Photo | None = None,
) -> Delivery:
    """Send to a group, following a supergroup upgrade and remembering a removal.

    With `photo`, one message: the picture with its caption (`text` is then unused). If
    Telegram refuses the picture itself (a 400: it will refuse it again), `photo.instead` goes
    as text, so the words are never held up by the picture."""
    for _ in range(3):  # again only after following a supergroup upgrade or a refused picture
        reply = (
            None
            if reply_to is None
            else ReplyParameters(reply_to, allow_sending_without_reply=True)
        )
        try:
            if photo is not None:
                message = await context.bot.send_photo(
                    chat_id,
                    photo.image,
                    caption=photo.caption,
                    message_thread_id=thread_id,
                    reply_markup=markup,
                    reply_parameters=reply,
                )
            else:
                message = await context.bot.send_message(
                    chat_id,
                    text,
                    message_thread_id=thread_id,
                    reply_markup=markup,
                    reply_parameters=reply,
                )
            return Delivery(message=message)
        except BadRequest as error:
            if photo is None:
                log.warning("could not send to a group: %s", type(error).__name__)
                return Delivery()
            log.warning("a picture was refused, sending its words alone: %s", error.message)
            text, photo = photo.instead, None
        except ChatMigrated as moved:
            async with context.uow() as uow:
                await groups.chat_migrated(uow, chat_id, moved.new_chat_id)
            chat_id = moved.new_chat_id
        except Forbidden:
            async with context.uow() as uow:
                await groups.bot_removed(uow, chat_id)
            log.info("a group removed the bot; it is now inactive")
            return Delivery(gone=True)
        except TelegramError as error:
            log.warning("could not send to a group: %s", type(error).__name__)
            return Delivery()
    return Delivery()


async def send_to_group(
    context: AppContext,
    chat_id: int,
    text: str,
    *,
    thread_id: int | None = None,
    markup: InlineKeyboardMarkup | None = None,
    reply_to: int | None = None,
) -> Message | None:
    """Send, or None if it could not be sent (see deliver_to_group to tell why)."""
    delivery = await deliver_to_group(
        context, chat_id, text, thread_id=thread_id, markup=markup, reply_to=reply_to
    )
    return delivery.message


class Edit(Enum):
    """What became of an edit: shown, refused for good, or worth trying again later."""

    SHOWN = "shown"  # edited, or it already showed exactly that
    REFUSED = "refused"  # the message is gone or the bot was removed: trying again is futile
    RETRY_LATER = "retry later"  # Telegram failed for now (timeout, 5xx, flood after retries)


async def edit_in_group(
    context: AppContext,
    chat_id: int,
    message_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None,
) -> Edit:
    """Edit a message in a group; identical content or a deleted message is not an error."""
    if not await render_is_current():
        # A newer render of this group began (this one's turn ran out): it may be of another
        # message, so this one is tried again in its turn rather than dropped.
        return Edit.RETRY_LATER
    try:
        await context.bot.edit_message_text(
            text, chat_id=chat_id, message_id=message_id, reply_markup=markup
        )
    except BadRequest as error:
        if "not modified" in error.message.lower():
            return Edit.SHOWN
        log.warning("could not edit a poll message: %s", error.message)
        return Edit.REFUSED
    except Forbidden:
        async with context.uow() as uow:
            await groups.bot_removed(uow, chat_id)
        return Edit.REFUSED
    except ChatMigrated as moved:
        # The group became a supergroup: its old messages stay behind, read-only. Follow it
        # (as sending does); trying this edit again would fail every time.
        async with context.uow() as uow:
            await groups.chat_migrated(uow, chat_id, moved.new_chat_id)
        return Edit.REFUSED
    except TelegramError as error:
        log.warning("could not edit a poll message: %s", type(error).__name__)
        return Edit.RETRY_LATER
    return Edit.SHOWN
