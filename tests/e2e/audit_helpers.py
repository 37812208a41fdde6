"""The authorization audit's stage: two groups, a facilitator, four kinds of intruder, and a
footprint of everything one act did (Telegram calls and database rows), so a refusal can be
told apart from an action by what it left behind, not by its wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import inspect, select

from bot.facilitators import ADMIN_CACHE_SECONDS, FacilitatorCache
from bot.harness import SandboxBot
from bot.sandbox import FakeChat, FakeMessage, FakeUser
from bot.views import general
from storage.models import Base, Group
from tests.e2e.poll_helpers import ask_members, eventually

# Rows these tables gain are bookkeeping about the update itself, whatever it asked for: the
# update's number (replays), "this person has opened a private chat" (person_key only) and the
# language their Telegram is set to at first contact (language_key only).
BOOKKEEPING_TABLES = frozenset({"processed_updates", "reachable_people", "language_choices"})
# What any handler may ask Telegram without changing anything anyone can see.
_READS = frozenset({"getChatAdministrators", "getChatMember", "getChat", "getMe"})
_APOLOGIES = frozenset({general.SOMETHING_WENT_WRONG, general.SOMETHING_WENT_WRONG_SHORT})
_SENDS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
        "deleteMessage",
        "pinChatMessage",
        "unpinChatMessage",
    }
)


class Intruder(StrEnum):
    MEMBER = "member"  # in the group with a role; an admin nowhere
    OUTSIDER = "outsider"  # not in the group at all (a member of another group with the bot)
    OTHER_FACILITATOR = "other_facilitator"  # admin of another group; a plain member of this one
    DEMOTED = "demoted"  # was this group's admin and acted as one, then lost admin rights


class Where(StrEnum):
    HERE = "here"  # the target group's chat (on the message carrying the real button)
    OTHER_GROUP = "other_group"  # another group's chat, on a bot message there
    PRIVATE = "private"  # the intruder's own private chat with the bot


class Effect(StrEnum):
    DATABASE = "database"  # some row changed
    GROUP = "group"  # something was posted, edited or deleted in the target group
    BUTTONS = "buttons"  # a message with buttons (a keyboard or a link) was sent or edited
    DOCUMENT = "document"  # a file was sent
    PRIVATE = "private"  # something was sent to someone's private chat


class FakeClock:
    """A monotonic clock the test moves, so the facilitators' 120 s cache can run out."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Scene:
    bot: SandboxBot
    group: FakeChat  # X: the group whose facilitator-only actions are attacked
    group_id: int  # X's internal id, as the callback data carries it
    welcome: FakeMessage  # the bot's welcome in X (Join and feedback links)
    other: FakeChat  # Y: another group with the bot
    other_welcome: FakeMessage
    fiona: FakeUser  # X's facilitator (its creator)
    intruders: dict[Intruder, FakeUser]
    clock: FakeClock
    # Which chats each person is in, as Telegram sees it.
    in_group: set[Intruder] = field(default_factory=set)
    in_other: set[Intruder] = field(default_factory=set)

    def demote(self) -> None:
        """Demi stops being X's admin; the bot's cache of admins runs out (at most 120 s)."""
        demi = self.intruders[Intruder.DEMOTED]
        assert self.group.statuses[demi.id] == "administrator"
        self.group.statuses[demi.id] = "member"
        self.clock.advance(ADMIN_CACHE_SECONDS + 1)

    def chat(self, where: Where, intruder: Intruder) -> FakeChat:
        if where is Where.HERE:
            return self.group
        if where is Where.OTHER_GROUP:
            return self.other
        return self.bot.private(self.intruders[intruder])

    def command_places(self, intruder: Intruder) -> list[Where]:
        """Where this person can type a command at all. Telegram delivers nothing a non-member
        types in a group; in Y, Olga is its admin, and her commands there act on Y (hers)."""
        places = [Where.PRIVATE]
        if intruder in self.in_group:
            places.insert(0, Where.HERE)
        if intruder in self.in_other and intruder is not Intruder.OTHER_FACILITATOR:
            places.insert(-1, Where.OTHER_GROUP)
        return places


def install_clock(bot: SandboxBot) -> FakeClock:
    """The bot's admin cache, on a clock the test moves."""
    clock = FakeClock()
    bot.app.bot_data.facilitators = FacilitatorCache(clock=clock)
    return clock


async def join(bot: SandboxBot, user: FakeUser, welcome: FakeMessage, label: str) -> None:
    await bot.follow_join(user, welcome)
    await bot.press(user, bot.last(bot.private(user)), text=label)


async def group_id_of(bot: SandboxBot, chat: FakeChat) -> int:
    async with bot.uow() as uow:
        found = await uow.session.scalar(select(Group.id).where(Group.chat_id == chat.id))
    assert found is not None
    return int(found)


async def build_scene(bot: SandboxBot) -> Scene:
    """X ("Co-production"): Fiona (creator), Demi (admin, demoted by scene.demote()), Mel and
    Olga (members with roles). Y ("Carers' circle"): Olga (creator), Nora (member with a role),
    Mel and Demi (members). Everyone has opened a private chat with the bot; Demi has already
    acted as X's facilitator, so the bot's cache knew her as one."""
    tg = bot.tg
    clock = install_clock(bot)
    fiona, demi = tg.create_user("Fiona", "fiona_f"), tg.create_user("Demi", "demi_d")
    mel, olga = tg.create_user("Mel", "mel_m"), tg.create_user("Olga", "olga_o")
    nora = tg.create_user("Nora", "nora_n")
    group = tg.create_group("Co-production", members=[mel, olga], admins=[fiona, demi])
    other = tg.create_group("Carers' circle", members=[nora, mel, demi], admins=[olga])
    await bot.add_to_group(group, by=fiona)
    welcome = bot.last(group)
    await bot.add_to_group(other, by=olga)
    other_welcome = bot.last(other)
    for user, label in ((mel, "Service user"), (olga, "Carer"), (demi, "Staff")):
        await join(bot, user, welcome, label)
    await join(bot, nora, other_welcome, "Carer")
    await bot.start(fiona)
    # accepted: she facilitates X, for now
    assert "Who has joined" in await ask_members(bot, demi, group)
    return Scene(
        bot=bot,
        group=group,
        group_id=await group_id_of(bot, group),
        welcome=welcome,
        other=other,
        other_welcome=other_welcome,
        fiona=fiona,
        intruders={
            Intruder.MEMBER: mel,
            Intruder.OUTSIDER: nora,
            Intruder.OTHER_FACILITATOR: olga,
            Intruder.DEMOTED: demi,
        },
        clock=clock,
        in_group={Intruder.MEMBER, Intruder.OTHER_FACILITATOR, Intruder.DEMOTED},
        in_other={
            Intruder.OUTSIDER,
            Intruder.MEMBER,
            Intruder.DEMOTED,
            Intruder.OTHER_FACILITATOR,
        },
    )


# ------------------------------------------------------------------ what one act left behind


async def database_rows(bot: SandboxBot) -> dict[str, list[str]]:
    """Every row of every table (bookkeeping aside), as sorted text: the whole state."""
    async with bot.uow() as uow:
        connection = await uow.session.connection()
        present = set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
        rows: dict[str, list[str]] = {}
        for table in Base.metadata.sorted_tables:
            if table.name in BOOKKEEPING_TABLES or table.name not in present:
                continue
            result = await uow.session.execute(select(table))
            rows[table.name] = sorted(repr(tuple(row)) for row in result.all())
    return rows


@dataclass(frozen=True)
class Mark:
    calls: int
    rows: dict[str, list[str]]


@dataclass(frozen=True)
class Footprint:
    calls: list[tuple[str, dict[str, Any]]]
    changed_tables: list[str]
    answer: dict[str, Any] | None
    after: Mark  # the state it left: the next act's "before"

    def sent(self) -> list[tuple[str, dict[str, Any]]]:
        return [(name, params) for name, params in self.calls if name in _SENDS]


async def mark(bot: SandboxBot) -> Mark:
    return Mark(len(bot.tg.calls), await database_rows(bot))


async def footprint(
    bot: SandboxBot, before: Mark, answer: dict[str, Any] | None = None
) -> Footprint:
    after = await mark(bot)
    changed = sorted(
        name
        for name in before.rows.keys() | after.rows.keys()
        if before.rows.get(name) != after.rows.get(name)
    )
    return Footprint(list(bot.tg.calls[before.calls : after.calls]), changed, answer, after)


async def settle(bot: SandboxBot) -> None:
    """Wait for the edits a set-up step queued (a closed poll's last refresh), so they are
    not mistaken for what an intruder did."""
    coalescer = bot.app.bot_data.coalescer
    await eventually(lambda: not coalescer._active, "queued poll-message edits")


def _chat_id(params: dict[str, Any]) -> int | None:
    value = params.get("chat_id")
    return None if value is None else int(value)


def effects(trace: Footprint, group: FakeChat) -> set[Effect]:
    found: set[Effect] = set()
    if trace.changed_tables:
        found.add(Effect.DATABASE)
    for name, params in trace.sent():
        chat_id = _chat_id(params)
        if chat_id == group.id:
            found.add(Effect.GROUP)
        if chat_id is not None and chat_id > 0:
            found.add(Effect.PRIVATE)
        if name in {"sendDocument", "sendPhoto", "sendMediaGroup"}:
            found.add(Effect.DOCUMENT)
        if params.get("reply_markup"):
            found.add(Effect.BUTTONS)
    return found


def refusal_problems(trace: Footprint, *, acting_chat: FakeChat, pressed: bool) -> list[str]:
    """Why this footprint is not a clean refusal; [] when it is one.

    A clean refusal: nothing in the database changed, no file, no edit, nothing posted
    anywhere, and the person got words: the press answered with text, or (for a command)
    exactly one plain message, without buttons or links, in the chat they typed in.
    """
    problems: list[str] = []
    if trace.changed_tables:
        problems.append(f"the database changed: {trace.changed_tables}")
    allowed = _READS | {"answerCallbackQuery", "sendMessage"}
    beyond = [name for name, _ in trace.calls if name not in allowed]
    if beyond:
        problems.append(f"Telegram calls beyond a refusal: {beyond}")
    answers = [p for name, p in trace.calls if name == "answerCallbackQuery"]
    sends = [p for name, p in trace.calls if name == "sendMessage"]
    words: list[str] = []
    if pressed:
        if sends:
            problems.append(f"messages sent to chats {[_chat_id(p) for p in sends]}")
        if len(answers) != 1:
            problems.append(f"the press was answered {len(answers)} times")
        text = str((trace.answer or {}).get("text") or "")
        if not text:
            problems.append("the press got no words, only a stopped spinner")
        words.append(text)
    else:
        if answers:
            problems.append("a callback was answered for a typed command")
        if len(sends) != 1:
            problems.append(f"{len(sends)} messages sent for one command")
        for params in sends:
            if _chat_id(params) != acting_chat.id:
                problems.append(f"a message went to chat {_chat_id(params)}")
            if params.get("reply_markup"):
                problems.append(f"the reply carries buttons: {params['reply_markup']}")
            if not params.get("text"):
                problems.append("the reply is empty")
            words.append(str(params.get("text") or ""))
    problems.extend(
        f"the person got an apology for a failure: {w!r}" for w in words if w in _APOLOGIES
    )
    return problems


def reply_texts(trace: Footprint) -> list[str]:
    """The words the person was given (a press's answer, or the messages sent)."""
    texts = [str(p.get("text") or "") for name, p in trace.calls if name == "sendMessage"]
    if trace.answer is not None:
        texts.append(str(trace.answer.get("text") or ""))
    return texts
