"""The guided poll set-up: /newpoll in a group, then step by step in the private chat."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.clock import now
from bot.context import AppContext
from bot.domain.disclosure import SmallRoles
from bot.domain.poll_rules import PollInputError
from bot.domain.poll_wizard import (
    TEXT_STEPS,
    Button,
    PostChoice,
    StaleButtonError,
    Step,
    WizardState,
    press,
    type_text,
)
from bot.domain.start_payloads import sign_new_poll, verify_new_poll
from bot.domain.when import WhenError
from bot.facilitators import is_in_chat
from bot.scheduling.poll_jobs import post_poll
from bot.services import poll_drafts, polls
from bot.services.groups import GroupInfo, find_group_by_id
from bot.services.poll_drafts import Draft
from bot.views import poll_wizard as views
from bot.views.callbacks import Action, pattern
from bot.views.problems import problem_words
from handlers.guards import group_of_chat
from handlers.polls import may_create_polls
from handlers.replies import (
    edit_query_message,
    is_group,
    message_of,
    pressed_in_private,
    reply,
    user_id_of,
)


def _thread_of(update: Update) -> int | None:
    message = update.effective_message
    if message is None or not message.is_topic_message:
        return None
    return message.message_thread_id


async def _may_post_in(context: AppContext, group: GroupInfo, user_id: int) -> bool:
    # may_create_polls is true for anyone when a group allows everyone, so also check the
    # person is really in the group: a forwarded link must not let outsiders post there.
    return await may_create_polls(context, group, user_id) and await is_in_chat(
        context.bot, group.chat_id, user_id
    )


async def new_poll(update: Update, context: AppContext) -> None:
    """/newpoll in a group: a button that opens the set-up in private for this group and topic."""
    chat = update.effective_chat
    if chat is None or not is_group(update):
        await reply(update, views.NEWPOLL_IN_GROUP_ONLY)
        return
    group = await group_of_chat(context, chat)
    if not await may_create_polls(context, group, user_id_of(update)):
        await reply(update, views.ONLY_FACILITATORS_CREATE)
        return
    payload = sign_new_poll(context.secret, group.id, _thread_of(update))
    await reply(
        update, views.set_up_in_private(), views.set_up_keyboard(context.bot.username, payload)
    )


async def begin_from_link(update: Update, context: AppContext, payload: str) -> None:
    """/start with a poll set-up payload: check it and the person's right, then ask the kind."""
    user_id = user_id_of(update)
    target = verify_new_poll(context.secret, payload)
    group = None
    if target is not None:
        async with context.uow() as uow:
            group = await find_group_by_id(uow, target.group_id)
    if target is None or group is None or not group.active:
        await reply(update, views.BAD_LINK)
        return
    if not await _may_post_in(context, group, user_id):
        await reply(update, views.NOT_ALLOWED)
        return
    async with context.uow() as uow:
        draft = await poll_drafts.begin(uow, context.secret, user_id, target, now=now())
    await reply(update, *await _step(context, draft.state, draft.id, group))


async def take_text(update: Update, context: AppContext) -> bool:
    """Typed text in private, if the person's draft is waiting for it. True if it was used."""
    user_id = user_id_of(update)
    moment = now()
    async with context.uow() as uow:
        draft = await poll_drafts.current(uow, context.secret, user_id, now=moment)
        group = None if draft is None else await find_group_by_id(uow, draft.group_id)
    if draft is None or group is None or draft.state.step not in TEXT_STEPS:
        return False
    try:
        state = type_text(
            draft.state, message_of(update).text or "", now=moment, zone_name=group.timezone
        )
    except (PollInputError, WhenError) as error:
        # The draft stays as it was; say what to fix under the same step's buttons.
        text, keyboard = await _step(context, draft.state, draft.id, group)
        await reply(update, f"{views.problem(error)}\n\n{text}", keyboard)
        return True
    async with context.uow() as uow:
        saved = await poll_drafts.save(uow, draft, state, now=moment)
    await reply(update, *await _step(context, saved.state, saved.id, group))
    return True


async def wizard_button(update: Update, context: AppContext) -> None:
    """Any set-up button: only the presser's own draft, at the step the button was made for."""
    query = update.callback_query
    if query is None:
        return
    # The set-up lives in private: forged onto a group's message, it must not rewrite it.
    pressed = views.decode_press(query.data) if pressed_in_private(query) else None
    moment = now()
    draft: Draft | None = None
    group = None
    if pressed is not None:
        async with context.uow() as uow:
            draft = await poll_drafts.for_press(
                uow,
                context.secret,
                query.from_user.id,
                pressed.draft_id,
                pressed.step_code,
                now=moment,
            )
            group = None if draft is None else await find_group_by_id(uow, draft.group_id)
    if pressed is None or draft is None or group is None or not group.active:
        await query.answer(views.STALE)
        return
    if pressed.button is Button.CANCEL:
        async with context.uow() as uow:
            await poll_drafts.discard(uow, draft.id)
        await query.answer(views.CANCELLED_SHORT)
        await edit_query_message(query, views.CANCELLED)
        return
    if pressed.button is Button.POST:
        if pressed.value not in _POST_CHOICES:
            await query.answer(views.STALE)  # forged: no such way to post
            return
        await _post(update, context, draft, group, _POST_CHOICES[pressed.value])
        return
    try:
        state = press(
            draft.state, pressed.button, pressed.value, now=moment, zone_name=group.timezone
        )
    except StaleButtonError:
        await query.answer(views.STALE)
        return
    except (PollInputError, WhenError) as error:
        await query.answer(problem_words(error)[:200], show_alert=True)
        return
    async with context.uow() as uow:
        saved = await poll_drafts.save(uow, draft, state, now=moment)
    await query.answer()
    await edit_query_message(query, *await _step(context, saved.state, saved.id, group))


# The Post buttons' values: as planned (the group's default applies), or the facilitator's choice.
_POST_CHOICES: dict[int, SmallRoles | None] = {
    PostChoice.AS_PLANNED: None,
    PostChoice.WITH_NOTICE: SmallRoles.NOTICE,
    PostChoice.PROTECT: SmallRoles.PROTECT,
}


async def _step(
    context: AppContext, state: WizardState, draft_id: int, group: GroupInfo
) -> tuple[str, InlineKeyboardMarkup]:
    """The step's message; at the preview, with what the poll will show (decided now, from
    the group's members per role, never votes) and, if a small role could be worked out, the
    choice between the equal say with notice and protecting small roles."""
    plan = None
    if state.step is Step.PREVIEW and state.kind is not None:
        async with context.uow() as uow:
            plan, _ = await polls.plan_for(
                uow,
                group.id,
                state.kind,
                len(state.shown_options),
                bar=context.settings.disclosure_bar,
            )
    return views.step_message(state, draft_id, group.title, group.timezone, plan=plan)


async def _post(
    update: Update,
    context: AppContext,
    draft: Draft,
    group: GroupInfo,
    small_roles: SmallRoles | None,
) -> None:
    """Post: check the right again (it may have changed), create the poll, put it in the group."""
    query = update.callback_query
    assert query is not None
    if not await _may_post_in(context, group, query.from_user.id):
        await query.answer(views.NOT_ALLOWED_SHORT, show_alert=True)
        return
    try:
        async with context.uow() as uow:
            outcome = await poll_drafts.create_from_draft(
                uow,
                draft,
                now=now(),
                small_roles=small_roles,
                bar=context.settings.disclosure_bar,
            )
    except (PollInputError, StaleButtonError):
        await query.answer(views.STALE)
        return
    if outcome.problem is not None:
        async with context.uow() as uow:
            back = await poll_drafts.current(uow, context.secret, query.from_user.id, now=now())
        await query.answer()
        if back is not None:
            text, keyboard = await _step(context, back.state, back.id, group)
            problem = views.problem(outcome.problem)
            await edit_query_message(query, f"{problem}\n\n{text}", keyboard)
        return
    if outcome.poll_id is None:
        await query.answer(views.STALE)
        return
    await query.answer(views.POSTED_SHORT)
    sent = await post_poll(context, group, outcome.poll_id, thread_id=draft.thread_id)
    await edit_query_message(query, views.posted(group.title) if sent else views.NOT_SENT_TO_GROUP)


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [
        CommandHandler("newpoll", new_poll, filters=~filters.UpdateType.EDITED),
        CallbackQueryHandler(wizard_button, pattern=pattern(Action.WIZARD)),
    ]
