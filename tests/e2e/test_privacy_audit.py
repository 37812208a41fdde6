"""The privacy audit (issue 8, point 7; DESIGN section 3; docs/PRIVACY.md).

One scenario through the real Application uses every feature with distinctive people (ids
7000000001 onwards, usernames audit_user_*) and distinctive texts. Then every table (reflected
from the database, so a new table is audited without being listed here) and every log record
captured at DEBUG are searched for those people:

- no row and no log line names a participant beside a role, a choice, an RSVP or feedback;
  in fact no row names a participant at all, and neither does any log line;
- no feedback text, reason or private agenda item is in any log line;
- a pseudonym (keyed hash) beside a role, a choice or an RSVP joins to no other row, and
  feedback rows hold none;
- on SQLite, the database files themselves (with the WAL and freed pages) hold no id;
- what the group and a facilitator are sent names nobody.

Each detector is shown to fire on a planted row, a planted log line and on what the Telegram
library logs when its floor (bot/logs.py) is lifted, so a silent detector cannot pass.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select, update

from bot.domain.keyed_hash import ballot_key, key_fingerprint, member_key, person_key
from bot.domain.roles import Role
from bot.harness import NoRateLimits, SandboxBot
from bot.logs import _FLOORS, hold_back_library_logs
from bot.rate_limits import SHARED_GROUP, SHARED_OVERALL
from bot.sandbox import FakeChat, FakeMessage, FakeTelegram, FakeUser
from bot.sandbox.flood import FloodLimits
from bot.scheduling import feedback_sweep, poll_jobs
from bot.scheduling.meeting_jobs import dispatch_due
from bot.sealing import unseal_chat
from bot.services import groups
from bot.views.callbacks import Action, decode, encode
from bot.views.poll_wizard import POST_WITH_NOTICE
from storage import migrate
from storage.deployment_key import claim_fingerprint
from storage.engine import create_engine
from storage.models import Feedback, Membership, Poll, PollDraft
from storage.shared_limits import SharedPace
from storage.unlinking import UNLINKED
from tests.conftest import make_settings, spec_path
from tests.e2e.feedback_helpers import posted, send_feedback, set_delivery, write
from tests.e2e.meeting_helpers import plan_meeting, reminders_in
from tests.e2e.poll_helpers import (
    Circle,
    ask_members,
    button,
    close_by_button,
    context_of,
    end_reopen_windows,
    results_posts,
    shown,
)
from tests.e2e.privacy_helpers import (
    Identity,
    Row,
    dump_rows,
    dump_tables,
    keyed_hashes,
    markers_in,
    named,
    render,
    row_text,
    sqlite_files,
    table_names,
)
from tests.e2e.test_meetings import _in_days, _typed
from tests.e2e.test_poll_wizard import open_wizard

ROLE_BUTTON = {Role.SERVICE_USER: "Service user", Role.CARER: "Carer", Role.STAFF: "Staff"}
# Who takes part, and the role each first joins with (Dave joins as a carer and changes to
# staff with /role; Fiona facilitates: she is the group's Telegram admin, and joins as staff).
CAST: tuple[tuple[str, Role], ...] = (
    ("fiona", Role.STAFF),
    ("alice", Role.SERVICE_USER),
    ("sami", Role.SERVICE_USER),
    ("uma", Role.SERVICE_USER),
    ("carla", Role.CARER),
    ("cody", Role.CARER),
    ("clara", Role.CARER),
    ("stan", Role.STAFF),
    ("sue", Role.STAFF),
    ("dave", Role.CARER),
)

SNACKS = ("Kiwi-Option", "Mango-Option", "Plum-Option")
DAYS = ("Day-Alpha", "Day-Beta", "Day-Gamma")
FEEDBACK = {
    "moderated": "Audit feedback quokka: the waiting room chairs are broken",
    "rejected": "Audit feedback axolotl: please do not post this one",
    "tagged": "Audit feedback pangolin: please send the agenda earlier",
    "crisis": "Audit feedback ocelot: I want to kill myself",
    "direct": "Audit feedback tapir: thank you for the new rota",
    "digest": "Audit feedback wombat: could we have more evening sessions",
}
REASONS = {
    "block": "Audit reason narwhal: the venue has no lift",
    "disagree": "Audit reason ibex: it costs too much",
}
AGENDA = "Audit agenda lemur: bus fares"
# Text written privately: never in a log line, whole or in part.
PRIVATE_TEXTS = (
    *FEEDBACK.values(),
    *REASONS.values(),
    AGENDA,
    *("quokka", "axolotl", "pangolin", "ocelot", "tapir", "wombat", "narwhal", "ibex", "lemur"),
)
ROLE_WORDS = ("service_user", "service user", "carer", "staff")
# The name Alice chose for the involvement record (payroll's, not her Telegram name): the one
# place the database holds a name, because she chose it; it must appear nowhere else.
PAYROLL_NAME = "Alison Payroll-Record"
RSVP_WORDS = ("Coming", "Maybe", "Can't come", "rsvp")
# A row or line holding any of these says something about a person (a role, a choice, an
# answer, feedback): it must not name anyone.
MARKERS = (
    *ROLE_WORDS,
    *SNACKS,
    *DAYS,
    "Agree",
    "Disagree",
    "Block",
    "Unsure",
    *RSVP_WORDS,
    *PRIVATE_TEXTS,
    "feedback",
    "ballot",
    "vote",
    "chose",
)


@dataclass
class Audit:
    """The scenario's people and what the checkpoints found."""

    bot: SandboxBot
    people: dict[str, FakeUser] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    filled: set[str] = field(default_factory=set)  # tables that held rows at a checkpoint

    @property
    def identities(self) -> list[Identity]:
        return [Identity.of(u.id, u.username, u.first_name) for u in self.people.values()]

    def user(self, name: str) -> FakeUser:
        return self.people[name]

    def dm(self, name: str) -> FakeChat:
        return self.bot.private(self.people[name])


# ----------------------------------------------------------------------------- the detectors


def row_findings(rows: Sequence[Row], people: list[Identity]) -> list[str]:
    """Everything in these rows that names a person or links a pseudonym; [] when clean."""
    findings: list[str] = []
    texts = [(table, row_text(row)) for table, row in rows]
    for table, text in texts:
        who = named(text, people)
        if who:
            beside = markers_in(text, MARKERS)
            what = f"beside {beside}" if beside else "alone"
            findings.append(f"{table} row names {who} {what}: {text[:300]}")
    # A pseudonym beside a role, a choice or an RSVP must join to nothing else: another row
    # holding the same value would link what that row says to this one.
    holders: dict[str, list[int]] = {}
    for index, (_, text) in enumerate(texts):
        for key in keyed_hashes(text):
            holders.setdefault(key, []).append(index)
    for index, (table, text) in enumerate(texts):
        feedback = markers_in(text, FEEDBACK.values())
        if feedback and keyed_hashes(text):
            findings.append(f"{table} row holds a pseudonym beside feedback: {text[:300]}")
        if not markers_in(text, (*ROLE_WORDS, *REASONS.values())):
            continue
        for key in keyed_hashes(text):
            others = [texts[i][0] for i in holders[key] if i != index]
            if others:
                findings.append(f"{table} row's pseudonym {key[:12]}… is also in {others}")
    return findings


_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def record_text(record: logging.LogRecord) -> str:
    """All of a record a handler could write: message, traceback, stack and extra fields."""
    parts = [record.name, record.getMessage()]
    if record.exc_info and record.exc_info[1] is not None:
        parts.append("".join(traceback.format_exception(record.exc_info[1])))
    parts += [record.exc_text or "", record.stack_info or ""]
    parts += [render(v) for k, v in vars(record).items() if k not in _STANDARD]
    return "\n".join(parts)


def log_findings(records: Iterable[logging.LogRecord], people: list[Identity]) -> list[str]:
    findings: list[str] = []
    for record in records:
        text = record_text(record)
        private = markers_in(text, PRIVATE_TEXTS)
        if private:
            findings.append(f"{record.name} logs private text {private}: {text[:300]}")
        who = named(text, people)
        if who:
            beside = markers_in(text, MARKERS)
            what = f"beside {beside}" if beside else "alone"
            findings.append(f"{record.name} names {who} {what}: {text[:300]}")
    return findings


def file_findings(audit: Audit) -> list[str]:
    """SQLite: the files on disk, freed pages and WAL included, hold no id or username."""
    if not audit.bot.settings.is_sqlite:
        return []
    findings = []
    for path in sqlite_files(audit.bot.settings.database_url):
        data = path.read_bytes()
        for person in audit.identities:
            if person.found_in_bytes(data):
                findings.append(f"{path.name} holds {person.label}")
    return findings


def message_findings(audit: Audit) -> list[str]:
    """What groups and facilitators are sent (texts, captions, files) names nobody; a
    private chat names nobody but its own person."""
    tg = audit.bot.tg
    findings = []
    for chat in list(tg.chats.values()):
        own = chat.user.id if chat.type == "private" and chat.user is not None else None
        others = [
            Identity.of(u.id, u.username, u.first_name)
            for u in audit.people.values()
            if u.id != own
        ]
        for message in tg.messages(chat.id, include_deleted=True):
            parts = [message.text or "", message.caption or "", *message.history]
            if message.document is not None:
                parts.append(message.document.data.decode("utf-8", "replace"))
            who = named("\n".join(parts), others)
            if who:
                findings.append(f"a message in chat {chat.id} names {who}: {parts[0][:200]}")
    return findings


Dump = list[tuple[str, dict[str, object]]]


async def checkpoint(audit: Audit, phase: str) -> Dump:
    """Dump every table and audit it, and the database files."""
    rows = await dump_rows(audit.bot.settings.database_url)
    audit.filled |= {table for table, _ in rows}
    flat = [(table, tuple(row.values())) for table, row in rows]
    assert row_findings(flat, audit.identities) == [], phase
    assert file_findings(audit) == [], phase
    return rows


def cells(rows: Dump, table: str, *columns: str) -> list[tuple[object, ...]]:
    return [tuple(row[c] for c in columns) for name, row in rows if name == table]


# ----------------------------------------------------------------------------- the scenario


def cast(audit: Audit) -> None:
    for number, (name, role) in enumerate(CAST, start=1):
        user = FakeUser(7_000_000_000 + number, f"Audit{name.title()}", f"audit_user_{name}")
        audit.bot.tg.users[user.id] = user
        audit.people[name] = user
        audit.roles[name] = role


async def join_everyone(audit: Audit) -> FakeChat:
    bot, fiona = audit.bot, audit.user("fiona")
    others = [u for n, u in audit.people.items() if n != "fiona"]
    group = bot.tg.create_group("Audit co-production", members=others, admins=[fiona])
    await bot.add_to_group(group, by=fiona)
    welcome = bot.last(group)
    for name, user in audit.people.items():
        await bot.follow_join(user, welcome)
        await bot.press(user, bot.last(audit.dm(name)), text=ROLE_BUTTON[audit.roles[name]])
        assert "as " in bot.last_text(audit.dm(name)), name
    # Dave changes his role.
    await bot.say(audit.user("dave"), audit.dm("dave"), "/role")
    await bot.press(audit.user("dave"), bot.last(audit.dm("dave")), text="Staff")
    audit.roles["dave"] = Role.STAFF
    members = await ask_members(bot, fiona, group)
    assert "Service users: 3" in members and "Carers: 3" in members and "Staff: 4" in members
    return group


async def vote(audit: Audit, name: str, poll: FakeMessage, label: str) -> str:
    answer = await audit.bot.press(audit.user(name), poll, data=button(poll, label))
    assert answer is not None, "every press is answered"
    return str(answer.get("text") or "")


async def wizard_poll(
    audit: Audit, group: FakeChat, kind: str, question: str, *steps: str
) -> FakeMessage:
    """/newpoll, then each step: a label is pressed, a text starting with '>' is typed."""
    bot, fiona = audit.bot, audit.user("fiona")
    dm = await open_wizard(bot, fiona, group)
    await bot.press(fiona, bot.last(dm), text=kind)
    await bot.say(fiona, dm, question)
    for step in steps:
        if step.startswith(">"):
            await bot.say(fiona, dm, step[1:])
        else:
            await bot.press(fiona, bot.last(dm), text=step)
    preview = bot.last(dm)
    # Where the audit finds a small role could be worked out, Post asks how: with notice.
    post = "Post" if "Post" in [b.text for b in preview.all_buttons()] else POST_WITH_NOTICE
    await bot.press(fiona, preview, text=post)
    poll = bot.last(group)
    assert question in (poll.text or ""), poll.text
    return poll


def message_with(bot: SandboxBot, chat: FakeChat, words: str) -> FakeMessage:
    return next(m for m in reversed(bot.tg.messages(chat)) if words in (m.text or ""))


async def polls_and_a_move(audit: Audit, group: FakeChat) -> FakeChat:
    """Every kind of poll, /poll and /newpoll, votes, changes, withdrawals, a supergroup move,
    closing (button, /close, deadline), results, the CSV and the decision log."""
    bot, fiona = audit.bot, audit.user("fiona")
    await bot.say(fiona, group, f"/poll Audit snack? | {' | '.join(SNACKS)}")
    snack = bot.last(group)
    for index, name in enumerate(audit.people):
        assert "You chose" in await vote(audit, name, snack, SNACKS[index % 3])
    multiple = await wizard_poll(
        audit,
        group,
        "Multiple choice",
        "Audit days?",
        f">{DAYS[0]}\n{DAYS[1]}\n{DAYS[2]}",
        "Done",
        "2",
        "No deadline (an organiser closes it)",
    )
    for name in ("alice", "carla", "stan", "sue", "cody"):
        await vote(audit, name, multiple, DAYS[0])
        await vote(audit, name, multiple, DAYS[2])

    supergroup = bot.tg.upgrade_to_supergroup(group)
    await bot.deliver()
    snack = message_with(bot, supergroup, "Audit snack?")
    multiple = message_with(bot, supergroup, "Audit days?")
    assert "Changed" in await vote(audit, "alice", snack, SNACKS[2])
    assert "withdrawn" in (await vote(audit, "cody", snack, "Withdraw")).lower()
    await vote(audit, "sami", multiple, DAYS[1])

    proposal = await wizard_poll(
        audit,
        supergroup,
        "Proposal",
        "Adopt the audit proposal?",
        "No deadline (an organiser closes it)",
    )
    for name in audit.people:
        if name not in ("carla", "sami"):
            await vote(audit, name, proposal, "Agree")
    await vote(audit, "carla", proposal, "Block")
    await bot.say(audit.user("carla"), audit.dm("carla"), REASONS["block"])
    assert "without your name" in bot.last_text(audit.dm("carla"))
    await vote(audit, "sami", proposal, "Disagree")
    await bot.say(audit.user("sami"), audit.dm("sami"), REASONS["disagree"])
    answer = await bot.press_raw(
        audit.user("alice"), supergroup, proposal.message_id, see_results_data(proposal)
    )
    assert answer is not None and "when the poll closes" in str(answer["text"])

    scale = await wizard_poll(
        audit,
        supergroup,
        "Scale 1 to 5",
        "Audit comfort score?",
        "Tomorrow at 17:00",
    )
    for index, name in enumerate(audit.people):
        await bot.press(audit.user(name), scale, text=str(1 + index % 5))

    # Closing: the button, /close as a reply, and the deadline (with its reminder).
    await close_by_button(bot, fiona, snack)
    await bot.say(fiona, supergroup, "/close", reply_to=multiple)
    await close_by_button(bot, fiona, proposal)
    async with bot.uow() as uow:
        deadline, remind_at = (
            await uow.session.execute(
                select(Poll.deadline, Poll.remind_at).where(Poll.question == "Audit comfort score?")
            )
        ).one()
    assert deadline is not None
    if remind_at is not None:
        with time_machine.travel(remind_at + timedelta(seconds=1), tick=False):
            await poll_jobs.sweep(context_of(bot))
    with time_machine.travel(deadline + timedelta(seconds=1), tick=False):
        await poll_jobs.sweep(context_of(bot))
    # 10 minutes later no poll can be reopened any more: the keys are unlinked then.
    await end_reopen_windows(bot, at_once=True)
    results = [shown(m) for m in results_posts(bot.tg, supergroup)]
    assert len(results) == 4, results
    # The proposal shows only its decision in this group (the audit found a small role could
    # be worked out from more), so its reasons stay in the database unpublished: still audited.

    await bot.press(fiona, snack, data=button(snack, "CSV"))
    await bot.say(fiona, supergroup, "/decisions")
    await bot.say(audit.user("sue"), supergroup, "/polls")
    files = [m for m in bot.tg.messages(audit.dm("fiona")) if m.document]
    assert len(files) == 2, "the CSV and the decision log reached the facilitator"
    return supergroup


async def feedback_in_every_mode(audit: Audit, circle: Circle) -> None:
    bot, fiona = audit.bot, audit.user("fiona")
    # Moderated (the default): one published, one rejected, one with a role tag.
    assert "organisers will read it" in await send_feedback(
        bot, audit.user("alice"), FEEDBACK["moderated"]
    )
    await bot.press(fiona, bot.last(audit.dm("fiona")), text="Publish in the group")
    # Rejected, but its writer lets the facilitators reply privately: a reply and an answer.
    sami = audit.user("sami")
    preview = await write(bot, sami, FEEDBACK["rejected"])
    await bot.press(sami, preview, text="Let the organisers reply to me privately")
    await bot.press(sami, bot.last(audit.dm("sami")), text="Send")
    copy = bot.last(audit.dm("fiona"))
    await bot.press(fiona, copy, text="Reject")
    await bot.press(fiona, copy, text="Reply privately")
    await bot.say(fiona, audit.dm("fiona"), "Thank you for telling us; can you say more?")
    await bot.press(sami, bot.last(audit.dm("sami")), text="Answer")
    await bot.say(sami, audit.dm("sami"), "It happens most evenings")
    assert "Sent to the organisers" in bot.last_text(audit.dm("sami"))
    preview = await write(bot, audit.user("carla"), FEEDBACK["tagged"])
    await bot.press(audit.user("carla"), preview, text="Say I am a carer")
    await bot.press(audit.user("carla"), bot.last(audit.dm("carla")), text="Send")
    await bot.press(fiona, bot.last(audit.dm("fiona")), text="Publish in the group")
    # A crisis: the contacts at once, and to the facilitators only, flagged.
    await send_feedback(bot, audit.user("uma"), FEEDBACK["crisis"])
    urgent = [m for m in bot.tg.messages(audit.dm("fiona")) if "URGENT" in (m.text or "")]
    assert urgent
    # A facilitator mutes that sender's urgent items (a key of the sender, never who).
    await bot.press(fiona, urgent[-1], text="🔕 Mute this sender for 24 hours")
    # Direct, then the daily digest at its hour.
    await set_delivery(bot, circle, "Straight to the group")
    assert "now in the group" in await send_feedback(bot, audit.user("stan"), FEEDBACK["direct"])
    settings = await set_delivery(bot, circle, "Once a day")
    await bot.press(fiona, settings, text="20:00")
    await send_feedback(bot, audit.user("sue"), FEEDBACK["digest"])
    async with bot.uow() as uow:
        due = await uow.session.scalar(
            select(Feedback.due_at).where(Feedback.text == FEEDBACK["digest"])
        )
    assert due is not None
    with time_machine.travel(due + timedelta(seconds=1), tick=False):
        await feedback_sweep.sweep(context_of(bot))
    shown = "\n".join(posted(bot, circle))
    for kind in ("moderated", "tagged", "direct", "digest"):
        assert FEEDBACK[kind] in shown, kind
    assert "(from a carer)" in shown
    assert FEEDBACK["rejected"] not in shown and FEEDBACK["crisis"] not in shown
    # You said, we did: an outcome for the first published item, and the monthly digest on.
    await bot.say(fiona, circle.group, "/outcome")
    listing = bot.last(audit.dm("fiona"))
    first = next(b.text for b in listing.all_buttons() if b.text.startswith("#1 "))
    await bot.press(fiona, listing, text=first)
    await bot.press(fiona, bot.last(audit.dm("fiona")), text="Planned")
    await bot.say(fiona, audit.dm("fiona"), "the estates team")
    await bot.press(fiona, bot.last(audit.dm("fiona")), text="In a month")
    await bot.say(fiona, circle.group, "/yousaid")
    await bot.press(fiona, bot.last(circle.group), text="Monthly digest: off (tap to turn on)")


async def a_weekly_meeting(audit: Audit, circle: Circle) -> datetime:
    bot = audit.bot
    await bot.say(audit.user("fiona"), circle.group, "/reminders 1 day, 1 hour")
    await bot.say(audit.user("fiona"), circle.group, "/pollsettings")
    await bot.press(audit.user("fiona"), bot.last(circle.group), text="Everyone")
    await bot.press(audit.user("fiona"), bot.last(circle.group), text="Organisers only")
    when = _in_days(3)
    meeting = await plan_meeting(
        bot, circle, f"{_typed(when)} | Audit planning | Room-Heron", repeat="Every week"
    )
    answers = {"alice": "Coming", "carla": "Maybe", "uma": "Coming", "stan": "Can't come"}
    answers |= {"sami": "Coming", "sue": "Coming", "cody": "Coming"}
    for name, label in answers.items():
        await bot.press(audit.user(name), meeting, data=button(meeting, label))
    await bot.press(audit.user("sami"), meeting, data=button(meeting, "Maybe"))  # changed
    for name in ("alice", "carla", "uma"):
        answer = await bot.press(audit.user(name), meeting, data=button(meeting, "Remind me"))
        assert answer is not None and "remind you" in str(answer["text"]), name
    await bot.say(audit.user("sami"), audit.dm("sami"), f"/agenda {AGENDA}")
    await bot.press(audit.user("alice"), meeting, data=button(meeting, "Add this date"))
    await bot.press(audit.user("fiona"), meeting, data=button(meeting, "Add the series"))
    for name in ("alice", "fiona"):
        assert any(m.document for m in bot.tg.messages(audit.dm(name))), name
    return when


async def involvement_record(audit: Audit, circle: Circle, when: datetime) -> None:
    """After the meeting: the record switched on, one person chooses to be recorded under a
    name she types (for payroll) and says she took part; the facilitator exports it."""
    bot, fiona, alice = audit.bot, audit.user("fiona"), audit.user("alice")
    with time_machine.travel(when.astimezone(UTC) + timedelta(hours=2)):
        await bot.say(fiona, circle.group, "/involvement")
        await bot.press(fiona, bot.last(audit.dm("fiona")), text="Switch on")
        await bot.say(alice, audit.dm("alice"), "/involvement")
        await bot.press(alice, bot.last(audit.dm("alice")), text="Type a name")
        await bot.say(alice, audit.dm("alice"), PAYROLL_NAME)
        await bot.press(alice, bot.last(audit.dm("alice")), text="I want payment")
        shown = bot.last(audit.dm("alice"))
        took = next(b.text for row in shown.buttons for b in row if b.text.startswith("I took"))
        answer = await bot.press(alice, shown, text=took)
        assert answer is not None and "Recorded" in str(answer["text"])
        await bot.say(fiona, circle.group, "/involvement")
        await bot.press(fiona, bot.last(audit.dm("fiona")), text="Export for payment (CSV)")
    (exported,) = [
        m.document
        for m in bot.tg.messages(audit.dm("fiona"))
        if m.document and m.document.filename == "involvement.csv"
    ]
    assert exported is not None and PAYROLL_NAME in exported.data.decode("utf-8-sig")


async def leave_drafts(audit: Audit, circle: Circle) -> None:
    """A poll and a meeting being set up, not finished: both are stored meanwhile."""
    bot, fiona = audit.bot, audit.user("fiona")
    dm = await open_wizard(bot, fiona, circle.group)
    await bot.press(fiona, bot.last(dm), text="Single choice")
    await bot.say(fiona, dm, "Audit draft question?")
    await bot.say(fiona, circle.group, f"/meeting {_typed(_in_days(5))} | Audit unsaved")


# ----------------------------------------------------------------------------- the test


@pytest.fixture
async def audited(db_url: str) -> AsyncIterator[SandboxBot]:
    """The real Application on SQLite and on PostgreSQL (like `bot_on`), without flood limits:
    they would only make the scenario wait, and are not what this test audits."""
    tg = FakeTelegram(spec_path=spec_path(), flood=FloodLimits(enabled=False))
    settings = make_settings(tg, db_url)
    if not settings.is_sqlite:
        engine = create_engine(db_url)
        await migrate.upgrade(engine)
        await engine.dispose()
    async with SandboxBot(tg, settings, rate_limiter=NoRateLimits()) as running:
        # What `equalsay run` does at start (bot/startup.py): the key's fingerprint is stored,
        # so the deployment_key table is in the audit like every other.
        engine = create_engine(db_url)
        secret = settings.secret_key.get_secret_value().encode()
        await claim_fingerprint(engine, key_fingerprint(secret))
        await engine.dispose()
        yield running
    assert not tg.spec_violations, f"Bot API spec violations: {tg.spec_violations}"


def see_results_data(poll: FakeMessage) -> str:
    """A 'See results' press on an open poll, as an old message or a forger would send it."""
    press = decode(button(poll, "Agree"))
    assert press is not None
    return encode(Action.SEE_RESULTS, press.args[0])


async def test_after_every_feature_no_row_or_log_line_names_a_participant(
    audited: SandboxBot, caplog: pytest.LogCaptureFixture
) -> None:
    # The worst case a deployer can choose: LOG_LEVEL=DEBUG with the bot's own log set-up.
    # Every logger propagates to caplog at DEBUG; the libraries that log whole requests are
    # held at their floors by bot/logs.py, as in production.
    caplog.set_level(logging.DEBUG)
    saved = {name: logging.getLogger(name).level for name in _FLOORS}
    hold_back_library_logs("DEBUG")
    try:
        await _scenario_and_audit(audited, caplog)
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


async def _scenario_and_audit(bot: SandboxBot, caplog: pytest.LogCaptureFixture) -> None:
    audit = Audit(bot)
    cast(audit)
    group = await join_everyone(audit)
    await checkpoint(audit, "after joining")
    supergroup = await polls_and_a_move(audit, group)
    circle = Circle(supergroup, audit.user("fiona"))
    await feedback_in_every_mode(audit, circle)
    when = await a_weekly_meeting(audit, circle)
    await leave_drafts(audit, circle)
    await bot.say(audit.user("alice"), audit.dm("alice"), "/mydata")
    assert "you are a service user" in bot.last_text(audit.dm("alice"))
    await bot.say(audit.user("fiona"), audit.dm("fiona"), "/mydata")
    assert "Audit co-production" in bot.last_text(audit.dm("fiona"))
    await bot.say(audit.user("sue"), circle.group, "/meetings")
    rows = await checkpoint(audit, "everything live")
    group_id = await _group_id(bot, supergroup)
    _what_the_secret_reveals(audit, rows, group_id)

    # Uma asks to be forgotten.
    await bot.say(audit.user("uma"), audit.dm("uma"), "/forgetme")
    await bot.press(audit.user("uma"), bot.last(audit.dm("uma")), text="Yes, erase my data")
    told = bot.last_text(audit.dm("uma"))
    assert "erased your role and membership in 1 group" in told
    # What stays is findable by whoever holds the secret (_after_forgetting), so she is told
    # only what holds: nobody in the group can tell.
    assert "nobody can tell they were yours" in told

    # The reminders: the group's, a day and an hour before; the personal ones with the second.
    start = when.astimezone(UTC)
    for before in (timedelta(days=1), timedelta(hours=1)):
        with time_machine.travel(start - before + timedelta(seconds=5), tick=False):
            assert await dispatch_due(context_of(bot)) == 1
    assert len(reminders_in(bot, circle)) == 2
    for name in ("alice", "carla"):
        assert "is in" in bot.last_text(audit.dm(name)), name
    assert "is in" not in bot.last_text(audit.dm("uma"))  # forgotten: her request went too
    await involvement_record(audit, circle, when)
    # The test's jumps of the clock (here past the meeting, and earlier ones), or a loaded
    # machine, make the scheduler report its interval jobs as missed: the test's doing, not
    # the bot's, and no user's data; everything else it logged stays audited.
    jumped = [
        r
        for r in caplog.records
        if r.name.startswith("apscheduler") and "was missed" in r.getMessage()
    ]
    for record in jumped:
        caplog.records.remove(record)

    if not bot.settings.is_sqlite:
        # This bot sends without limits (NoRateLimits); a replica's shared budget rows hold
        # only a group's chat id and a time, and are audited like every other row.
        assert bot.app.bot_data.engine is not None
        pace = SharedPace(bot.app.bot_data.engine, group=SHARED_GROUP, overall=SHARED_OVERALL)
        await pace.reserve_group(circle.group.id)
        await pace.reserve_overall()
    rows = await checkpoint(audit, "at the end")
    _after_forgetting(audit, rows, group_id)
    tables = await table_names(bot.settings.database_url)
    if bot.settings.is_sqlite:
        tables -= {"send_pace", "edit_turns"}  # replicas' shared limits: PostgreSQL only
    # The scenario filled every table: a new table that it leaves empty fails here, so that
    # whoever adds one extends the scenario and the audit covers it.
    assert tables - audit.filled == set(), tables - audit.filled
    assert message_findings(audit) == []
    assert bot.app.job_queue is not None  # the alarms held in memory name nobody either
    alarms = " ".join(f"{job.name} {render(job.data)}" for job in bot.app.job_queue.jobs())
    assert named(alarms, audit.identities) == []

    records = list(caplog.records)
    assert records, "the scenario logged something"
    failures = [r.getMessage() for r in records if r.levelno >= logging.WARNING]
    assert failures == [], "every step of the scenario worked"
    for name, floor in _FLOORS.items():  # the floors held: no library logged beneath them
        below = [r for r in records if _under(r.name, name) and r.levelno < floor]
        assert below == [], below[:3]
    assert log_findings(records, audit.identities) == []

    await _the_detectors_fire(audit, caplog, group_id, circle.group)


async def _group_id(bot: SandboxBot, chat: FakeChat) -> int:
    async with bot.uow() as uow:
        info = await groups.find_group(uow, chat.id)
    assert info is not None
    return info.id


def _under(logger: str, name: str) -> bool:
    return logger == name or logger.startswith(f"{name}.")


def _what_the_secret_reveals(audit: Audit, rows: Dump, group_id: int) -> None:
    """With the database AND the secret, anyone with a list of candidate ids learns their
    roles and who asked for which reminder (docs/PRIVACY.md: the fourth observer)."""
    secret = audit.bot.settings.hash_key
    memberships = {str(key): role for key, role in cells(rows, "memberships", "member_key", "role")}
    for name, user in audit.people.items():
        assert memberships[member_key(secret, group_id, user.id)] == audit.roles[name].value
    sealed = cells(rows, "meeting_dm_optins", "sealed_chat")
    opened = {unseal_chat(secret, str(token)) for (token,) in sealed}
    assert opened == {audit.user(n).id for n in ("alice", "carla", "uma")}


def _after_forgetting(audit: Audit, rows: Dump, group_id: int) -> None:
    """/forgetme erased Uma's membership and everything under her person_key. Her ballots
    stay in the tallies (DESIGN section 3, promise 6); once a poll is closed no key the secret
    can derive finds any ballot or reason of it, hers or anyone's (storage/unlinking.py), and
    answers to meeting dates that are over are unlinked the same way."""
    secret = audit.bot.settings.hash_key
    uma = audit.user("uma").id
    everything = "\n".join(row_text(tuple(row.values())) for _, row in rows)
    assert member_key(secret, group_id, uma) not in everything
    assert person_key(secret, uma) not in everything
    closed = {
        int(str(p)) for p, status in cells(rows, "polls", "id", "status") if status == "closed"
    }
    assert closed, "the scenario closes polls"
    ballots = [(int(str(p)), str(k)) for p, k in cells(rows, "ballots", "poll_id", "ballot_key")]
    closed_keys = {k for p, k in ballots if p in closed}
    assert closed_keys and all(k.startswith(UNLINKED) for k in closed_keys)
    for person in audit.people.values():
        assert not {ballot_key(secret, p, person.id) for p in closed} & closed_keys
    reasons = cells(rows, "poll_reasons", "poll_id", "reason_key")
    assert reasons and all(key is None for p, key in reasons if int(str(p)) in closed)


async def _the_detectors_fire(
    audit: Audit, caplog: pytest.LogCaptureFixture, gid: int, group: FakeChat
) -> None:
    """A detector that never fires proves nothing: plant what each must find."""
    bot = audit.bot
    alice, sami = audit.user("alice"), audit.user("sami")
    people = audit.identities

    # Rows: an id as an int inside JSON, as a string, in an integer column.
    async with bot.uow() as uow:
        uow.session.add(
            PollDraft(
                group_id=gid,
                owner_key="planted",
                step="planted",
                data={"voter": alice.id, "choice": SNACKS[0]},
            )
        )
        uow.session.add(Membership(group_id=gid, member_key=str(alice.id), role="carer"))
        await uow.session.execute(
            update(Poll).where(Poll.question == "Audit snack?").values(message_id=sami.id)
        )
        await uow.commit()
    findings = row_findings(await dump_tables(bot.settings.database_url), people)
    assert any(f.startswith("poll_drafts row names ['audit_user_alice'] beside") for f in findings)
    assert any(f.startswith("memberships row names ['audit_user_alice'] beside") for f in findings)
    assert any(f.startswith("polls row names ['audit_user_sami']") for f in findings)
    if bot.settings.is_sqlite:  # the raw file scan finds the JSON digits and the 6-byte int
        assert {"audit_user_alice", "audit_user_sami"} <= {
            f.split(" holds ")[1] for f in file_findings(audit)
        }
    # A pseudonym shared between a role row and another row is a link; feedback holds none.
    shared = "ab" * 32
    linked = [
        ("memberships", (1, gid, shared, "carer")),
        ("reachable_people", (shared,)),
        ("feedback", (9, gid, FEEDBACK["direct"], None, "ef" * 32)),
    ]
    findings = row_findings(linked, people)
    assert any("is also in ['reachable_people']" in f for f in findings)
    assert any(f.startswith("feedback row holds a pseudonym") for f in findings)

    # What the group is sent.
    await bot.app.bot.send_message(group.id, f"Planted: @{alice.username} chose {SNACKS[0]}")
    assert any("names ['audit_user_alice']" in f for f in message_findings(audit))

    # Log lines: planted ones, and what the Telegram library logs below its floor.
    first = len(caplog.records)
    planted = logging.getLogger("bot.audit")
    planted.debug("user %s chose %s", alice.id, SNACKS[1])
    planted.info("feedback received: %s", FEEDBACK["moderated"])
    telegram = logging.getLogger("telegram")
    floor = telegram.level
    telegram.setLevel(logging.DEBUG)
    try:
        await bot.say(alice, audit.dm("alice"), "/mydata")
    finally:
        telegram.setLevel(floor)
    findings = log_findings(caplog.records[first:], people)
    assert any(f.startswith("bot.audit names ['audit_user_alice'] beside") for f in findings)
    assert any("logs private text" in f for f in findings)
    library = [f for f in findings if f.startswith("telegram")]
    assert any("beside" in f and "service user" in f for f in library), findings
