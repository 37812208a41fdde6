"""One running bot that many hypothesis examples act on, and the checks run after each one.

Building the Application, migrating a database and joining people takes about a second, so
each end-to-end property builds one `World` and drives every example through it. After each
example `World.check()` asserts, for everything that example did:

- nothing reached the error handler and nothing was logged at WARNING or above;
- every call to the fake Telegram was answered 200 (Telegram's own refusals, such as bad HTML
  or a text over 4,096 characters, are failures), and none broke the Bot API spec;
- every message the bot sent or edited is a kind one: visible text that is not empty, fits in
  one message, and is not the "something went wrong" apology; every button answer fits in 200
  characters, and every pressed button was answered (no spinner left);
- the database invariants hold: one ballot per (poll, key), a known voter with a role behind
  every ballot, choices that fit the poll, tallies (the production aggregate) equal to a recount
  of the ballot rows, closed polls unchanged, and every poll well formed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.clock import now
from bot.context import AppContext
from bot.domain.keyed_hash import ballot_key, member_key
from bot.domain.poll_rules import (
    OPTION_MAX_LEN,
    OPTIONS_MAX,
    OPTIONS_MIN,
    QUESTION_MAX_LEN,
    SINGLE_ANSWER_KINDS,
    PollDraft,
    PollKind,
    Visibility,
    fixed_options,
    normalise_option,
    normalise_question,
)
from bot.domain.roles import ROLES, Role
from bot.harness import NoRateLimits, SandboxBot
from bot.sandbox import FakeChat, FakeMessage, FakeTelegram, FakeUser, FloodLimits
from bot.sandbox.errors import ApiError
from bot.sandbox.markup import render
from bot.scheduling.edits import EditCoalescer, Refresh
from bot.scheduling.poll_jobs import close_and_announce, post_poll
from bot.services import polls
from bot.services.groups import find_group
from bot.views import general
from bot.views.limits import CALLBACK_ANSWER_LIMIT, MESSAGE_LIMIT, utf16_length
from tests.conftest import make_settings, spec_path
from tests.e2e.meeting_helpers import plan_meeting
from tests.e2e.poll_helpers import ROLE_BUTTON, Circle, context_of, joined_circle

# Telegram answers that are part of normal, handled life: a double tap that changes nothing.
_EXPECTED_REFUSALS = ("message is not modified",)
_APOLOGIES = {general.SOMETHING_WENT_WRONG, general.SOMETHING_WENT_WRONG_SHORT}
# Keyed hashes that are replaced by random values once nothing needs them (unlinking).
_UNLINKED_KEYS = {"ballot_key", "reason_key", "rsvp_key"}
# Tables whose rows may change for reasons unrelated to what was typed or pressed.
_VOLATILE_TABLES = {"reachable_people", "alembic_version", "processed_updates", "sqlite_sequence"}


class RecordingTelegram(FakeTelegram):
    """The fake Telegram, noting every answer that was not a success."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.failures: list[tuple[str, int, str]] = []

    async def call(
        self, method: str, params: dict[str, Any] | None = None, *, token: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        status, body = await super().call(method, params, token=token)
        if status != 200:
            self.failures.append((method, status, str(body.get("description"))))
        return status, body


class SyncCoalescer(EditCoalescer):
    """Poll and meeting edits collected, then made by `World.settle()` inside the example.

    The real coalescer edits from the JobQueue up to 3 seconds later; here the edit belongs to
    the example that caused it, so a bad render is blamed on the right input.
    """

    def __init__(self) -> None:
        super().__init__(interval=0.0)
        self.waiting: dict[tuple[Refresh, int], None] = {}

    def touch(self, job_queue: Any, group_id: int, poll_id: int, refresh: Refresh) -> None:
        self.waiting[(refresh, poll_id)] = None

    def forget(self, item_id: int, refresh: Refresh | None = None) -> None:
        for key in [k for k in self.waiting if k[1] == item_id and refresh in (None, k[0])]:
            del self.waiting[key]

    async def flush(self, context: AppContext) -> None:
        while self.waiting:
            refresh, item = next(iter(self.waiting))
            del self.waiting[(refresh, item)]
            await refresh(context, item)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Mark:
    """Where the sandbox's records stood when an example began."""

    calls: int
    callbacks: int
    failures: int
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    ballots: list[tuple[Any, ...]] = field(default_factory=list)  # with their keys


@dataclass
class PollSeed:
    poll_id: int
    message: FakeMessage
    chat: FakeChat


class World:
    """A running bot on SQLite with two joined groups, open and closed polls and a meeting."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.tg = RecordingTelegram(spec_path=spec_path(), flood=FloodLimits(enabled=False))
        self.settings = make_settings(self.tg, f"sqlite+aiosqlite:///{database}")
        self.bot = SandboxBot(self.tg, self.settings, rate_limiter=NoRateLimits())
        self.coalescer = SyncCoalescer()
        self.errors: list[BaseException | None] = []
        self.log = _Records()
        self._db: sqlite3.Connection | None = None
        self._closed: dict[int, list[tuple[Any, ...]]] = {}
        self._recounted: dict[int, list[tuple[str, str, int]]] = {}
        self._seen_polls: dict[int, tuple[Any, ...]] = {}
        self.examples = 0  # how many examples ran in this world (see running_world)
        # Filled in by open():
        self.circle: Circle
        self.other: Circle
        self.newbie: FakeUser  # in the group, never joined: no role
        self.stranger: FakeUser  # never started the bot, in no group
        self.polls: dict[str, PollSeed] = {}
        self.meeting: FakeMessage
        self.controls: list[FakeMessage] = []  # the facilitators' settings messages
        self.members_of: dict[int, list[FakeUser]] = {}  # group chat id -> people with a role

    # ------------------------------------------------------------------ life cycle

    async def open(self) -> None:
        await self.bot.__aenter__()
        self.bot.app.bot_data.coalescer = self.coalescer
        self.bot.app.add_error_handler(self._on_error)
        logging.getLogger().addHandler(self.log)
        bot = self.bot
        sizes = {Role.SERVICE_USER: 3, Role.CARER: 3, Role.STAFF: 3}
        self.circle = await joined_circle(bot, sizes)
        self.other = await joined_circle(bot, dict.fromkeys(ROLES, 1), title="Other group")
        self.newbie = self.tg.create_user("Newbie")
        self.circle.group.statuses[self.newbie.id] = "member"
        await bot.start(self.newbie)
        self.stranger = self.tg.create_user("Stranger")
        self.members_of = {
            self.circle.group.id: self.circle.everyone(),
            self.other.group.id: self.other.everyone(),
        }
        await self._seed_polls()
        self.meeting = await plan_meeting(bot, self.circle, "next Tuesday 10:30 | Planning")
        for command in ("/pollsettings", "/feedbacksettings"):
            await bot.say(self.circle.fiona, self.circle.group, command)
            self.controls.append(bot.last(self.circle.group))
        await self.settle()
        self._db = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True)
        self._closed = self.closed_ballots()
        self.errors.clear()
        self.log.records.clear()

    async def close(self) -> None:
        logging.getLogger().removeHandler(self.log)
        if self._db is not None:
            self._db.close()
        await self.bot.__aexit__(None, None, None)
        await self.tg.aclose()

    async def _on_error(self, update: object, context: AppContext) -> None:
        self.errors.append(context.error)

    async def _seed_polls(self) -> None:
        drafts = {
            "single": PollDraft("Meet monthly?", ("Yes", "No", "Not sure")),
            "multiple": PollDraft(
                "Which days?", ("Mon", "Tue", "Wed", "Thu"), PollKind.MULTIPLE, max_choices=2
            ),
            "proposal": PollDraft(
                "Adopt the plan?",
                fixed_options(PollKind.PROPOSAL) or (),
                PollKind.PROPOSAL,
                visibility=Visibility.LIVE,
            ),
            "scale": PollDraft(
                "How was it?",
                fixed_options(PollKind.SCALE) or (),
                PollKind.SCALE,
                visibility=Visibility.AFTER_VOTING,
            ),
            "closed": PollDraft("Old question?", ("A", "B")),
            "elsewhere": PollDraft("Their question?", ("X", "Y")),
        }
        for name, draft in drafts.items():
            circle = self.other if name == "elsewhere" else self.circle
            self.polls[name] = await self.add_poll(circle, draft)
        # A vote or two in the closed poll before it closes: a closed tally must never move.
        closed = self.polls["closed"]
        for user in self.circle.everyone()[:4]:
            await self.bot.press(user, closed.message, text="1. A")
        assert await close_and_announce(context_of(self.bot), closed.poll_id)

    async def add_poll(self, circle: Circle, draft: PollDraft) -> PollSeed:
        context = context_of(self.bot)
        async with self.bot.uow() as uow:
            group = await find_group(uow, circle.group.id)
            assert group is not None
            poll_id = await polls.create_poll(
                uow, group.id, draft, now=now(), deadline=now() + timedelta(days=30)
            )
        assert await post_poll(context, group, poll_id, thread_id=None)
        return PollSeed(poll_id, self.bot.last(circle.group), circle.group)

    def draft_of(self, poll_id: int) -> PollDraft:
        """The poll as it was made, to make another like it."""
        question, options, kind, most, visibility = self.db.execute(
            "SELECT question, options, kind, max_choices, visibility FROM polls WHERE id = ?",
            (poll_id,),
        ).fetchone()
        return PollDraft(
            question, tuple(json.loads(options)), PollKind(kind), most, Visibility(visibility)
        )

    async def rejoin_everyone(self) -> None:
        """Whoever erased their data (/forgetme) joins again, with the role they had."""
        for circle in (self.circle, self.other):
            group_id = self.db.execute(
                "SELECT id FROM groups WHERE chat_id = ?", (circle.group.id,)
            ).fetchone()[0]
            keys = {k for (k,) in self.db.execute("SELECT member_key FROM memberships")}
            for role, users in circle.members.items():
                for user in users:
                    if member_key(self.settings.hash_key, group_id, user.id) not in keys:
                        await self.bot.follow_join(user, self.join_message(circle))
                        await self.bot.press(
                            user, self.bot.last(self.bot.private(user)), text=ROLE_BUTTON[role]
                        )

    def join_message(self, circle: Circle) -> FakeMessage:
        return self.join_message_in(circle.group)

    def join_message_in(self, group: FakeChat) -> FakeMessage:
        for message in reversed(self.tg.messages(group)):
            if any(b.url and "?start=" in b.url for b in message.all_buttons()):
                return message
        raise AssertionError("no Join button in the group")

    async def settle(self) -> None:
        """Deliver whatever is queued and make the edits it caused, until quiet."""
        while await self.bot.deliver() or self.coalescer.waiting:
            await self.coalescer.flush(context_of(self.bot))

    # ------------------------------------------------------------------ examples

    def mark(self, *, rows: bool = False) -> Mark:
        """Start an example: forget earlier ones' errors (hypothesis replays failing ones)."""
        self.errors.clear()
        self.log.records.clear()
        mark = Mark(len(self.tg.calls), len(self.tg.callbacks), len(self.tg.failures))
        if rows:
            mark.rows = self.rows()
            mark.ballots = self.ballot_rows()
        return mark

    def new_calls(self, since: Mark) -> list[tuple[str, dict[str, Any]]]:
        return self.tg.calls[since.calls :]

    def sent_texts(self, since: Mark) -> list[str]:
        """The HTML of every message sent or edited since the mark."""
        return [
            str(params.get("text") or params.get("caption") or "")
            for method, params in self.new_calls(since)
            if method in {"sendMessage", "editMessageText", "sendDocument", "sendPhoto"}
        ]

    async def check(self, since: Mark, what: str) -> None:
        """Every property of the module docstring, for what happened since the mark."""
        await self.settle()
        assert not self.errors, f"{what}: the error handler got {self.errors!r}"
        logged = [f"{r.name}: {r.getMessage()}" for r in self.log.records]
        assert not logged, f"{what}: logged {logged}"
        failures = [
            f
            for f in self.tg.failures[since.failures :]
            if not any(text in f[2] for text in _EXPECTED_REFUSALS)
        ]
        assert not failures, f"{what}: Telegram refused {failures}"
        assert not self.tg.spec_violations, f"{what}: {self.tg.spec_violations}"
        for method, params in self.new_calls(since):
            check_call(method, params, what)
        unanswered = self.tg.unanswered_callbacks()
        assert not unanswered, f"{what}: {len(unanswered)} presses left spinning"
        await self.check_database(what)

    # ------------------------------------------------------------------ the database

    @property
    def db(self) -> sqlite3.Connection:
        assert self._db is not None, "the world is not open"
        return self._db

    def tables(self) -> list[str]:
        names = self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return sorted(n for (n,) in names if n not in _VOLATILE_TABLES)

    def rows(self, tables: list[str] | None = None) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table (or those named), ordered: a fingerprint to compare.

        Keyed hashes are left out: closing a poll, or a meeting date being over, replaces them
        with random values (storage/unlinking.py), which changes no vote and no answer.
        """
        found = {}
        for table in tables or self.tables():
            columns = [
                f'"{name}"'
                for _, name, *_ in self.db.execute(f'PRAGMA table_info("{table}")')
                if name not in _UNLINKED_KEYS
            ]
            query = f'SELECT {", ".join(columns)} FROM "{table}"'  # noqa: S608
            found[table] = sorted(self.db.execute(query), key=repr)
        return found

    def ballot_rows(self) -> list[tuple[Any, ...]]:
        """(poll, ballot key, role, choices) of every ballot."""
        return sorted(self.db.execute("SELECT poll_id, ballot_key, role, choices FROM ballots"))

    def changed_tables(self, since: Mark) -> set[str]:
        """The tables whose rows differ from the mark's (taken with `mark(rows=True)`)."""
        now_rows = self.rows(list(since.rows))
        return {table for table, rows in since.rows.items() if now_rows[table] != rows}

    def voters(self, poll_id: int, group_chat: int) -> dict[str, FakeUser]:
        """Ballot key -> person, for everyone who joined the poll's group with a role."""
        secret = self.settings.hash_key
        return {ballot_key(secret, poll_id, u.id): u for u in self.members_of.get(group_chat, [])}

    async def check_database(self, what: str) -> None:
        duplicates = self.db.execute(
            "SELECT poll_id, ballot_key, COUNT(*) FROM ballots GROUP BY 1, 2 HAVING COUNT(*) > 1"
        ).fetchall()
        assert not duplicates, f"{what}: two ballots for one voter: {duplicates}"
        ballots: dict[int, list[tuple[str, str, int]]] = {}
        for poll_id, key, role, choices in self.db.execute(
            "SELECT poll_id, ballot_key, role, choices FROM ballots ORDER BY poll_id, ballot_key"
        ):
            ballots.setdefault(poll_id, []).append((key, role, choices))
        rows = self.db.execute(
            "SELECT p.id, p.question, p.options, p.kind, p.max_choices, p.visibility, p.status,"
            " g.chat_id FROM polls p JOIN groups g ON g.id = p.group_id"
        ).fetchall()
        assert len(rows) == self.db.execute("SELECT COUNT(*) FROM polls").fetchone()[0]
        async with self.bot.uow() as uow:
            for row in rows:
                poll_id, question, options_json, kind, most, visibility, status, chat = row
                cast = ballots.get(poll_id, [])
                if self._seen_polls.get(poll_id) == row and self._recounted.get(poll_id) == cast:
                    continue  # checked already, and neither it nor a ballot changed since
                options = tuple(json.loads(options_json))
                where = f"{what} (poll {poll_id})"
                check_poll_row(question, options, kind, most, visibility, status, where)
                self._seen_polls[poll_id] = row
                # A closed poll's keys name nobody any more (storage/unlinking.py).
                voters = None if status == "closed" else self.voters(poll_id, chat)
                check_ballots(cast, voters, options, kind, most, where)
                # The production aggregate (one GROUP BY) against a recount, ballot by ballot.
                aggregate = {
                    role: (n, counts)
                    for role, n, counts in await uow.polls.tally_rows(poll_id, len(options))
                }
                assert aggregate == recount(cast, len(options)), f"{where}: tally != recount"
                self._recounted[poll_id] = cast
        closed_now = self.closed_ballots()
        for poll_id, before in self._closed.items():
            assert closed_now.get(poll_id) == before, f"{what}: closed poll {poll_id} changed"
        self._closed = closed_now

    def closed_ballots(self) -> dict[int, list[tuple[Any, ...]]]:
        """The votes (role, choices) of every closed poll: they never change once it closed."""
        found: dict[int, list[tuple[Any, ...]]] = {}
        for poll_id, *rest in self.db.execute(
            "SELECT b.poll_id, b.role, b.choices FROM ballots b"
            " JOIN polls p ON p.id = b.poll_id WHERE p.status = 'closed' ORDER BY 1, 2, 3"
        ):
            found.setdefault(poll_id, []).append(tuple(rest))
        for (poll_id,) in self.db.execute("SELECT id FROM polls WHERE status = 'closed'"):
            found.setdefault(poll_id, [])
        return found


def recount(
    ballots: list[tuple[str, str, int]], n_options: int
) -> dict[str, tuple[int, list[int]]]:
    """Per role: (voters, [voters who ticked option i, ...]), counted one ballot at a time."""
    out: dict[str, tuple[int, list[int]]] = {}
    for _, role, choices in ballots:
        n, counts = out.get(role, (0, [0] * n_options))
        out[role] = (n + 1, [c + (choices >> i & 1) for i, c in enumerate(counts)])
    return out


def check_ballots(
    ballots: list[tuple[str, str, int]],
    voters: dict[str, FakeUser] | None,
    options: tuple[str, ...],
    kind: str,
    max_choices: int,
    where: str,
) -> None:
    """Each ballot is a joined person's (while the poll is open: `voters` is None once it is
    closed), with a role, and choices the poll allows."""
    for key, role, choices in ballots:
        if voters is not None:
            assert key in voters, f"{where}: a ballot from someone who never joined the group"
        assert role in {r.value for r in ROLES}, f"{where}: ballot role {role!r}"
        assert 0 < choices < 1 << len(options), f"{where}: choices {choices:b}"
        ticked = bin(choices).count("1")
        if PollKind(kind) in SINGLE_ANSWER_KINDS:
            assert ticked == 1, f"{where}: {ticked} choices in a {kind} poll"
        else:
            assert ticked <= max_choices, f"{where}: {ticked} > {max_choices} choices"


def check_call(method: str, params: dict[str, Any], what: str) -> None:
    """A message or answer the bot sent is a kind one, as Telegram would accept it."""
    if method in {"sendMessage", "editMessageText"}:
        text = str(params.get("text") or "")
        try:
            parsed = render(
                text, params.get("parse_mode"), params.get("entities"), limit=MESSAGE_LIMIT
            )
        except ApiError as error:
            raise AssertionError(f"{what}: {method} {error.description}: {text!r}") from None
        assert parsed.text.strip(), f"{what}: an empty message"
        assert utf16_length(parsed.text) <= MESSAGE_LIMIT, f"{what}: a message too long"
        assert text not in _APOLOGIES, f"{what}: the bot apologised for an error"
    elif method == "answerCallbackQuery":
        answer = params.get("text")
        if answer is not None:
            assert isinstance(answer, str) and answer.strip(), f"{what}: an empty button answer"
            assert len(answer) <= CALLBACK_ANSWER_LIMIT, f"{what}: answer too long: {answer!r}"
            assert answer not in _APOLOGIES, f"{what}: the bot apologised for an error"


def check_poll_row(
    question: str,
    options: tuple[str, ...],
    kind: str,
    max_choices: int,
    visibility: str,
    status: str,
    what: str,
) -> None:
    """A stored poll obeys the input rules, however hostile what was typed."""
    poll_kind = PollKind(kind)
    Visibility(visibility)
    assert status in {"open", "closed"}, f"{what}: status {status!r}"
    assert 1 <= len(question) <= QUESTION_MAX_LEN, f"{what}: question of {len(question)}"
    assert normalise_question(question) == question, f"{what}: untidy question {question!r}"
    fixed = fixed_options(poll_kind)
    if fixed is not None:
        assert options == fixed, f"{what}: {kind} options {options}"
    else:
        assert OPTIONS_MIN <= len(options) <= OPTIONS_MAX, f"{what}: {len(options)} options"
        for option in options:
            assert 1 <= len(option) <= OPTION_MAX_LEN, f"{what}: option {option!r}"
            assert normalise_option(option) == option, f"{what}: untidy option {option!r}"
        keys = [o.casefold() for o in options]
        assert len(set(keys)) == len(keys), f"{what}: duplicate options {options}"
    if poll_kind is PollKind.MULTIPLE:
        assert 1 <= max_choices <= len(options), f"{what}: max_choices {max_choices}"
    else:
        assert max_choices == 1, f"{what}: max_choices {max_choices} in a {kind} poll"


Example = Callable[["World"], Coroutine[Any, Any, None]]


@contextmanager
def running_world(database: Path) -> Iterator[tuple[World, Callable[[Example], None]]]:
    """A World on its own event loop, and a function that runs one example in it, checked.

    Hypothesis calls a plain function per example; the loop outlives them all, so the bot
    does too. The example's coroutine acts; the checks (see the module docstring) follow.
    """
    world = World(database)
    with asyncio.Runner() as runner:
        runner.run(world.open())
        try:

            def run(example: Example) -> None:
                world.examples += 1
                runner.run(example(world))

            yield world, run
        finally:
            runner.run(world.close())
