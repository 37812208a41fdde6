"""The guided meeting set-up in private (from the /meeting link), and agenda items sent
privately, which reach the agenda with no author."""

from __future__ import annotations

from telegram import Update

from bot.clock import now
from bot.context import AppContext
from bot.domain.meeting_payloads import verify_new_meeting
from bot.domain.meeting_rules import MeetingInputError, clean_agenda_item
from bot.domain.meeting_setup import MeetingSetup, SetupStep, type_text
from bot.facilitators import is_in_chat
from bot.scheduling.feedback_routing import to_facilitators
from bot.services import agenda, meeting_drafts, meetings, membership
from bot.services.agenda import AgendaCaps
from bot.services.groups import find_group_by_id
from bot.views import meetings as views
from handlers.replies import command_argument, message_of, reply, user_id_of


async def begin_from_link(update: Update, context: AppContext, payload: str) -> None:
    """/start with a meeting payload: check it and the person's right, then ask the time."""
    user_id = user_id_of(update)
    target = verify_new_meeting(context.secret, payload)
    group = None
    if target is not None:
        async with context.uow() as uow:
            group = await find_group_by_id(uow, target.group_id)
    if target is None or group is None or not group.active:
        await reply(update, views.BAD_LINK)
        return
    if not await context.facilitators.is_facilitator(context.bot, group.chat_id, user_id):
        await reply(update, views.ONLY_FACILITATORS)
        return
    async with context.uow() as uow:
        await meeting_drafts.begin(
            uow, context.secret, user_id, group.id, target.thread_id, MeetingSetup(), now=now()
        )
    await reply(update, views.setup_question(SetupStep.WHEN, group.timezone))


async def take_text(update: Update, context: AppContext) -> bool:
    """Typed text in private, if the person's meeting set-up is waiting for it."""
    user_id = user_id_of(update)
    moment = now()
    async with context.uow() as uow:
        draft = await meeting_drafts.current(uow, context.secret, user_id, now=moment)
        group = None if draft is None else await find_group_by_id(uow, draft.group_id)
    if draft is None or group is None or draft.state.step is SetupStep.CONFIRM:
        return False
    try:
        state = type_text(
            draft.state, message_of(update).text or "", zone_name=group.timezone, now=moment
        )
    except MeetingInputError as error:
        await reply(update, views.setup_question(draft.state.step, group.timezone, error))
        return True
    async with context.uow() as uow:
        await meeting_drafts.save(uow, draft, state, now=moment)
    if state.step is SetupStep.CONFIRM:
        await reply(
            update,
            views.confirm_text(state, group.timezone),
            views.confirm_keyboard(draft.id, state, group.timezone),
        )
    else:
        await reply(update, views.setup_question(state.step, group.timezone))
    return True


async def agenda_in_private(update: Update, context: AppContext) -> None:
    """/agenda <item> in private: added anonymously to the next meeting of the person's
    group; with several groups, `/agenda <number> <item>` picks one."""
    text = command_argument(message_of(update))
    if not text:
        await reply(update, views.AGENDA_HOW)
        return
    moment = now()
    user_id = user_id_of(update)
    async with context.uow() as uow:
        held = await membership.held_roles(uow, context.secret, user_id)
        candidates = [
            h.group
            for h in held
            if h.group.active and await meetings.next_occurrence(uow, h.group.id, moment)
        ]
    # A role outlives leaving the group (until /forgetme): only people still in it add items.
    choices = [g for g in candidates if await is_in_chat(context.bot, g.chat_id, user_id)]
    if not choices:
        await reply(update, views.NO_GROUP_WITH_MEETINGS)
        return
    group = choices[0]
    if len(choices) > 1:
        number, _, rest = text.partition(" ")
        if not number.isdigit() or not 1 <= int(number) <= len(choices) or not rest.strip():
            await reply(update, views.which_group([c.title for c in choices]))
            return
        group, text = choices[int(number) - 1], rest
    try:
        item = clean_agenda_item(text)
    except MeetingInputError as error:
        await reply(update, views.problem(error))
        return
    caps = agenda_caps(context)
    async with context.uow() as uow:
        done = await agenda.suggest_privately(
            uow, context.secret, group.id, user_id, item, caps=caps, now=moment
        )
    view = done.view
    if view is None:
        await reply(update, views.NO_GROUP_WITH_MEETINGS)
    elif done.outcome is agenda.Outcome.MEETING_FULL:
        await reply(update, views.agenda_full(view))
    elif done.outcome is agenda.Outcome.PERSON_FULL:
        await reply(update, views.agenda_share_used(view, caps.per_person, private=True))
    elif done.outcome is agenda.Outcome.WAITING:
        await reply(update, views.agenda_waiting(view))
        # Like moderated feedback: to the facilitators now, or by the sweep when none is
        # reachable yet (their daily notice in the group included).
        await to_facilitators(context, done.feedback_id)
    else:
        await reply(update, views.agenda_added_privately(view))


def agenda_caps(context: AppContext) -> AgendaCaps:
    return AgendaCaps(
        per_person=context.settings.agenda_per_person,
        per_meeting=context.settings.agenda_per_meeting,
    )
