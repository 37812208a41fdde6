"""Polls in a group: /poll, voting buttons, closing, /polls, exports and settings."""

from __future__ import annotations

import logging

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    ReplyParameters,
    Update,
    User,
)
from telegram.error import Forbidden, TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.clock import now
from bot.command_menus import set_group_menu
from bot.context import AppContext
from bot.domain.disclosure import SmallRoles
from bot.domain.join_link import CarriedVote
from bot.domain.poll_rules import PollInputError, parse_poll_line, results_visible
from bot.i18n import speaking
from bot.reader_languages import person_language_of
from bot.scheduling.poll_jobs import (
    close_and_announce,
    poll_changed,
    post_poll,
    reopen_poll,
)
from bot.services import membership, outcomes, polls
from bot.services.ballot_presses import BallotPress
from bot.services.groups import GroupInfo, find_group_by_id
from bot.services.polls import Reopened, VoteOutcome, VoteStatus
from bot.services.replays import UpdateClaim
from bot.services.unit_of_work import UnitOfWork
from bot.views import general, poll_export, poll_results
from bot.views import poll_acks as acks
from bot.views import poll_texts as texts
from bot.views import polls as views
from bot.views.callbacks import Action, Press, decode, encode, pattern
from bot.views.links import start_link
from bot.views.poll_wording import option_names
from handlers.guards import facilitator_command, group_command
from handlers.poll_reasons import ballot_changed
from handlers.replays import ballot_press_once
from handlers.replies import (
    answer_privately,
    command_argument,
    confirm_done,
    edit_query_message,
    is_group_chat,
    message_of,
    reply,
    user_id_of,
)

log = logging.getLogger(__name__)

_NOT_EDITED = ~filters.UpdateType.EDITED


async def may_create_polls(context: AppContext, group: GroupInfo, user_id: int) -> bool:
    """Facilitators always; everyone else when the group's facilitators switched it on."""
    return group.anyone_can_poll or await context.facilitators.is_facilitator(
        context.bot, group.chat_id, user_id
    )


async def create_poll_from_line(update: Update, context: AppContext) -> None:
    """/poll Question | Option | Option: a single-choice poll, results after close."""
    group = await group_command(update, context, elsewhere=texts.POLL_IN_GROUP_ONLY)
    if group is None:
        return
    if not await may_create_polls(context, group, user_id_of(update)):
        await reply(update, texts.ONLY_FACILITATORS_CREATE)
        return
    line = command_argument(message_of(update))
    try:
        draft = parse_poll_line(line)
        async with context.uow() as uow:
            poll_id = await polls.create_poll(
                uow, group.id, draft, now=now(), bar=context.settings.disclosure_bar
            )
    except PollInputError as error:
        await reply(update, texts.input_problem(error))
        return
    await post_poll(context, group, poll_id, thread_id=_thread_of(update))


def _thread_of(update: Update) -> int | None:
    message = update.effective_message
    if message is None or not message.is_topic_message:
        return None
    return message.message_thread_id


async def _person_language(context: AppContext, user: User) -> str:
    """For what is made in the group but read in the person's private chat."""
    return await person_language_of(context, user.id, user.language_code)


def _press(query: CallbackQuery, arity: int) -> Press | None:
    press = decode(query.data)
    return press if press is not None and len(press.args) == arity else None


async def _answer_outcome(
    query: CallbackQuery, context: AppContext, outcome: VoteOutcome, option: int | None
) -> None:
    """Tell the voter, privately, what happened to their press."""
    status = outcome.status
    if status is VoteStatus.NOT_MEMBER:
        async with context.uow() as uow:
            group = await find_group_by_id(uow, outcome.group_id)
        if group is not None:
            # The link carries the vote: once the role is chosen it is cast, so the person
            # need not come back and press again.
            payload = (
                membership.join_payload(context.secret, group)
                if option is None
                else membership.join_payload_with_vote(
                    context.secret, group, CarriedVote(outcome.poll_id, option)
                )
            )
            ack = acks.join_first_ack() if option is None else acks.join_to_vote_ack()
            await query.answer(ack, url=start_link(context.bot.username, payload))
            return
    simple = {
        VoteStatus.CLOSED: acks.poll_closed_ack,
        VoteStatus.UNKNOWN: texts.poll_gone_ack,
        VoteStatus.WRONG_CHAT: acks.wrong_chat_ack,
        VoteStatus.BAD_OPTION: texts.poll_gone_ack,
        VoteStatus.NOTHING_TO_WITHDRAW: acks.no_vote_to_withdraw_ack,
        VoteStatus.WITHDRAWN: acks.withdrawn_ack,
    }
    if status in simple:
        await query.answer(simple[status](), show_alert=status is VoteStatus.WRONG_CHAT)
    elif status is VoteStatus.TOO_MANY:
        await query.answer(acks.too_many_ack(outcome.max_choices), show_alert=True)
    elif outcome.notice:
        # The poll said so before voting; a voter of the named role is told again, privately.
        chosen = option_names(outcome.kind, outcome.chosen)
        await query.answer(acks.notice_ack(outcome.notice, chosen), show_alert=True)
    elif status is VoteStatus.UNCHANGED and outcome.kind.value != "multiple":
        chosen = option_names(outcome.kind, outcome.chosen)
        await query.answer(acks.already_chosen_ack(", ".join(chosen)))
    else:
        # The group's time zone came with the vote's own query: no second unit of work.
        await query.answer(
            acks.ballot_ack(
                outcome.chosen,
                kind=outcome.kind,
                deadline=outcome.deadline,
                timezone=outcome.timezone or context.settings.timezone,
                changed=status is VoteStatus.CHANGED,
            )
        )


async def ballot_press(update: Update, context: AppContext) -> None:
    """A voting button or "Withdraw my vote": one ballot per person per poll, answered privately."""
    query = update.callback_query
    if query is None:
        return
    press = decode(query.data)
    arity = 2 if press is not None and press.action is Action.VOTE else 1
    if press is None or len(press.args) != arity or query.message is None:
        await query.answer(general.STALE_BUTTON)
        return
    poll_id, chat_id, user_id = press.args[0], query.message.chat.id, query.from_user.id
    option = press.args[1] if press.action is Action.VOTE else None
    # Someone who left (or never was in a public group) keeps nothing: a role left behind
    # by a leave Telegram never reported must not vote. Elsewhere the poll says wrong chat.
    if is_group_chat(query.message.chat) and not await context.in_chat(chat_id, user_id):
        await query.answer(acks.not_in_group_ack(), show_alert=True)
        return

    async def write(uow: UnitOfWork, claim: UpdateClaim) -> VoteOutcome:
        if option is None:
            return await polls.apply_withdrawal(
                uow,
                context.secret,
                poll_id=poll_id,
                chat_id=chat_id,
                user_id=user_id,
                now=now(),
                claim=claim,
            )
        return await polls.apply_vote(
            uow,
            context.secret,
            poll_id=poll_id,
            chat_id=chat_id,
            user_id=user_id,
            option=option,
            now=now(),
            claim=claim,
        )

    # Written through the ballot batcher: presses in flight together share one transaction
    # and its statements (bot/services/ballot_presses.py); a second delivery of this very
    # press changes nothing (handlers/replays.py). Sorted in a batch by the ballot it locks:
    # replicas' batches never deadlock.
    work = ballot_press_once(update, context, write)
    ballot = BallotPress(context.bot.id, update.update_id, poll_id, chat_id, user_id, option)
    outcome = await context.ballots.apply(work, (poll_id, user_id, update.update_id), ballot)
    if outcome is None or outcome.status is VoteStatus.REPLAYED:
        return  # delivered a second time: the first delivery was counted and answered
    try:
        await _answer_outcome(query, context, outcome, option)
    except TelegramError as error:
        # The ballot is stored whatever became of the answer: the poll message must still show
        # it (and a proposal's reason follow it), and the voter must not be told it failed. A
        # second press is told "You already chose ...".
        log.warning("could not answer a ballot press: %s", type(error).__name__)
    if outcome.counted:
        poll_changed(context, outcome.group_id, outcome.poll_id)
        await ballot_changed(context, query.from_user, outcome)


async def _in_poll_chat(query: CallbackQuery, context: AppContext, poll_id: int) -> bool:
    """Whether the press came from the poll's own group (not a forwarded copy)."""
    async with context.uow() as uow:
        place = await polls.place_of(uow, poll_id)
    if place is None:
        await query.answer(texts.poll_gone_ack())
        return False
    if query.message is None or query.message.chat.id != place.chat_id:
        await query.answer(acks.wrong_chat_ack(), show_alert=True)
        return False
    return True


async def _send_private(
    query: CallbackQuery, context: AppContext, text: str, document: InputFile | None = None
) -> bool:
    """Send to the person's private chat; if they never opened it, offer the link."""
    user_id = query.from_user.id
    try:
        if document is not None:
            await context.bot.send_document(user_id, document, caption=text)
        else:
            await context.bot.send_message(user_id, text)
    except Forbidden:
        await query.answer(texts.open_private_chat_ack(), url=start_link(context.bot.username))
        return False
    return True


async def see_results(update: Update, context: AppContext) -> None:
    """'See results' (on polls posted before results waited for the close): a closed poll's
    results, privately; while open, nothing (results that change with each vote would let a
    voter who looked before and after someone pressed work out that person's vote)."""
    query = update.callback_query
    if query is None:
        return
    press = _press(query, 1)
    if press is None:
        await query.answer(general.STALE_BUTTON)
        return
    poll_id = press.args[0]
    if not await _in_poll_chat(query, context, poll_id):
        return
    # Results are for the group's members: not for someone who left, nor for a passer-by
    # in a public group.
    message = query.message
    if message is None or not await context.in_chat(message.chat.id, query.from_user.id):
        await query.answer(acks.not_in_group_results_ack(), show_alert=True)
        return
    async with context.uow() as uow:
        snap = await polls.snapshot(uow, poll_id, min_cell=context.settings.min_cell)
    if snap is None:
        await query.answer(texts.poll_gone_ack())
        return
    if not results_visible(snap.visibility, closed=snap.closed, has_voted=False):
        await query.answer(acks.results_after_close_ack(), show_alert=True)
        return
    # Pressed in the group, read in private: in the person's own language.
    with speaking(await _person_language(context, query.from_user)):
        text = poll_results.private_results(snap)
    if await _send_private(query, context, text):
        await query.answer(acks.results_sent_ack())


async def _facilitator_poll_press(
    query: CallbackQuery, context: AppContext, *, arity: int = 1
) -> Press | None:
    """The press of a facilitators' button naming a poll (its first number), pressed in the
    poll's own group by a facilitator of it; None (the presser told why) otherwise."""
    press = _press(query, arity)
    if press is None or query.message is None:
        await query.answer(general.STALE_BUTTON)
        return None
    poll_id = press.args[0]
    if not await _in_poll_chat(query, context, poll_id):
        return None
    if not await context.facilitators.is_facilitator(
        context.bot, query.message.chat.id, query.from_user.id
    ):
        await query.answer(acks.facilitators_only_ack(), show_alert=True)
        return None
    return press


async def turnout_button(update: Update, context: AppContext) -> None:
    """'Who has voted?' (facilitators only): which roles have voted so far, as an alert only
    the presser sees; "none yet" or "some", never a count that changes with one vote."""
    query = update.callback_query
    press = None if query is None else await _facilitator_poll_press(query, context)
    if query is None or press is None:
        return
    async with context.uow() as uow:
        snap = await polls.snapshot(uow, press.args[0], min_cell=context.settings.min_cell)
    if snap is None or snap.closed:
        await query.answer(acks.poll_closed_ack())
        return
    await query.answer(acks.turnout_ack(snap.participation), show_alert=True)


async def close_button(update: Update, context: AppContext) -> None:
    """'Close poll' (facilitators only): asks first, under the poll, with Yes / No. The
    button sits where every member's thumb can reach it; closing cannot be taken back."""
    query = update.callback_query
    press = None if query is None else await _facilitator_poll_press(query, context)
    if query is None or press is None or query.message is None:
        return
    async with context.uow() as uow:
        snap = await polls.snapshot(uow, press.args[0], min_cell=context.settings.min_cell)
    if snap is None or snap.closed:
        await query.answer(acks.poll_closed_ack())
        return
    await query.answer()
    message = query.message
    await context.bot.send_message(
        message.chat.id,
        texts.close_question(snap.question),
        message_thread_id=message.message_thread_id
        if isinstance(message, Message) and message.is_topic_message
        else None,
        reply_markup=_close_keyboard(snap.id),
        reply_parameters=ReplyParameters(message.message_id, allow_sending_without_reply=True),
    )


def _close_keyboard(poll_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.CLOSE_YES, callback_data=encode(Action.CLOSE_CONFIRM, poll_id, 1)
                ),
                InlineKeyboardButton(
                    texts.CLOSE_NO, callback_data=encode(Action.CLOSE_CONFIRM, poll_id, 0)
                ),
            ]
        ]
    )


async def confirm_close(update: Update, context: AppContext) -> None:
    """The answer to "Close this poll now?": facilitators only, as the Close button."""
    query = update.callback_query
    press = None if query is None else await _facilitator_poll_press(query, context, arity=2)
    if query is None or press is None:
        return
    poll_id, choice = press.args
    if choice not in (0, 1):
        await query.answer(general.STALE_BUTTON)
        return
    if choice == 0:
        await confirm_done(query, texts.KEPT_OPEN, texts.KEPT_OPEN)
        return
    closed = await close_and_announce(context, poll_id)
    if closed:
        await confirm_done(query, texts.closed_ack(), texts.CLOSED_NOTE)
    else:  # a second Yes, or the deadline came first
        await confirm_done(query, acks.poll_closed_ack(), texts.ALREADY_CLOSED)


async def reopen_button(update: Update, context: AppContext) -> None:
    """'Reopen poll' under the results (facilitators only, within 10 minutes of the close):
    the poll is open again with every ballot; later, a kind no and nothing changed."""
    query = update.callback_query
    press = None if query is None else await _facilitator_poll_press(query, context)
    if query is None or press is None:
        return
    outcome = await reopen_poll(context, press.args[0])
    answers = {
        Reopened.REOPENED: (acks.reopened_ack(), False),
        Reopened.ALREADY_OPEN: (acks.already_open_ack(), False),
        Reopened.ONCE_ONLY: (acks.reopened_once_ack(), True),
        Reopened.TOO_LATE: (acks.too_late_to_reopen_ack(), True),
        Reopened.UNKNOWN: (texts.poll_gone_ack(), False),
    }
    text, alert = answers[outcome]
    await query.answer(text, show_alert=alert)


async def close_command(update: Update, context: AppContext) -> None:
    """/close as a reply to a poll's message: facilitators only."""
    group = await facilitator_command(
        update, context, elsewhere=texts.POLL_IN_GROUP_ONLY, refusal=texts.ONLY_FACILITATORS_CLOSE
    )
    if group is None:
        return
    target = message_of(update).reply_to_message
    poll_id = None
    if target is not None:
        async with context.uow() as uow:
            poll_id = await polls.poll_of_message(uow, group.id, target.message_id)
    if poll_id is None:
        await reply(update, texts.CLOSE_HOW)
        return
    if not await close_and_announce(context, poll_id):
        await reply(update, texts.ALREADY_CLOSED)


async def export_csv(update: Update, context: AppContext) -> None:
    """A closed poll's aggregated results as CSV, to a facilitator's private chat."""
    query = update.callback_query
    press = None if query is None else await _facilitator_poll_press(query, context)
    if query is None or press is None:
        return
    poll_id = press.args[0]
    async with context.uow() as uow:
        snap = await polls.snapshot(uow, poll_id, min_cell=context.settings.min_cell)
    if snap is None or not snap.closed:
        await query.answer(texts.export_after_close_ack(), show_alert=True)
        return
    # Pressed in the group, for the organiser alone: in their own language.
    with speaking(await _person_language(context, query.from_user)):
        data = poll_export.results_csv(snap)
    document = InputFile(data, filename=f"poll-{poll_id}-results.csv")
    if await _send_private(query, context, texts.EXPORT_CAPTION, document):
        await query.answer(acks.results_sent_ack())


async def list_polls(update: Update, context: AppContext) -> None:
    """/polls: open polls and recent results in this group."""
    group = await group_command(update, context, elsewhere=texts.POLL_IN_GROUP_ONLY)
    if group is None:
        return
    async with context.uow() as uow:
        open_polls, closed = await polls.group_polls(
            uow, group.id, min_cell=context.settings.min_cell
        )
    await reply(update, views.polls_list(open_polls, closed, now=now()))


async def decisions(update: Update, context: AppContext) -> None:
    """/decisions: the log of every closed poll, as CSV, to a facilitator privately."""
    group = await facilitator_command(
        update, context, elsewhere=texts.POLL_IN_GROUP_ONLY, refusal=texts.ONLY_FACILITATORS_EXPORT
    )
    if group is None:
        return
    async with context.uow() as uow:
        log = await polls.decision_log(uow, group.id, min_cell=context.settings.min_cell)
        done = await outcomes.poll_outcomes(uow, group.id)
        said = await outcomes.feedback_outcomes(uow, group.id)
    user = update.effective_user
    language = None if user is None else await _person_language(context, user)
    with speaking(language):
        data = poll_export.decision_log_csv(log, done, said)
    document = InputFile(data, filename="decision-log.csv")
    await answer_privately(
        update,
        context.bot,
        texts.DECISIONS_CAPTION,
        document=document,
        sent=texts.DECISIONS_SENT,
        unreachable=texts.OPEN_PRIVATE_CHAT_FIRST,
    )


# /pollsettings buttons: who may create polls (0, 1); what a poll does when its equal-weight
# result could let a small role be worked out (2 notice, 3 protect).
_SMALL_ROLE_VALUES = {2: SmallRoles.NOTICE, 3: SmallRoles.PROTECT}


def _settings_keyboard(group: GroupInfo) -> InlineKeyboardMarkup:
    def button(label: str, value: int, chosen: bool) -> list[InlineKeyboardButton]:
        text = texts.settings_label(label, chosen)
        return [
            InlineKeyboardButton(text, callback_data=encode(Action.POLL_SETTINGS, group.id, value))
        ]

    return InlineKeyboardMarkup(
        [
            button(texts.WHO_CAN_POLL_LABELS[0], 0, not group.anyone_can_poll),
            button(texts.WHO_CAN_POLL_LABELS[1], 1, group.anyone_can_poll),
            *(
                button(texts.SMALL_ROLES_LABELS[choice], value, group.small_roles is choice)
                for value, choice in _SMALL_ROLE_VALUES.items()
            ),
        ]
    )


def _settings_text(group: GroupInfo) -> str:
    return texts.settings_text(group.anyone_can_poll, group.small_roles)


async def poll_settings(update: Update, context: AppContext) -> None:
    """/pollsettings: facilitators choose who may create polls."""
    group = await facilitator_command(
        update,
        context,
        elsewhere=texts.POLL_IN_GROUP_ONLY,
        refusal=texts.ONLY_FACILITATORS_SETTINGS,
    )
    if group is not None:
        await reply(update, _settings_text(group), _settings_keyboard(group))


async def change_poll_settings(update: Update, context: AppContext) -> None:
    query = update.callback_query
    if query is None:
        return
    press = _press(query, 2)
    if press is None or press.args[1] not in (0, 1, *_SMALL_ROLE_VALUES) or query.message is None:
        await query.answer(general.STALE_BUTTON)
        return
    async with context.uow() as uow:
        group = await find_group_by_id(uow, press.args[0])
    if group is None or group.chat_id != query.message.chat.id:
        await query.answer(acks.wrong_chat_ack(), show_alert=True)
        return
    if not await context.facilitators.is_facilitator(
        context.bot, group.chat_id, query.from_user.id
    ):
        await query.answer(acks.facilitators_only_ack(), show_alert=True)
        return
    value = press.args[1]
    async with context.uow() as uow:
        if value in _SMALL_ROLE_VALUES:
            await polls.set_small_roles(uow, group.id, _SMALL_ROLE_VALUES[value])
        else:
            await polls.set_anyone_can_poll(uow, group.id, bool(value))
        group = await find_group_by_id(uow, group.id)
    assert group is not None
    await query.answer(texts.SAVED)
    await set_group_menu(context.bot, group.chat_id, anyone_can_poll=group.anyone_can_poll)
    # A double tap saves the same choice again: "not modified" is not an error.
    await edit_query_message(query, _settings_text(group), _settings_keyboard(group))


def handlers() -> list[BaseHandler[Update, AppContext, None]]:
    return [
        CommandHandler("poll", create_poll_from_line, filters=_NOT_EDITED),
        CommandHandler("close", close_command, filters=_NOT_EDITED),
        CommandHandler("polls", list_polls, filters=_NOT_EDITED),
        CommandHandler("decisions", decisions, filters=_NOT_EDITED),
        CommandHandler("pollsettings", poll_settings, filters=_NOT_EDITED),
        CallbackQueryHandler(ballot_press, pattern=pattern(Action.VOTE)),
        CallbackQueryHandler(ballot_press, pattern=pattern(Action.WITHDRAW)),
        CallbackQueryHandler(see_results, pattern=pattern(Action.SEE_RESULTS)),
        CallbackQueryHandler(turnout_button, pattern=pattern(Action.TURNOUT)),
        CallbackQueryHandler(close_button, pattern=pattern(Action.CLOSE)),
        CallbackQueryHandler(confirm_close, pattern=pattern(Action.CLOSE_CONFIRM)),
        CallbackQueryHandler(reopen_button, pattern=pattern(Action.REOPEN)),
        CallbackQueryHandler(export_csv, pattern=pattern(Action.EXPORT)),
        CallbackQueryHandler(change_poll_settings, pattern=pattern(Action.POLL_SETTINGS)),
    ]
