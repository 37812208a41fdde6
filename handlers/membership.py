"""Joining with a private role, /role, /members, and the privacy rights /mydata and /forgetme."""

from __future__ import annotations

from collections.abc import Callable

from telegram import CallbackQuery, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.clock import now
from bot.context import AppContext
from bot.domain.feedback_link import sign_feedback
from bot.domain.join_link import CarriedVote, vote_tag, vote_tag_matches
from bot.domain.role_changes import ChangeKind
from bot.domain.roles import ROLES
from bot.facilitators import is_in_chat
from bot.i18n import _, speaking
from bot.reader_languages import person_language_of
from bot.scheduling.poll_jobs import poll_changed
from bot.services import groups, involvement, membership, polls
from bot.services.groups import GroupInfo
from bot.services.polls import VoteOutcome, VoteStatus
from bot.services.unit_of_work import UnitOfWork
from bot.views import general, role_words
from bot.views import involvement as involvement_views
from bot.views import membership as views
from bot.views.callbacks import Action, Press, decode, pattern
from bot.views.poll_wording import option_names
from handlers.guards import facilitator_command, group_of_chat
from handlers.poll_reasons import ballot_changed
from handlers.replies import (
    answer_privately,
    edit_query_message,
    is_group,
    is_private,
    pressed_in_private,
    reply,
    user_id_of,
)

_NOT_EDITED = ~filters.UpdateType.EDITED


async def post_join_message(update: Update, context: AppContext, text: str | None = None) -> None:
    """Post the Join button (a signed deep link into the private chat) in the group."""
    chat = update.effective_chat
    if chat is None:
        return
    group = await group_of_chat(context, chat)
    payload = membership.join_payload(context.secret, group)
    await reply(
        update,
        text or views.join_again(group.title),
        views.join_keyboard(context.bot.username, payload, sign_feedback(context.secret, group.id)),
    )


async def join(update: Update, context: AppContext) -> None:
    """/join in a group posts the Join button again."""
    if not is_group(update):
        await reply(update, views.GROUP_ONLY)
        return
    await post_join_message(update, context)


async def join_from_link(update: Update, context: AppContext, payload: str) -> None:
    """A person followed a group's Join link: check it, then offer the three roles.

    A link that carries a vote pressed before joining says so, and its role buttons carry the
    vote on (tagged for this person), so choosing a role casts it."""
    user_id = user_id_of(update)
    choice = None
    async with context.uow() as uow:
        found = await membership.join_target(uow, context.secret, payload)
        group, vote = (None, None) if found is None else found
        current = (
            None
            if group is None
            else await membership.role_in(uow, context.secret, group.id, user_id)
        )
        if group is not None and vote is not None:
            choice = await polls.open_choice(uow, group.id, vote.poll_id, vote.option, now())
    if group is None:
        await reply(update, views.BAD_JOIN_LINK)
        return
    if not await is_in_chat(context.bot, group.chat_id, user_id):
        await reply(update, views.NOT_IN_GROUP)
        return
    carried_line, carried = None, None
    if vote is not None and choice is None:
        carried_line = views.CARRIED_VOTE_CLOSED
    elif vote is not None and choice is not None:
        carried_line = views.carried_vote(choice.question, choice.label)
        tag = vote_tag(context.secret, group.id, vote, user_id)
        carried = (vote.poll_id, vote.option, tag)
    await reply(
        update,
        views.choose_role(group.title, current, carried_line),
        views.role_keyboard(group.id, carried),
    )


async def _private_press(
    update: Update, well_formed: Callable[[tuple[int, ...]], bool]
) -> tuple[CallbackQuery, Press] | None:
    """A private-chat button's press, decoded and well formed; anything else (forged onto a
    group message, stale, truncated) gets a kind answer and None."""
    query = update.callback_query
    if query is None:
        return None
    press = decode(query.data) if pressed_in_private(query) else None
    if press is None or not well_formed(press.args):
        await query.answer(general.STALE_BUTTON)
        return None
    return query, press


def _role_press_shape(args: tuple[int, ...]) -> bool:
    # <group>:<role>, or with a carried vote <group>:<role>:<poll>:<option>:<tag>.
    return len(args) in (2, 5) and args[1] < len(ROLES)


async def choose_role(update: Update, context: AppContext) -> None:
    """A role button was pressed in the private chat; it may carry the vote pressed before
    joining, cast once the role is saved and confirmed in the same message."""
    pressed = await _private_press(update, _role_press_shape)
    if pressed is None:
        return
    query, press = pressed
    group_id, role = press.args[0], ROLES[press.args[1]]
    user_id = query.from_user.id
    vote = CarriedVote(press.args[2], press.args[3]) if len(press.args) == 5 else None
    if vote is not None and not vote_tag_matches(
        context.secret, group_id, vote, user_id, press.args[4]
    ):
        # Forged or copied from someone else's chat: nothing is saved and nothing is cast.
        await query.answer(general.STALE_BUTTON)
        return
    async with context.uow() as uow:
        group = await groups.find_group_by_id(uow, group_id)
    if group is None or not group.active:
        await query.answer(general.STALE_BUTTON, show_alert=True)
        return
    if not await is_in_chat(context.bot, group.chat_id, user_id):
        await query.answer(views.NOT_IN_GROUP_PLAIN, show_alert=True)
        return
    async with context.uow() as uow:
        change = await membership.choose_role(uow, context.secret, group.id, user_id, role)
    if change.kind is ChangeKind.REFUSED:
        await query.answer(_("Not changed yet"))
        await edit_query_message(query, views.role_change_waits(group.title, change))
        return
    outcome = None if vote is None else await _cast_carried(context, group, vote, user_id)
    news = None if outcome is None else _vote_news(outcome)
    await query.answer(_("Saved: {role}").format(role=role_words.label(role)))
    await edit_query_message(query, views.role_chosen(group.title, role, change, vote_news=news))
    if outcome is not None and outcome.counted:
        poll_changed(context, outcome.group_id, outcome.poll_id)
        await ballot_changed(context, query.from_user, outcome)


async def _cast_carried(
    context: AppContext, group: GroupInfo, vote: CarriedVote, user_id: int
) -> VoteOutcome:
    """Cast the vote carried through sign-up, as a press in the group's own chat would be."""

    async def write(uow: UnitOfWork) -> VoteOutcome:
        return await polls.cast_carried_vote(
            uow,
            context.secret,
            poll_id=vote.poll_id,
            option=vote.option,
            chat_id=group.chat_id,
            user_id=user_id,
            now=now(),
        )

    return await context.ballots.apply(write, (vote.poll_id, user_id))  # see ballot_batch


def _vote_news(outcome: VoteOutcome) -> str:
    if outcome.status in {VoteStatus.RECORDED, VoteStatus.CHANGED}:
        return views.vote_counted(option_names(outcome.kind, outcome.chosen))
    if outcome.status is VoteStatus.UNCHANGED:
        return views.VOTE_ALREADY_GIVEN
    if outcome.status is VoteStatus.CLOSED:
        return views.VOTE_TOO_LATE
    return views.VOTE_NOT_CAST


async def role_menu(update: Update, context: AppContext) -> None:
    """From /role with several groups: show the role buttons for the group picked."""
    pressed = await _private_press(update, lambda args: len(args) == 1)
    if pressed is None:
        return
    query, press = pressed
    async with context.uow() as uow:
        roles = await membership.held_roles(uow, context.secret, query.from_user.id)
    held = next((h for h in roles if h.group.id == press.args[0]), None)
    if held is None:
        await query.answer(general.STALE_BUTTON)
        return
    await query.answer()
    await edit_query_message(
        query, views.choose_role(held.group.title, held.role), views.role_keyboard(held.group.id)
    )


async def change_role(update: Update, context: AppContext) -> None:
    """/role: see or change your role, per group."""
    if not is_private(update):
        await ask_in_private(update, context)
        return
    async with context.uow() as uow:
        held = await membership.held_roles(uow, context.secret, user_id_of(update))
    if not held:
        await reply(update, views.NO_GROUPS)
    elif len(held) == 1:
        only = held[0]
        await reply(
            update,
            views.choose_role(only.group.title, only.role),
            views.role_keyboard(only.group.id),
        )
    else:
        text, keyboard = views.pick_group_for_role(
            [(h.group.id, h.group.title, h.role) for h in held]
        )
        await reply(update, text, keyboard)


async def my_data(update: Update, context: AppContext) -> None:
    """/mydata: everything stored about the person, in plain words."""
    if not is_private(update):
        await ask_in_private(update, context)
        return
    user_id = user_id_of(update)
    async with context.uow() as uow:
        held = await membership.held_roles(uow, context.secret, user_id)
        also = await membership.also_stored(uow, context.secret, user_id)
        chosen, entries = await involvement.mine(uow, context.secret, user_id)
    text = views.my_data([(h.group.title, h.role, h.earlier) for h in held], also)
    recorded = involvement_views.my_data_lines(
        chosen, [(e.group_title, e.day, e.meeting, e.exported) for e in entries]
    )
    await reply(update, "\n".join([text, *recorded]))


async def forget_me(update: Update, context: AppContext) -> None:
    """/forgetme: ask for confirmation before erasing anything."""
    if not is_private(update):
        await ask_in_private(update, context)
        return
    await reply(update, views.FORGET_CONFIRM, views.forget_keyboard())


async def confirm_forget(update: Update, context: AppContext) -> None:
    """The answer to /forgetme's question."""
    pressed = await _private_press(update, lambda args: args in {(0,), (1,)})
    if pressed is None:
        return
    query, press = pressed
    if press.args == (0,):
        await query.answer()
        await edit_query_message(query, views.FORGET_KEPT)
        return
    async with context.uow() as uow:
        recorded, exported = await involvement.forget(uow, context.secret, query.from_user.id)
        erased = await membership.forget(uow, context.secret, query.from_user.id)
    context.bot_data.languages.forget_person(query.from_user.id)
    await query.answer(_("Erased") if erased or recorded else _("Nothing to erase"))
    await edit_query_message(
        query, views.forgotten(erased) + involvement_views.forgotten_line(recorded, exported)
    )


async def members(update: Update, context: AppContext) -> None:
    """/members: counts per role, for facilitators only, answered in their private chat:
    in the group every member would watch the counts move as people join."""
    group = await facilitator_command(
        update, context, elsewhere=views.GROUP_ONLY, refusal=views.FACILITATORS_ONLY
    )
    if group is None:
        return
    async with context.uow() as uow:
        counts = await membership.role_counts(uow, group.id)
    # Sent to the organiser's private chat: in their language, not the group's.
    with speaking(await person_language_of(context, user_id_of(update))):
        counts_text = views.member_counts(group.title, counts, min_cell=context.settings.min_cell)
    await answer_privately(
        update,
        context.bot,
        counts_text,
        sent=views.MEMBERS_SENT,
        unreachable=views.MEMBERS_OPEN_PRIVATE_CHAT,
    )


async def ask_in_private(update: Update, context: AppContext) -> None:
    """A private matter asked in a group: point to the private chat instead of answering."""
    await reply(
        update, general.USE_PRIVATE_CHAT, general.open_private_chat_keyboard(context.bot.username)
    )


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [
        CommandHandler("join", join, filters=_NOT_EDITED),
        CommandHandler("role", change_role, filters=_NOT_EDITED),
        CommandHandler("mydata", my_data, filters=_NOT_EDITED),
        CommandHandler("forgetme", forget_me, filters=_NOT_EDITED),
        CommandHandler("members", members, filters=_NOT_EDITED),
        CallbackQueryHandler(choose_role, pattern=pattern(Action.ROLE)),
        CallbackQueryHandler(role_menu, pattern=pattern(Action.ROLE_MENU)),
        CallbackQueryHandler(confirm_forget, pattern=pattern(Action.FORGET)),
    ]
