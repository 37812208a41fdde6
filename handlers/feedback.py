"""Writing anonymous feedback: /feedback, the group's link, the group choice, the text.

The text is never logged; the sender's id is used for checks and the daily count only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.clock import now
from bot.context import AppContext
from bot.domain.crisis import is_crisis
from bot.domain.feedback_link import sign_feedback, verify_feedback
from bot.domain.feedback_rules import TextProblem, check_text
from bot.domain.reply_rules import replies_possible
from bot.facilitators import is_in_chat
from bot.i18n import current_language
from bot.services import feedback
from bot.services.feedback import Place
from bot.views import feedback as views
from bot.views import feedback_replies as reply_views
from bot.views.callbacks import Action, decode, pattern
from handlers import feedback_drafts as drafts
from handlers.feedback_drafts import FeedbackDraft
from handlers.guards import group_of_chat
from handlers.replies import (
    command_argument,
    edit_query_message,
    is_command,
    is_group,
    message_of,
    pressed_in_private,
    reply,
    user_id_of,
)

_NOT_EDITED = ~filters.UpdateType.EDITED


async def place_of(context: AppContext, group_id: int, user_id: int) -> Place | None:
    async with context.uow() as uow:
        return await feedback.place_for(
            uow,
            context.secret,
            group_id,
            user_id,
            min_cell=context.settings.min_cell,
            daily_limit=context.settings.feedback_daily_limit,
            now=now(),
        )


async def opening(
    context: AppContext, group_id: int, user_id: int, *, urgent: bool = False
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The prompt for writing to this group, or why the person cannot.

    An urgent message is taken whatever the daily limit.
    """
    place = await place_of(context, group_id, user_id)
    if place is None or not await is_in_chat(context.bot, place.group.chat_id, user_id):
        drafts.drop(context)
        return views.NOT_MEMBER, None
    if place.remaining == 0 and not urgent:
        drafts.drop(context)
        return views.limit_reached(place.group.title, context.settings.feedback_daily_limit), None
    draft = drafts.begin(context, group_id, offered=urgent)
    text = views.prompt(
        place.group.title,
        place.delivery,
        place.digest_hour,
        context.settings.contacts_for(current_language()),
        place.remaining,
    )
    return text, views.prompt_keyboard(draft.serial)


def preview(
    context: AppContext, place: Place, draft: FeedbackDraft
) -> tuple[str, InlineKeyboardMarkup]:
    assert draft.text is not None
    urgent = is_crisis(draft.text, context.settings.all_crisis_phrases)
    text = views.preview(
        place.group.title,
        draft.text,
        role=place.role if draft.tagged else None,
        delivery=place.delivery,
        digest_hour=place.digest_hour,
        urgent=urgent,
    )
    keyboard = views.preview_keyboard(
        draft.serial, role=place.role, may_tag=place.may_tag, tagged=draft.tagged
    )
    if replies_possible(place.delivery, urgent=urgent):
        allowed = draft.replies
        line = reply_views.preview_line(allowed)
        text = text if line is None else f"{text}\n\n{line}"
        rows = [*keyboard.inline_keyboard, reply_views.allow_row(draft.serial, allowed)]
        keyboard = InlineKeyboardMarkup(rows)
    return text, keyboard


async def give_feedback(update: Update, context: AppContext) -> None:
    """/feedback: in private, choose the group and write; in a group, a button to do so."""
    chat = update.effective_chat
    if chat is not None and is_group(update):
        group = await group_of_chat(context, chat)
        payload = sign_feedback(context.secret, group.id)
        keyboard = InlineKeyboardMarkup([views.feedback_link_row(context.bot.username, payload)])
        await reply(update, views.in_group_pointer(), keyboard)
        return
    user_id = user_id_of(update)
    async with context.uow() as uow:
        groups = await feedback.member_groups(uow, context.secret, user_id)
    if not groups:
        await reply(update, views.NO_GROUPS)
    elif len(groups) == 1:
        await reply(update, *await opening(context, groups[0].id, user_id))
    else:
        await reply(update, *views.pick_group([(g.id, g.title) for g in groups]))


async def begin_from_link(update: Update, context: AppContext, payload: str) -> None:
    """/start with a group's feedback payload: straight to writing for that group."""
    group_id = verify_feedback(context.secret, payload)
    if group_id is None:
        await reply(update, views.BAD_LINK)
        return
    await reply(update, *await opening(context, group_id, user_id_of(update)))


async def choose_group(update: Update, context: AppContext) -> None:
    """A group button from /feedback."""
    query = update.callback_query
    if query is None:
        return
    press = decode(query.data)
    # Forged onto a group's message, it must not rewrite that message for everyone to see.
    if press is None or len(press.args) != 1 or not pressed_in_private(query):
        await query.answer(views.EXPIRED_SHORT)
        return
    await query.answer()
    held = drafts.take_held(context)
    user_id = query.from_user.id
    opened = await opening(context, press.args[0], user_id, urgent=held is not None)
    draft = drafts.current(context)
    place = await place_of(context, press.args[0], user_id) if held and draft else None
    if held is None or draft is None or place is None:
        await edit_query_message(query, *opened)
        return
    # A crisis message written outside a draft: straight to its preview, nothing retyped.
    draft = drafts.with_text(context, draft, held)
    await edit_query_message(query, *preview(context, place, draft))


Say = Callable[[str, InlineKeyboardMarkup | None], Awaitable[object]]


async def after_crisis(update: Update, context: AppContext, text: str, say: Say) -> None:
    """What a crisis message in private becomes once the crisis gate gave the contacts.

    Typed while writing feedback, it is the feedback (its preview says it goes as urgent); a
    file while writing gets the usual note; anything else (a command's words, a set-up step,
    a reason, an edit) is offered to the facilitators, marked urgent, and used for nothing else.
    """
    message = message_of(update)
    draft = drafts.current(context)
    if draft is not None and not (draft.offered and draft.text is not None):
        if message.text is not None and not is_command(message):
            await take_text(update, context, text)
            return
        if message.text is None:
            await reply(update, views.MEDIA)
            return
    words = command_argument(message) if is_command(message) else text
    await offer_crisis(context, user_id_of(update), words or text, say)


async def offer_crisis(
    context: AppContext, user_id: int, text: str, say: Say, *, group_id: int | None = None
) -> None:
    """A crisis message that no feedback took: offer to pass it to facilitators, marked urgent.

    Nothing goes without the person's Send, as with any feedback: they said it to the bot,
    not to the facilitators, and may not want them to read it. `group_id` is the group it
    was written in, when it was; otherwise the person's groups are offered.
    """
    if group_id is None:
        async with context.uow() as uow:
            groups = await feedback.member_groups(uow, context.secret, user_id)
        if len(groups) > 1:
            drafts.hold(context, text)
            _, keyboard = views.pick_group([(g.id, g.title) for g in groups])
            await say(views.CRISIS_PICK_GROUP, keyboard)
            return
        if not groups:
            return
        group_id = groups[0].id
    place = await place_of(context, group_id, user_id)
    if place is None or not await is_in_chat(context.bot, place.group.chat_id, user_id):
        return
    draft = drafts.begin(context, place.group.id, offered=True)
    await say(views.crisis_offer(place.group.title), None)
    checked = check_text(text)
    if checked.problem is TextProblem.TOO_LONG:
        await say(views.too_long(len(checked.text)), views.prompt_keyboard(draft.serial))
        return
    await say(*preview(context, place, drafts.with_text(context, draft, checked.text)))


async def take_text(update: Update, context: AppContext, text: str | None = None) -> bool:
    """Text typed while writing feedback becomes the draft; True when it was used.

    A crisis never reaches here from the private-text route: the crisis gate answers it first
    and hands it over (`after_crisis`) with its text.
    """
    draft = drafts.current(context)
    if draft is None or (draft.offered and draft.text is not None):
        return False
    typed = await usable_text(update, text)
    if typed is None:
        return True
    place = await place_of(context, draft.group_id, user_id_of(update))
    if place is None:
        drafts.drop(context)
        await reply(update, views.NOT_MEMBER)
        return True
    draft = drafts.with_text(context, draft, typed)
    await reply(update, *preview(context, place, draft))
    return True


async def usable_text(update: Update, text: str | None = None) -> str | None:
    """The typed message (or `text`) trimmed, or None once the person was told what is wrong
    with it (empty, or over the limit)."""
    checked = check_text(message_of(update).text if text is None else text)
    if checked.problem is TextProblem.EMPTY:
        await reply(update, views.EMPTY)
        return None
    if checked.problem is TextProblem.TOO_LONG:
        await reply(update, views.too_long(len(checked.text)))
        return None
    return checked.text


async def refuse_media(update: Update, context: AppContext) -> None:
    """A photo, voice note or file while writing feedback: explain why only text is taken.

    A crisis in its caption never reaches here: the crisis gate answers it first.
    """
    if drafts.current(context) is not None:
        await reply(update, views.MEDIA)


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [
        CommandHandler("feedback", give_feedback, filters=_NOT_EDITED),
        CallbackQueryHandler(choose_group, pattern=pattern(Action.FEEDBACK_GROUP)),
        MessageHandler(
            filters.ChatType.PRIVATE
            & filters.UpdateType.MESSAGE
            & ~filters.TEXT
            & ~filters.COMMAND
            & ~filters.StatusUpdate.ALL,
            refuse_media,
        ),
    ]
