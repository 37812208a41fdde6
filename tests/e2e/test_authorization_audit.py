"""Authorization audit (issue 8, point 6): every facilitator-only action, refused to everyone else.

Facilitators are a group's Telegram admins (bot/facilitators.py). For every facilitator-only
button (a callback Action) and command, and for the facilitators' set-up links, each kind of
intruder tries it:

- MEMBER: in the group with a role, an admin nowhere;
- OUTSIDER: not in the group (a member of another group that has the bot);
- OTHER_FACILITATOR: the admin of another group (and a plain member of this one);
- DEMOTED: this group's admin, who acted as one, then lost the rights (after the 120 s cache).

Buttons are forged with the real codec (`bot.views.callbacks.encode`) around the target
group's own poll, meeting, feedback and group ids, and pressed in the target group's chat,
in another group's chat and in the intruder's private chat. Commands are typed wherever the
intruder can type at all. "Refused" is judged by what the act left behind (audit_helpers): no
row changed, nothing posted, edited or sent (no file to anyone), and the person was given
words. Each test ends with the facilitator doing the same thing, which must take effect: so
a refusal that came from a missing poll or a wrong id, not from the check, would fail it.

The webhook secret is shown by tests/e2e/test_over_http.py::
test_webhook_mode_answers_and_checks_the_secret, and not repeated here.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute
from telegram.ext import CommandHandler

from bot.domain.feedback_rules import DELIVERIES, Delivery
from bot.facilitators import ADMIN_CACHE_SECONDS
from bot.harness import SandboxBot
from bot.sandbox import FakeChat, FakeMessage, FakeUser
from bot.scheduling import feedback_sweep
from bot.views.callbacks import Action, decode, encode
from storage.models import Feedback, InvolvementPerson, Meeting, MeetingOccurrence, Poll
from tests.e2e.audit_helpers import (
    Effect,
    Intruder,
    Scene,
    Where,
    build_scene,
    effects,
    footprint,
    group_id_of,
    install_clock,
    join,
    mark,
    refusal_problems,
    reply_texts,
    settle,
)
from tests.e2e.feedback_helpers import posted, send_feedback
from tests.e2e.meeting_helpers import plan_meeting
from tests.e2e.poll_helpers import Circle, button, close_by_button, context_of

LONDON = ZoneInfo("Europe/London")

# ---------------------------------------------------------------- the classification
#
# Every callback Action and every command is either facilitator-only (audited below) or open
# to members, with the reason it needs no facilitator check. A new Action or command fails
# test_every_action_and_command_is_classified until it is put in one of these sets; one put
# in a FACILITATOR_ set fails test_the_audit_covers_every_facilitator_action until it has a
# case in BUTTON_CASES / COMMAND_CASES. Put it with the facilitators if anything it does
# touches the group as a whole (its settings, polls, meetings, feedback, exports, counts).

FACILITATOR_ACTIONS = frozenset(
    {
        Action.TURNOUT,  # which roles have voted so far ("none yet" / "some"), as an alert
        Action.CLOSE,  # ask "Close this poll now?"
        Action.CLOSE_CONFIRM,  # ... and the answer, which closes it
        Action.EXPORT,  # a closed poll's results as CSV, privately
        Action.REOPEN,  # reopen a poll closed by mistake (within 10 minutes, once)
        Action.POLL_SETTINGS,  # who may create polls
        Action.MEETING_CANCEL,  # cancel a date or the series
        Action.MEETING_MOVE,  # move a date or the series
        Action.FEEDBACK_DECIDE,  # publish or reject feedback
        Action.URGENT_SEEN,  # "I've seen this" on an urgent item
        Action.URGENT_MUTE,  # mute an urgent item's sender for 24 hours
        Action.REPLY_START,  # reply privately to a feedback item's writer
        # "You said, we did": recording an outcome, step by step, and the monthly digest.
        Action.OUTCOME_PICK,
        Action.OUTCOME_STATUS,
        Action.OUTCOME_SKIP,
        Action.OUTCOME_REVIEW,
        Action.OUTCOME_MONTHLY,
        Action.FEEDBACK_SETTINGS,  # how feedback reaches the group
        Action.GROUP_LANGUAGE,  # the language of the group's messages
        # Their drafts' buttons: Save / Post creates what only facilitators may create.
        Action.MEETING_CONFIRM,
        Action.WIZARD,
        Action.PIN,  # pin the newcomers' welcome
        # The board report: which group, then the period (the PDF is made and sent).
        Action.REPORT_GROUP,
        Action.REPORT_PERIOD,
        # The involvement record's switch and its export for payment claims.
        Action.INVOLVEMENT_SWITCH,
        Action.INVOLVEMENT_EXPORT,
        # Marking attendance: the meetings, the people who chose to be recorded, one of them.
        Action.ATTENDANCE_MEETINGS,
        Action.ATTENDANCE_PEOPLE,
        Action.ATTENDANCE_MARK,
    }
)
MEMBER_ACTIONS = frozenset(
    {
        Action.ROLE,  # one's own role (checked: in the group now)
        Action.ROLE_MENU,  # one's own roles
        Action.FORGET,  # one's own data
        Action.VOTE,  # one's own ballot (checked: joined, the poll's own chat)
        Action.WITHDRAW,
        Action.SEE_RESULTS,  # checked: voted, the poll's own chat, visibility
        Action.RSVP,  # one's own answer
        Action.CALENDAR,  # a calendar file, to oneself
        Action.REMIND_ME,  # a reminder, to oneself
        Action.FEEDBACK_GROUP,  # writing feedback: test_feedback_reaches_only_the_senders_groups
        Action.FEEDBACK_SEND,
        Action.FEEDBACK_CANCEL,
        Action.FEEDBACK_TAG,
        Action.FEEDBACK_ALLOW_REPLIES,  # one's own draft, like the tag
        # The writer's side of private replies: checked against the sealed chat of the item
        # (test_feedback_replies.py: forged by anyone else, "ended", nothing changes).
        Action.REPLY_ANSWER,
        Action.REPLY_STOP,
        Action.REPLY_CANCEL,  # one's own reply or answer being written (memory only)
        # One's own involvement record (checked: the group records it; the key is the
        # presser's own, so nobody can record or change anyone else's).
        Action.INVOLVEMENT_GROUP,
        Action.INVOLVEMENT_NAME,
        Action.INVOLVEMENT_PAY,
        Action.TOOK_PART,
        Action.LANGUAGE,  # one's own language, in private
    }
)
FACILITATOR_COMMANDS = frozenset(
    {
        "close",
        "members",
        "decisions",
        "pollsettings",
        "feedbacksettings",
        "grouplanguage",
        "meeting",
        "cancelmeeting",
        "movemeeting",
        "reminders",
        "timezone",
        # Facilitators only, unless they let everyone (the default is facilitators only).
        "poll",
        "newpoll",
        "outcome",  # record what came of feedback and polls
        "report",  # the board report (in private: only groups one facilitates)
        # The record's settings and export (in private: one's own record, if a group keeps one).
        "involvement",
    }
)
MEMBER_COMMANDS = frozenset(
    {
        "start",
        "help",
        "join",
        "role",
        "mydata",
        "forgetme",
        "polls",  # what the group already sees
        "meetings",  # what the group already sees
        "agenda",  # anyone may add an item (checked: in the group now)
        "feedback",  # test_feedback_reaches_only_the_senders_groups
        "yousaid",  # outcomes the group was already told of
        "language",  # one's own language, in private
    }
)


def registered_commands(bot: SandboxBot) -> set[str]:
    return {
        command
        for handlers in bot.app.handlers.values()
        for handler in handlers
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }


# ---------------------------------------------------------------- shared steps


def _typed(days: int, hour: int = 14) -> str:
    local = (datetime.now(LONDON) + timedelta(days=days)).replace(hour=hour, minute=0)
    return f"{local.day} {local:%b %Y} {local:%H:%M}"


async def _only(scene: Scene, column: InstrumentedAttribute[int]) -> int:
    async with scene.bot.uow() as uow:
        found = list(await uow.session.scalars(select(column)))
    assert len(found) == 1, found
    return int(found[0])


async def _poll(scene: Scene) -> FakeMessage:
    await scene.bot.say(scene.fiona, scene.group, "/poll Meet on Thursdays? | Yes | No")
    return scene.bot.last(scene.group)


async def _meeting(scene: Scene) -> int:
    circle = Circle(scene.group, scene.fiona)
    await plan_meeting(scene.bot, circle, f"{_typed(7)} | Planning group")
    async with scene.bot.uow() as uow:
        found = await uow.session.scalar(
            select(MeetingOccurrence.id).join(Meeting, Meeting.id == MeetingOccurrence.meeting_id)
        )
    assert found is not None
    return int(found)


def _payload(message: FakeMessage) -> str:
    url = next(b.url for b in message.all_buttons() if b.url and "?start=" in b.url)
    assert url is not None
    return url.split("?start=", 1)[1]


async def _wizard_at_post(bot: SandboxBot, user: FakeUser, group: FakeChat) -> FakeMessage:
    """/newpoll, the link, a proposal with no deadline: the private message with Post."""
    await bot.say(user, group, "/newpoll")
    await bot.start(user, _payload(bot.last(group)))
    dm = bot.private(user)
    await bot.press(user, bot.last(dm), text="Proposal")
    await bot.say(user, dm, "We meet on Thursdays")
    await bot.press(user, bot.last(dm), text="No deadline (an organiser closes it)")
    return bot.last(dm)


# ---------------------------------------------------------------- the buttons


@dataclass(frozen=True)
class Target:
    data: str  # the forged press: the real codec around the target group's ids
    here: FakeMessage  # a message in the target group to press on (the real button's, if any)
    control: FakeMessage  # where the facilitator's own press goes (the positive control)
    variants: tuple[str, ...] = ()  # the same button's other choices, forged as well
    # An intruder's OWN button of this kind, which must be refused too (a demoted
    # facilitator's meeting or poll, typed while still an admin).
    own: dict[Intruder, str] = field(default_factory=dict)


async def close_target(scene: Scene) -> Target:
    poll = await _poll(scene)
    data = encode(Action.CLOSE, await _only(scene, Poll.id))
    assert data == button(poll, "Close poll")
    return Target(data, poll, poll)


async def turnout_target(scene: Scene) -> Target:
    poll = await _poll(scene)
    data = encode(Action.TURNOUT, await _only(scene, Poll.id))
    assert data == button(poll, "Who has voted?")
    return Target(data, poll, poll)


async def close_confirm_target(scene: Scene) -> Target:
    poll = await _poll(scene)
    await scene.bot.press(scene.fiona, poll, data=button(poll, "Close poll"))
    question = scene.bot.last(scene.group)
    poll_id = await _only(scene, Poll.id)
    data = encode(Action.CLOSE_CONFIRM, poll_id, 1)
    assert data == button(question, "Yes, close it now")
    return Target(data, question, question, (encode(Action.CLOSE_CONFIRM, poll_id, 0),))


async def export_target(scene: Scene) -> Target:
    poll = await _poll(scene)
    await close_by_button(scene.bot, scene.fiona, poll)
    data = encode(Action.EXPORT, await _only(scene, Poll.id))
    assert data == button(poll, "CSV")
    return Target(data, poll, poll)


async def reopen_target(scene: Scene) -> Target:
    poll = await _poll(scene)
    await close_by_button(scene.bot, scene.fiona, poll)
    results = scene.bot.last(scene.group)
    data = encode(Action.REOPEN, await _only(scene, Poll.id))
    assert data == button(results, "Reopen poll")
    return Target(data, results, results)


async def poll_settings_target(scene: Scene) -> Target:
    await scene.bot.say(scene.fiona, scene.group, "/pollsettings")
    settings = scene.bot.last(scene.group)
    data = encode(Action.POLL_SETTINGS, scene.group_id, 1)  # everyone may create polls
    assert data == button(settings, "Everyone")
    return Target(data, settings, settings, (encode(Action.POLL_SETTINGS, scene.group_id, 0),))


async def group_language_target(scene: Scene) -> Target:
    await scene.bot.say(scene.fiona, scene.group, "/grouplanguage")
    settings = scene.bot.last(scene.group)
    data = encode(Action.GROUP_LANGUAGE, scene.group_id, 1)  # Polish
    assert data == button(settings, "Polski")
    return Target(data, settings, settings, (encode(Action.GROUP_LANGUAGE, scene.group_id, 2),))


async def feedback_settings_target(scene: Scene) -> Target:
    await scene.bot.say(scene.fiona, scene.group, "/feedbacksettings")
    settings = scene.bot.last(scene.group)
    direct = DELIVERIES.index(Delivery.DIRECT)
    real = [b.data for b in settings.all_buttons() if b.data]
    hour = next(p.args[2] for p in map(decode, real) if p is not None and p.args[1] == direct)
    data = encode(Action.FEEDBACK_SETTINGS, scene.group_id, direct, hour)
    assert data in real
    digest = encode(Action.FEEDBACK_SETTINGS, scene.group_id, DELIVERIES.index(Delivery.DIGEST), 9)
    return Target(data, settings, settings, (digest,))


async def meeting_cancel_target(scene: Scene) -> Target:
    occurrence = await _meeting(scene)
    await scene.bot.say(scene.fiona, scene.group, "/cancelmeeting 1")
    ask = scene.bot.last(scene.group)
    data = encode(Action.MEETING_CANCEL, occurrence, 1)  # cancel this date
    assert data == button(ask, "Cancel this date")
    # "Keep it" (0) would still rewrite the question; the series (2) is refused just the same.
    others = (
        encode(Action.MEETING_CANCEL, occurrence, 0),
        encode(Action.MEETING_CANCEL, occurrence, 2),
    )
    return Target(data, ask, ask, others)


async def meeting_move_target(scene: Scene) -> Target:
    occurrence = await _meeting(scene)
    await scene.bot.say(scene.fiona, scene.group, f"/movemeeting 1 | {_typed(9, 15)}")
    ask = scene.bot.last(scene.group)
    real = decode(button(ask, "Move this date"))
    assert real is not None and real.args[:2] == (occurrence, 1)
    data = encode(Action.MEETING_MOVE, occurrence, 1, real.args[2])
    others = tuple(encode(Action.MEETING_MOVE, occurrence, scope, real.args[2]) for scope in (0, 2))
    return Target(data, ask, ask, others)


async def feedback_decide_target(scene: Scene) -> Target:
    # Moderated (the default): Mel's feedback waits for Fiona in her private chat.
    await send_feedback(scene.bot, scene.intruders[Intruder.MEMBER], "More evening sessions")
    moderation = scene.bot.last(scene.bot.private(scene.fiona))
    item = await _only(scene, Feedback.id)
    data = encode(Action.FEEDBACK_DECIDE, item, 1)  # publish
    assert data == button(moderation, "Publish")
    reject = encode(Action.FEEDBACK_DECIDE, item, 0)
    return Target(data, scene.welcome, moderation, (reject,))


async def urgent_seen_target(scene: Scene) -> Target:
    # A crisis in Mel's feedback: Fiona's copy carries "I've seen this".
    await send_feedback(scene.bot, scene.intruders[Intruder.MEMBER], "I want to die")
    copy = scene.bot.last(scene.bot.private(scene.fiona))
    item = await _only(scene, Feedback.id)
    data = encode(Action.URGENT_SEEN, item)
    assert data == button(copy, "seen this")
    return Target(data, scene.welcome, copy)


async def urgent_mute_target(scene: Scene) -> Target:
    # A crisis in Mel's feedback: Fiona's copy carries "Mute this sender".
    await send_feedback(scene.bot, scene.intruders[Intruder.MEMBER], "I want to die")
    copy = scene.bot.last(scene.bot.private(scene.fiona))
    data = button(copy, "Mute this sender")
    real = decode(data)
    assert real is not None and real.args[0] == await _only(scene, Feedback.id)
    return Target(data, scene.welcome, copy)


async def reply_start_target(scene: Scene) -> Target:
    # Mel's feedback lets facilitators reply: Fiona's copy carries "Reply privately".
    bot, mel = scene.bot, scene.intruders[Intruder.MEMBER]
    await bot.say(mel, bot.private(mel), "/feedback")
    await bot.say(mel, bot.private(mel), "More evening sessions")
    await bot.press(
        mel, bot.last(bot.private(mel)), text="Let the organisers reply to me privately"
    )
    await bot.press(mel, bot.last(bot.private(mel)), text="Send")
    copy = bot.last(bot.private(scene.fiona))
    item = await _only(scene, Feedback.id)
    data = encode(Action.REPLY_START, item)
    assert data == button(copy, "Reply privately")
    return Target(data, scene.welcome, copy)


async def _outcome_pick(scene: Scene) -> tuple[FakeMessage, int]:
    """A closed poll, and Fiona's private list from /outcome."""
    poll = await _poll(scene)
    await close_by_button(scene.bot, scene.fiona, poll)
    await scene.bot.say(scene.fiona, scene.group, "/outcome")
    return scene.bot.last(scene.bot.private(scene.fiona)), await _only(scene, Poll.id)


async def outcome_pick_target(scene: Scene) -> Target:
    listing, poll_id = await _outcome_pick(scene)
    data = encode(Action.OUTCOME_PICK, 1, poll_id)
    assert data == button(listing, "Poll:")
    return Target(data, scene.welcome, listing)


async def outcome_status_target(scene: Scene) -> Target:
    listing, poll_id = await _outcome_pick(scene)
    await scene.bot.press(scene.fiona, listing, text=button_text(listing, "Poll:"))
    asking = scene.bot.last(scene.bot.private(scene.fiona))
    data = encode(Action.OUTCOME_STATUS, 1, poll_id, 2)  # Done
    assert data == button(asking, "Done")
    others = tuple(encode(Action.OUTCOME_STATUS, 1, poll_id, s) for s in (0, 1, 3))
    return Target(data, scene.welcome, asking, others)


async def _outcome_at_owner(scene: Scene) -> tuple[FakeMessage, int]:
    listing, poll_id = await _outcome_pick(scene)
    await scene.bot.press(scene.fiona, listing, text=button_text(listing, "Poll:"))
    await scene.bot.press(scene.fiona, scene.bot.last(scene.bot.private(scene.fiona)), text="Done")
    return scene.bot.last(scene.bot.private(scene.fiona)), poll_id


async def outcome_skip_target(scene: Scene) -> Target:
    asking, poll_id = await _outcome_at_owner(scene)
    data = encode(Action.OUTCOME_SKIP, 1, poll_id)
    assert data == button(asking, "Skip")
    return Target(data, scene.welcome, asking)


async def outcome_review_target(scene: Scene) -> Target:
    asking, poll_id = await _outcome_at_owner(scene)
    await scene.bot.press(scene.fiona, asking, text="Skip")
    review = scene.bot.last(scene.bot.private(scene.fiona))
    data = encode(Action.OUTCOME_REVIEW, 1, poll_id, 30)
    assert data == button(review, "In a month")
    return Target(data, scene.welcome, review)


async def outcome_monthly_target(scene: Scene) -> Target:
    await scene.bot.say(scene.fiona, scene.group, "/yousaid")
    board = scene.bot.last(scene.group)
    data = encode(Action.OUTCOME_MONTHLY, scene.group_id, 1)
    assert data == button(board, "Monthly digest")
    return Target(data, board, board)


def button_text(message: FakeMessage, starts: str) -> str:
    return next(b.text for b in message.all_buttons() if b.text.startswith(starts))


async def meeting_confirm_target(scene: Scene) -> Target:
    bot = scene.bot
    await bot.say(scene.fiona, scene.group, f"/meeting {_typed(7)} | Planning group")
    confirmation = bot.last(scene.group)
    # Demi types one while still an admin; Olga has one of her own, for her group.
    demi, olga = scene.intruders[Intruder.DEMOTED], scene.intruders[Intruder.OTHER_FACILITATOR]
    await bot.say(demi, scene.group, f"/meeting {_typed(8)} | Demi's meeting")
    demis = button(bot.last(scene.group), "Save")
    await bot.say(olga, scene.other, f"/meeting {_typed(8)} | Olga's meeting")
    return Target(
        button(confirmation, "Save"), confirmation, confirmation, own={Intruder.DEMOTED: demis}
    )


async def wizard_target(scene: Scene) -> Target:
    bot = scene.bot
    post = await _wizard_at_post(bot, scene.fiona, scene.group)
    demi, olga = scene.intruders[Intruder.DEMOTED], scene.intruders[Intruder.OTHER_FACILITATOR]
    demis = button(await _wizard_at_post(bot, demi, scene.group), "Post")
    await _wizard_at_post(bot, olga, scene.other)  # her own draft, for her own group, posted
    return Target(button(post, "Post"), scene.welcome, post, own={Intruder.DEMOTED: demis})


async def pin_target(scene: Scene) -> Target:
    """The bot made an admin (so it may pin), then someone arrives: the welcome offers a pin."""
    scene.bot.tg.make_bot_admin(scene.group)
    scene.bot.tg.add_member(scene.group, scene.bot.tg.create_user("Newcomer"))
    await scene.bot.deliver()
    welcome = scene.bot.last(scene.group)
    data = encode(Action.PIN, scene.group_id)
    assert data == button(welcome, "Pin this message")
    return Target(data, welcome, welcome)


async def _report_choices(scene: Scene) -> FakeMessage:
    await scene.bot.say(scene.fiona, scene.group, "/report")
    return scene.bot.last(scene.bot.private(scene.fiona))


async def report_period_target(scene: Scene) -> Target:
    choices = await _report_choices(scene)
    data = encode(Action.REPORT_PERIOD, scene.group_id, 0)
    assert data == button(choices, "Last month")
    variants = tuple(encode(Action.REPORT_PERIOD, scene.group_id, c) for c in (1, 2, 3))
    return Target(data, scene.welcome, choices, variants)


async def report_group_target(scene: Scene) -> Target:
    # The facilitator's private /report names one group; the group button is forged for it.
    choices = await _report_choices(scene)
    return Target(encode(Action.REPORT_GROUP, scene.group_id), scene.welcome, choices)


async def _involvement_settings(scene: Scene) -> FakeMessage:
    await scene.bot.say(scene.fiona, scene.group, "/involvement")
    return scene.bot.last(scene.bot.private(scene.fiona))


async def involvement_switch_target(scene: Scene) -> Target:
    settings = await _involvement_settings(scene)
    data = encode(Action.INVOLVEMENT_SWITCH, scene.group_id, 1)
    assert data == button(settings, "Switch on")
    return Target(
        data, scene.welcome, settings, (encode(Action.INVOLVEMENT_SWITCH, scene.group_id, 0),)
    )


async def involvement_export_target(scene: Scene) -> Target:
    settings = await _involvement_settings(scene)
    data = encode(Action.INVOLVEMENT_EXPORT, scene.group_id)
    assert data == button(settings, "Export for payment")
    return Target(data, scene.welcome, settings)


async def _recording_with_one_chosen(scene: Scene) -> tuple[FakeMessage, int, int]:
    """The record switched on, a meeting planned, and the member chose to be recorded: the
    facilitator's settings message, the meeting date's id and the member's record id."""
    settings = await _involvement_settings(scene)
    await scene.bot.press(scene.fiona, settings, text="Switch on")
    occurrence = await _meeting(scene)
    member = scene.intruders[Intruder.MEMBER]
    dm = scene.bot.private(member)
    await scene.bot.say(member, dm, "/involvement")
    await scene.bot.press(member, scene.bot.last(dm), text=button_text(scene.bot.last(dm), "Use"))
    await scene.bot.press(member, scene.bot.last(dm), text="I want payment")
    person = await _only(scene, InvolvementPerson.id)
    return settings, occurrence, person


async def attendance_meetings_target(scene: Scene) -> Target:
    settings, _, _ = await _recording_with_one_chosen(scene)
    data = encode(Action.ATTENDANCE_MEETINGS, scene.group_id)
    assert data == button(settings, "Mark who took part")
    return Target(data, scene.welcome, settings)


async def attendance_people_target(scene: Scene) -> Target:
    settings, occurrence, _ = await _recording_with_one_chosen(scene)
    return Target(encode(Action.ATTENDANCE_PEOPLE, occurrence), scene.welcome, settings)


async def attendance_mark_target(scene: Scene) -> Target:
    settings, occurrence, person = await _recording_with_one_chosen(scene)
    parts = (person >> 42, (person >> 21) & (2**21 - 1), person & (2**21 - 1))
    return Target(encode(Action.ATTENDANCE_MARK, occurrence, *parts), scene.welcome, settings)


@dataclass(frozen=True)
class ButtonCase:
    action: Action
    prepare: Callable[[Scene], Awaitable[Target]]
    expect: frozenset[Effect]  # what the facilitator's own press does


BUTTON_CASES = [
    # Its answer is an alert only the presser sees: nothing else changes, so the check is that
    # every intruder is refused (no role words reach them).
    ButtonCase(Action.TURNOUT, turnout_target, frozenset()),
    ButtonCase(Action.CLOSE, close_target, frozenset({Effect.GROUP, Effect.BUTTONS})),
    ButtonCase(
        Action.CLOSE_CONFIRM, close_confirm_target, frozenset({Effect.DATABASE, Effect.GROUP})
    ),
    ButtonCase(Action.EXPORT, export_target, frozenset({Effect.DOCUMENT, Effect.PRIVATE})),
    ButtonCase(Action.REOPEN, reopen_target, frozenset({Effect.DATABASE, Effect.GROUP})),
    ButtonCase(
        Action.POLL_SETTINGS, poll_settings_target, frozenset({Effect.DATABASE, Effect.GROUP})
    ),
    ButtonCase(
        Action.GROUP_LANGUAGE, group_language_target, frozenset({Effect.DATABASE, Effect.GROUP})
    ),
    ButtonCase(
        Action.FEEDBACK_SETTINGS,
        feedback_settings_target,
        frozenset({Effect.DATABASE, Effect.GROUP}),
    ),
    ButtonCase(
        Action.MEETING_CANCEL, meeting_cancel_target, frozenset({Effect.DATABASE, Effect.GROUP})
    ),
    ButtonCase(
        Action.MEETING_MOVE, meeting_move_target, frozenset({Effect.DATABASE, Effect.GROUP})
    ),
    ButtonCase(
        Action.FEEDBACK_DECIDE, feedback_decide_target, frozenset({Effect.DATABASE, Effect.GROUP})
    ),
    ButtonCase(
        Action.OUTCOME_PICK, outcome_pick_target, frozenset({Effect.PRIVATE, Effect.BUTTONS})
    ),
    ButtonCase(
        Action.OUTCOME_STATUS, outcome_status_target, frozenset({Effect.PRIVATE, Effect.BUTTONS})
    ),
    ButtonCase(
        Action.OUTCOME_SKIP, outcome_skip_target, frozenset({Effect.PRIVATE, Effect.BUTTONS})
    ),
    ButtonCase(
        Action.OUTCOME_REVIEW,
        outcome_review_target,
        frozenset({Effect.DATABASE, Effect.GROUP, Effect.PRIVATE}),
    ),
    ButtonCase(
        Action.OUTCOME_MONTHLY,
        outcome_monthly_target,
        frozenset({Effect.DATABASE, Effect.GROUP, Effect.BUTTONS}),
    ),
    ButtonCase(Action.REPLY_START, reply_start_target, frozenset({Effect.PRIVATE, Effect.BUTTONS})),
    ButtonCase(
        Action.URGENT_SEEN, urgent_seen_target, frozenset({Effect.DATABASE, Effect.PRIVATE})
    ),
    ButtonCase(
        Action.URGENT_MUTE, urgent_mute_target, frozenset({Effect.DATABASE, Effect.PRIVATE})
    ),
    ButtonCase(
        Action.MEETING_CONFIRM, meeting_confirm_target, frozenset({Effect.DATABASE, Effect.GROUP})
    ),
    ButtonCase(Action.WIZARD, wizard_target, frozenset({Effect.DATABASE, Effect.GROUP})),
    ButtonCase(Action.PIN, pin_target, frozenset({Effect.GROUP})),
    ButtonCase(
        Action.REPORT_PERIOD, report_period_target, frozenset({Effect.DOCUMENT, Effect.PRIVATE})
    ),
    ButtonCase(Action.REPORT_GROUP, report_group_target, frozenset({Effect.BUTTONS})),
    ButtonCase(
        Action.INVOLVEMENT_SWITCH,
        involvement_switch_target,
        frozenset({Effect.DATABASE, Effect.BUTTONS}),
    ),
    ButtonCase(Action.INVOLVEMENT_EXPORT, involvement_export_target, frozenset({Effect.PRIVATE})),
    # The facilitator's own presses rewrite their private message (the meeting planned in the
    # scene is still ahead, so marking it records nothing: tests/e2e/test_involvement.py
    # shows a mark recorded).
    ButtonCase(Action.ATTENDANCE_MEETINGS, attendance_meetings_target, frozenset({Effect.PRIVATE})),
    ButtonCase(
        Action.ATTENDANCE_PEOPLE,
        attendance_people_target,
        frozenset({Effect.PRIVATE, Effect.BUTTONS}),
    ),
    ButtonCase(
        Action.ATTENDANCE_MARK, attendance_mark_target, frozenset({Effect.PRIVATE, Effect.BUTTONS})
    ),
]


def _press_place(scene: Scene, intruder: Intruder, where: Where, here: FakeMessage) -> int:
    """The message the forged press goes on: the real button's in the target group, the
    other group's welcome, or the latest bot message in the intruder's private chat."""
    if where is Where.HERE:
        return here.message_id
    if where is Where.OTHER_GROUP:
        return scene.other_welcome.message_id
    return scene.bot.last(scene.chat(where, intruder)).message_id


@pytest.mark.parametrize("case", BUTTON_CASES, ids=[c.action.name.lower() for c in BUTTON_CASES])
async def test_facilitator_buttons_are_refused_to_everyone_else(
    bot: SandboxBot, case: ButtonCase, caplog: pytest.LogCaptureFixture
) -> None:
    """Each intruder x each place x each choice of the button (and their own such button,
    where they have one)."""
    scene = await build_scene(bot)
    target = await case.prepare(scene)
    scene.demote()
    await settle(bot)
    failures: list[str] = []
    before = await mark(bot)
    for intruder, user in scene.intruders.items():
        own = [target.own[intruder]] if intruder in target.own else []
        for data in [target.data, *target.variants, *own]:
            for where in Where:
                chat = scene.chat(where, intruder)
                message_id = _press_place(scene, intruder, where, target.here)
                answer = await bot.press_raw(user, chat, message_id, data)
                trace = await footprint(bot, before, answer)
                before = trace.after
                problems = refusal_problems(trace, acting_chat=chat, pressed=True)
                if problems:
                    failures.append(f"{intruder} pressing {data!r} in {where}: {problems}")
    assert not failures, "\n".join(failures)

    # The same press by the facilitator does what it is for: the refusals were the check's.
    answer = await bot.press_raw(
        scene.fiona, bot.tg.chats[target.control.chat_id], target.control.message_id, target.data
    )
    done = effects(await footprint(bot, before, answer), scene.group)
    assert case.expect <= done, f"the facilitator's own press did only {done}"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# ---------------------------------------------------------------- the commands


@dataclass(frozen=True)
class CommandCase:
    name: str
    text: str
    expect: frozenset[Effect]  # what the facilitator's own command does
    prepare: Callable[[Scene], Awaitable[FakeMessage | None]] | None = None  # /close's reply
    shows: str | None = None  # in the facilitator's answer; never in a refusal

    @property
    def command(self) -> str:
        return self.text.split()[0].removeprefix("/")


async def _open_poll(scene: Scene) -> FakeMessage | None:
    return await _poll(scene)


async def _closed_poll(scene: Scene) -> FakeMessage | None:
    poll = await _poll(scene)
    await close_by_button(scene.bot, scene.fiona, poll)
    return None


async def _planned_meeting(scene: Scene) -> FakeMessage | None:
    await _meeting(scene)
    return None


COMMAND_CASES = [
    CommandCase("close", "/close", frozenset({Effect.DATABASE, Effect.GROUP}), _open_poll),
    CommandCase(
        "members", "/members", frozenset({Effect.GROUP, Effect.PRIVATE}), shows="Who has joined"
    ),
    CommandCase("decisions", "/decisions", frozenset({Effect.DOCUMENT}), _closed_poll),
    CommandCase(
        "outcome",
        "/outcome",
        frozenset({Effect.GROUP, Effect.PRIVATE, Effect.BUTTONS}),
        _closed_poll,
    ),
    CommandCase("pollsettings", "/pollsettings", frozenset({Effect.GROUP, Effect.BUTTONS})),
    CommandCase("feedbacksettings", "/feedbacksettings", frozenset({Effect.GROUP, Effect.BUTTONS})),
    CommandCase("grouplanguage", "/grouplanguage", frozenset({Effect.GROUP, Effect.BUTTONS})),
    CommandCase(
        "meeting_line",
        f"/meeting {_typed(7)} | Planning group",
        frozenset({Effect.DATABASE, Effect.BUTTONS}),
    ),
    CommandCase("meeting_link", "/meeting", frozenset({Effect.GROUP, Effect.BUTTONS})),
    CommandCase("cancelmeeting", "/cancelmeeting 1", frozenset({Effect.BUTTONS}), _planned_meeting),
    CommandCase(
        "movemeeting",
        f"/movemeeting 1 | {_typed(9, 15)}",
        frozenset({Effect.BUTTONS}),
        _planned_meeting,
    ),
    CommandCase("reminders", "/reminders 2 days", frozenset({Effect.DATABASE})),
    CommandCase("timezone", "/timezone Europe/Paris", frozenset({Effect.DATABASE})),
    CommandCase(
        "poll", "/poll Meet on Fridays? | Yes | No", frozenset({Effect.DATABASE, Effect.GROUP})
    ),
    CommandCase("newpoll", "/newpoll", frozenset({Effect.GROUP, Effect.BUTTONS})),
    CommandCase("report", "/report", frozenset({Effect.GROUP, Effect.PRIVATE, Effect.BUTTONS})),
    CommandCase(
        "involvement", "/involvement", frozenset({Effect.GROUP, Effect.PRIVATE, Effect.BUTTONS})
    ),
]


@pytest.mark.parametrize("case", COMMAND_CASES, ids=[c.name for c in COMMAND_CASES])
async def test_facilitator_commands_are_refused_to_everyone_else(
    bot: SandboxBot, case: CommandCase, caplog: pytest.LogCaptureFixture
) -> None:
    """Each intruder, wherever they can type: in the group (members), in another group where
    they are not an admin, and in their private chat."""
    scene = await build_scene(bot)
    reply_to = None if case.prepare is None else await case.prepare(scene)
    scene.demote()
    await settle(bot)
    failures: list[str] = []
    before = await mark(bot)
    for intruder, user in scene.intruders.items():
        for where in scene.command_places(intruder):
            chat = scene.chat(where, intruder)
            replying = reply_to if where is Where.HERE else None
            await bot.say(user, chat, case.text, reply_to=replying)
            trace = await footprint(bot, before)
            before = trace.after
            problems = refusal_problems(trace, acting_chat=chat, pressed=False)
            if case.shows is not None and [t for t in reply_texts(trace) if case.shows in t]:
                problems.append(f"the answer shows {case.shows!r}")
            if problems:
                failures.append(f"{intruder} typing {case.text!r} in {where}: {problems}")
    assert not failures, "\n".join(failures)

    await bot.say(scene.fiona, scene.group, case.text, reply_to=reply_to)
    trace = await footprint(bot, before)
    done = effects(trace, scene.group)
    assert case.expect <= done, f"the facilitator's own {case.text!r} did only {done}"
    if case.shows is not None:
        assert [t for t in reply_texts(trace) if case.shows in t]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# ---------------------------------------------------------------- the set-up links


@dataclass(frozen=True)
class LinkCase:
    name: str
    command: str  # what the facilitator types in the group to get the link


LINK_CASES = [LinkCase("meeting_setup", "/meeting"), LinkCase("poll_setup", "/newpoll")]


@pytest.mark.parametrize("case", LINK_CASES, ids=[c.name for c in LINK_CASES])
async def test_facilitators_set_up_links_are_refused_to_everyone_else(
    bot: SandboxBot, case: LinkCase, caplog: pytest.LogCaptureFixture
) -> None:
    """The link is posted in the group, so every member can follow it: it must not let them
    set anything up. (Forged or edited payloads: test_poll_wizard, test_membership.)"""
    scene = await build_scene(bot)
    await bot.say(scene.fiona, scene.group, case.command)
    payload = _payload(bot.last(scene.group))
    scene.demote()
    failures: list[str] = []
    before = await mark(bot)
    for intruder, user in scene.intruders.items():
        await bot.start(user, payload)
        trace = await footprint(bot, before)
        before = trace.after
        problems = refusal_problems(trace, acting_chat=bot.private(user), pressed=False)
        if problems:
            failures.append(f"{intruder} following the {case.name} link: {problems}")
    assert not failures, "\n".join(failures)

    await bot.start(scene.fiona, payload)
    done = effects(await footprint(bot, before), scene.group)
    assert {Effect.DATABASE, Effect.PRIVATE} <= done, done
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("fault", ["500", "timeout"])
async def test_a_demoted_facilitator_is_refused_while_telegram_cannot_list_the_admins(
    bot: SandboxBot, fault: Literal["500", "timeout"]
) -> None:
    """Past the cache's two minutes, a failed getChatAdministrators must not fall back on the
    old list of admins: that would keep a demoted facilitator's rights for as long as
    Telegram fails. The press gets an apology instead, and nothing changes."""
    scene = await build_scene(bot)
    target = await close_confirm_target(scene)  # "Yes, close it now"
    scene.demote()
    await settle(bot)
    demi = scene.intruders[Intruder.DEMOTED]
    before = await mark(bot)
    bot.tg.faults.inject("getChatAdministrators", fault)
    answer = await bot.press_raw(demi, scene.group, target.here.message_id, target.data)
    trace = await footprint(bot, before, answer)
    assert trace.changed_tables == [], trace.changed_tables
    assert trace.sent() == [], trace.sent()
    assert answer is not None and answer.get("text")

    # Telegram answers again: the facilitator closes the poll.
    answer = await bot.press_raw(scene.fiona, scene.group, target.here.message_id, target.data)
    assert Effect.DATABASE in effects(await footprint(bot, trace.after, answer), scene.group)


# ---------------------------------------------------------------- feedback's reach


def _chat(params: dict[str, object]) -> int:
    return int(str(params.get("chat_id")))


def _feedback_link(message: FakeMessage) -> str:
    url = next(b.url for b in message.all_buttons() if b.url and "feedback" in b.text.lower())
    assert url is not None
    return url.split("?start=", 1)[1]


async def test_feedback_reaches_only_the_senders_groups(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Forged group choices, the group's own link, a forged Send, leaving the group with a
    preview open: nothing reaches a group from anyone who is not in it with a role."""
    scene = await build_scene(bot)
    tg, group = bot.tg, scene.group
    settings = await feedback_settings_target(scene)  # straight to the group: the worst case
    await bot.press(scene.fiona, settings.control, data=settings.data)
    pat, lee, max_ = tg.create_user("Pat"), tg.create_user("Lee"), tg.create_user("Max")
    for user in (pat, lee, max_):
        tg.add_member(group, user)
    await bot.deliver()
    await bot.start(pat)  # in the chat, never joined with a role
    await join(bot, lee, scene.welcome, "Carer")
    await join(bot, max_, scene.welcome, "Staff")
    tg.remove_member(group, lee)  # left the group (her role goes with it)
    await bot.deliver()
    nora = scene.intruders[Intruder.OUTSIDER]  # in the other group only
    olga = scene.intruders[Intruder.OTHER_FACILITATOR]  # has no role in her own group
    # Max begins while in the group, and leaves before pressing Send.
    await bot.say(max_, bot.private(max_), "/feedback")
    await bot.say(max_, bot.private(max_), "Secret words from Max")
    preview = bot.last(bot.private(max_))
    tg.remove_member(group, max_)
    await bot.deliver()
    await settle(bot)

    forged_choice = encode(Action.FEEDBACK_GROUP, scene.group_id)
    forged_other = encode(Action.FEEDBACK_GROUP, await group_id_of(bot, scene.other))
    before = await mark(bot)
    for user in (nora, pat, lee):
        await bot.press_raw(
            user, bot.private(user), bot.last(bot.private(user)).message_id, forged_choice
        )
        await bot.say(user, bot.private(user), f"Secret words from {user.first_name}")
        for serial in range(1, 4):
            chat = bot.private(user)
            await bot.press_raw(
                user, chat, bot.last(chat).message_id, encode(Action.FEEDBACK_SEND, serial)
            )
        await bot.start(user, _feedback_link(scene.welcome))
        await bot.say(user, bot.private(user), "/feedback")
    await bot.press_raw(
        olga, bot.private(olga), bot.last(bot.private(olga)).message_id, forged_other
    )
    answer = await bot.press(max_, preview, text="Send")
    assert answer is not None and answer.get("text")
    trace = await footprint(bot, before)

    assert trace.changed_tables == [], trace.changed_tables
    assert {_chat(p) for _, p in trace.sent()} <= {u.id for u in (nora, pat, lee, olga, max_)}
    for chat_id in (group.id, scene.other.id, scene.fiona.id):
        texts = [m.text or "" for m in tg.messages(chat_id)]
        assert not [t for t in texts if "Secret words" in t], chat_id
    for user in (nora, pat, lee, max_):  # each was told why, in plain words
        told = [m.text or "" for m in tg.messages(bot.private(user))]
        assert [t for t in told if "Only members of that group" in t], user.first_name
    assert not tg.unanswered_callbacks()

    # Someone in the group with a role: it reaches the group at once.
    reply = await send_feedback(bot, scene.intruders[Intruder.MEMBER], "Secret words from Mel")
    assert "Sent" in reply or "sent" in reply, reply
    assert [t for t in posted(bot, Circle(group, scene.fiona)) if "Secret words from Mel" in t]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_waiting_feedback_goes_only_to_a_facilitator_who_opens_the_chat(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Feedback that reached no facilitator goes to the first one who opens a private chat:
    not to a member, an admin of another group, or a demoted admin doing the same."""
    tg = bot.tg
    clock = install_clock(bot)
    fiona, demi, mel = tg.create_user("Fiona"), tg.create_user("Demi"), tg.create_user("Mel")
    olga, pat = tg.create_user("Olga"), tg.create_user("Pat")
    group = tg.create_group("Co-production", members=[mel, olga, pat], admins=[fiona, demi])
    other = tg.create_group("Carers' circle", admins=[olga])
    await bot.add_to_group(group, by=fiona)
    await bot.add_to_group(other, by=olga)
    await join(bot, mel, bot.last(group), "Service user")
    await send_feedback(bot, mel, "Waiting words")  # moderated: no facilitator can be reached
    async with bot.uow() as uow:
        assert list(await uow.session.scalars(select(Feedback.reached_facilitators))) == [False]
    group.statuses[demi.id] = "member"
    clock.advance(ADMIN_CACHE_SECONDS + 1)

    before = await mark(bot)
    for user in (olga, pat, demi):
        await bot.start(user)
    trace = await footprint(bot, before)
    assert trace.changed_tables == [], trace.changed_tables
    for user in (olga, pat, demi):
        assert not [m for m in tg.messages(bot.private(user)) if "Waiting words" in (m.text or "")]

    await bot.start(fiona)
    assert [m for m in tg.messages(bot.private(fiona)) if "Waiting words" in (m.text or "")]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# ---------------------------------------------------------------- coverage of the audit


async def test_every_action_and_command_is_classified(bot: SandboxBot) -> None:
    assert not FACILITATOR_ACTIONS & MEMBER_ACTIONS
    assert set(Action) == FACILITATOR_ACTIONS | MEMBER_ACTIONS, (
        "classify the new Action above: facilitator-only, or open to members and why"
    )
    assert not FACILITATOR_COMMANDS & MEMBER_COMMANDS
    assert registered_commands(bot) == FACILITATOR_COMMANDS | MEMBER_COMMANDS, (
        "classify the new command above: facilitator-only, or open to members and why"
    )


def test_the_audit_covers_every_facilitator_action() -> None:
    assert {case.action for case in BUTTON_CASES} == FACILITATOR_ACTIONS
    assert {case.command for case in COMMAND_CASES} == FACILITATOR_COMMANDS


async def test_a_demoted_facilitator_is_not_sent_feedback_while_telegram_cannot_list_admins(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture
) -> None:
    """An expired admin list is not used to route feedback text when Telegram fails: the
    item waits for the sweep instead, and then goes only to today's facilitators."""
    tg = bot.tg
    clock = install_clock(bot)
    fiona, demi, mel = tg.create_user("Fiona"), tg.create_user("Demi"), tg.create_user("Mel")
    group = tg.create_group("Co-production", members=[mel], admins=[fiona, demi])
    await bot.add_to_group(group, by=fiona)
    await join(bot, mel, bot.last(group), "Service user")
    for admin in (fiona, demi):
        await bot.start(admin)
    await send_feedback(bot, mel, "First words")  # lists the admins: Fiona and Demi
    assert all(
        [m for m in tg.messages(bot.private(a)) if "First words" in (m.text or "")]
        for a in (fiona, demi)
    )
    group.statuses[demi.id] = "member"
    clock.advance(ADMIN_CACHE_SECONDS + 1)
    tg.faults.inject("getChatAdministrators", "500")
    await send_feedback(bot, mel, "Second words")
    for admin in (fiona, demi):  # nobody yet: the list could not be checked
        assert not [m for m in tg.messages(bot.private(admin)) if "Second" in (m.text or "")]
    await feedback_sweep.sweep(context_of(bot))
    assert [m for m in tg.messages(bot.private(fiona)) if "Second words" in (m.text or "")]
    assert not [m for m in tg.messages(bot.private(demi)) if "Second words" in (m.text or "")]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
