"""Every registered handler that can be given words a person wrote is behind the crisis gate
(issue 18, section 1), so a handler added later outside it fails here.

Two proofs over the real Application's handlers:
- by position: only the gate's own handler group and the groups before it run before the
  gate, and what runs there is a short list of handlers known not to read words;
- by trying: crisis words in every way a person can send them (each registered command, in
  private and in a group, plain text, a reply to the bot, captions, edits) are fed to the real
  Application with every handler after the gate watched; each handler that reads words would
  have been given at least one of them (its own check says so), and none of them is called.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import (
    BaseHandler,
    BusinessConnectionHandler,
    BusinessMessagesDeletedHandler,
    CallbackQueryHandler,
    ChatBoostHandler,
    ChatJoinRequestHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    MessageReactionHandler,
    PaidMediaPurchasedHandler,
    PollAnswerHandler,
    PollHandler,
    PreCheckoutQueryHandler,
    ShippingQueryHandler,
    TypeHandler,
    filters,
)

from bot.context import AppType
from bot.domain.roles import Role
from bot.harness import NoRateLimits, SandboxBot
from bot.sandbox import FakeTelegram, FakeUser
from bot.sandbox.flood import FloodLimits
from handlers import (
    CRISIS_GATE_GROUP,
    crisis_gate,
    languages,
    lifecycle,
    member_changes,
    private_chat_reach,
    replays,
    welcome,
)
from tests.conftest import make_settings, spec_path
from tests.e2e.poll_helpers import joined_circle

CRISIS = "I want to kill myself"
CONTACTS = "Samaritans: call 116 123"

# Updates that carry no words a person typed: a press carries data the bot made, the others
# are membership, reactions, payments and the like. Anything else counts as reading words
# (an inline query would: whoever adds inline mode extends the gate first).
NOT_WORDS = (
    CallbackQueryHandler,
    ChatMemberHandler,
    ChatJoinRequestHandler,
    ChatBoostHandler,
    PollAnswerHandler,
    PollHandler,
    MessageReactionHandler,
    BusinessConnectionHandler,
    BusinessMessagesDeletedHandler,
    PaidMediaPurchasedHandler,
    PreCheckoutQueryHandler,
    ShippingQueryHandler,
)
# What runs before the gate, and why it may: neither reads a message's words.
BEFORE_THE_GATE: dict[Callable[..., Any], str] = {
    languages.set_language: "reads the chat type and the sender's language setting only",
    replays.stop_replays: "claims the update id only",
    private_chat_reach.note_private_chat: "notes who opened a private chat (person_key only)",
}
# Message handlers that only ever take service messages, which carry no words.
WORDLESS: dict[Callable[..., Any], str] = {
    lifecycle.group_migrated: "a group upgraded to a supergroup (migrate_to_chat_id)",
    member_changes.member_left_message: "'X left the group' (left_chat_member)",
    member_changes.members_joined_message: "'X joined the group' (new_chat_members)",
    welcome.members_joined: "'X joined the group' (new_chat_members): the welcome",
}


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[SandboxBot]:
    """Without flood limits: the probes send a few hundred messages to one private chat."""
    tg = FakeTelegram(spec_path=spec_path(), flood=FloodLimits(enabled=False))
    settings = make_settings(tg, f"sqlite+aiosqlite:///{tmp_path / 'equalsay.db'}")
    async with SandboxBot(tg, settings, rate_limiter=NoRateLimits()) as running:
        yield running
    assert not tg.spec_violations, f"Bot API spec violations: {tg.spec_violations}"


def name_of(handler: BaseHandler[Any, Any, Any]) -> str:
    callback = handler.callback
    return f"{callback.__module__}.{callback.__qualname__}"


def reads_words(handler: BaseHandler[Any, Any, Any]) -> bool:
    return not isinstance(handler, NOT_WORDS) and handler.callback not in WORDLESS


def gate_group(app: AppType) -> int:
    found = [
        group
        for group, handlers in app.handlers.items()
        for handler in handlers
        if handler.callback is crisis_gate.stop_crisis
    ]
    assert found == [CRISIS_GATE_GROUP], f"the crisis gate is registered in groups {found}"
    return found[0]


def unguarded(app: AppType) -> list[str]:
    """Handlers that could act on a person's words before (or instead of) the gate."""
    gate = gate_group(app)
    (first, *others) = app.handlers[gate]
    problems = []
    # It must see every update (a TypeHandler of Update) and wait for it (block), or its stop
    # would come too late.
    if not (isinstance(first, TypeHandler) and first.type is Update and first.block):
        problems.append(f"{name_of(first)}: the gate must be first in its group, blocking")
    # In the gate's own group the first match wins: anything after it never runs, or runs
    # instead of it.
    problems += [f"{name_of(h)}: shares the gate's group" for h in others]
    for group, handlers in app.handlers.items():
        if group >= gate:
            continue
        problems += [
            f"{name_of(h)}: group {group} runs before the gate"
            for h in handlers
            if reads_words(h) and h.callback not in BEFORE_THE_GATE
        ]
    return problems


def after_the_gate(app: AppType) -> list[BaseHandler[Any, Any, Any]]:
    gate = gate_group(app)
    return [
        handler
        for group, handlers in app.handlers.items()
        if group > gate
        for handler in handlers
        if reads_words(handler)
    ]


def registered_commands(app: AppType) -> list[str]:
    return sorted(
        {
            command
            for handlers in app.handlers.values()
            for handler in handlers
            if isinstance(handler, CommandHandler)
            for command in handler.commands
        }
    )


async def crisis_everywhere(bot: SandboxBot, sam: FakeUser, group: Any) -> list[dict[str, Any]]:
    """Crisis words in every way a person can send them, queued (not yet delivered)."""
    tg, dm = bot.tg, bot.private(sam)
    tg.privacy_mode = False  # the bot sees everything said in the group
    raws: list[dict[str, Any]] = []
    for command in registered_commands(bot.app):
        raws.append(tg.send_text(sam, dm, f"/{command} {CRISIS}"))
        raws.append(tg.send_text(sam, group, f"/{command} {CRISIS}"))
        raws.append(tg.send_text(sam, group, f"/{command}@{tg.bot_username} {CRISIS}"))
    raws.append(tg.send_text(sam, dm, CRISIS))
    raws.append(tg.send_text(sam, group, CRISIS))
    raws.append(tg.send_text(sam, group, f"@{tg.bot_username} {CRISIS}"))
    raws.append(tg.send_text(sam, group, CRISIS, reply_to=bot.last(group)))
    raws.append(tg.send_photo(sam, dm, caption=CRISIS))
    raws.append(tg.send_photo(sam, group, caption=CRISIS))
    raws.append(tg.send_document(sam, dm, "note.txt", b"hello", caption=CRISIS))
    for chat, first in ((dm, "hello"), (group, "/agenda Parking")):
        tg.take_updates()  # the message to edit, not the probe
        tg.send_text(sam, chat, first)
        tg.take_updates()
        mine = tg.messages(chat, from_bot=False)[-1]
        raws.append(tg.edit_user_message(sam, mine, f"{first} {CRISIS}"))
    return raws


async def prove_every_word_handler_is_behind_the_gate(bot: SandboxBot) -> None:
    circle = await joined_circle(bot, {Role.SERVICE_USER: 1, Role.CARER: 1, Role.STAFF: 1})
    sam = circle.members[Role.SERVICE_USER][0]
    called: list[str] = []
    watched = after_the_gate(bot.app)
    names = {id(handler): name_of(handler) for handler in watched}
    for handler in watched:
        original, name = handler.callback, name_of(handler)

        async def watching(update: Any, context: Any, _o: Any = original, _n: str = name) -> Any:
            called.append(_n)
            return await _o(update, context)

        handler.callback = watching
    raws = await crisis_everywhere(bot, sam, circle.group)
    bot.tg.take_updates()
    reached: set[int] = set()
    for raw in raws:
        update = Update.de_json(raw, bot.app.bot)
        reached |= {id(h) for h in watched if h.check_update(update) not in (None, False)}
        before = sum(CONTACTS in (m.text or "") for m in bot.tg.messages(bot.private(sam)))
        await bot.feed(raw)
        after = sum(CONTACTS in (m.text or "") for m in bot.tg.messages(bot.private(sam)))
        assert after == before + 1, f"no crisis contacts for {raw}"
    assert called == [], f"crisis words reached {sorted(set(called))}"
    missed = [names[id(h)] for h in watched if id(h) not in reached]
    assert missed == [], f"no probe carries words to {missed}: add one to crisis_everywhere"


async def test_every_handler_that_reads_words_is_behind_the_crisis_gate(bot: SandboxBot) -> None:
    assert unguarded(bot.app) == []
    assert len(after_the_gate(bot.app)) >= 20  # every command, the private text, the media
    await prove_every_word_handler_is_behind_the_gate(bot)


async def test_a_text_handler_added_outside_the_gate_is_caught(bot: SandboxBot) -> None:
    async def echo(update: Update, context: Any) -> None:
        """A careless new feature: acts on any text it is given."""

    before_gate = MessageHandler(filters.TEXT, echo)
    bot.app.add_handler(before_gate, group=CRISIS_GATE_GROUP - 5)
    assert unguarded(bot.app) == [f"{__name__}.{echo.__qualname__}: group -6 runs before the gate"]
    bot.app.remove_handler(before_gate, group=CRISIS_GATE_GROUP - 5)
    in_gate_group = MessageHandler(filters.TEXT, echo)
    bot.app.add_handler(in_gate_group, group=CRISIS_GATE_GROUP)
    assert unguarded(bot.app) == [f"{__name__}.{echo.__qualname__}: shares the gate's group"]
    bot.app.remove_handler(in_gate_group, group=CRISIS_GATE_GROUP)
    # Added after the gate, it is behind it: crisis words never reach it.
    bot.app.add_handler(MessageHandler(filters.TEXT, echo), group=5)
    assert unguarded(bot.app) == []
    await prove_every_word_handler_is_behind_the_gate(bot)
